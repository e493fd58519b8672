// Reading and comparing the probe's recordings (test/oracle) with the engine.
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  charge, layoutOf, mapShape, parseGoType, predict, resolveGoTarget, type Prediction,
} from '../../server/src/core/engine/index';

/** [insert, kind, bytes, mallocs, B or tables, op?] */
export type RecEvent = [number, string, number, number, number, string?];
export interface Run {
  type: string; key: string; value: string; hint: number; n: number; workload: string;
  make: [number, number]; perEntry: [number, number]; events: RecEvent[];
  overflow: [number, number, number, number][]; final: number; total: number;
}
export interface Recording {
  go: string; impl: 'classic' | 'swiss';
  hints: Run[]; long: Run[]; dist: Run[]; churn: Run[]; update: Run[];
}

export const DATA_DIR = join(__dirname, '..', 'oracle', 'data');

export function loadRecording(file: string): Recording {
  const p = join(DATA_DIR, file);
  if (!existsSync(p)) throw new Error(`missing recording ${p}: run node test/oracle/record.mjs`);
  return JSON.parse(readFileSync(p, 'utf8')) as Recording;
}

export const layout = (t: string) => layoutOf(parseGoType(t));

/** The Go version the engine should model for a recording: the probe's runtime.Version(), experiments included. */
export const goOf = (r: Recording) => r.go;

/** Every recording in test/oracle/data, oldest Go first. */
export const RECORDINGS = ['go1.19.json', 'go1.26.json', 'go1.27.json', 'go1.27-mapsplitgroup.json'];

export function enginePredict(run: Run, go: string, seed = 1, runs = 1): Prediction {
  return predict(layout(run.key), layout(run.value), {
    entries: run.n, hint: run.hint, go, seed, runs, workload: run.workload,
  });
}

/** Bytes of one swiss table (struct + groups) and of a directory, from the layouts. */
function swissModel(run: Run, go: string) {
  const shape = mapShape(layout(run.key), layout(run.value), resolveGoTarget(go));
  const table = (cap: number) => 32 + charge((cap / 8) * shape.groupSize, shape.groupPointers, shape.alloc);
  const dir = (n: number) => charge(8 * n, true, shape.alloc);
  return { shape, table, dir };
}

/**
 * Compares one recorded fill run with the engine. Deterministic parts must agree exactly;
 * hash-dependent events must at least have a byte count the model can produce.
 * Returns human-readable mismatches (empty when everything agrees).
 */
export function compareFill(run: Run, impl: 'classic' | 'swiss', go: string): string[] {
  const bad: string[] = [];
  const where = `${run.type} hint=${run.hint} n=${run.n}`;
  const p = enginePredict(run, go);
  if (p.events[0].kind !== 'make' || p.events[0].bytes !== run.make[0]) {
    bad.push(`${where}: make ${p.events[0].bytes} B, measured ${run.make[0]} B`);
  }
  if (p.perEntryBytes !== run.perEntry[0]) bad.push(`${where}: per-entry ${p.perEntryBytes}, measured ${run.perEntry[0]}`);

  if (impl === 'classic') {
    // Every growth point is deterministic in a fill: same inserts, same bucket arrays.
    const measured = run.events.filter((e) => e[1] !== 'overflow');
    const engine = p.events.filter((e) => e.kind === 'alloc' || e.kind === 'grow' || e.kind === 'same-size');
    const mi = measured.map((e) => `${e[0]}:${e[1]}`).join(' ');
    const ei = engine.map((e) => `${e.insert}:${e.kind}`).join(' ');
    if (mi !== ei) bad.push(`${where}: growth points differ\n  measured ${mi}\n  engine   ${ei}`);
    const bucket = charge(mapShape(layout(run.key), layout(run.value), resolveGoTarget(go)).bucketSize, true, { mallocHeaders: false });
    for (let i = 0; i < Math.min(measured.length, engine.length); i++) {
      const [ins, , bytes, mallocs] = measured[i];
      const core = engine[i].allocs[0];
      if (mallocs === 1 ? bytes !== core : !(bytes > core && bytes - core <= (mallocs - 1) * Math.max(bucket + 8, 8192))) {
        bad.push(`${where}: insert ${ins}: measured ${bytes} B in ${mallocs} mallocs, engine array ${core} B`);
      }
    }
    return bad;
  }

  const { table, dir } = swissModel(run, go);
  const makeTables = p.tables && p.events[0].detail.match(/(\d+) table/) ? Number(p.events[0].detail.match(/(\d+) table/)![1]) : 0;
  const firstSplit = run.events.findIndex((e) => e[1] === 'split');
  const exactUpTo = makeTables <= 1 ? (firstSplit < 0 ? run.events.length : firstSplit + 1) : 0;
  const fmt = (x: [number, string, number]) => `${x[0]}:${x[1]}:${x[2]}`;
  const me = run.events.slice(0, exactUpTo).map((e) => fmt([e[0], e[1], e[2]]));
  const ee = p.events.filter((e) => e.kind !== 'make').slice(0, exactUpTo).map((e) => fmt([e.insert, e.kind, e.bytes]));
  if (me.join(' ') !== ee.join(' ')) bad.push(`${where}: deterministic events differ\n  measured ${me.join(' ')}\n  engine   ${ee.join(' ')}`);
  // Later events depend on the hash seed: check each one's bytes against the model.
  const possible = new Set<number>();
  for (let c = 16; c <= 1024; c *= 2) possible.add(table(c));
  for (let n = 1; n <= 1 << 16; n *= 2) possible.add(2 * table(1024) + (n === 1 ? 0 : dir(n)));
  for (const e of run.events.slice(exactUpTo)) {
    if (!possible.has(e[2])) bad.push(`${where}: insert ${e[0]} ${e[1]} measured ${e[2]} B: no table/split/directory combination gives that`);
  }
  return bad;
}

export function quantiles(xs: number[]): { min: number; median: number; max: number } {
  const s = [...xs].sort((a, b) => a - b);
  return { min: s[0], median: s[Math.floor((s.length - 1) / 2)], max: s[s.length - 1] };
}

/** Two samples "match" when each one's median lies within the other's observed range. */
export function distributionsOverlap(measured: number[], engine: number[], slack = 0): string | null {
  const m = quantiles(measured);
  const e = quantiles(engine);
  const ok = e.median >= m.min - slack && e.median <= m.max + slack && m.median >= e.min - slack && m.median <= e.max + slack;
  return ok ? null : `measured ${JSON.stringify(m)} vs engine ${JSON.stringify(e)}`;
}
