// "Check the workspace": every package under the workspace folders analysed as `mapscope check
// ./...` reads them (the same patterns and build configuration), and diagnostics published for the
// files that are not open, so Problems lists them. Open files keep their live diagnostics. A file
// the check covered is checked again from disk when it is closed in the editor (its live
// diagnostics would otherwise vanish) or changes on disk, and cleared when it is deleted.
// Directory by directory, read and analysed in the analysis worker; a cancel request is seen
// between directories.
import { dirname } from 'node:path';
import type { CancellationToken, Connection, WorkDoneProgressReporter } from 'vscode-languageserver/node';
import { URI } from 'vscode-uri';
import type { CheckWorkspaceResult } from '../../../common/protocol';
import type { CheckFilesResult, CheckTargetsResult } from './analysis-protocol';

/** What the check asks of the server; the reading and analysing happen in the analysis worker. */
export interface CheckHost {
  isOpen(path: string): boolean;
  /** The packages under the folders, as `mapscope check ./...` reads them, nested modules too. */
  targets(folders: string[]): Promise<CheckTargetsResult>;
  /** The files of a directory's package under the workspace's configuration. */
  siblingsOf(dir: string): Promise<string[]>;
  /** Unopened files of one package, analysed from disk. */
  checkFiles(files: string[], siblings: string[]): Promise<CheckFilesResult>;
}

export class WorkspaceCheck {
  /** Files the last check covered (open ones included): their diagnostics come from disk when not open. */
  private readonly covered = new Set<string>();

  constructor(
    private readonly connection: Connection,
    private readonly host: CheckHost,
  ) {}

  async run(folders: readonly string[], token: CancellationToken, progress: WorkDoneProgressReporter): Promise<CheckWorkspaceResult> {
    const result: CheckWorkspaceResult = { files: 0, filesWithFindings: 0, findings: 0, cancelled: false, warnings: [] };
    const { targets, warnings } = await this.host.targets([...folders]);
    for (const w of warnings) result.warnings.push(w);
    const before = new Set(this.covered);
    this.covered.clear();
    progress.begin('MapScope: checking the workspace', 0, `${targets.length} packages`, true);
    let done = 0;
    try {
      for (const target of targets) {
        if (token.isCancellationRequested) {
          result.cancelled = true;
          break;
        }
        progress.report(Math.round((100 * done) / targets.length), target.dir);
        for (const f of target.files) {
          this.covered.add(f);
          before.delete(f);
        }
        // The worker reads and analyses; meanwhile the connection reads a $/cancelRequest (and edits).
        await this.checkFiles(target.files.filter((f) => !this.host.isOpen(f)), target.siblings, result);
        done++;
      }
    } finally {
      progress.done();
    }
    // Files a previous check covered that are gone now: their findings with them.
    if (!result.cancelled) for (const f of before) if (!this.host.isOpen(f)) this.clear(f);
    return result;
  }

  /** Whether the last check covered this file. */
  covers(path: string): boolean {
    return this.covered.has(path);
  }

  /** A covered file was closed or changed on disk: its diagnostics from what is on disk now. */
  async recheck(path: string): Promise<void> {
    if (!this.covered.has(path) || this.host.isOpen(path)) return;
    const siblings = await this.host.siblingsOf(dirname(path));
    await this.checkFiles([path], siblings, { files: 0, filesWithFindings: 0, findings: 0, cancelled: false, warnings: [] });
  }

  /** A covered file was deleted. */
  forget(path: string): void {
    if (this.covered.delete(path)) this.clear(path);
  }

  private clear(path: string): void {
    void this.connection.sendDiagnostics({ uri: URI.file(path).toString(), diagnostics: [] });
  }

  private async checkFiles(files: string[], siblings: string[], result: CheckWorkspaceResult): Promise<void> {
    if (files.length === 0) return;
    const report = await this.host.checkFiles(files, siblings);
    for (const { uri, diagnostics } of report.published) {
      // Opened meanwhile: the live analysis has it now.
      if (this.host.isOpen(URI.parse(uri).fsPath)) continue;
      void this.connection.sendDiagnostics({ uri, diagnostics });
      result.files++;
      if (diagnostics.length > 0) {
        result.filesWithFindings++;
        result.findings += diagnostics.length;
      }
    }
    for (const w of report.warnings) result.warnings.push(w);
    // Files that could not be read publish nothing; drop what an earlier check said about them.
    for (const f of report.skipped) this.clear(f);
  }
}
