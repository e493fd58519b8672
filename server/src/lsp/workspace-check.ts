// "Check the workspace": every package under the workspace folders analysed as `mapscope check
// ./...` reads them (the same patterns and build configuration), and diagnostics published for the
// files that are not open, so Problems lists them. Open files keep their live diagnostics. A file
// the check covered is checked again from disk when it is closed in the editor (its live
// diagnostics would otherwise vanish) or changes on disk, and cleared when it is deleted.
// Directory by directory, yielding between them so that a cancel request is seen.
import { dirname } from 'node:path';
import type { CancellationToken, Connection, Diagnostic, WorkDoneProgressReporter } from 'vscode-languageserver/node';
import { URI } from 'vscode-uri';
import type { CheckWorkspaceResult } from '../../../common/protocol';
import type { RuleSettings } from '../core/analyze';
import type { BuildConfig } from '../core/build/config';
import type { GoParser } from '../core/parse/parser';
import { filesUnder } from '../node/build-files';
import { analyzeDirectory } from '../node/check-package';
import { UsageError } from '../node/files';
import type { GoResolution } from '../node/go-env';
import { expandPatterns, folderPatterns, type Target } from '../node/patterns';
import { toDiagnostic } from './convert';

export interface CheckHost {
  isOpen(path: string): boolean;
  /** The toolchain and language version for a file's directory. */
  goFor(path: string): GoResolution;
  rules(): RuleSettings;
  /** The build configuration the workspace's packages are read under. */
  build(): BuildConfig;
}

export class WorkspaceCheck {
  /** Files the last check covered (open ones included): their diagnostics come from disk when not open. */
  private readonly covered = new Set<string>();

  constructor(
    private readonly connection: Connection,
    private readonly parser: GoParser,
    private readonly host: CheckHost,
  ) {}

  async run(folders: readonly string[], token: CancellationToken, progress: WorkDoneProgressReporter): Promise<CheckWorkspaceResult> {
    const result: CheckWorkspaceResult = { files: 0, filesWithFindings: 0, findings: 0, cancelled: false, warnings: [] };
    const byDir = new Map<string, Target>();
    for (const folder of folders) {
      try {
        const expansion = expandPatterns(folderPatterns(folder), folder, this.host.build());
        for (const t of expansion.targets) byDir.set(t.dir, t);
        result.warnings.push(...expansion.warnings);
      } catch (e) {
        if (!(e instanceof UsageError)) throw e;
        result.warnings.push(e.message);
      }
    }
    const before = new Set(this.covered);
    this.covered.clear();
    progress.begin('MapScope: checking the workspace', 0, `${byDir.size} packages`, true);
    let done = 0;
    try {
      for (const [dir, target] of byDir) {
        if (token.isCancellationRequested) {
          result.cancelled = true;
          break;
        }
        progress.report(Math.round((100 * done) / byDir.size), dir);
        for (const f of target.files) {
          this.covered.add(f);
          before.delete(f);
        }
        this.checkFiles(target.files.filter((f) => !this.host.isOpen(f)), target.siblings, result);
        done++;
        // Let the connection read a $/cancelRequest (and edits) between directories.
        await new Promise((r) => setImmediate(r));
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
  recheck(path: string): void {
    if (!this.covered.has(path) || this.host.isOpen(path)) return;
    this.checkFiles([path], filesUnder(dirname(path), this.host.build()).files, { files: 0, filesWithFindings: 0, findings: 0, cancelled: false, warnings: [] });
  }

  /** A covered file was deleted. */
  forget(path: string): void {
    if (this.covered.delete(path)) this.clear(path);
  }

  private clear(path: string): void {
    void this.connection.sendDiagnostics({ uri: URI.file(path).toString(), diagnostics: [] });
  }

  private checkFiles(files: string[], siblings: readonly string[], result: CheckWorkspaceResult): void {
    if (files.length === 0) return;
    const { toolchain: go, language } = this.host.goFor(files[0]);
    const report = analyzeDirectory(this.parser, { files, siblings }, { go, language, rules: this.host.rules() }, (unit, findings, units) => {
      const uri = URI.file(unit.path).toString();
      const other = (file: string) => units.find((u) => u.path === file)?.lines;
      const diagnostics: Diagnostic[] = findings.map((f) => toDiagnostic(f, uri, unit.lines, other));
      void this.connection.sendDiagnostics({ uri, diagnostics });
      result.files++;
      if (diagnostics.length > 0) {
        result.filesWithFindings++;
        result.findings += diagnostics.length;
      }
    });
    for (const w of report.warnings) result.warnings.push(`${w.file}${w.at ? `:${w.at.line}:${w.at.column}` : ''}: ${w.message}`);
    for (const e of report.errors) result.warnings.push(`${e.file}: internal error in ${e.rule}: ${e.message}`);
    // Files that could not be read publish nothing; drop what an earlier check said about them.
    for (const w of report.warnings) if (w.message.startsWith('skipped')) this.clear(w.file);
  }
}
