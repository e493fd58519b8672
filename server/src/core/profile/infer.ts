// From the allocations a profile recorded at a map site to how many entries the map held, with the
// engine as the model. The engine simulates the site's map (its key and value layouts, its hint, the
// Go target) over a few hash seeds; each allocation size it makes appears first at some insert (a
// "milestone": the bucket array of B = 12, the first 1024-slot table, a directory of 32 tables). The
// profile holds the sizes that really happened, so the map got at least as far as the last milestone
// it shows and not as far as the first one it lacks. With every allocation recorded
// (MemProfileRate = 1) and one map made at the site, the number of its largest arrays narrows that
// further (a swiss map past 1,024 slots allocates two 1024-slot tables per split). Only milestones
// the profile could not have missed count against a size: with sampling, the big allocations only.
import { predict, type GrowthEvent, type Layout, type MapImpl, type Prediction } from '../engine';
import { formatBytes, formatCount } from '../../../../common/format';

export interface EngineTarget {
  go: string;
  goexperiment?: string;
  impl: MapImpl;
}

export interface Observed {
  /** Allocation sizes of the map recorded at the site (its creation and growth lines) → objects. */
  sizes: ReadonlyMap<number, number>;
  /** Sizes recorded on a line that writes this map and another one, which either may have made. */
  maybe?: ReadonlySet<number>;
  /** The heap profile's sampling rate in bytes (runtime.MemProfileRate); 1 records every allocation. */
  rate: number;
  /** How many maps the site made (its header allocations), when the profile shows them. */
  maps?: number;
}

export interface SizeRange {
  min: number;
  /** Undefined: more than the engine simulates (MAX_SIMULATED entries). */
  max?: number;
  /** What the range rests on, for people: "631 KB first allocated at insert 13,313 (B 11→12)". */
  basis: string;
  /** Every allocation was recorded (rate 1), so the sizes missing count too. */
  exact: boolean;
  /** Hash seeds simulated: the range is their union. */
  seeds: number;
}

/** Entries beyond which the engine is not asked (a classic run takes about 0.1 s per million entries). */
export const MAX_SIMULATED = 4_000_000;
const FIRST_RUN = 2048;
/** Up to this many entries a map's buckets may live on the stack, so their absence proves nothing. */
const STACK_ENTRIES = 8;
/** With sampling, an allocation of at least this many times the rate is recorded with probability ≥ 99%. */
const SURE_RECORD_RATES = 4.6;
/** With sampling, smaller sizes are too easily another small allocation on the same line. */
const SAMPLED_MIN_EVIDENCE = 1024;

const opts = (t: EngineTarget) => ({ go: t.go, ...(t.goexperiment ? { goexperiment: t.goexperiment } : {}) });

function seedsFor(impl: MapImpl, entries: number): number {
  // Classic growth points are deterministic (only overflow buckets depend on the hash); swiss
  // splits past one table move with the seed.
  if (impl === 'classic') return 1;
  return entries <= 100_000 ? 8 : entries <= 1_000_000 ? 4 : 2;
}

function simulate(key: Layout, value: Layout, t: EngineTarget, hint: number, entries: number): Prediction[] {
  const runs: Prediction[] = [];
  for (let seed = 1; seed <= seedsFor(t.impl, entries); seed++) runs.push(predict(key, value, { entries, hint, ...opts(t), seed }));
  return runs;
}

interface Milestone {
  insert: number;
  size: number;
  detail: string;
}

const structural = (e: GrowthEvent) => e.kind !== 'overflow';

function milestones(p: Prediction): Milestone[] {
  const seen = new Set<number>();
  const out: Milestone[] = [];
  for (const e of p.events) {
    if (!structural(e)) continue;
    for (const a of e.allocs) {
      if (seen.has(a)) continue;
      seen.add(a);
      out.push({ insert: e.insert, size: a, detail: e.detail });
    }
  }
  return out;
}

/** [insert, allocations of `size` so far] at each insert that makes one. */
function countSteps(p: Prediction, size: number): [number, number][] {
  const steps: [number, number][] = [];
  let n = 0;
  for (const e of p.events) {
    if (!structural(e)) continue;
    const k = e.allocs.filter((a) => a === size).length;
    if (k === 0) continue;
    n += k;
    steps.push([e.insert, n]);
  }
  return steps;
}

type SeedRange =
  | { kind: 'range'; min: number; max: number; stage?: Milestone }
  /** The run ended before it could tell: simulate more entries. */
  | { kind: 'more' }
  | { kind: 'none' };

/** The inserts at which one run's allocations so far agree with what the profile recorded. */
function seedRange(p: Prediction, obs: Observed, counts: boolean): SeedRange {
  const exact = obs.rate <= 1;
  const seen = (s: number) => (obs.sizes.get(s) ?? 0) > 0 || obs.maybe?.has(s) === true;
  const sure = (m: Milestone) => m.insert > STACK_ENTRIES && (exact || m.size >= SURE_RECORD_RATES * obs.rate);
  const ms = milestones(p);
  let stage: Milestone | undefined;
  let missing: Milestone | undefined;
  if (exact) {
    for (const m of ms) {
      if (seen(m.size)) stage = m;
      else if (sure(m)) {
        missing = m;
        break;
      }
    }
  } else {
    for (const m of ms) if (seen(m.size) && m.size >= SAMPLED_MIN_EVIDENCE && (!stage || m.insert > stage.insert)) stage = m;
    missing = ms.find((m) => m.insert > (stage?.insert ?? 0) && sure(m) && !seen(m.size));
  }
  const complete = p.entries >= MAX_SIMULATED;
  if (!missing && !complete) return { kind: 'more' };
  let min = stage?.insert ?? 0;
  let max = missing ? missing.insert - 1 : MAX_SIMULATED;
  // Every allocation recorded and one map: the number of its largest arrays must match as well.
  if (counts && exact && obs.maps === 1 && stage) {
    const largest = maxOf(ms.filter((m) => m.insert <= stage!.insert && seen(m.size)).map((m) => m.size));
    const want = obs.sizes.get(largest) ?? 0;
    const steps = countSteps(p, largest);
    const at = steps.findIndex(([, n]) => n === want);
    if (at < 0) return steps.length > 0 && steps[steps.length - 1][1] < want && !complete ? { kind: 'more' } : { kind: 'none' };
    min = Math.max(min, steps[at][0]);
    const next = steps[at + 1]?.[0];
    if (next !== undefined) max = Math.min(max, next - 1);
    else if (!missing && !complete) return { kind: 'more' };
  }
  return max < min ? { kind: 'none' } : { kind: 'range', min, max, ...(stage ? { stage } : {}) };
}

/** Ranges already inferred: the editor attributes the same profile again after every edit. */
const memo = new Map<string, SizeRange | undefined>();
const MEMO_LIMIT = 256;

/**
 * The entry range the recorded allocations imply, or undefined when no run of the engine explains
 * them (another Go version, a type the engine lays out differently, another map's costs).
 */
export function inferSize(key: Layout, value: Layout, target: EngineTarget, hint: number, obs: Observed): SizeRange | undefined {
  const k = JSON.stringify([key, value, target, hint, [...obs.sizes], [...(obs.maybe ?? [])], obs.rate, obs.maps]);
  if (memo.has(k)) return memo.get(k);
  const range = infer(key, value, target, hint, obs);
  if (memo.size >= MEMO_LIMIT) memo.clear();
  memo.set(k, range);
  return range;
}

function infer(key: Layout, value: Layout, target: EngineTarget, hint: number, obs: Observed): SizeRange | undefined {
  for (let entries = FIRST_RUN; ; entries = Math.min(MAX_SIMULATED, entries * 4)) {
    const runs = simulate(key, value, target, hint, entries);
    let ranges = runs.map((p) => seedRange(p, obs, true));
    if (ranges.some((r) => r.kind === 'more')) continue;
    // The counts may not match (an allocation shared with another map on the line): sizes alone then.
    if (!ranges.some((r) => r.kind === 'range')) ranges = runs.map((p) => seedRange(p, obs, false));
    if (ranges.some((r) => r.kind === 'more')) continue;
    const ok = ranges.filter((r): r is Extract<SeedRange, { kind: 'range' }> => r.kind === 'range');
    if (ok.length === 0) return undefined;
    const min = -maxOf(ok.map((r) => -r.min));
    const max = maxOf(ok.map((r) => r.max));
    const stage = ok.map((r) => r.stage).filter((s): s is Milestone => s !== undefined).sort((a, b) => b.insert - a.insert)[0];
    return {
      min,
      ...(max < MAX_SIMULATED ? { max } : {}),
      basis: basisOf(stage, obs, runs[0]),
      exact: obs.rate <= 1,
      seeds: runs.length,
    };
  }
}

function basisOf(stage: Milestone | undefined, obs: Observed, p: Prediction): string {
  if (!stage) return 'no growth allocation recorded';
  const first = `${formatBytes(stage.size)} first allocated at insert ${formatCount(stage.insert)}: ${stage.detail}`;
  if (obs.rate > 1 || obs.maps !== 1) return first;
  const sizes = new Set(milestones(p).map((m) => m.size));
  const largest = maxOf([...obs.sizes.keys()].filter((s) => sizes.has(s)));
  const n = obs.sizes.get(largest) ?? 0;
  return n > 1 ? `${formatCount(n)} allocations of ${formatBytes(largest)}; ${first}` : first;
}

/**
 * The hint a map's creation must have had for its largest first allocation to be `largestInitial`
 * bytes (the largest such hint: the map grows the same for all of them); undefined when none has.
 */
export function hintForInitial(key: Layout, value: Layout, t: EngineTarget, largestInitial: number): number | undefined {
  const first = (hint: number) => {
    const make = predict(key, value, { entries: 0, hint, ...opts(t) }).events.find((e) => e.kind === 'make');
    return make ? maxOf(make.allocs) : 0;
  };
  let hi = 16;
  while (first(hi) <= largestInitial && hi < 50_000_000) hi *= 2;
  let lo = 0;
  while (lo + 1 < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (first(mid) <= largestInitial) lo = mid;
    else hi = mid;
  }
  return first(lo) === largestInitial ? lo : undefined;
}

/** What a map of `entries` allocates for its tables with hint `hint`, by the engine (first seed). */
export function bytesWithHint(key: Layout, value: Layout, t: EngineTarget, entries: number, hint: number): number {
  const p = predict(key, value, { entries, hint, ...opts(t) });
  return p.totalBytes - p.perEntryBytes * entries;
}

/** The largest of some numbers (-Infinity for none), read in a loop: a list can be longer than a call takes arguments. */
export function maxOf(xs: Iterable<number>): number {
  let max = -Infinity;
  for (const x of xs) if (x > max) max = x;
  return max;
}
