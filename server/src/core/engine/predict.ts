// predict(): run the right simulator for a Go target, a key/value layout and a workload, and
// return the growth timeline; over several seeds, also the spread of the hash-dependent parts.

import { ClassicSim } from './classic';
import { resolveGoTarget, type GoTarget, type MapImpl } from './go-version';
import { hintPlan, MAX_HINT } from './hint-bound';
import type { Layout } from './layout';
import { mapShape, type MapShape } from './map-shape';
import { SwissCountSim } from './swiss-count';
import { SwissSlotSim } from './swiss-slots';
import { Recorder, type GrowthEvent, type EventKind } from './timeline';
import { formatWorkload, parseWorkload, runWorkload, type Workload } from './workload';

export interface PredictOptions {
  /** Distinct keys to insert (for `fill`; churn/update take their size from the workload). */
  entries: number;
  /** The `make(map[K]V, hint)` hint; 0 or absent for none. */
  hint?: number;
  /** Go version ("1.23", "go1.24.4", "go1.24.4 X:noswissmap", "go1.27.3-X:mapsplitgroup"); picks the implementation. */
  go?: string;
  /** Force the implementation (with `go`, they must agree). */
  impl?: MapImpl;
  /** GOEXPERIMENT value: `noswissmap` (1.24/1.25), `mapsplitgroup` (1.27+). */
  goexperiment?: string;
  /** Seed of the simulated per-map hash seed; runs use seed, seed+1, ... Default 1. */
  seed?: number;
  /** Number of seeds to simulate; > 1 adds `spread`. Default 1. */
  runs?: number;
  workload?: Workload | string;
  /** Also return `live`: the live bytes after every change, for the first seed (costs a little time). */
  traceLive?: boolean;
}

export interface Stat { min: number; median: number; max: number }

export interface SpreadEvent {
  /** 1-based position among the structural (non-overflow) events after `make`. */
  ordinal: number;
  kind: EventKind;
  /** How many of the runs had this event. */
  runs: number;
  insert: Stat;
  bytes: Stat;
}

export interface Spread {
  runs: number;
  seeds: number[];
  events: SpreadEvent[];
  totalBytes: Stat;
  liveBytes: Stat;
  peakBytes: Stat;
  /** Classic: bytes charged for overflow buckets and their bookkeeping. */
  overflowBytes?: Stat;
  /** Swiss: tables at the end, and splits. */
  tables?: Stat;
  splits?: Stat;
}

export interface Prediction {
  impl: MapImpl;
  go: string;
  key: Layout;
  value: Layout;
  entries: number;
  hint: number;
  workload: string;
  seed: number;
  events: GrowthEvent[];
  totalBytes: number;
  liveBytes: number;
  peakBytes: number;
  /** Bytes of the separately allocated key/value objects of each entry (> 128 bytes). */
  perEntryBytes: number;
  /** Entries the map holds at the end before its next growth allocation. */
  capacity: number;
  /** Classic: final B; swiss: final tables and directory length. */
  buckets?: { B: number; overflowAllocs: number; overflowBytes: number; sameSizeGrows: number };
  tables?: { count: number; directory: number; splits: number };
  /** Unknown types and other guesses behind the numbers. */
  assumptions: string[];
  /** What the runtime did with the hint when it is not the obvious (a hint it ignores). */
  notes: string[];
  spread?: Spread;
  /** With `traceLive`: [insert, live bytes] corners of the live-bytes polyline of the first seed. */
  live?: [number, number][];
}

export class PredictError extends Error {}

/**
 * The most entries the engine simulates: 50 million. A `map[int64]int64` that size takes the
 * swiss simulator about 4 s and the classic one 10 s and 800 MB (its overflow events), and a Go
 * program holding it about 1.4 GB.
 */
export const MAX_ENTRIES = 50_000_000;

/**
 * A size read from the source (a loop bound, a literal's length, a hint) is predicted up to this
 * many entries unless a person asks for more: a million inserts take the simulators 0.1–0.2 s, so
 * a diagnostic or the panel's first answer never waits seconds on a number the code contains.
 */
export const SOURCE_MAX_ENTRIES = 1_000_000;

function stat(values: number[]): Stat {
  const s = [...values].sort((a, b) => a - b);
  return { min: s[0], median: s[Math.floor((s.length - 1) / 2)], max: s[s.length - 1] };
}

interface RunResult {
  rec: Recorder;
  capacity: number;
  buckets?: Prediction['buckets'];
  tables?: Prediction['tables'];
}

function runOnce(shape: MapShape, target: GoTarget, hint: number, w: Workload, entries: number, seed: number, traceLive = false): RunResult {
  const rec = new Recorder({ traceLive });
  const totalKeys = w.kind === 'fill' ? entries : w.size + (w.kind === 'churn' ? w.ops : 0);
  if (target.impl === 'classic') {
    const sim = new ClassicSim(shape, rec, hint, seed);
    runWorkload(sim, w, entries);
    return {
      rec, capacity: sim.capacity(),
      buckets: { B: sim.bucketsLog2, overflowAllocs: sim.overflowAllocs, overflowBytes: sim.overflowBytes, sameSizeGrows: sim.sameSizeGrows },
    };
  }
  const smallUpdateQuirk = target.minor >= 24 && target.minor <= 26;
  if (w.kind === 'churn') {
    const sim = new SwissSlotSim(shape, rec, hint, seed, totalKeys, {
      smallUpdateQuirk,
      // pruneTombstones arrived in 1.25 on the fast32/fast64/faststr paths; 1.27 added it to
      // the pointer-key paths (fast32ptr/fast64ptr). The generic path never prunes.
      prune: target.minor >= 25 && (shape.assignPath === 'fast' || (target.minor >= 27 && shape.assignPath === 'fastptr')),
      slowProbe: shape.assignPath === 'slow',
    });
    runWorkload(sim, w, entries);
    return { rec, capacity: sim.capacity(), tables: { count: sim.tables, directory: sim.directoryLength, splits: sim.splits } };
  }
  const sim = new SwissCountSim(shape, rec, hint, seed, totalKeys, { smallUpdateQuirk });
  runWorkload(sim, w, entries);
  return { rec, capacity: sim.capacity(), tables: { count: sim.tables, directory: sim.directoryLength, splits: sim.splits } };
}

/** Predicts the growth timeline of a map with the given key and value layouts. */
export function predict(key: Layout, value: Layout, opts: PredictOptions): Prediction {
  let target: GoTarget;
  try {
    target = resolveGoTarget(opts.go, opts.impl, opts.goexperiment);
  } catch (e) {
    throw new PredictError((e as Error).message);
  }
  const w = typeof opts.workload === 'string' ? parseWorkload(opts.workload) : opts.workload ?? { kind: 'fill' };
  const entries = w.kind === 'fill' ? opts.entries : w.size;
  if (!Number.isSafeInteger(entries) || entries < 0 || entries > MAX_ENTRIES) {
    throw new PredictError(`entries must be an integer from 0 to ${MAX_ENTRIES}`);
  }
  const hint = opts.hint ?? 0;
  if (!Number.isInteger(hint)) throw new PredictError('hint must be an integer');
  const runs = opts.runs ?? 1;
  if (!Number.isSafeInteger(runs) || runs < 1 || runs > 10_000) throw new PredictError('runs must be an integer from 1 to 10000');
  const seed = opts.seed ?? 1;
  if (!Number.isSafeInteger(seed)) throw new PredictError('seed must be an integer');

  const shape = mapShape(key, value, target);
  // The simulators size their state by the hint: check what the runtime does with it first.
  const plan = hintPlan(shape, target, hint);
  const notes: string[] = [];
  if (!plan.honoured) {
    notes.push(`the runtime ignores a hint of ${hint}: its table would be larger than the 2^48 bytes a Go process may allocate, so the map starts empty`);
  } else if (hint > MAX_HINT) {
    throw new PredictError(
      `a hint of ${hint} makes Go ${target.label} allocate ${(plan.makeBytes / 1e9).toFixed(1)} GB at once in make; ` +
        `the engine simulates hints up to ${MAX_HINT} (2^27)`,
    );
  }
  const simHint = plan.honoured ? hint : 0;
  const first = runOnce(shape, target, simHint, w, entries, seed, opts.traceLive === true);
  const assumptions = [...new Set([...(key.assumptions ?? []), ...(value.assumptions ?? [])])];
  const result: Prediction = {
    impl: target.impl,
    go: target.label,
    key, value, entries, hint,
    workload: formatWorkload(w),
    seed,
    events: first.rec.events,
    totalBytes: first.rec.totalBytes,
    liveBytes: first.rec.liveBytes,
    peakBytes: first.rec.peakBytes,
    perEntryBytes: shape.perEntryBytes,
    capacity: first.capacity,
    assumptions,
    notes,
  };
  const live = first.rec.liveCorners(w.kind === 'fill' ? entries : 0);
  if (live) result.live = live;
  if (first.buckets) result.buckets = first.buckets;
  if (first.tables) result.tables = first.tables;
  if (runs > 1) {
    const all = [first];
    for (let i = 1; i < runs; i++) all.push(runOnce(shape, target, simHint, w, entries, seed + i));
    result.spread = spreadOf(all, Array.from({ length: runs }, (_, i) => seed + i));
  }
  return result;
}

function spreadOf(results: RunResult[], seeds: number[]): Spread {
  const structural = results.map((r) => r.rec.events.filter((e) => e.kind !== 'make' && e.kind !== 'overflow'));
  const maxLen = structural.reduce((n, s) => Math.max(n, s.length), 0);
  const events: SpreadEvent[] = [];
  for (let i = 0; i < maxLen; i++) {
    const present = structural.filter((s) => s.length > i).map((s) => s[i]);
    const kinds = new Map<EventKind, number>();
    for (const e of present) kinds.set(e.kind, (kinds.get(e.kind) ?? 0) + 1);
    const kind = [...kinds.entries()].sort((a, b) => b[1] - a[1])[0][0];
    events.push({
      ordinal: i + 1, kind, runs: present.length,
      insert: stat(present.map((e) => e.insert)),
      bytes: stat(present.map((e) => e.bytes)),
    });
  }
  const spread: Spread = {
    runs: results.length, seeds, events,
    totalBytes: stat(results.map((r) => r.rec.totalBytes)),
    liveBytes: stat(results.map((r) => r.rec.liveBytes)),
    peakBytes: stat(results.map((r) => r.rec.peakBytes)),
  };
  if (results[0].buckets) spread.overflowBytes = stat(results.map((r) => r.buckets!.overflowBytes));
  if (results[0].tables) {
    spread.tables = stat(results.map((r) => r.tables!.count));
    spread.splits = stat(results.map((r) => r.tables!.splits));
  }
  return spread;
}
