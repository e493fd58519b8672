// Import paths to packages, for the declaration index (core/index/imports.ts's ImportGraph): the
// directory import-resolver.ts finds, its files under the build configuration (tests and files
// the constraints exclude are not part of an imported package), each file summarised once, no
// analysis. Lazy and memoised: a package is read the first time an analysed file's index asks
// for it, and each package's own graph records what it asked for, so that
//   - the editor can drop exactly the packages that depend on a file that changed (invalidate);
//   - a cached report can name every package its analysis read, with the files' hashes (stamps).
// A package of the standard library resolves its imports in the standard library's own module
// (GOROOT/src, whose vendor/ holds golang.org/x/...); every other package in the context of the
// main module that reached it, as the go command builds all of them with one build list.
import { basename, dirname, join, relative, sep } from 'node:path';
import type { BuildConfig } from '../core/build/config';
import { packageClauseName } from '../core/build/header';
import type { ImportGraph } from '../core/index/imports';
import { PackageIndex } from '../core/index/package-index';
import { blankBodies } from '../core/index/blank-bodies';
import { headOnly } from '../core/index/types';
import { summarize, type FileSummary } from '../core/index/summary';
import type { GoParser } from '../core/parse/parser';
import { LineIndex } from '../core/parse/positions';
import { tooLargeToParse } from '../core/parse/size';
import { filesUnder } from './build-files';
import type { DiskCache } from './disk-cache';
import { hashList } from './disk-cache';
import { readGoSource, sha256 } from './files';
import { inGoroot, ModuleContexts, resolveImport, type GoPaths, type ModuleContext, type Resolved } from './import-resolver';
import type { StdlibSnapshot } from './stdlib-snapshot';

export interface LoaderOptions {
  /** The build configuration of the check; imported packages are read without their tests. */
  build: BuildConfig;
  paths: GoPaths;
  /** File summaries on disk, with the summary fingerprint they were made under. */
  cache?: { store: DiskCache; fingerprint: string };
  /** The standard library's API when there is no GOROOT. */
  snapshot?: () => StdlibSnapshot | undefined;
  /** The summary of an open document (the editor's current text), which wins over the file on disk. */
  overlay?: (path: string) => FileSummary | undefined;
  env?: NodeJS.ProcessEnv;
}

/** What a cached report depends on in one package: its files' hashes and where its imports went. */
export interface PackageStamp {
  /** The directory, or `snapshot:PATH` for a package of the bundled snapshot. */
  dir: string;
  /**
   * One hash of its files' paths and hashes (filesDigest): a report reaches the whole standard
   * library below it, and the files one by one made report entries a hundred times larger.
   */
  files: string;
  imports: [importPath: string, dir: string | null][];
}

/** The digest a stamp keeps of a package's files, in the order the loader lists them. */
function filesDigest(files: readonly (readonly [string, string])[]): string {
  return hashList(files.flat());
}

interface Loaded {
  key: string;
  dir: string;
  importPath: string;
  /** Its declarations, read on first use (fill): most imports are asked only for their name. */
  index: PackageIndex | undefined;
  filled: boolean;
  /** The name its files' package clauses give it, read off their first lines (named). */
  name?: string | null;
  /** Its files with the sha256 of their bytes, once it is filled or named. */
  files: [string, string][];
  /** Import path → the loaded package's key, or null when it resolves to nothing. */
  imports: Map<string, string | null>;
  /** Keys of the packages that asked for this one. */
  dependents: Set<string>;
  /** The module context its own imports resolve in. */
  ctx?: ModuleContext;
}

/** An analysed package's graph: resolves in its module's context and records what it asked for. */
export interface RecordingGraph extends ImportGraph {
  readonly asked: Map<string, string | null>;
}

export class PackageLoader {
  private readonly contexts = new Map<string, ModuleContext | undefined>();
  /** Module contexts by directory, for standard-library code and for the rest (contextOf). */
  private moduleContexts: { goroot: ModuleContexts; module: ModuleContexts };

  private readonly loaded = new Map<string, Loaded>();
  /** Summaries by path and content hash: a file read as a sibling and as an import is summarised once. */
  private readonly summaries = new Map<string, { sha: string; summary: FileSummary | null }>();
  private readonly build: BuildConfig;
  private readonly env: NodeJS.ProcessEnv;

  constructor(
    private readonly parser: GoParser,
    private readonly opts: LoaderOptions,
  ) {
    this.build = { ...opts.build, tests: false };
    this.env = opts.env ?? process.env;
    this.moduleContexts = this.newModuleContexts();
  }

  private newModuleContexts(): { goroot: ModuleContexts; module: ModuleContexts } {
    return { goroot: new ModuleContexts({ ...this.env, GOWORK: 'off' }), module: new ModuleContexts(this.env) };
  }

  get paths(): GoPaths {
    return this.opts.paths;
  }

  /** The module context of code in `dir` (standard library code: GOROOT/src's own modules). */
  contextOf(dir: string): ModuleContext | undefined {
    const key = dirname(join(dir, 'x'));
    if (this.contexts.has(key)) return this.contexts.get(key);
    const ctx = inGoroot(dir, this.opts.paths) ? this.moduleContexts.goroot.of(dir) : this.moduleContexts.module.of(dir);
    this.contexts.set(key, ctx);
    return ctx;
  }

  /** The import path of the package in `dir`, as code in `ctx` would import it, when known. */
  importPathOf(dir: string, ctx = this.contextOf(dir)): string | undefined {
    const { goroot } = this.opts.paths;
    if (goroot && inGoroot(dir, this.opts.paths)) {
      const rel = relative(join(goroot, 'src'), dir).split(sep).join('/');
      const vendored = /^(?:cmd\/)?vendor\/(.*)$/.exec(rel);
      return vendored ? vendored[1] : rel;
    }
    for (const m of ctx?.mains ?? []) {
      const rel = relative(m.dir, dir);
      if (m.path !== '' && !rel.startsWith('..') && !rel.startsWith(sep)) return rel === '' ? m.path : `${m.path}/${rel.split(sep).join('/')}`;
    }
    return undefined;
  }

  /** The graph of an analysed package in `dir`: a fresh recorder over the shared, memoised packages. */
  graphFor(dir: string): RecordingGraph {
    const ctx = this.contextOf(dir);
    const asked = new Map<string, string | null>();
    return {
      asked,
      ...this.graphThrough((importPath) => {
        const hit = this.resolve(importPath, ctx);
        asked.set(importPath, hit?.key ?? null);
        return hit;
      }),
    };
  }

  /** A graph whose packages `reach` finds (recording the question as its caller needs): declarations on first use, names from package clauses. */
  private graphThrough(reach: (importPath: string) => Loaded | undefined): ImportGraph {
    return {
      package: (importPath: string) => {
        const hit = reach(importPath);
        return hit && this.indexOf(hit);
      },
      nameOf: (importPath: string) => {
        const hit = reach(importPath);
        return hit && this.nameOf(hit);
      },
    };
  }

  /** A loaded package's declarations, summarised now if they were not yet. */
  private indexOf(p: Loaded): PackageIndex | undefined {
    if (!p.filled) this.fill(p);
    return p.index;
  }

  /**
   * A loaded package's name as fill would find it (the most common package clause among its files
   * built without tests), from the clauses alone: no parse. Its files' hashes are recorded on the
   * way, for stamps (a cached report that read the name depends on them).
   */
  private nameOf(p: Loaded): string | undefined {
    if (p.filled) return p.index?.name;
    if (p.name === undefined) {
      const files = this.readFiles(p.dir);
      p.files = files.map((f) => [f.file, f.sha]);
      p.name = packageName(files.map((f) => f.open?.packageName ?? (f.text !== undefined && !tooLargeToParse(f.text) ? packageClauseName(f.text) : ''))) ?? null;
    }
    return p.name ?? undefined;
  }

  /**
   * The files of a directory the build includes (tests aside), listed once: deciding reads every
   * file's head, and a warm check asks about the standard library's busiest directories once per
   * cached report that read them (invalidate forgets).
   */
  private filesOf(dir: string): readonly string[] {
    let files = this.listings.get(dir);
    if (!files) this.listings.set(dir, (files = filesUnder(dir, this.build).files));
    return files;
  }

  private readonly listings = new Map<string, readonly string[]>();

  /**
   * A directory's build files with their tests, as the caller listed them under this loader's
   * build configuration (a package pattern of `mapscope check`): filesOf need not list it again.
   */
  listed(dir: string, withTests: readonly string[]): void {
    if (!this.listings.has(dir)) this.listings.set(dir, withTests.filter((f) => !f.endsWith('_test.go')));
  }

  /** Where an import path goes in a context, asked of the file system once (invalidate forgets). */
  private readonly resolutions = new Map<string, Resolved | null>();

  private where(importPath: string, ctx: ModuleContext | undefined): Resolved | undefined {
    const key = `${ctx?.id ?? ''}\0${importPath}`;
    let r = this.resolutions.get(key);
    if (r === undefined) this.resolutions.set(key, (r = resolveImport(importPath, ctx, this.opts.paths) ?? null));
    return r ?? undefined;
  }

  /**
   * resolve's answers by context and import path. The rules ask the graph for the same few paths
   * thousands of times per analysis (every map field's type), and working out the directory's
   * context again each time cost a keystroke in net/http tens of milliseconds. Cleared whenever
   * `resolutions` or `loaded` lose an entry.
   */
  private readonly answers = new Map<string, Loaded | null>();

  /** The package `importPath` names for code in context `ctx`, loaded once. */
  private resolve(importPath: string, ctx: ModuleContext | undefined): Loaded | undefined {
    const key = `${ctx?.id ?? ''}\0${importPath}`;
    let a = this.answers.get(key);
    if (a === undefined) this.answers.set(key, (a = this.load(importPath, ctx) ?? null));
    return a ?? undefined;
  }

  private load(importPath: string, ctx: ModuleContext | undefined): Loaded | undefined {
    const r = this.where(importPath, ctx);
    if (!r) return undefined;
    if (r.kind === 'snapshot') return this.fromSnapshot(r.importPath);
    const dir = r.dir;
    const depCtx = inGoroot(dir, this.opts.paths) ? this.contextOf(dir) : ctx;
    const key = `${depCtx?.id ?? ''}\0${dir}`;
    let p = this.loaded.get(key);
    if (!p) {
      p = { key, dir, importPath, index: undefined, filled: false, files: [], imports: new Map(), dependents: new Set(), ctx: depCtx };
      this.loaded.set(key, p);
    }
    return p;
  }

  private fill(p: Loaded): void {
    p.filled = true;
    p.files = [];
    const ctx = p.ctx;
    const summaries: FileSummary[] = [];
    for (const s of this.summariesOf(p.dir)) {
      p.files.push([s.file, s.sha]);
      if (s.summary) summaries.push(s.summary);
    }
    const name = packageName(summaries.map((s) => s.packageName));
    const own = summaries.filter((s) => s.packageName === name);
    if (own.length === 0) return;
    const deps = p.imports;
    const graph = this.graphThrough((importPath) => {
      const hit = this.resolve(importPath, ctx);
      deps.set(importPath, hit?.key ?? null);
      hit?.dependents.add(p.key);
      return hit;
    });
    p.index = new PackageIndex(own, { importPath: p.importPath, graph });
  }

  private fromSnapshot(importPath: string): Loaded | undefined {
    const key = `snapshot:${importPath}`;
    let p = this.loaded.get(key);
    if (p) return p;
    const snap = this.opts.snapshot?.();
    const summaries = snap?.package(importPath);
    if (!snap || !summaries) return undefined;
    p = { key, dir: key, importPath, index: undefined, filled: true, files: [], imports: new Map(), dependents: new Set() };
    this.loaded.set(key, p);
    const self = p;
    const graph: ImportGraph = {
      package: (path: string) => {
        // Without GOROOT, the standard library's imports are its own packages or its vendored ones.
        const hit = this.fromSnapshot(path) ?? this.fromSnapshot(`vendor/${path}`);
        self.imports.set(path, hit?.key ?? null);
        hit?.dependents.add(self.key);
        return hit?.index;
      },
    };
    p.index = new PackageIndex(summaries, { importPath, graph });
    return p;
  }

  /**
   * A directory's build files as they are now, each with the hash of its bytes ('unreadable' when
   * it is not UTF-8 Go text) and its text, or with the open document's summary; a file that cannot
   * be read at all is left out, as the go command would not see it.
   */
  private readFiles(dir: string): { file: string; sha: string; open?: FileSummary; text?: string }[] {
    const out: { file: string; sha: string; open?: FileSummary; text?: string }[] = [];
    for (const file of this.filesOf(dir)) {
      const open = this.opts.overlay?.(file);
      if (open) {
        out.push({ file, sha: `open:${file}`, open });
        continue;
      }
      const r = readGoSource(file);
      if (!r.ok) {
        if (!r.reason.startsWith('cannot read')) out.push({ file, sha: 'unreadable' });
        continue;
      }
      const sha = sha256(r.bytes);
      this.shas.set(file, sha);
      out.push({ file, sha, text: r.text });
    }
    return out;
  }

  /**
   * The summaries of a directory's build files (null: a file cannot be read or parsed) with the
   * hashes of their bytes: from the open document when there is one, else memoised by content,
   * else from the disk cache's entry for the whole package (one entry per package: an entry per
   * file cost a cold check more time writing files than parsing imports), else parsed.
   */
  private summariesOf(dir: string): { file: string; sha: string; summary: FileSummary | null }[] {
    let missing = false;
    const out: { file: string; sha: string; summary: FileSummary | null; text?: string }[] = this.readFiles(dir).map(({ file, sha, open, text }) => {
      if (open) return { file, sha, summary: open };
      if (text === undefined) return { file, sha, summary: null };
      const memo = this.summaries.get(file);
      if (memo && memo.sha === sha) return { file, sha, summary: memo.summary };
      missing = true;
      return { file, sha, summary: null, text };
    });
    if (!missing) return out;
    const key = this.packKey(dir, out);
    const packed = key === undefined ? undefined : asPack(this.opts.cache!.store.get(key), out);
    for (let i = 0; i < out.length; i++) {
      const x = out[i];
      if (x.text === undefined) continue;
      if (packed) x.summary = packed[i];
      else if (!tooLargeToParse(x.text)) x.summary = this.declarations(x.file, x.text);
      // A package entry may have been written from either: neither serves as a sibling's summary.
      this.declarationsOnly.add(x.file);
      delete x.text;
      this.summaries.set(x.file, { sha: x.sha, summary: x.summary });
    }
    if (key !== undefined && !packed) this.opts.cache!.store.set(key, out.map((x) => x.summary));
    return out;
  }

  /**
   * The summary of a file read as an import (asImported): of its text with the function bodies
   * blanked (blank-bodies.ts), which parses in a fraction of the time, unless that does not parse cleanly.
   */
  private declarations(path: string, text: string): FileSummary {
    const blanked = blankBodies(text);
    if (blanked !== undefined) {
      const tree = this.parser.parse(blanked);
      try {
        // `//go:linkname` counts wherever it is written, bodies included, as summarize reads it.
        if (!tree.rootNode.hasError) return asImported({ ...summarize({ path, text: blanked, tree, lines: new LineIndex(blanked) }), linkname: text.includes('//go:linkname') });
      } finally {
        tree.delete();
      }
    }
    const tree = this.parser.parse(text);
    try {
      return asImported(summarize({ path, text, tree, lines: new LineIndex(text) }));
    } finally {
      tree.delete();
    }
  }

  /** Files whose memoised summary is of declarations only (no names assigned in bodies): no sibling's summary. */
  private readonly declarationsOnly = new Set<string>();

  /** The disk cache key of a package's summaries: its directory and its files' hashes; none for an open document's text. */
  private packKey(dir: string, files: readonly { file: string; sha: string }[]): string | undefined {
    const cache = this.opts.cache;
    if (!cache || files.some((f) => f.sha.startsWith('open:'))) return undefined;
    return hashList([cache.fingerprint, 'package', dir, ...files.flatMap((f) => [f.file, f.sha])]);
  }

  /** Remembers the summary of a file the caller parsed anyway (a package being analysed). */
  remember(path: string, sha: string, summary: FileSummary): void {
    this.summaries.set(path, { sha, summary });
    this.declarationsOnly.delete(path);
  }

  /**
   * After a package was analysed: its summaries as another package would read them (its build
   * files, tests aside) go to the disk cache in one entry, when every one was remembered.
   */
  storePackage(dir: string): void {
    const cache = this.opts.cache;
    if (!cache) return;
    const files: { file: string; sha: string; summary: FileSummary | null }[] = [];
    for (const file of this.filesOf(dir)) {
      const memo = this.summaries.get(file);
      if (!memo || this.declarationsOnly.has(file)) return;
      files.push({ file, sha: memo.sha, summary: memo.summary });
    }
    // A command is never imported.
    if (files.length === 0 || files.every((f) => f.summary?.packageName === 'main')) return;
    const key = this.packKey(dir, files);
    if (key !== undefined) cache.store.set(key, files.map((f) => f.summary && asImported(f.summary)));
  }

  /** The summary of a file with these bytes, if this loader has it. */
  cachedSummary(path: string, sha: string): FileSummary | undefined {
    const memo = this.summaries.get(path);
    return memo && memo.sha === sha && memo.summary && !this.declarationsOnly.has(path) ? memo.summary : undefined;
  }

  /**
   * Every package reachable from what `graph` asked, with its files' hashes and its imports'
   * directories: what an analysis through this graph may have read.
   */
  stamps(graph: RecordingGraph): PackageStamp[] {
    const out: PackageStamp[] = [];
    const seen = new Set<string>();
    const queue: string[] = [];
    for (const k of graph.asked.values()) if (k !== null) queue.push(k);
    while (queue.length > 0) {
      const k = queue.pop()!;
      if (seen.has(k)) continue;
      seen.add(k);
      const p = this.loaded.get(k);
      if (!p) continue;
      const imports: [string, string | null][] = [];
      for (const [path, dep] of p.imports) {
        imports.push([path, dep === null ? null : this.loaded.get(dep)?.dir ?? null]);
        if (dep !== null) queue.push(dep);
      }
      out.push({ dir: p.dir, files: filesDigest(p.files), imports });
    }
    return out;
  }

  /** The top-level imports of an analysed package, as stamps name them. */
  stampOfAsked(graph: RecordingGraph): [string, string | null][] {
    const out: [string, string | null][] = [];
    for (const [path, k] of graph.asked) out.push([path, k === null ? null : this.loaded.get(k)?.dir ?? null]);
    return out;
  }

  /**
   * Whether a stamp still holds: the same files with the same bytes, and each import still
   * resolving to the same directory. Each directory is checked once per loader.
   */
  stampHolds(stamp: PackageStamp, analysedDir: string): boolean {
    if (stamp.dir.startsWith('snapshot:')) return this.fromSnapshot(stamp.dir.slice('snapshot:'.length)) !== undefined;
    if (typeof stamp.files !== 'string' || this.digestOf(stamp.dir) !== stamp.files) return false;
    return this.importsHold(stamp.imports, inGoroot(stamp.dir, this.opts.paths) ? stamp.dir : analysedDir);
  }

  /** The digest of a directory's files as they are now (a file that cannot be read at all is none of them, as for fill), once per loader (invalidate forgets). */
  private digestOf(dir: string): string {
    let digest = this.digests.get(dir);
    if (digest === undefined) {
      const now: [string, string][] = [];
      for (const f of this.filesOf(dir)) {
        const sha = this.shaOf(f);
        if (sha !== undefined) now.push([f, sha]);
      }
      this.digests.set(dir, (digest = filesDigest(now)));
    }
    return digest;
  }

  private readonly digests = new Map<string, string>();

  /** Whether each import path still resolves, for code in `fromDir`'s context, to the directory recorded. */
  importsHold(imports: readonly [string, string | null][], fromDir: string): boolean {
    const ctx = this.contextOf(fromDir);
    for (const [path, dir] of imports) {
      const r = this.where(path, ctx);
      const now = !r ? null : r.kind === 'snapshot' ? `snapshot:${r.importPath}` : r.dir;
      if (now !== dir) return false;
    }
    return true;
  }

  private readonly shas = new Map<string, string | undefined>();

  /** The sha256 of a file's bytes ('unreadable' when it is not UTF-8 Go text), once per loader; undefined when it cannot be read. */
  fileSha(file: string): string | undefined {
    return this.shaOf(file);
  }

  private shaOf(file: string): string | undefined {
    if (this.shas.has(file)) return this.shas.get(file);
    const memo = this.summaries.get(file);
    let sha: string | undefined = memo?.sha;
    if (sha === undefined) {
      const r = readGoSource(file);
      sha = r.ok ? sha256(r.bytes) : r.reason.startsWith('cannot read') ? undefined : 'unreadable';
    }
    this.shas.set(file, sha);
    return sha;
  }

  /**
   * A file changed (on disk, or an open document was edited): forget its summary and every loaded
   * package that depends on its directory. Returns the keys of the packages forgotten (what
   * RecordingGraph.asked holds). `edited`: only the text of an existing file changed (a keystroke
   * in an open document), which moves no import to another directory, so where imports go is kept.
   */
  invalidate(path: string, edited = false): Set<string> {
    this.summaries.delete(path);
    this.declarationsOnly.delete(path);
    this.shas.delete(path);
    this.listings.delete(dirname(path));
    this.digests.delete(dirname(path));
    // A directory that appeared or went away moves imports: resolve them again.
    if (!edited) {
      this.resolutions.clear();
      this.answers.clear();
    }
    const dir = dirname(path);
    const gone = new Set<string>();
    const queue = [...this.loaded.values()].filter((p) => p.dir === dir).map((p) => p.key);
    while (queue.length > 0) {
      const k = queue.pop()!;
      const p = this.loaded.get(k);
      if (!p) continue;
      this.loaded.delete(k);
      gone.add(p.key);
      for (const d of p.dependents) queue.push(d);
    }
    // go.mod, go.work or vendor/modules.txt: where imports go may have changed.
    if (/^(go\.mod|go\.work|modules\.txt)$/.test(basename(path))) {
      this.contexts.clear();
      this.moduleContexts = this.newModuleContexts();
      for (const p of this.loaded.values()) gone.add(p.key);
      this.loaded.clear();
    }
    if (edited && gone.size > 0) for (const [k, a] of this.answers) if (a && gone.has(a.key)) this.answers.delete(k);
    return gone;
  }
}

/**
 * The package a directory's files make, by their package clauses: go/build refuses two, and here
 * the usual one wins (a stray `package main` generator under //go:build ignore is excluded already);
 * external test packages and files without a clause do not count.
 */
function packageName(names: readonly string[]): string | undefined {
  return majority(names.filter((n) => n !== '' && !n.endsWith('_test')));
}

function majority(names: string[]): string | undefined {
  const counts = new Map<string, number>();
  for (const n of names) counts.set(n, (counts.get(n) ?? 0) + 1);
  let best: string | undefined;
  for (const [n, c] of counts) if (best === undefined || c > counts.get(best)!) best = n;
  return best;
}

/**
 * A summary as a package importing it reads it: without the summaries of its declarations one by
 * one, which only the editor's own file reads (incremental.ts) and which took most of an entry's
 * bytes, and with its functions' heads only (headOnly: a value-receiver method's body survives
 * blanking, the others do not, so an entry reads the same whichever thread wrote it). An entry is
 * never anyone's own file: the loader serves it only as an import.
 */
function asImported(s: FileSummary): FileSummary {
  const methods = new Map([...s.methods].map(([t, ms]) => [t, ms.map(headOnly)]));
  return { ...s, funcs: s.funcs.map(headOnly), methods, parts: [] };
}

/** A stored package entry whose summaries are of these files, in order; anything else (damaged, another shape) is none. */
function asPack(v: unknown, files: readonly { file: string }[]): (FileSummary | null)[] | undefined {
  if (!Array.isArray(v) || v.length !== files.length) return undefined;
  const out: (FileSummary | null)[] = [];
  for (let i = 0; i < v.length; i++) {
    if (v[i] === null) out.push(null);
    else {
      const s = asSummary(v[i], files[i].file);
      if (!s) return undefined;
      out.push(s);
    }
  }
  return out;
}

/** A stored value that is a summary of this file; anything else (damaged, another shape) is none. */
function asSummary(v: unknown, path: string): FileSummary | undefined {
  if (v === null || typeof v !== 'object') return undefined;
  const s = v as Partial<FileSummary>;
  if (s.path !== path || typeof s.packageName !== 'string' || !Array.isArray(s.types) || !(s.methods instanceof Map) || !(s.assignedNames instanceof Set) || !Array.isArray(s.parts)) return undefined;
  return s as FileSummary;
}
