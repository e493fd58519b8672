#!/usr/bin/env node
// Regenerates the bundled standard-library API snapshot (server/data/stdlib-api.json.gz) from a
// GOROOT with MapScope's own summariser (server/src/node/stdlib-snapshot.ts):
//
//   node scripts/stdlib-snapshot.mjs [--goroot DIR] [--out FILE]
//
// Without --goroot it uses `go env GOROOT`. The Go version is read from GOROOT/VERSION and stored
// in the snapshot. test/stdlib-snapshot.test.ts checks that the bundled copy is what this writes.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { fingerprints } from './fingerprints.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const args = process.argv.slice(2);
const opt = (name) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const goroot = opt('goroot') ?? execFileSync('go', ['env', 'GOROOT'], { encoding: 'utf8' }).trim();
const out = opt('out') ?? join(root, 'server', 'data', 'stdlib-api.json.gz');
const go = readFileSync(join(goroot, 'VERSION'), 'utf8').split('\n')[0].trim();

const outDir = join(root, 'bench', 'out');
mkdirSync(outDir, { recursive: true });
const entry = join(outDir, 'stdlib-snapshot.cjs');
const fp = fingerprints();
await build({
  stdin: {
    contents: `export { GoParser } from './server/src/core/parse/parser'; export { snapshotText } from './server/src/node/stdlib-snapshot';`,
    resolveDir: root,
    loader: 'ts',
  },
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  outfile: entry,
  logLevel: 'warning',
  alias: { 'web-tree-sitter': require.resolve('web-tree-sitter') },
});
const core = require(entry);
const parser = await core.GoParser.load({ runtime: require.resolve('web-tree-sitter/web-tree-sitter.wasm'), go: join(root, 'grammars', 'tree-sitter-go.wasm') });
const text = core.snapshotText(parser, goroot, go, fp.summary);
const gz = gzipSync(Buffer.from(text, 'utf8'), { level: 9 });
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, gz);
console.log(`${out}: ${go}, ${(text.length / 1e6).toFixed(1)} MB of JSON, ${(gz.length / 1e3).toFixed(0)} kB gzipped`);
