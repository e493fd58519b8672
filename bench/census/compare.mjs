#!/usr/bin/env node
// map-without-hint's recall against the go/ast census (bench/census/main.go): runs the census and
// `mapscope check --format json --rules map-without-hint ./... [nested/...]` on each directory (a
// module root, or $(go env GOROOT)/src, with every module nested in it, as the census walks them
// all) and counts the census sites MapScope reports at the make call or literal's own position
// (same file, 1-based line and byte column). Prints recall per directory and in total, then every
// miss; with --out DIR also writes census.jsonl, findings.jsonl and misses.jsonl there, for
// classifying misses and sampling findings.
//
//   node bench/census/compare.mjs [--mapscope BIN] [--out DIR] DIR...
//
// BIN defaults to this checkout's bin/mapscope.js (run `node scripts/build.mjs` first); pass
// /path/to/other/checkout/bin/mapscope.js to measure another build on the same sites.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, realpathSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const take = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  if (i < 0) return dflt;
  const v = args[i + 1];
  args.splice(i, 2);
  return v;
};
const bin = resolve(take('mapscope', join(here, '..', '..', 'bin', 'mapscope.js')));
const out = take('out', undefined);
const dirs = args.map((d) => realpathSync(resolve(d)));
if (dirs.length === 0) {
  console.error('usage: compare.mjs [--mapscope BIN] [--out DIR] DIR...');
  process.exit(2);
}

const run = (cmd, argv, cwd) => {
  const r = spawnSync(cmd, argv, { cwd, encoding: 'utf8', maxBuffer: 1 << 30 });
  if (r.error) throw r.error;
  return r;
};
const key = (file, line, col) => `${file}:${line}:${col}`;

/** `./...` for the module at dir and `sub/...` for each module nested in it (GOROOT/src/cmd): the census walks them all. */
function patterns(dir) {
  const found = [];
  const walk = (d) => {
    if (existsSync(join(d, 'go.mod'))) found.push(relative(dir, d) === '' ? './...' : `./${relative(dir, d)}/...`);
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (!e.isDirectory() || e.name === 'testdata' || e.name === 'vendor' || /^[._]/.test(e.name)) continue;
      walk(join(d, e.name));
    }
  };
  walk(dir);
  return found.length > 0 ? found : ['./...'];
}

const census = [];
const findings = [];
const rows = [];
for (const dir of dirs) {
  const c = run('go', ['run', '.', dir], here);
  if (c.status !== 0) throw new Error(`census failed on ${dir}: ${c.stderr}`);
  const sites = c.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l));
  const t0 = Date.now();
  const m = run('node', [bin, 'check', '--format', 'json', '--rules', 'map-without-hint', ...patterns(dir)], dir);
  const seconds = (Date.now() - t0) / 1000;
  let report;
  try {
    report = JSON.parse(m.stdout);
  } catch {
    throw new Error(`mapscope printed no JSON on ${dir} (exit ${m.status}): ${m.stderr.slice(0, 2000)}`);
  }
  const found = report.findings.map((f) => ({ ...f, file: resolve(dir, f.file) }));
  const at = new Set(found.map((f) => key(f.file, f.line, f.column)));
  let hits = 0;
  for (const s of sites) {
    s.dir = dir;
    s.reported = at.has(key(s.file, s.line, s.col));
    if (s.reported) hits++;
  }
  census.push(...sites);
  findings.push(...found);
  rows.push({ dir, sites: sites.length, hits, findings: found.length, seconds });
}

const pct = (a, b) => (b === 0 ? '-' : `${((100 * a) / b).toFixed(1)} %`);
for (const r of rows) console.log(`${r.dir}\t${r.hits}/${r.sites}\t${pct(r.hits, r.sites)}\tfindings ${r.findings}\t${r.seconds.toFixed(1)} s`);
const hits = rows.reduce((a, r) => a + r.hits, 0);
console.log(`TOTAL\t${hits}/${census.length}\t${pct(hits, census.length)}\tfindings ${findings.length}`);
// Grouping and counting loops (the write reads the map) are sites too, but their size is the number
// of distinct keys: the rule leaves them alone on purpose. Recall without them, beside the total.
const fills = census.filter((s) => !s.aggregate);
const fillHits = fills.filter((s) => s.reported).length;
console.log(`FILLS\t${fillHits}/${fills.length}\t${pct(fillHits, fills.length)}\t(without the ${census.length - fills.length} aggregating sites, of which ${hits - fillHits} reported)`);
const misses = census.filter((s) => !s.reported);
console.log(`\nmisses (${misses.length}):`);
for (const s of misses) console.log(`${s.file}:${s.line}:${s.col}\t${s.kind}${s.aggregate ? '\taggregate' : ''}`);
if (out) {
  mkdirSync(out, { recursive: true });
  const jsonl = (xs) => xs.map((x) => JSON.stringify(x)).join('\n') + '\n';
  writeFileSync(join(out, 'census.jsonl'), jsonl(census));
  writeFileSync(join(out, 'findings.jsonl'), jsonl(findings));
  writeFileSync(join(out, 'misses.jsonl'), jsonl(misses));
  writeFileSync(join(out, 'summary.json'), JSON.stringify({ mapscope: bin, rows, hits, sites: census.length }, null, 2));
}
