// The editor's view of the code: open documents (reparsed incrementally on every change) and,
// for each open document's package, the summaries of its sibling files read from disk and cached
// by modification time. Summaries hold no trees, so closed files cost no wasm memory, and the cache
// forgets a directory when its last open document closes.
// A document is named by a key: its path, or for a document that is not a file (an untitled
// buffer) its URI, which stands alone: no directory, no siblings.
// The package of an open file is built under a configuration that includes the file (issue 17):
// the workspace's own when it does, else the nearest one that does, so a `_windows.go` file
// opened on Linux is checked against its Windows siblings, not its Linux ones.
import { statSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { RuleError, RuleSettings } from '../core/analyze';
import { configIncluding, exclusion, fileConstraints, type BuildConfig, type FileConstraints } from '../core/build/config';
import { PackageIndex } from '../core/index/package-index';
import { summarize, type FileSummary } from '../core/index/summary';
import { SummaryCache } from '../core/index/summary-cache';
import type { Finding } from '../core/findings';
import type { GoVersion } from '../core/go-version';
import { Carry } from '../core/analysis/carry';
import { analyzeIncrementally, type AnalysisMemo } from '../core/incremental';
import { GoDocument, type OffsetEdit, type TextChange } from '../core/parse/document';
import type { GoParser } from '../core/parse/parser';
import { tooLargeToParse } from '../core/parse/size';
import { mapSites, type MapSite, type SitesOptions } from '../core/sites';
import { makeEnvironment, type ImportsConfig } from './check-imports';
import type { CheckImports } from './check-package';
import { packageFiles, readGoSource } from './files';
import type { PackageLoader, RecordingGraph } from './package-loader';

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
  /** Its package's index as of the last analysis: the next one keeps what still holds of it. */
  index?: PackageIndex;
  /** Facts of its functions kept across versions (core/analysis/carry.ts). */
  carry: Carry;
}

export class Workspace {
  private readonly open = new Map<string, OpenDocument>();
  /** Imported packages, with open documents' current text winning over the disk. */
  private readonly loader?: PackageLoader;
  /** Per directory of an open document: its package's import graph, which records what it read. */
  private readonly graphs = new Map<string, RecordingGraph>();
  private readonly onDisk = new Map<string, { mtimeMs: number; checkedAt: number; summary: FileSummary | null; constraints: FileConstraints | null }>();
  private readonly listings = new Map<string, { files: string[]; checkedAt: number }>();
  /** Whether a configuration leaves out a file, by the two objects (see excludes). */
  private readonly exclusions = new WeakMap<BuildConfig, WeakMap<FileConstraints, boolean>>();

  /** `build`: the configuration a file is analysed under when it includes the file (GOOS, GOARCH, tags). */
  /** `imports`: where imported packages are found (without it a package knows only itself). */
  constructor(
    private readonly parser: GoParser,
    readonly build: BuildConfig,
    imports?: ImportsConfig,
  ) {
    if (imports) {
      this.loader = makeEnvironment(parser, imports, {
        overlay: (path) => (this.open.has(path) && !this.open.get(path)!.standalone ? this.summaryOf(path) : undefined),
      }).loader;
    }
  }

  /** `standalone`: the document is no file on disk (an untitled buffer), so no sibling is read for it. */
  openDocument(path: string, text: string, version: number, standalone = false): void {
    this.closeDocument(path);
    this.open.set(path, { doc: GoDocument.parse(this.parser, path, text), version, standalone, summaries: new SummaryCache(), carry: new Carry() });
  }

  /**
   * LSP changes (positions), or edits as UTF-16 offsets (what the language server sends). Returns
   * the other open documents whose imports read this file's package: their findings may change.
   */
  changeDocument(path: string, changes: readonly TextChange[] | { offsets: readonly OffsetEdit[] }, version: number): string[] {
    const entry = this.open.get(path);
    if (!entry) return [];
    // Whatever happens to the reparse, this version's summary and findings are not the last ones.
    entry.version = version;
    entry.summary = undefined;
    if ('offsets' in changes) entry.doc.applyOffsetEdits(changes.offsets);
    else entry.doc.applyChanges(changes);
    return entry.standalone ? [] : this.dependentsChanged(path, true);
  }

  /**
   * A file of some package changed: the loader forgets the packages that depend on it, and the
   * open documents (of other directories) whose imports reached one of them start their next
   * analysis afresh. Returns those documents.
   */
  private dependentsChanged(path: string, edited = false): string[] {
    if (!this.loader) return [];
    const gone = this.loader.invalidate(path, edited);
    if (gone.size === 0) return [];
    const affected: string[] = [];
    for (const [dir, graph] of this.graphs) {
      if (dir === dirname(path) || ![...graph.asked.values()].some((k) => k !== null && gone.has(k))) continue;
      this.graphs.delete(dir);
      for (const [key, e] of this.open) {
        if (e.standalone || dirname(key) !== dir) continue;
        e.memo = undefined;
        affected.push(key);
      }
    }
    return affected;
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
    this.graphs.delete(dir);
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

  /**
   * The package the document belongs to: its own summary and the files of its directory with the
   * same package clause that are built with it.
   */
  packageOf(path: string): PackageIndex | undefined {
    const own = this.summaryOf(path);
    if (!own) return undefined;
    const ownConstraints = this.constraintsOf(path);
    const config = ownConstraints ? configIncluding(this.build, ownConstraints) : this.build;
    const summaries = [own];
    if (this.open.get(path)?.standalone) return new PackageIndex(summaries);
    const dir = dirname(path);
    for (const sibling of this.listing(dirname(path))) {
      if (sibling === path) continue;
      const c = this.constraintsOf(sibling);
      if (c && this.excludes(config, c)) continue;
      const s = this.summaryOf(sibling);
      if (s && s.packageName === own.packageName) summaries.push(s);
    }
    if (!this.loader) return new PackageIndex(summaries);
    let graph = this.graphs.get(dir);
    if (!graph) this.graphs.set(dir, (graph = this.loader.graphFor(dir)));
    const external = own.packageName.endsWith('_test');
    const entry = this.open.get(path);
    const pkg = new PackageIndex(summaries, { ...(external ? {} : { importPath: this.loader.importPathOf(dir) }), graph }, entry?.index);
    if (entry) entry.index = pkg;
    return pkg;
  }

  /**
   * Whether the configuration leaves the file out. Asked of every file of the package on each
   * keystroke, of the same objects (the base configuration, a sibling's constraints read from disk
   * once): the answer is kept with them.
   */
  private excludes(config: BuildConfig, c: FileConstraints): boolean {
    let known = this.exclusions.get(config);
    if (!known) this.exclusions.set(config, (known = new WeakMap()));
    let out = known.get(c);
    if (out === undefined) known.set(c, (out = exclusion(config, c) !== undefined));
    return out;
  }

  /**
   * Findings for an open document; `go` is the toolchain, `language` go.mod's `go` line. A rule
   * that throws goes to `errors` and the other rules' findings stand.
   */
  analyze(path: string, versions: { go: GoVersion; language: GoVersion }, rules?: RuleSettings, errors?: RuleError[]): Finding[] {
    const entry = this.open.get(path);
    const pkg = this.packageOf(path);
    if (!entry || !pkg) return [];
    const { doc } = entry;
    const r = analyzeIncrementally({ path, text: doc.text, tree: doc.tree, lines: doc.lines }, pkg, { ...versions, rules, ...(errors ? { errors } : {}), carry: entry.carry }, entry.memo);
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

  /** How a package in `dir` read from disk (the workspace check) reaches its imports: the open documents' loader. */
  importsFor(dir: string): CheckImports | undefined {
    return this.loader ? { loader: this.loader, graph: this.loader.graphFor(dir) } : undefined;
  }

  /** Forgets a file's cached summary (the client reported it changed on disk) and what depended on it. */
  invalidate(path: string): string[] {
    this.onDisk.delete(path);
    this.listings.delete(dirname(path));
    return this.dependentsChanged(path);
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
    return this.fromDisk(path)?.summary ?? undefined;
  }

  /** What decides whether the file is built: from the open document's current text, else from disk. */
  private constraintsOf(path: string): FileConstraints | undefined {
    const entry = this.open.get(path);
    if (entry) return fileConstraints(basename(path), entry.doc.text);
    return this.fromDisk(path)?.constraints ?? undefined;
  }

  private fromDisk(path: string): { summary: FileSummary | null; constraints: FileConstraints | null } | undefined {
    const now = Date.now();
    const recent = this.onDisk.get(path);
    if (recent && now - recent.checkedAt < Workspace.RECHECK_MS) return recent;
    let mtimeMs: number;
    try {
      mtimeMs = statSync(path).mtimeMs;
    } catch {
      return undefined;
    }
    if (recent && recent.mtimeMs === mtimeMs) {
      recent.checkedAt = now;
      return recent;
    }
    const read = readGoSource(path);
    let summary: FileSummary | null = null;
    let constraints: FileConstraints | null = null;
    // A sibling too large to parse contributes nothing, as in the CLI.
    if (read.ok && !tooLargeToParse(read.text)) {
      constraints = fileConstraints(basename(path), read.text);
      const doc = GoDocument.parse(this.parser, path, read.text);
      try {
        summary = summarize({ path, text: doc.text, tree: doc.tree, lines: doc.lines });
      } finally {
        doc.dispose();
      }
    }
    const fresh = { mtimeMs, checkedAt: now, summary, constraints };
    this.onDisk.set(path, fresh);
    return fresh;
  }
}
