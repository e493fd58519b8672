#!/usr/bin/env node
// Times the map engine: 1M and 10M entries with one seed, and 1M entries over 20 seeds, for
// the classic and the swiss map. Bundles the TypeScript engine with esbuild into bench/out/
// (gitignored) first, so it needs nothing beyond the repository's dev dependencies.
//
//   node bench/engine.mjs
import { build } from 'esbuild';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { outDir, root } from './lib.mjs';

const outfile = join(outDir, 'engine.mjs');
await build({
  entryPoints: [join(root, 'server', 'src', 'core', 'engine', 'index.ts')],
  bundle: true, platform: 'node', format: 'esm', target: 'node20', outfile, logLevel: 'warning',
});
const { predict, layoutOf, parseGoType } = await import(pathToFileURL(outfile).href);

const L = (s) => layoutOf(parseGoType(s));
const key = L('int64');
const value = L('int64');

function time(label, fn) {
  const t0 = performance.now();
  const r = fn();
  const ms = performance.now() - t0;
  console.log(`${label.padEnd(44)} ${ms.toFixed(1).padStart(9)} ms   ${r}`);
  return ms;
}

console.log(`node ${process.version}, map[int64]int64, fill workload`);
for (const [impl, go] of [['classic', '1.23'], ['swiss', '1.26']]) {
  // One warm-up so the first timing is not mostly JIT compilation.
  predict(key, value, { entries: 100_000, go });
  time(`${impl}: 1M entries, 1 seed`, () => {
    const p = predict(key, value, { entries: 1_000_000, go });
    return `${p.events.length} events, total ${p.totalBytes} B`;
  });
  time(`${impl}: 10M entries, 1 seed`, () => {
    const p = predict(key, value, { entries: 10_000_000, go });
    return `${p.events.length} events, total ${p.totalBytes} B`;
  });
  time(`${impl}: 1M entries, 20 seeds (spread)`, () => {
    const p = predict(key, value, { entries: 1_000_000, go, runs: 20 });
    const t = p.spread.totalBytes;
    return `total ${t.min}…${t.max} B`;
  });
}
