#!/usr/bin/env node
// Records the real runtime's map growth with the Go probe, for the engine tests.
//
//   node test/oracle/record.mjs /usr/lib/go-1.19/bin/go   → test/oracle/data/go1.19.json
//   node test/oracle/record.mjs go                        → test/oracle/data/go1.26.json
//   GOTOOLCHAIN=go1.27.3 node test/oracle/record.mjs go   → test/oracle/data/go1.27.json
//   GOTOOLCHAIN=go1.27.3 GOEXPERIMENT=mapsplitgroup node test/oracle/record.mjs go
//                                                         → test/oracle/data/go1.27-mapsplitgroup.json
//
// Each configuration runs the probe (probe/main.go) and keeps only the allocation events, in a
// compact form: [insert, kind, bytes, mallocs, B (classic) or tables (swiss), op?].
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const goBin = process.argv[2] ?? 'go';
const quick = process.argv.includes('--quick');

export const TYPES = ['i64_i64', 'str_int', 'i64_set', 'str_set', 'i32_i32', 'i64_i8', 'a129_int',
  'int_a200', 'any_int', 'ptr_int', 'int_ptr', 'str_str', 'a16_i64', 'i64_a128', 'a5_i64', 'a3_i16'];
export const HINTS = [0, 1, 8, 9, 13, 14, 100, 896, 897, 1000, 1024, 1792, 1793, 10000, 100000];

export function buildProbe(go, outDir) {
  const bin = join(outDir, 'probe');
  execFileSync(go, ['build', '-o', bin, '.'], { cwd: join(here, 'probe'), stdio: ['ignore', 'ignore', 'inherit'] });
  return bin;
}

/** Runs the probe and returns its runs in compact form. */
export function probe(bin, args) {
  const out = execFileSync(bin, args, { maxBuffer: 1 << 30, encoding: 'utf8' });
  return out.trim().split('\n').map((l) => compact(JSON.parse(l)));
}

/** runtime.Version() of the probe as built: `go1.27.3-X:mapsplitgroup` (older Go: `go1.24.4 X:noswissmap`). */
function runtimeVersion(bin) {
  return JSON.parse(execFileSync(bin, ['-n', '0'], { encoding: 'utf8' }).split('\n')[0]).go;
}

function compact(r) {
  const st = (s) => (s.impl === 'classic' ? s.B : s.tables);
  return {
    type: r.type, key: r.key, value: r.value, hint: r.hint, n: r.n, workload: r.workload,
    make: [r.make.b, r.make.m],
    perEntry: r.perEntry,
    events: (r.events ?? []).map((e) => (e.op ? [e.i, e.k, e.b, e.m, st(e.s), e.op] : [e.i, e.k, e.b, e.m, st(e.s)])),
    overflow: (r.overflow ?? []).map((o) => [o.from, o.n, o.b, o.m]),
    final: st(r.final),
    total: r.total,
  };
}

function fillSize(hint) {
  if (hint === 0) return 2000;
  if (hint >= 100000) return hint;
  if (hint >= 10000) return 2 * hint;
  return Math.max(2 * hint, 2000);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dir = mkdtempSync(join(tmpdir(), 'mapscope-probe-'));
  const bin = buildProbe(goBin, dir);
  // The version and experiments the binary really runs with (GOTOOLCHAIN and GOEXPERIMENT included).
  const version = runtimeVersion(bin);
  const experiments = /[- ]X:(\S+)$/.exec(version)?.[1].split(',') ?? [];
  const classic = /^go1\.(1\d|2[0-3])(\.|[- ]|$)/.test(version) || (/^go1\.2[45]\b/.test(version) && experiments.includes('noswissmap'));
  const t0 = Date.now();
  const log = (s) => process.stderr.write(`[${((Date.now() - t0) / 1000).toFixed(0)}s] ${s}\n`);
  const data = { go: version, impl: classic ? 'classic' : 'swiss', recordedWith: 'test/oracle/probe', hints: [], long: [], dist: [], churn: [], update: [] };

  for (const type of TYPES) {
    for (const hint of HINTS) {
      data.hints.push(...probe(bin, ['-type', type, '-hint', String(hint), '-n', String(fillSize(hint))]));
    }
    log(`hints ${type}`);
  }
  // No-hint fills, several runs each: the structural events are exact, the rest a distribution.
  const longN = classic ? 1_000_000 : 100_000;
  for (const type of ['i64_i64', 'str_int']) {
    data.long.push(...probe(bin, ['-type', type, '-n', String(quick ? 20000 : longN), '-runs', '3']));
    log(`long ${type}`);
  }
  for (const type of TYPES.filter((t) => t !== 'i64_i64' && t !== 'str_int')) {
    data.long.push(...probe(bin, ['-type', type, '-n', '20000', '-runs', '2']));
  }
  log('long others');
  // Distributions of the hash-dependent parts.
  if (classic) {
    for (const type of ['i64_i64', 'str_int']) data.dist.push(...probe(bin, ['-type', type, '-n', '20000', '-runs', quick ? '10' : '100']));
  } else {
    data.dist.push(...probe(bin, ['-type', 'i64_i64', '-n', '16000', '-runs', quick ? '10' : '200']));
    data.dist.push(...probe(bin, ['-type', 'i64_i64', '-n', '100000', '-runs', quick ? '2' : '20']));
    data.dist.push(...probe(bin, ['-type', 'str_int', '-n', '16000', '-runs', quick ? '10' : '50']));
    for (const hint of [1792, 1793, 100000]) {
      data.dist.push(...probe(bin, ['-type', 'i64_i64', '-hint', String(hint), '-n', String(hint), '-runs', quick ? '2' : '20']));
    }
  }
  log('dist');
  const churns = classic
    ? [['i64_i64', 'churn:800:200000'], ['str_int', 'churn:800:200000'], ['i64_i64', 'churn:100:200000']]
    : [['i64_i64', 'churn:100:200000'], ['i64_i64', 'churn:800:50000'], ['str_int', 'churn:100:200000'],
      ['a16_i64', 'churn:100:200000'], ['ptr_int', 'churn:100:200000'], ['any_int', 'churn:100:200000'],
      ['i64_i64', 'churn:8:1000']];
  for (const [type, w] of churns) data.churn.push(...probe(bin, ['-type', type, '-workload', w, '-runs', '3']));
  log('churn');
  for (const type of ['i64_i64', 'str_int']) data.update.push(...probe(bin, ['-type', type, '-workload', 'update:8:1']));
  const name = `go1.${/^go1\.(\d+)/.exec(version)[1]}${experiments.map((x) => `-${x}`).join('')}.json`;
  writeFileSync(join(here, 'data', name), JSON.stringify(data) + '\n');
  log(`wrote data/${name}`);
}
