// The editor's view of the code: open documents (reparsed incrementally on every change) and,
// for each open document's package, the summaries of its sibling files read from disk and cached
// by modification time. Summaries hold no trees, so closed files cost no wasm memory, and the cache
// forgets a directory when its last open document closes.
// A document is named by a key: its path, or for a document that is not a file (an untitled
// buffer) its URI, which stands alone: no directory, no siblings.
import { statSync } from 'node:fs';
import { dirname } from 'node:path';
import type { RuleSettings } from '../core/analyze';
import { PackageIndex } from '../core/facts/package-index';
import { summarize, SummaryCache, type FileSummary } from '../core/facts/summary';
import type { Finding } from '../core/findings';
import type { GoVersion } from '../core/go-version';
import { analyzeIncrementally, type AnalysisMemo } from '../core/incremental';
import { GoDocument, type OffsetEdit, type TextChange } from '../core/parse/document';
import type { GoParser } from '../core/parse/parser';
import { tooLargeToParse } from '../core/parse/size';
import { mapSites, type MapSite, type SitesOptions } from '../core/sites';
import { packageFiles, readGoSource } from './files';

interface OpenDocument {
  doc: GoDocument;
  version: number;
  /** Not a file: its package is itself alone. */
  standalone: boolean;
  /** The summary of the current text, recomputed lazily after a change. */
  summary?: FileSummary;
  /** Its declarations' summaries, reused across versions for declarations an edit did not touch. */
  summaries: SummaryCache;
  /** The last analysis of this document, for the next one to start from. */
  memo?: AnalysisMemo;
}

export class Workspace {
  private readonly open = new Map<string, OpenDocument>();
  private readonly onDisk = new Map<string, { mtimeMs: number; checkedAt: number; summary: FileSummary | null }>();
  private readonly listings = new Map<string, { files: string[]; checkedAt: number }>();

  constructor(private readonly parser: GoParser) {}

  openDocument(path: string, text: string, version: number, standalone = false): void {
    this.closeDocument(path);
    this.open.set(path, { doc: GoDocument.parse(this.parser, path, text), version, standalone, summaries: new SummaryCache() });
  }

  /** LSP changes (positions), or edits as UTF-16 offsets (what the language server sends). */
  changeDocument(path: string, changes: readonly TextChange[] | { offsets: readonly OffsetEdit[] }, version: number): void {
    const entry = this.open.get(path);
    if (!entry) return;
    // Whatever happens to the reparse, this version's summary and findings are not the last ones.
    entry.version = version;
    entry.summary = undefined;
    if ('offsets' in changes) entry.doc.applyOffsetEdits(changes.offsets);
    else entry.doc.applyChanges(changes);
  }

  closeDocument(path: string): void {
    const entry = this.open.get(path);
    if (!entry) return;
    entry.doc.dispose();
    this.open.delete(path);
    if (entry.standalone) return;
    // The summaries of a directory with no open document left are not needed again soon.
    const dir = dirname(path);
    for (const [other, e] of this.open) if (!e.standalone && dirname(other) === dir) return;
    this.listings.delete(dir);
    for (const file of this.onDisk.keys()) if (dirname(file) === dir) this.onDisk.delete(file);
  }

  document(path: string): GoDocument | undefined {
    return this.open.get(path)?.doc;
  }

  version(path: string): number | undefined {
    return this.open.get(path)?.version;
  }

  get openPaths(): string[] {
    return [...this.open.keys()];
  }

  /** The package the document belongs to: its own summary and its directory's files with the same package clause. */
  packageOf(path: string): PackageIndex | undefined {
    const own = this.summaryOf(path);
    if (!own) return undefined;
    const summaries = [own];
    if (this.open.get(path)?.standalone) return new PackageIndex(summaries);
    for (const sibling of this.listing(dirname(path))) {
      if (sibling === path) continue;
      const s = this.summaryOf(sibling);
      if (s && s.packageName === own.packageName) summaries.push(s);
    }
    return new PackageIndex(summaries);
  }

  analyze(path: string, go: GoVersion, rules?: RuleSettings): Finding[] {
    const entry = this.open.get(path);
    const pkg = this.packageOf(path);
    if (!entry || !pkg) return [];
    const { doc } = entry;
    const r = analyzeIncrementally({ path, text: doc.text, tree: doc.tree, lines: doc.lines }, pkg, { go, rules }, entry.memo);
    entry.memo = r.memo;
    this.lastChecked = r.checked;
    return r.findings;
  }

  /** How many functions the last analysis checked ('all': the whole file), for the benchmark. */
  lastChecked: number | 'all' = 'all';

  /** The map sites of an open document's current text (the growth panel's list). */
  mapSites(path: string, options: SitesOptions): MapSite[] {
    const entry = this.open.get(path);
    const pkg = this.packageOf(path);
    if (!entry || !pkg) return [];
    const { doc } = entry;
    return mapSites({ path, text: doc.text, tree: doc.tree, lines: doc.lines }, pkg, options);
  }

  /** Forgets a file's cached summary (the client reported it changed on disk). */
  invalidate(path: string): void {
    this.onDisk.delete(path);
    this.listings.delete(dirname(path));
  }

  dispose(): void {
    for (const { doc } of this.open.values()) doc.dispose();
    this.open.clear();
  }

  /**
   * The directory's .go files. Clients that watch files tell us of changes (invalidate); for
   * those that do not, a listing or summary older than this is checked against the disk again.
   */
  private static readonly RECHECK_MS = 2000;

  private listing(dir: string): string[] {
    const now = Date.now();
    const cached = this.listings.get(dir);
    if (cached && now - cached.checkedAt < Workspace.RECHECK_MS) return cached.files;
    const files = packageFiles(dir);
    this.listings.set(dir, { files, checkedAt: now });
    return files;
  }

  private summaryOf(path: string): FileSummary | undefined {
    const entry = this.open.get(path);
    if (entry) {
      const { doc } = entry;
      entry.summary ??= summarize({ path, text: doc.text, tree: doc.tree, lines: doc.lines }, entry.summaries);
      return entry.summary;
    }
    const now = Date.now();
    const recent = this.onDisk.get(path);
    if (recent && now - recent.checkedAt < Workspace.RECHECK_MS) return recent.summary ?? undefined;
    let mtimeMs: number;
    try {
      mtimeMs = statSync(path).mtimeMs;
    } catch {
      return undefined;
    }
    if (recent && recent.mtimeMs === mtimeMs) {
      recent.checkedAt = now;
      return recent.summary ?? undefined;
    }
    const read = readGoSource(path);
    let summary: FileSummary | null = null;
    // A sibling too large to parse contributes nothing, as in the CLI.
    if (read.ok && !tooLargeToParse(read.text)) {
      const doc = GoDocument.parse(this.parser, path, read.text);
      try {
        summary = summarize({ path, text: doc.text, tree: doc.tree, lines: doc.lines });
      } finally {
        doc.dispose();
      }
    }
    this.onDisk.set(path, { mtimeMs, checkedAt: now, summary });
    return summary ?? undefined;
  }
}
