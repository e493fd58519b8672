// Import paths to packages (node/import-resolver.ts, node/package-loader.ts): the same module,
// go.work, a `replace` by a local directory, vendor/, a module cache (a temporary one, with the
// module path case-encoded and a decoy version), the standard library from GOROOT (with its
// vendored golang.org/x packages) and from the bundled snapshot; build constraints and tests
// leave files out; what cannot be found is undefined; nothing is read before it is asked for.
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BuildConfig } from '../server/src/core/build/config';
import type { PackageIndex } from '../server/src/core/index/package-index';
import type { GoParser } from '../server/src/core/parse/parser';
import { escapeModulePath, parseGoMod, resolveImport, moduleContextOf, ModuleContexts } from '../server/src/node/import-resolver';
import { DiskCache, hashList } from '../server/src/node/disk-cache';
import { PackageLoader } from '../server/src/node/package-loader';
import { readGoSource, sha256 } from '../server/src/node/files';
import { summarize } from '../server/src/core/index/summary';
import { LineIndex } from '../server/src/core/parse/positions';
import { loadSnapshot } from '../server/src/node/stdlib-snapshot';
import { builtFingerprints } from '../server/src/node/fingerprint';
import { loadParser, ROOT } from './helpers/core';
import { goroot, HAS_GO, REQUIRE_GO } from './helpers/go';

const MODULES = join(ROOT, 'test', 'modules');
const LINUX: BuildConfig = { goos: 'linux', goarch: 'amd64', cgo: true, compiler: 'gc', tags: ['amd64.v1', 'go1.21', 'go1.22'], tests: true };

let parser: GoParser;
let modcache: string;

const typeNames = (p: PackageIndex | undefined) => [...(p?.types.keys() ?? [])].sort();
/** What a stamp keeps of a package's files: one hash of each file's path and the sha256 of its bytes. */
const filesDigest = (...files: string[]) => hashList(files.flatMap((f) => [f, sha256(readFileSync(f))]));

beforeAll(async () => {
  parser = await loadParser();
  modcache = mkdtempSync(join(tmpdir(), 'mapscope-modcache-'));
  // example.com/Dep at the required version, and an older one that must not be read.
  const dep = join(modcache, 'example.com', '!dep@v1.2.3', 'sub');
  mkdirSync(dep, { recursive: true });
  writeFileSync(join(dep, 'sub.go'), 'package sub\n\n// Counts is from v1.2.3.\ntype Counts map[string]int\n');
  const old = join(modcache, 'example.com', '!dep@v1.0.0', 'sub');
  mkdirSync(old, { recursive: true });
  writeFileSync(join(old, 'sub.go'), 'package sub\n\ntype CountsOld map[string]int\n');
});

afterAll(() => rmSync(modcache, { recursive: true, force: true }));

const loaderWith = (paths: { goroot?: string; gomodcache?: string }, extra = {}) => new PackageLoader(parser, { build: LINUX, paths, env: { GOWORK: '' }, ...extra });

describe('go.mod', () => {
  it('reads module, require (block and line, quoted) and replace directives', () => {
    const mod = parseGoMod('module "example.com/m"\nrequire x.org/a v1.0.0\nrequire (\n\ty.org/b v0.2.0 // indirect\n)\nreplace x.org/a v1.0.0 => ../a\nreplace (\n\ty.org/b => z.org/b v0.3.0\n)\n');
    expect(mod).toEqual({
      module: 'example.com/m',
      requires: [{ path: 'x.org/a', version: 'v1.0.0' }, { path: 'y.org/b', version: 'v0.2.0' }],
      replaces: [{ old: 'x.org/a', oldVersion: 'v1.0.0', new: '../a' }, { old: 'y.org/b', new: 'z.org/b', newVersion: 'v0.3.0' }],
    });
  });

  it('case-encodes module paths as the module cache does', () => {
    expect(escapeModulePath('github.com/Azure/azure-sdk-for-go')).toBe('github.com/!azure/azure-sdk-for-go');
  });
});

describe('packages of the same module, replace, the module cache', () => {
  it('finds a package of the same module, without the files its build constraints or tests leave out', () => {
    const loader = loaderWith({ gomodcache: modcache });
    const cfg = loader.graphFor(join(MODULES, 'app', 'cmd', 'tool')).package('example.com/app/config');
    expect(typeNames(cfg)).toEqual(['Options']);
    expect(cfg?.importPath).toBe('example.com/app/config');
    expect(cfg?.types.get('Options')?.fields.map((f) => f.name)).toEqual(['Labels', 'Extra']);
  });

  it('takes the build configuration: under windows the _windows.go file is part of the package', () => {
    const loader = new PackageLoader(parser, { build: { ...LINUX, goos: 'windows' }, paths: {}, env: {} });
    expect(typeNames(loader.graphFor(join(MODULES, 'app', 'cmd', 'tool')).package('example.com/app/config'))).toEqual(['Options', 'WindowsOnly']);
  });

  it('follows a replace by a local directory, whatever the package is called', () => {
    const loader = loaderWith({ gomodcache: modcache });
    const loc = loader.graphFor(join(MODULES, 'app', 'cmd', 'tool')).package('example.com/local');
    expect(typeNames(loc)).toEqual(['L']);
    expect(loc?.summaries[0].packageName).toBe('loc');
  });

  it('reads a dependency at the version go.mod requires from the case-encoded module cache, through the importing package\'s graph', () => {
    const loader = loaderWith({ gomodcache: modcache });
    const cfg = loader.graphFor(join(MODULES, 'app', 'cmd', 'tool')).package('example.com/app/config');
    expect(typeNames(cfg?.graph?.package('example.com/Dep/sub'))).toEqual(['Counts']);
  });

  it('leaves unknown what is not there: a required module absent from the cache, a directory that does not exist, no module cache at all', () => {
    const tool = join(MODULES, 'app', 'cmd', 'tool');
    const loader = loaderWith({ gomodcache: modcache });
    expect(loader.graphFor(tool).package('example.com/missing')).toBeUndefined();
    expect(loader.graphFor(tool).package('example.com/app/nope')).toBeUndefined();
    expect(loader.graphFor(tool).package('unrequired.org/x')).toBeUndefined();
    expect(loaderWith({}).graphFor(tool).package('example.com/Dep/sub')).toBeUndefined();
  });

  it('resolves an import under the main module path to a required module nested deeper, as Go does (containerd and containerd/api)', () => {
    const main = mkdtempSync(join(tmpdir(), 'mapscope-main-'));
    const nested = join(modcache, 'example.com', 'app', 'api@v1.8.0', 'services');
    mkdirSync(nested, { recursive: true });
    mkdirSync(join(main, 'internal'), { recursive: true });
    try {
      const ctx = { id: join(main, 'go.mod'), mains: [{ path: 'example.com/app', dir: main }], requires: new Map([['example.com/app/api', 'v1.8.0']]), replaces: new Map() };
      expect(resolveImport('example.com/app/api/services', ctx, { gomodcache: modcache })).toEqual({ kind: 'dir', dir: nested, origin: 'modcache' });
      expect(resolveImport('example.com/app/internal', ctx, { gomodcache: modcache })).toEqual({ kind: 'dir', dir: join(main, 'internal'), origin: 'module' });
    } finally {
      rmSync(main, { recursive: true, force: true });
    }
  });

  it('reads nothing before it is asked for, and its stamps name what was read', () => {
    const loader = loaderWith({ gomodcache: modcache });
    const graph = loader.graphFor(join(MODULES, 'app', 'cmd', 'tool'));
    expect(loader.stamps(graph)).toEqual([]);
    const cfg = graph.package('example.com/app/config');
    expect(loader.stamps(graph).map((s) => s.dir)).toEqual([join(MODULES, 'app', 'config')]);
    // One digest of the files read, by path and bytes.
    expect(loader.stamps(graph)[0].files).toBe(filesDigest(join(MODULES, 'app', 'config', 'config.go')));
    cfg?.graph?.package('example.com/Dep/sub');
    expect(loader.stamps(graph).map((s) => s.dir).sort()).toEqual([join(MODULES, 'app', 'config'), join(modcache, 'example.com', '!dep@v1.2.3', 'sub')].sort());
  });
});

/** The test's parser, counting its parses. */
function countingParser(): { parser: GoParser; readonly parses: number } {
  let parses = 0;
  return {
    parser: { ...parser, parse: (text: string) => (parses++, parser.parse(text)) } as GoParser,
    get parses() {
      return parses;
    },
  };
}

/** A loader of the test modules parsing with `p`, its summaries cached in `dir` under `fingerprint`. */
function cachedLoader(p: GoParser, dir: string, fingerprint: string): PackageLoader {
  return new PackageLoader(p, { build: LINUX, paths: { gomodcache: modcache }, env: { GOWORK: '' }, cache: { store: new DiskCache(dir, 'summaries', fingerprint), fingerprint } });
}

describe('names before declarations', () => {
  it('answers what name an import binds from the package clauses alone, parses only when declarations are asked, and stamps what it read', () => {
    const copy = mkdtempSync(join(tmpdir(), 'mapscope-loader-'));
    try {
      cpSync(join(MODULES, 'app'), join(copy, 'app'), { recursive: true });
      const tool = join(copy, 'app', 'cmd', 'tool');
      const counting = countingParser();
      const loader = new PackageLoader(counting.parser, { build: LINUX, paths: { gomodcache: modcache }, env: { GOWORK: '' } });
      const graph = loader.graphFor(tool);
      expect(graph.nameOf?.('example.com/app/config')).toBe('config');
      expect(graph.nameOf?.('example.com/app/nowhere')).toBeUndefined();
      expect(counting.parses).toBe(0);
      const stamps = loader.stamps(graph);
      expect(stamps.map((x) => [x.dir, x.files])).toEqual([[join(copy, 'app', 'config'), filesDigest(join(copy, 'app', 'config', 'config.go'))]]);
      // The name a report read depends on the files' bytes: a new package clause breaks the stamp.
      const holds = () => stamps.every((x) => new PackageLoader(parser, { build: LINUX, paths: { gomodcache: modcache }, env: { GOWORK: '' } }).stampHolds(x, tool));
      expect(holds()).toBe(true);
      const file = join(copy, 'app', 'config', 'config.go');
      const text = readFileSync(file, 'utf8');
      writeFileSync(file, text.replace(/^package config/m, 'package settings'));
      expect(holds()).toBe(false);
      writeFileSync(file, text);
      expect(typeNames(graph.package('example.com/app/config')).length).toBeGreaterThan(0);
      expect(counting.parses).toBe(1);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });
});

describe('the summary cache', () => {
  it('keeps a package as one entry, read back by the next loader without parsing; a damaged entry is parsed again', () => {
    const cacheDir = mkdtempSync(join(tmpdir(), 'mapscope-cache-'));
    try {
      const counting = countingParser();
      const fresh = () => cachedLoader(counting.parser, cacheDir, 'f'.repeat(64));
      const tool = join(MODULES, 'app', 'cmd', 'tool');
      const first = typeNames(fresh().graphFor(tool).package('example.com/app/config'));
      expect(first.length).toBeGreaterThan(0);
      expect(counting.parses).toBe(1);
      const entries = readdirSync(join(cacheDir, 'f'.repeat(16), 'summaries'), { recursive: true }).filter((f) => String(f).endsWith('.json'));
      expect(entries.length).toBe(1);
      expect(typeNames(fresh().graphFor(tool).package('example.com/app/config'))).toEqual(first);
      expect(counting.parses).toBe(1);
      const entry = join(cacheDir, 'f'.repeat(16), 'summaries', String(entries[0]));
      writeFileSync(entry, readFileSync(entry, 'utf8').slice(0, 30));
      expect(typeNames(fresh().graphFor(tool).package('example.com/app/config'))).toEqual(first);
      expect(counting.parses).toBe(2);
    } finally {
      rmSync(cacheDir, { recursive: true, force: true });
    }
  });
});

describe('the entry of an analysed package', () => {
  it('holds what an importer reads of its summaries, without the per-declaration parts only its own editor reads', () => {
    const cacheDir = mkdtempSync(join(tmpdir(), 'mapscope-cache-'));
    try {
      const counting = countingParser();
      const fresh = () => cachedLoader(counting.parser, cacheDir, 'e'.repeat(64));
      // The thread that checks config parses its files whole and stores the package.
      const config = join(MODULES, 'app', 'config');
      const checking = fresh();
      const full = ['config.go'].map((name) => {
        const path = join(config, name);
        const read = readGoSource(path);
        if (!read.ok) throw new Error(read.reason);
        const tree = parser.parse(read.text);
        const summary = summarize({ path, text: read.text, tree, lines: new LineIndex(read.text) });
        tree.delete();
        checking.remember(path, sha256(read.bytes), summary);
        return summary;
      });
      expect(full[0].parts.length).toBeGreaterThan(0);
      // As `mapscope check` lists it under the same configuration (tests included, the windows file not).
      checking.listed(config, [join(config, 'config.go'), join(config, 'config_test.go')]);
      checking.storePackage(config);
      // Another thread importing config, listing the directory itself, finds the entry and parses nothing.
      const read = fresh().graphFor(join(MODULES, 'app', 'cmd', 'tool')).package('example.com/app/config');
      expect(counting.parses).toBe(0);
      expect(read?.summaries.map((s) => s.parts.length)).toEqual([0]);
      expect(read?.summaries).toEqual(full.map((s) => ({ ...s, parts: [] })));
    } finally {
      rmSync(cacheDir, { recursive: true, force: true });
    }
  });
});

describe('an import read from the disk cache or from its blanked text', () => {
  it('reads the same: the functions\' heads, without what their bodies do with func parameters', () => {
    const root = mkdtempSync(join(tmpdir(), 'mapscope-heads-'));
    try {
      writeFileSync(join(root, 'go.mod'), 'module example.com/heads\n\ngo 1.22\n');
      mkdirSync(join(root, 'helper'));
      mkdirSync(join(root, 'tool'));
      const helperFile = join(root, 'helper', 'helper.go');
      // A function and a pointer method whose bodies run their func in a goroutine (blanked for an
      // import), and a value method whose body survives blanking.
      writeFileSync(helperFile, 'package helper\n\nfunc Go(f func()) { go f() }\n\ntype G struct{}\n\nfunc (g *G) Go(f func()) { go f() }\n\nfunc (g G) Run(f func()) { go f() }\n');
      writeFileSync(join(root, 'tool', 'tool.go'), 'package tool\n\nimport "example.com/heads/helper"\n\nvar _ = helper.Go\n');
      const env = { GOWORK: 'off' };
      const loaderWith = (cacheDir: string) => new PackageLoader(parser, { build: LINUX, paths: {}, env, cache: { store: new DiskCache(cacheDir, 'summaries', 'f'.repeat(64)), fingerprint: 'f'.repeat(64) } });
      const read = readGoSource(helperFile);
      if (!read.ok) throw new Error(read.reason);
      const tree = parser.parse(read.text);
      const whole = summarize({ path: helperFile, text: read.text, tree, lines: new LineIndex(read.text) });
      tree.delete();
      // The whole text knows what the bodies do: the check of helper itself reads it.
      expect(whole.funcs.find((f) => f.name === 'Go')?.runs?.length).toBeGreaterThan(0);
      // Stored by the thread that checked helper, then read by one that imports it.
      const storedDir = mkdtempSync(join(tmpdir(), 'mapscope-cache-'));
      const checking = loaderWith(storedDir);
      checking.remember(helperFile, sha256(read.bytes), whole);
      checking.listed(join(root, 'helper'), [helperFile]);
      checking.storePackage(join(root, 'helper'));
      const fromCache = loaderWith(storedDir).graphFor(join(root, 'tool')).package('example.com/heads/helper')?.summaries;
      // Read with no cache entry: summarised from the text with its bodies blanked.
      const blankDir = mkdtempSync(join(tmpdir(), 'mapscope-cache-'));
      const fromText = loaderWith(blankDir).graphFor(join(root, 'tool')).package('example.com/heads/helper')?.summaries;
      expect(fromCache).toBeDefined();
      expect(fromText).toEqual(fromCache);
      const heads = fromCache!.flatMap((s) => [...s.funcs, ...[...s.methods.values()].flat()]);
      expect(heads.map((f) => f.name).sort()).toEqual(['Go', 'Go', 'Run']);
      expect(heads.filter((f) => f.runs !== undefined || f.registers !== undefined)).toEqual([]);
      for (const d of [storedDir, blankDir]) rmSync(d, { recursive: true, force: true });
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('module contexts of many directories', () => {
  it('are those moduleContextOf finds for each directory alone, asked in any order, under go.work or not', () => {
    const root = mkdtempSync(join(tmpdir(), 'mapscope-contexts-'));
    try {
      cpSync(MODULES, join(root, 'modules'), { recursive: true });
      // A package nested two levels below its module's root, and a directory outside any module.
      mkdirSync(join(root, 'modules', 'app', 'config', 'deep', 'er'), { recursive: true });
      mkdirSync(join(root, 'outside', 'x'), { recursive: true });
      const dirs = [
        join(root, 'modules', 'app', 'config', 'deep', 'er'),
        join(root, 'modules', 'app', 'config'),
        join(root, 'modules', 'app', 'cmd', 'tool'),
        join(root, 'modules', 'app'),
        join(root, 'modules', 'local'),
        join(root, 'modules', 'work', 'a'),
        join(root, 'modules', 'work'),
        join(root, 'outside', 'x'),
      ];
      for (const env of [{ GOWORK: '' }, { GOWORK: 'off' }]) {
        const alone = dirs.map((d) => moduleContextOf(d, env));
        expect(alone.filter((c) => c !== undefined).length).toBeGreaterThan(4);
        expect(dirs.map((d) => new ModuleContexts(env).of(d))).toEqual(alone);
        const shared = new ModuleContexts(env);
        expect([...dirs].reverse().map((d) => shared.of(d)).reverse()).toEqual(alone);
      }
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('vendor and go.work', () => {
  it('reads vendor/ when vendor/modules.txt is there, not the module cache', () => {
    const loader = loaderWith({ gomodcache: modcache });
    expect(typeNames(loader.graphFor(join(MODULES, 'vendored')).package('example.com/v'))).toEqual(['V']);
  });

  it('resolves between the modules a go.work uses', () => {
    const loader = new PackageLoader(parser, { build: LINUX, paths: {}, env: {} });
    expect(typeNames(loader.graphFor(join(MODULES, 'work', 'a')).package('example.com/b'))).toEqual(['Table']);
    // GOWORK=off: module a alone does not know module b.
    const off = new PackageLoader(parser, { build: LINUX, paths: {}, env: { GOWORK: 'off' } });
    expect(off.graphFor(join(MODULES, 'work', 'a')).package('example.com/b')).toBeUndefined();
  });
});

describe('invalidation', () => {
  it('forgets a changed package and every loaded package that read it, and reads the new text', () => {
    const copy = mkdtempSync(join(tmpdir(), 'mapscope-loader-'));
    try {
      cpSync(join(MODULES, 'app'), join(copy, 'app'), { recursive: true });
      cpSync(join(MODULES, 'local'), join(copy, 'local'), { recursive: true });
      const loader = loaderWith({ gomodcache: modcache });
      const graph = loader.graphFor(join(copy, 'app', 'cmd', 'tool'));
      const cfg = graph.package('example.com/app/config');
      cfg?.graph?.package('example.com/Dep/sub');
      const sub = join(modcache, 'example.com', '!dep@v1.2.3', 'sub', 'sub.go');
      // A file of the dependency changes: the dependency and config (which read it) are dropped.
      const gone = loader.invalidate(sub);
      expect(gone.size).toBe(2);
      expect(typeNames(graph.package('example.com/app/config'))).toEqual(['Options']);
      const file = join(copy, 'app', 'config', 'config.go');
      writeFileSync(file, 'package config\n\ntype Renamed struct{}\n');
      expect(loader.invalidate(file).size).toBe(1);
      expect(typeNames(graph.package('example.com/app/config'))).toEqual(['Renamed']);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });
});

describe('stamps (what a cached report depends on)', () => {
  it('hold while the packages read are unchanged, and not after a file changes, appears, or an import moves', () => {
    const copy = mkdtempSync(join(tmpdir(), 'mapscope-loader-'));
    try {
      cpSync(join(MODULES, 'app'), join(copy, 'app'), { recursive: true });
      cpSync(join(MODULES, 'local'), join(copy, 'local'), { recursive: true });
      const tool = join(copy, 'app', 'cmd', 'tool');
      const fresh = () => loaderWith({ gomodcache: modcache });
      const first = fresh();
      const graph = first.graphFor(tool);
      graph.package('example.com/app/config')?.graph?.package('example.com/Dep/sub');
      graph.package('example.com/local');
      const stamps = first.stamps(graph);
      const asked = first.stampOfAsked(graph);
      const holds = () => {
        const l = fresh();
        return l.importsHold(asked, tool) && stamps.every((s) => l.stampHolds(s, tool));
      };
      expect(stamps.length).toBe(3);
      expect(holds()).toBe(true);
      const extra = join(copy, 'app', 'config', 'more.go');
      writeFileSync(extra, 'package config\n');
      expect(holds()).toBe(false);
      rmSync(extra);
      expect(holds()).toBe(true);
      // A file excluded by the build configuration may come and go freely.
      writeFileSync(join(copy, 'app', 'config', 'more_darwin.go'), 'package config\n\ntype D struct{}\n');
      expect(holds()).toBe(true);
      // go.mod now requires another version: config's import of Dep/sub goes elsewhere.
      const gomod = join(copy, 'app', 'go.mod');
      const text = readFileSync(gomod, 'utf8');
      writeFileSync(gomod, text.replace('v1.2.3', 'v1.0.0'));
      expect(holds()).toBe(false);
      writeFileSync(gomod, text);
      expect(holds()).toBe(true);
      const loc = join(copy, 'local', 'loc.go');
      writeFileSync(loc, readFileSync(loc, 'utf8') + '// edited\n');
      expect(holds()).toBe(false);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });
});

describe.skipIf(!HAS_GO && !REQUIRE_GO)('the standard library', () => {
  const root = HAS_GO ? goroot() : undefined;

  it('resolves from GOROOT/src, and golang.org/x imports of the standard library from GOROOT/src/vendor', () => {
    expect(root).toBeDefined();
    const loader = loaderWith({ goroot: root, gomodcache: modcache });
    const http = loader.graphFor(join(MODULES, 'app', 'cmd', 'tool')).package('net/http');
    expect(http?.importPath).toBe('net/http');
    expect(http?.types.has('Server')).toBe(true);
    expect(http?.types.get('Header')?.kind).toBe('map');
    expect(http?.types.has('Transport')).toBe(true);
    // net's own import of a vendored package resolves in the standard library's module...
    const net = loader.graphFor(join(MODULES, 'app', 'cmd', 'tool')).package('net');
    const dns = net?.graph?.package('golang.org/x/net/dns/dnsmessage');
    expect(dns?.types.has('Message')).toBe(true);
    expect(dns?.importPath).toBe('golang.org/x/net/dns/dnsmessage');
    // ...not in the user's module, which does not require golang.org/x/net.
    expect(loader.graphFor(join(MODULES, 'app', 'cmd', 'tool')).package('golang.org/x/net/dns/dnsmessage')).toBeUndefined();
  });

  it('a standard-library package in GOROOT resolves without a go.mod around the importer', () => {
    const r = resolveImport('strings', moduleContextOf(tmpdir(), { GOWORK: 'off' }), { goroot: root });
    expect(r).toEqual({ kind: 'dir', dir: join(root!, 'src', 'strings'), origin: 'std' });
  });
});

describe('the bundled snapshot, without GOROOT', () => {
  it('stands in for the standard library', () => {
    const file = join(ROOT, 'server', 'data', 'stdlib-api.json.gz');
    const snap = loadSnapshot(file, builtFingerprints()?.summary);
    expect(snap?.go).toMatch(/^go1\.\d+/);
    const loader = loaderWith({}, { snapshot: () => snap });
    const graph = loader.graphFor(join(MODULES, 'app', 'cmd', 'tool'));
    const http = graph.package('net/http');
    expect(http?.types.get('Header')?.kind).toBe('map');
    expect(http?.types.get('Server')?.fields.some((f) => f.name === 'Addr')).toBe(true);
    // What another package cannot see is not in it: unexported package variables.
    expect(http?.summaries.flatMap((s) => s.vars).every((v) => /^[A-Z]/.test(v.name))).toBe(true);
    // The standard library's vendored packages resolve among themselves.
    expect(graph.package('net')?.graph?.package('golang.org/x/net/dns/dnsmessage')?.types.has('Message')).toBe(true);
  });

  it('is refused when a different summariser made it', () => {
    expect(loadSnapshot(join(ROOT, 'server', 'data', 'stdlib-api.json.gz'), 'another')).toBeUndefined();
  });
});
