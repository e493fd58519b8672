// The growth panel's numbers for one map site: the engine's timeline as the code is and with a
// capacity hint, over a few hash seeds so that the hash-dependent parts (classic overflow buckets,
// swiss splits past one table) show as a band. Curves are polylines exact at every insert number
// (cumulative bytes allocated, live bytes), thinned to a few thousand corners for very large maps.
import { addCorner, MAX_ENTRIES, predict, PredictError, SOURCE_MAX_ENTRIES, type GrowthEvent, type MapImpl, type Prediction, type Stat } from './engine';
import { goExperiments, mapImplementation, NEWEST_GO, type GoVersion } from './go-version';
import { DEFAULT_MAP_SIZE } from './analysis/pass';
import type { MapSite } from './sites';

export interface TimelineOptions {
  go: GoVersion;
  /** Compare another implementation than the one `go` uses (the panel's switch). */
  impl?: MapImpl;
  /** Entries to insert; default: the site's inferred size, else `defaultMapSize`. */
  entries?: number;
  /** The hint of the "with hint" variant; default: the entries (what the suggested hint evaluates to). */
  hint?: number;
  defaultMapSize?: number;
  /** Seeds to simulate; default: as many as fit a small time budget (see runsFor). */
  runs?: number;
}

export interface Totals {
  /** Growth events: table doublings, splits, classic bucket-array growths. */
  growths: number;
  totalBytes: number;
  peakBytes: number;
  /** Live bytes at the end. */
  liveBytes: number;
}

/** A row of the events table: one event, or a run of classic overflow-bucket allocations folded into one. */
export interface TimelineEvent {
  insert: number;
  kind: GrowthEvent['kind'];
  bytes: number;
  capacityBefore: number;
  capacityAfter: number;
  moved: number;
  detail: string;
  /** Folded overflow allocations: how many, and the insert of the last. */
  count?: number;
  lastInsert?: number;
}

export type Point = [insert: number, bytes: number];

export interface VariantTimeline {
  hint: number;
  events: TimelineEvent[];
  /** Cumulative bytes allocated after each insert (first seed). */
  allocated: Point[];
  /** [insert, min, max] of the cumulative bytes over the seeds; absent when every seed agrees. */
  band?: [insert: number, min: number, max: number][];
  /** Live bytes after each insert (first seed). */
  live: Point[];
  totals: Totals;
  /** Over the seeds, when they differ. */
  spread?: { growths: Stat; totalBytes: Stat; peakBytes: Stat; liveBytes: Stat };
  /** Entries it holds at the end before its next growth. */
  capacity: number;
}

export interface SiteTimelines {
  siteId: string;
  /** The Go version modelled ("1.26", "1.24 noswissmap") and its map implementation. */
  go: string;
  impl: MapImpl;
  /** The implementation `go` itself uses (the panel offers the other one to compare). */
  naturalImpl: MapImpl;
  entries: number;
  entriesSource: 'given' | 'inferred' | 'default';
  asIs: VariantTimeline;
  withHint: VariantTimeline;
  /** As is minus with hint. */
  savings: Totals;
  runs: number;
  /** Assumptions behind the numbers, for people. */
  notes: string[];
}

export class TimelineError extends Error {}

/** Entries × seeds simulated per variant: a default-size (1000) site gets 8 seeds in a few ms. */
const ENTRY_RUN_BUDGET = 100_000;
const MAX_RUNS = 8;
/** Corners per curve sent to the panel; more than a chart's width can show. */
const MAX_POINTS = 2000;

export function runsFor(entries: number): number {
  return Math.max(1, Math.min(MAX_RUNS, Math.floor(ENTRY_RUN_BUDGET / Math.max(1, entries))));
}

/** The Go version string and GOEXPERIMENT the engine needs for `go`, or for `impl` when it is the other implementation. */
export function engineTarget(go: GoVersion, impl?: MapImpl): { go: string; goexperiment?: string; impl: MapImpl } {
  const natural = mapImplementation(go);
  const want = impl ?? natural;
  const experiments = goExperiments(go).join(',');
  if (want === natural) return { go: `1.${go.minor}`, impl: want, ...(experiments ? { goexperiment: experiments } : {}) };
  // 1.24 and 1.25 have both (GOEXPERIMENT=noswissmap); otherwise the nearest release that has the other one.
  if (go.minor === 24 || go.minor === 25) return { go: `1.${go.minor}`, impl: want, ...(want === 'classic' ? { goexperiment: 'noswissmap' } : {}) };
  return want === 'classic' ? { go: '1.23', impl: want } : { go: `1.${NEWEST_GO.minor}`, impl: want };
}

/** Both timelines for a site. Throws TimelineError when its types cannot be laid out. */
export function siteTimelines(site: MapSite, opts: TimelineOptions): SiteTimelines {
  const key = site.key.layout;
  const value = site.value.layout;
  if (!key || !value) throw new TimelineError(`the engine cannot lay out ${!key ? site.key.text : site.value.text}`);
  const entriesSource = opts.entries !== undefined ? 'given' : site.size.value !== undefined ? 'inferred' : 'default';
  const wanted = opts.entries ?? site.size.value ?? opts.defaultMapSize ?? DEFAULT_MAP_SIZE;
  const notes = [...site.assumptions];
  // A size from the source (a loop bound, a literal, a hint) can be anything: show its first
  // SOURCE_MAX_ENTRIES inserts, which are exactly the start of the real timeline.
  let entries = wanted;
  if (entriesSource === 'inferred' && wanted > SOURCE_MAX_ENTRIES) {
    entries = SOURCE_MAX_ENTRIES;
    const expr = site.size.expr && site.size.expr !== String(wanted) ? `${site.size.expr} = ` : '';
    notes.push(`the code's ${expr}${wanted} entries: these are the first ${SOURCE_MAX_ENTRIES} inserts (ask for up to ${MAX_ENTRIES})`);
  }
  if (!Number.isSafeInteger(entries) || entries < 0 || entries > MAX_ENTRIES) throw new TimelineError(`entries must be an integer from 0 to ${MAX_ENTRIES}`);
  const target = engineTarget(opts.go, opts.impl);
  const runs = opts.runs ?? runsFor(entries);
  let asIsHint = 0;
  if (site.hint?.value !== undefined) asIsHint = site.hint.value;
  else if (site.hint) {
    asIsHint = entries;
    notes.push(`the hint ${site.hint.text} is taken to equal the entries`);
  }
  const withHint = opts.hint ?? entries;
  if (!Number.isSafeInteger(withHint) || withHint < 0) throw new TimelineError('hint must be a non-negative integer');
  const run = (hint: number) => {
    try {
      return variant(key, value, { entries, hint, go: target.go, goexperiment: target.goexperiment }, runs);
    } catch (e) {
      if (e instanceof PredictError) throw new TimelineError(e.message);
      throw e;
    }
  };
  const a = run(asIsHint);
  const b = withHint === asIsHint ? a : run(withHint);
  for (const n of [...a.prediction.notes, ...b.prediction.notes]) if (!notes.includes(n)) notes.push(n);
  const first = a.prediction;
  if (entriesSource === 'default') notes.push(`${entries} entries assumed: the size is not known (the mapscope.defaultMapSize setting)`);
  return {
    siteId: site.id,
    go: first.go,
    impl: first.impl,
    naturalImpl: mapImplementation(opts.go),
    entries,
    entriesSource,
    asIs: a.timeline,
    withHint: b.timeline,
    savings: {
      growths: a.timeline.totals.growths - b.timeline.totals.growths,
      totalBytes: a.timeline.totals.totalBytes - b.timeline.totals.totalBytes,
      peakBytes: a.timeline.totals.peakBytes - b.timeline.totals.peakBytes,
      liveBytes: a.timeline.totals.liveBytes - b.timeline.totals.liveBytes,
    },
    runs,
    notes,
  };
}

const isGrowth = (e: GrowthEvent) => e.kind === 'grow' || e.kind === 'split' || e.kind === 'same-size';

function totalsOf(p: Prediction): Totals {
  return { growths: p.events.filter(isGrowth).length, totalBytes: p.totalBytes, peakBytes: p.peakBytes, liveBytes: p.liveBytes };
}

function variant(
  key: NonNullable<MapSite['key']['layout']>,
  value: NonNullable<MapSite['value']['layout']>,
  o: { entries: number; hint: number; go: string; goexperiment?: string },
  runs: number,
): { prediction: Prediction; timeline: VariantTimeline } {
  const predictions: Prediction[] = [];
  for (let i = 0; i < runs; i++) predictions.push(predict(key, value, { ...o, seed: 1 + i, traceLive: i === 0 }));
  const first = predictions[0];
  const curves = predictions.map((p) => allocatedCurve(p.events, p.perEntryBytes, o.entries));
  const keep = structuralXs(first.events);
  const timeline: VariantTimeline = {
    hint: o.hint,
    events: foldOverflow(first.events),
    allocated: thin(curves[0], keep),
    live: thin(first.live ?? [[0, 0]], keep),
    totals: totalsOf(first),
    capacity: first.capacity,
  };
  const same = (a: Point[], b: Point[]) => a.length === b.length && a.every((p, i) => p[0] === b[i][0] && p[1] === b[i][1]);
  // Swiss splits past one table move with the seed while their bytes stay the same: compare curves.
  if (predictions.some((p, i) => p.peakBytes !== first.peakBytes || p.liveBytes !== first.liveBytes || !same(curves[i], curves[0]))) {
    timeline.band = thinBand(envelope(curves), keep);
    const stat = (f: (p: Prediction) => number): Stat => {
      const v = predictions.map(f).sort((x, y) => x - y);
      return { min: v[0], median: v[Math.floor((v.length - 1) / 2)], max: v[v.length - 1] };
    };
    timeline.spread = {
      growths: stat((p) => p.events.filter(isGrowth).length),
      totalBytes: stat((p) => p.totalBytes),
      peakBytes: stat((p) => p.peakBytes),
      liveBytes: stat((p) => p.liveBytes),
    };
  }
  return { prediction: first, timeline };
}

/**
 * Cumulative bytes allocated after each insert, as polyline corners exact at every integer:
 * each event adds its bytes at its insert, and indirect keys/values add `perEntry` per insert.
 */
export function allocatedCurve(events: readonly GrowthEvent[], perEntry: number, entries: number): Point[] {
  // Bytes per insert number (events come in insert order; an insert may carry more than one).
  const steps: [number, number][] = [];
  for (const e of events) {
    const last = steps[steps.length - 1];
    if (last && last[0] === e.insert) last[1] += e.bytes;
    else steps.push([e.insert, e.bytes]);
  }
  const out: Point[] = [];
  let x = 0;
  let y = steps[0]?.[0] === 0 ? steps[0][1] : 0;
  const at = (nx: number) => y + perEntry * (nx - x);
  addCorner(out, 0, y);
  for (const [ix, bytes] of steps) {
    if (ix === 0) continue;
    if (ix - 1 > x) addCorner(out, ix - 1, at(ix - 1));
    y = at(ix) + bytes;
    x = ix;
    addCorner(out, x, y);
  }
  if (entries > x) addCorner(out, entries, at(entries));
  return out;
}

/** The polyline's value at each x of a sorted list (linear between corners, flat past the ends). */
export function sample(poly: readonly Point[], xs: readonly number[]): number[] {
  const out: number[] = [];
  let i = 0;
  for (const x of xs) {
    while (i < poly.length - 1 && poly[i + 1][0] < x) i++;
    const [x0, y0] = poly[i];
    const next = poly[i + 1];
    if (!next || x <= x0) out.push(y0);
    else out.push(x >= next[0] ? next[1] : y0 + ((next[1] - y0) * (x - x0)) / (next[0] - x0));
  }
  return out;
}

/** Min and max over the curves at every corner of any of them (between corners they are parallel). */
function envelope(curves: readonly Point[][]): [number, number, number][] {
  const xs = [...new Set(curves.flatMap((c) => c.flatMap(([x]) => (x > 0 ? [x - 1, x] : [x]))))].sort((a, b) => a - b);
  const values = curves.map((c) => sample(c, xs));
  return xs.map((x, i) => {
    let min = Infinity;
    let max = -Infinity;
    for (const v of values) {
      min = Math.min(min, v[i]);
      max = Math.max(max, v[i]);
    }
    return [x, min, max];
  });
}

/** Inserts of the structural events (not overflow buckets), whose steps a thinned curve keeps exactly. */
function structuralXs(events: readonly GrowthEvent[]): number[] {
  return events.filter((e) => e.kind !== 'overflow').map((e) => e.insert);
}

function gridFor(last: number, keep: readonly number[]): number[] {
  const xs = new Set<number>([0, last]);
  for (const k of keep) {
    xs.add(k);
    if (k > 0) xs.add(k - 1);
  }
  const n = Math.max(2, MAX_POINTS - xs.size);
  for (let i = 0; i <= n; i++) xs.add(Math.round((last * i) / n));
  return [...xs].sort((a, b) => a - b);
}

/** The curve itself when small; else sampled on an even grid plus the structural steps. */
function thin(poly: Point[], keep: readonly number[]): Point[] {
  if (poly.length <= MAX_POINTS) return poly;
  const xs = gridFor(poly[poly.length - 1][0], keep);
  const ys = sample(poly, xs);
  const out: Point[] = [];
  xs.forEach((x, i) => addCorner(out, x, ys[i]));
  return out;
}

function thinBand(band: [number, number, number][], keep: readonly number[]): [number, number, number][] {
  if (band.length <= MAX_POINTS) return band;
  const xs = gridFor(band[band.length - 1][0], keep);
  const lo = sample(band.map(([x, min]) => [x, min]), xs);
  const hi = sample(band.map(([x, , max]) => [x, max]), xs);
  return xs.map((x, i) => [x, lo[i], hi[i]]);
}

/** Consecutive overflow-bucket allocations become one row, as in `mapscope predict`'s table. */
export function foldOverflow(events: readonly GrowthEvent[]): TimelineEvent[] {
  const rows: TimelineEvent[] = [];
  for (const e of events) {
    const row: TimelineEvent = {
      insert: e.insert, kind: e.kind, bytes: e.bytes, capacityBefore: e.capacityBefore,
      capacityAfter: e.capacityAfter, moved: e.moved, detail: e.detail,
    };
    const last = rows[rows.length - 1];
    if (e.kind === 'overflow' && last?.kind === 'overflow') {
      last.count = (last.count ?? 1) + 1;
      last.lastInsert = e.insert;
      last.bytes += e.bytes;
      last.capacityAfter = e.capacityAfter;
      last.detail = 'overflow buckets';
      continue;
    }
    rows.push(row);
  }
  return rows;
}
