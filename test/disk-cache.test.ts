// The disk cache (node/disk-cache.ts) and the summaries it holds (core/index/summary-codec.ts):
// a summary comes back equal, Maps and Sets included; an entry that is damaged, cut short, of
// another key or not a file is a miss and is rewritten, never an error; where the cache lives;
// and through the CLI: two runs at once on an empty cache, then a warm run, all print the same
// findings, leave no temporary file, and --no-cache writes nothing.
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { summarize } from '../server/src/core/index/summary';
import { decodeValue, encodeValue } from '../server/src/core/index/summary-codec';
import { defaultCacheDir, DiskCache, hashText } from '../server/src/node/disk-cache';
import { runCli, tempDir } from './helpers/cli';
import { loadParser, ROOT, unitOf } from './helpers/core';

function files(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)]));
}

describe('summaries as JSON', () => {
  it('come back equal, with their Maps and Sets', async () => {
    const p = await loadParser();
    const text = readFileSync(join(ROOT, 'test', 'modules', 'local', 'loc.go'), 'utf8') + '\nfunc (l *L) Put(k int) { l.M[k] = 1 }\nvar x = 1\nfunc init() { x = 2 }\n';
    const unit = unitOf(p, '/m/loc.go', text);
    try {
      const s = summarize(unit);
      expect(s.methods.size).toBe(1);
      expect(s.assignedNames.has('x')).toBe(true);
      const back = decodeValue(encodeValue(s));
      expect(back).toEqual(s);
      expect((back as typeof s).methods).toBeInstanceOf(Map);
      expect((back as typeof s).assignedNames).toBeInstanceOf(Set);
    } finally {
      unit.tree.delete();
    }
  });
});

describe('DiskCache', () => {
  const key = hashText('k');
  const entryOf = (root: string) => files(root).find((f) => f.endsWith('.json'))!;

  it('reads back what it wrote, by key', () => {
    const root = tempDir('mapscope-cache-');
    const c = new DiskCache(root, 'summaries', 'f'.repeat(64));
    expect(c.get(key)).toBeUndefined();
    c.set(key, { a: new Map([['x', new Set([1])]]) });
    expect(c.get(key)).toEqual({ a: new Map([['x', new Set([1])]]) });
    expect(new DiskCache(root, 'summaries', 'e'.repeat(64)).get(key)).toBeUndefined();
    expect(files(root).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it.each([
    ['damaged', (t: string) => t.replace(/[{}]/g, '#')],
    ['truncated', (t: string) => t.slice(0, t.length >> 1)],
    ['empty', () => ''],
    ['foreign (another key)', (t: string) => t.replace(key, hashText('other'))],
    ['foreign (not ours)', () => '{"hello": "world"}'],
    ['binary', () => '\u0000\u0001\u0002'],
  ])('a %s entry is a miss, and is rewritten', (_name, spoil) => {
    const root = tempDir('mapscope-cache-');
    const c = new DiskCache(root, 'summaries', 'f'.repeat(64));
    c.set(key, { v: 1 });
    const file = entryOf(root);
    writeFileSync(file, spoil(readFileSync(file, 'utf8')));
    expect(c.get(key)).toBeUndefined();
    c.set(key, { v: 2 });
    expect(c.get(key)).toEqual({ v: 2 });
  });

  it('an entry that is a directory is a miss, and a cache it cannot write to is left alone', () => {
    const root = tempDir('mapscope-cache-');
    const c = new DiskCache(root, 'summaries', 'f'.repeat(64));
    c.set(key, 1);
    const file = entryOf(root);
    rmSync(file);
    mkdirSync(file);
    expect(c.get(key)).toBeUndefined();
    expect(() => c.set(key, 2)).not.toThrow();
    // Not a directory at all: nothing can be written, nothing throws.
    const blocked = join(tempDir('mapscope-cache-'), 'file');
    writeFileSync(blocked, 'x');
    const d = new DiskCache(blocked, 'summaries', 'f'.repeat(64));
    expect(() => d.set(key, 1)).not.toThrow();
    expect(d.get(key)).toBeUndefined();
  });

  it('lives where Go puts the user cache directory, under mapscope/', () => {
    expect(defaultCacheDir({ XDG_CACHE_HOME: '/x/cache', HOME: '/home/u' }, 'linux')).toBe('/x/cache/mapscope');
    expect(defaultCacheDir({ HOME: '/home/u' }, 'linux')).toBe('/home/u/.cache/mapscope');
    // A relative XDG_CACHE_HOME is ignored, as os.UserCacheDir does.
    expect(defaultCacheDir({ XDG_CACHE_HOME: 'rel', HOME: '/home/u' }, 'linux')).toBe('/home/u/.cache/mapscope');
    expect(defaultCacheDir({ HOME: '/Users/u' }, 'darwin')).toBe('/Users/u/Library/Caches/mapscope');
    expect(defaultCacheDir({ LocalAppData: 'C:\\Users\\u\\AppData\\Local' }, 'win32')).toMatch(/^C:\\Users\\u\\AppData\\Local[\\/]mapscope$/);
    expect(defaultCacheDir({ MAPSCOPE_CACHE: '/elsewhere', HOME: '/home/u' }, 'linux')).toBe('/elsewhere');
  });
});

describe('mapscope check with the cache', () => {
  const fixture = join(ROOT, 'test', 'fixtures', 'nil-map-write');

  it('two runs at once on an empty cache, then a warm one, report the same; --no-cache writes nothing', async () => {
    const cache = tempDir('mapscope-cache-');
    const env = { ...process.env, MAPSCOPE_CACHE: cache };
    const args = ['check', '--format', 'json', './...'];
    const [a, b] = await Promise.all([runCli(args, { cwd: fixture, env }), runCli(args, { cwd: fixture, env })]);
    expect(a.code).toBe(1);
    expect(b.stdout).toBe(a.stdout);
    const written = files(cache);
    expect(written.filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(written.some((f) => f.includes(`${'/'}reports${'/'}`))).toBe(true);
    expect(written.some((f) => f.includes(`${'/'}summaries${'/'}`))).toBe(true);
    const warm = await runCli(args, { cwd: fixture, env });
    expect(warm.stdout).toBe(a.stdout);
    expect(warm.code).toBe(1);
    // A damaged report is a miss: the same findings, and the entry is whole again.
    const report = written.find((f) => f.includes('/reports/'))!;
    writeFileSync(report, readFileSync(report, 'utf8').slice(0, 40));
    const damaged = await runCli(args, { cwd: fixture, env });
    expect(damaged.stdout).toBe(a.stdout);
    expect(damaged.stderr).not.toMatch(/internal error/);
    expect(() => JSON.parse(readFileSync(report, 'utf8'))).not.toThrow();

    const none = tempDir('mapscope-cache-');
    const off = await runCli(['check', '--no-cache', '--format', 'json', './...'], { cwd: fixture, env: { ...process.env, MAPSCOPE_CACHE: none } });
    expect(off.stdout).toBe(a.stdout);
    expect(files(none)).toEqual([]);
  });

  it('a cache directory that cannot be made (a file is in the way) does not fail the check', async () => {
    const blocked = join(tempDir('mapscope-cache-'), 'file');
    writeFileSync(blocked, 'not a directory');
    const r = await runCli(['check', '--format', 'json', './...'], { cwd: fixture, env: { ...process.env, MAPSCOPE_CACHE: blocked } });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    expect(readFileSync(blocked, 'utf8')).toBe('not a directory');
  });

  it('a package is analysed again when a package it imports changed, though its own files did not', async () => {
    const dir = tempDir('mapscope-warm-');
    writeFileSync(join(dir, 'go.mod'), 'module mapscope.test/fixtures\n\ngo 1.22\n');
    cpSync(join(ROOT, 'test', 'fixtures', 'map-without-hint', 'pos_cross_package'), join(dir, 'map-without-hint', 'pos_cross_package'), { recursive: true });
    const env = { ...process.env, MAPSCOPE_CACHE: tempDir('mapscope-cache-') };
    const args = ['check', '--format', 'json', './map-without-hint/pos_cross_package'];
    const messages = (out: string) => (JSON.parse(out) as { findings: { message: string }[] }).findings.map((f) => f.message).sort();
    const cold = messages((await runCli(args, { cwd: dir, env })).stdout);
    expect(cold).toEqual([
      'map `m` is filled with up to `len(items)` entries but made without a capacity hint',
      'map `seen` is filled with up to `len(lib.Registry)` entries but made without a capacity hint',
    ]);
    const lib = join(dir, 'map-without-hint', 'pos_cross_package', 'lib', 'lib.go');
    writeFileSync(lib, readFileSync(lib, 'utf8').replace('var Registry = []string{"x", "y", "z"}', 'var Registry = make(chan string)'));
    expect(messages((await runCli(args, { cwd: dir, env })).stdout)).toEqual(['map `m` is filled with up to `len(items)` entries but made without a capacity hint']);
  });

  it('a package checked alone finds the report stored when the whole module was checked', async () => {
    const dir = tempDir('mapscope-warm-');
    writeFileSync(join(dir, 'go.mod'), 'module mapscope.test/fixtures\n\ngo 1.22\n');
    cpSync(join(ROOT, 'test', 'fixtures', 'map-without-hint', 'pos_cross_package'), join(dir, 'map-without-hint', 'pos_cross_package'), { recursive: true });
    const cache = tempDir('mapscope-cache-');
    const env = { ...process.env, MAPSCOPE_CACHE: cache };
    expect((await runCli(['check', '--format', 'json', './...'], { cwd: dir, env })).stdout).toMatch(/map `seen`/);
    for (const report of files(cache).filter((f) => f.includes('/reports/'))) writeFileSync(report, readFileSync(report, 'utf8').replace(/map `seen`/g, 'CACHED map `seen`'));
    expect((await runCli(['check', '--format', 'json', './map-without-hint/pos_cross_package'], { cwd: dir, env })).stdout).toMatch(/CACHED map `seen`/);
  });

  it('a warm run prints the cached report, and a changed file is analysed again', async () => {
    const dir = tempDir('mapscope-warm-');
    writeFileSync(join(dir, 'go.mod'), 'module example.com/warm\n\ngo 1.22\n');
    const src = join(dir, 'w.go');
    writeFileSync(src, 'package warm\n\nfunc f() {\n\tvar m map[string]int\n\tm["a"] = 1\n}\n');
    const cache = tempDir('mapscope-cache-');
    const env = { ...process.env, MAPSCOPE_CACHE: cache };
    const args = ['check', '--format', 'json', './...'];
    const cold = await runCli(args, { cwd: dir, env });
    expect(cold.stdout).toMatch(/nil map/);
    // Mark the cached report: a warm run must print it as stored (the cache was read, not redone).
    const report = files(cache).find((f) => f.includes('/reports/'))!;
    writeFileSync(report, readFileSync(report, 'utf8').replace(/nil map/g, 'CACHED nil map'));
    expect((await runCli(args, { cwd: dir, env })).stdout).toMatch(/CACHED nil map/);
    // The file changes (a comment): the key changes, the report is computed again.
    writeFileSync(src, readFileSync(src, 'utf8') + '// changed\n');
    const again = await runCli(args, { cwd: dir, env });
    expect(again.stdout).toMatch(/nil map/);
    expect(again.stdout).not.toMatch(/CACHED/);
  });
});
