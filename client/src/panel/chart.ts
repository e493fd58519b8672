// The growth panel's chart as data: scales, ticks, SVG path strings and growth-point marks computed
// from a prediction, with no DOM (unit-tested in test/panel-chart.test.ts; main.ts draws the model).
// Curves arrive as polyline corners exact at every insert number (core/timelines.ts). A segment one
// insert wide is a jump at its right end and is drawn as a step (along, then up); wider segments
// are flat or, with per-entry allocations, a ramp, and are drawn straight.
import type { Point, TimelineEvent, VariantTimeline } from '../../../common/protocol';

export interface Scale {
  (v: number): number;
  domain: [number, number];
  range: [number, number];
}

export function linearScale(d0: number, d1: number, r0: number, r1: number): Scale {
  const span = d1 - d0 || 1;
  const f = ((v: number) => r0 + ((v - d0) / span) * (r1 - r0)) as Scale;
  f.domain = [d0, d1];
  f.range = [r0, r1];
  return f;
}

/** log10(v + 1), so that 0 entries has a place on the axis. */
export function logScale(d0: number, d1: number, r0: number, r1: number): Scale {
  const l0 = Math.log10(d0 + 1);
  const span = Math.log10(d1 + 1) - l0 || 1;
  const f = ((v: number) => r0 + ((Math.log10(Math.max(0, v) + 1) - l0) / span) * (r1 - r0)) as Scale;
  f.domain = [d0, d1];
  f.range = [r0, r1];
  return f;
}

/** Round tick values from 0 to at least `max`: steps of 1, 2 or 5 × 10^k, about `count` of them. */
export function niceTicks(max: number, count = 5): number[] {
  if (!(max > 0)) return [0];
  const raw = max / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const ticks: number[] = [];
  for (let v = 0; v < max + step / 2; v += step) ticks.push(Math.round(v / step) * step);
  if (ticks[ticks.length - 1] < max) ticks.push(ticks[ticks.length - 1] + step);
  return ticks;
}

/** 0, 1, 10, 100 … up to the first power of ten at or above `max`, for a log axis. */
export function logTicks(max: number): number[] {
  const ticks = [0];
  for (let p = 1; p / 10 < max; p *= 10) ticks.push(p);
  return ticks;
}

/** 1234 → "1.2 KB" (decimal units, as the diagnostics print them). */
export function formatBytes(n: number): string {
  const a = Math.abs(n);
  const sign = n < 0 ? '−' : '';
  if (a < 1000) return `${sign}${a} B`;
  if (a < 1_000_000) return `${sign}${(a / 1000).toFixed(a < 10_000 ? 1 : 0)} KB`;
  if (a < 1_000_000_000) return `${sign}${(a / 1_000_000).toFixed(a < 10_000_000 ? 1 : 0)} MB`;
  return `${sign}${(a / 1_000_000_000).toFixed(1)} GB`;
}

/** 1500 → "1.5k", for axis labels. */
export function formatCount(n: number): string {
  if (n < 1000) return String(n);
  if (n < 1_000_000) return `${+(n / 1000).toFixed(n < 10_000 ? 1 : 0)}k`;
  return `${+(n / 1_000_000).toFixed(n < 10_000_000 ? 1 : 0)}M`;
}

/** The slider runs from 0 to SLIDER_STEPS on a log scale of entries 0 … SLIDER_MAX. */
export const SLIDER_STEPS = 1000;
export const SLIDER_MAX = 10_000_000;

export function sliderToEntries(v: number): number {
  const t = Math.min(SLIDER_STEPS, Math.max(0, v)) / SLIDER_STEPS;
  return Math.round(Math.exp(t * Math.log(SLIDER_MAX + 1)) - 1);
}

export function entriesToSlider(entries: number): number {
  const e = Math.min(SLIDER_MAX, Math.max(0, entries));
  return Math.round((Math.log(e + 1) / Math.log(SLIDER_MAX + 1)) * SLIDER_STEPS);
}

/** The polyline's value at x (linear between corners, flat past the ends). */
export function valueAt(poly: readonly Point[], x: number): number {
  if (poly.length === 0) return 0;
  if (x <= poly[0][0]) return poly[0][1];
  for (let i = 1; i < poly.length; i++) {
    const [x0, y0] = poly[i - 1];
    const [x1, y1] = poly[i];
    if (x <= x1) return x1 === x0 ? y1 : y0 + ((y1 - y0) * (x - x0)) / (x1 - x0);
  }
  return poly[poly.length - 1][1];
}

/** The vertices drawn for a curve: a one-insert-wide segment becomes along-then-up. */
export function stepVertices(poly: readonly Point[]): Point[] {
  const out: Point[] = [];
  poly.forEach(([x, y], i) => {
    const prev = poly[i - 1];
    if (prev && x - prev[0] === 1 && y !== prev[1]) out.push([x, prev[1]]);
    out.push([x, y]);
  });
  return out;
}

const r2 = (v: number) => Math.round(v * 100) / 100;

function pathOf(vertices: readonly Point[], x: Scale, y: Scale): string {
  return vertices.map(([vx, vy], i) => `${i === 0 ? 'M' : 'L'}${r2(x(vx))},${r2(y(vy))}`).join('');
}

/** SVG path of a curve (see stepVertices). */
export function curvePath(poly: readonly Point[], x: Scale, y: Scale): string {
  return pathOf(stepVertices(poly), x, y);
}

/** SVG path of a closed band: the upper edge forwards, the lower edge back. */
export function bandPath(band: readonly [number, number, number][], x: Scale, y: Scale): string {
  if (band.length === 0) return '';
  const upper = stepVertices(band.map(([bx, , max]) => [bx, max]));
  const lower = stepVertices(band.map(([bx, min]) => [bx, min])).reverse();
  return `${pathOf([...upper, ...lower], x, y)}Z`;
}

export type Variant = 'asIs' | 'withHint';

export interface Mark {
  variant: Variant;
  cx: number;
  cy: number;
  /** Tooltip text (an SVG <title>). */
  title: string;
  insert: number;
}

export interface Tick {
  value: number;
  at: number;
  label: string;
}

export interface ChartModel {
  width: number;
  height: number;
  plot: { left: number; top: number; right: number; bottom: number };
  xTicks: Tick[];
  yTicks: Tick[];
  paths: { asIs: string; withHint: string; liveAsIs: string; liveWithHint: string; band?: string; bandWithHint?: string };
  marks: Mark[];
}

export interface ChartInput {
  entries: number;
  asIs: Pick<VariantTimeline, 'allocated' | 'live' | 'band' | 'events' | 'hint'>;
  withHint: Pick<VariantTimeline, 'allocated' | 'live' | 'band' | 'events' | 'hint'>;
}

const MARGIN = { left: 56, right: 12, top: 10, bottom: 28 };
/** Growth points closer than this (pixels, both ways) to the previous one are not drawn. */
const MARK_SPACING = 2;

/** What happened at an event, for people: "split (table of 896 → 440 + 456)". */
export function describeEvent(e: TimelineEvent): string {
  if (e.count) return `${e.count} overflow buckets`;
  const kind: Record<TimelineEvent['kind'], string> = {
    make: 'make', alloc: 'first allocation', grow: 'grow', split: 'split', 'same-size': 'same-size grow', overflow: 'overflow bucket',
  };
  return e.detail ? `${kind[e.kind]} (${e.detail})` : kind[e.kind];
}

export function chartModel(input: ChartInput, width: number, height: number, logX = false): ChartModel {
  const plot = { left: MARGIN.left, top: MARGIN.top, right: Math.max(MARGIN.left + 10, width - MARGIN.right), bottom: Math.max(MARGIN.top + 10, height - MARGIN.bottom) };
  const xMax = Math.max(1, input.entries);
  const ys = [input.asIs, input.withHint].flatMap((v) => [
    ...v.allocated.map((p) => p[1]),
    ...v.live.map((p) => p[1]),
    ...(v.band ?? []).map((b) => b[2]),
  ]);
  const yTickValues = niceTicks(ys.reduce((m, v) => Math.max(m, v), 1), 4);
  const yMax = yTickValues[yTickValues.length - 1];
  const x = (logX ? logScale : linearScale)(0, xMax, plot.left, plot.right);
  const y = linearScale(0, yMax, plot.bottom, plot.top);
  const xTickValues = logX ? logTicks(xMax).filter((v) => v <= xMax) : niceTicks(xMax, Math.max(3, Math.min(6, Math.floor((plot.right - plot.left) / 60)))).filter((v) => v <= xMax);
  const marks: Mark[] = [];
  for (const variant of ['asIs', 'withHint'] as const) {
    const v = input[variant];
    let last: Mark | undefined;
    for (const e of v.events) {
      if (e.kind === 'overflow') continue;
      const total = valueAt(v.allocated, e.insert);
      const cx = r2(x(e.insert));
      const cy = r2(y(total));
      // Thousands of swiss splits in a big map: one point per couple of pixels is all that shows.
      if (last && Math.abs(cx - last.cx) < MARK_SPACING && Math.abs(cy - last.cy) < MARK_SPACING) continue;
      marks.push(last = {
        variant,
        insert: e.insert,
        cx,
        cy,
        title: `${variant === 'asIs' ? 'As is' : `With hint ${v.hint}`}, insert #${e.insert}: ${describeEvent(e)}; ` +
          `+${formatBytes(e.bytes)}, capacity ${e.capacityBefore}→${e.capacityAfter}; ${formatBytes(total)} allocated so far`,
      });
    }
  }
  return {
    width,
    height,
    plot,
    xTicks: xTickValues.map((value) => ({ value, at: r2(x(value)), label: formatCount(value) })),
    yTicks: yTickValues.map((value) => ({ value, at: r2(y(value)), label: formatBytes(value) })),
    paths: {
      asIs: curvePath(input.asIs.allocated, x, y),
      withHint: curvePath(input.withHint.allocated, x, y),
      liveAsIs: curvePath(input.asIs.live, x, y),
      liveWithHint: curvePath(input.withHint.live, x, y),
      ...(input.asIs.band ? { band: bandPath(input.asIs.band, x, y) } : {}),
      ...(input.withHint.band ? { bandWithHint: bandPath(input.withHint.band, x, y) } : {}),
    },
    marks,
  };
}
