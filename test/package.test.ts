// The npm package as a user gets it: `npm pack` (of the dist/ the global setup built), then
// `npm install --omit=dev` of the tarball into an empty directory, offline, and `mapscope check`
// and `mapscope predict` run from there. The tarball must hold exactly the CLI (bin, the bundles,
// the two wasm files) and the documents, need no dependency, and its bundles must require only
// Node's built-in modules.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeDir, tempDir, writeTree } from './helpers/cli';
import { ROOT } from './helpers/core';
import { run } from './helpers/go';

const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string; private?: boolean; dependencies?: Record<string, string> };

/** Everything the npm package may contain (npm adds package.json, README and LICENSE itself). */
const EXPECTED = [
  'package.json',
  'README.md',
  'LICENSE',
  'CHANGELOG.md',
  'bin/mapscope.js',
  'dist/cli.js',
  'dist/check-worker.js',
  'dist/server.js',
  'dist/web-tree-sitter.wasm',
  'dist/tree-sitter-go.wasm',
  // The standard library's API for the CLI on a machine without Go.
  'dist/stdlib-api.json.gz',
].sort();

const npm = (args: string[], cwd: string) => run('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], cwd, 180_000);

let scratch: string;
let installed: string;
let bin: string;
beforeAll(async () => {
  scratch = tempDir('mapscope-pack-');
  // --ignore-scripts: pack the dist/ the global setup built instead of rebuilding it under the other test files.
  const pack = await npm(['pack', '--ignore-scripts', '--pack-destination', scratch], ROOT);
  expect(pack.code, pack.stderr).toBe(0);
  installed = join(scratch, 'user');
  mkdirSync(installed);
  const tgz = join(scratch, `${manifest.name}-${manifest.version}.tgz`);
  const install = await npm(['install', '--omit=dev', '--offline', tgz], installed);
  expect(install.code, install.stderr).toBe(0);
  bin = join(installed, 'node_modules', '.bin', 'mapscope');
}, 240_000);
afterAll(() => removeDir(scratch));

describe('the npm package', () => {
  it('is publishable, with no runtime dependency: the bundles carry everything', () => {
    expect(manifest.private).toBeUndefined();
    expect(manifest.dependencies ?? {}).toEqual({});
  });

  it('holds exactly the CLI, the language server and the documents', () => {
    const listed = execFileSync('tar', ['-tzf', join(scratch, `${manifest.name}-${manifest.version}.tgz`)], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map((p) => p.replace(/^package\//, ''))
      .sort();
    expect(listed).toEqual(EXPECTED);
  });

  it('installs into an empty directory as itself alone, with a mapscope bin', () => {
    expect(readdirSync(join(installed, 'node_modules')).filter((d) => d !== '.bin' && !d.startsWith('.'))).toEqual([manifest.name]);
    expect(existsSync(bin)).toBe(true);
  });

  it('has bundles that require nothing but Node built-ins', () => {
    const provided = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
    for (const bundle of ['cli.js', 'check-worker.js', 'server.js']) {
      const code = readFileSync(join(installed, 'node_modules', manifest.name, 'dist', bundle), 'utf8');
      const needed = [...code.matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1]);
      expect(needed.filter((m) => !m.startsWith('.') && !provided.has(m)), bundle).toEqual([]);
    }
  });

  it('runs mapscope check ./... on a Go module', async () => {
    const mod = join(scratch, 'gomod');
    writeTree(mod, {
      'go.mod': 'module example.com/user\n\ngo 1.22\n',
      'main.go': 'package main\n\nfunc main() {\n\tvar m map[string]int\n\tm["a"] = 1\n}\n',
      'sub/s.go': 'package sub\n\nfunc Fill(xs []string) map[string]bool {\n\tm := make(map[string]bool)\n\tfor _, x := range xs {\n\t\tm[x] = true\n\t}\n\treturn m\n}\n',
    });
    const r = await run(bin, ['check', '--format', 'json', './...'], mod);
    expect(r.code).toBe(1);
    const findings = (JSON.parse(r.stdout) as { findings: { file: string; line: number; rule: string }[] }).findings;
    expect(findings.map((f) => [f.file, f.line, f.rule])).toEqual([
      ['main.go', 5, 'nil-map-write'],
      ['sub/s.go', 4, 'map-without-hint'],
    ]);
    const version = await run(bin, ['--version'], mod);
    expect(version.stdout.trim()).toBe(manifest.version);
  });

  it('leaves the .vsix as it was: packed from the same tree, it holds exactly the editor\'s allow-list (needs unzip)', async () => {
    const vsix = join(scratch, 'mapscope.vsix');
    const pack = await run(process.execPath, [join(ROOT, 'scripts', 'package-vsix.mjs'), vsix], ROOT, 180_000);
    expect(pack.code, pack.stderr).toBe(0);
    const { checkVsix } = (await import(join(ROOT, 'test', 'e2e', 'check-vsix.mjs'))) as { checkVsix: (p: string) => { names: string[] } };
    // checkVsix throws unless the .vsix holds exactly its allow-list, the CLI for the mapscope task among it.
    expect(checkVsix(vsix).names).toContain('extension/bin/mapscope.js');
  }, 180_000);

  it('runs mapscope predict, for a map type and for a file', async () => {
    const r = await run(bin, ['predict', '--key', 'int64', '--value', 'int64', '--entries', '1000', '--go', '1.26', '--format', 'json'], scratch);
    expect(r.code).toBe(0);
    const p = JSON.parse(r.stdout) as { impl: string; entries: number; events: unknown[] };
    expect([p.impl, p.entries]).toEqual(['swiss', 1000]);
    expect(p.events.length).toBeGreaterThan(0);
    const file = await run(bin, ['predict', join(scratch, 'gomod', 'sub', 's.go'), '--format', 'json'], scratch);
    expect(file.code).toBe(0);
    expect((JSON.parse(file.stdout) as { sites: unknown[] }).sites).toHaveLength(1);
  });
});
