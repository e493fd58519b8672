// The growth panel's pure parts: scales, ticks, the slider's log mapping, step paths and bands
// built from a timeline, growth-point marks, and picking the site under the cursor.
import { describe, expect, it } from 'vitest';
import {
  bandPath, chartModel, curvePath, entriesToSlider, formatBytes, formatCount, linearScale, logScale, logTicks,
  niceTicks, SLIDER_MAX, SLIDER_STEPS, sliderToEntries, stepVertices, valueAt, type ChartInput,
} from '../client/src/panel/chart';
import { siteNear } from '../client/src/panel/select';
import type { MapSiteInfo, Range } from '../common/protocol';
import { layoutOf, parseGoType, predict } from '../server/src/core/engine';
import { allocatedCurve, foldOverflow } from '../server/src/core/timelines';

describe('scales and ticks', () => {
  it('maps linearly and logarithmically onto pixels', () => {
    const x = linearScale(0, 1000, 50, 550);
    expect([x(0), x(500), x(1000)]).toEqual([50, 300, 550]);
    const y = linearScale(0, 200, 190, 10); // SVG y grows downwards
    expect([y(0), y(100), y(200)]).toEqual([190, 100, 10]);
    const l = logScale(0, 999, 0, 300);
    expect(l(0)).toBe(0);
    expect(l(9)).toBeCloseTo(100);
    expect(l(99)).toBeCloseTo(200);
    expect(l(999)).toBeCloseTo(300);
  });

  it('picks round ticks that cover the maximum', () => {
    expect(niceTicks(1000, 5)).toEqual([0, 200, 400, 600, 800, 1000]);
    expect(niceTicks(109016, 4)).toEqual([0, 50000, 100000, 150000]);
    expect(niceTicks(7, 4)).toEqual([0, 2, 4, 6, 8]);
    expect(niceTicks(0)).toEqual([0]);
    expect(logTicks(5000)).toEqual([0, 1, 10, 100, 1000, 10000]);
  });

  it('formats bytes and counts for labels', () => {
    expect([formatBytes(0), formatBytes(999), formatBytes(1234), formatBytes(54360), formatBytes(2_500_000), formatBytes(-3000)]).toEqual(['0 B', '999 B', '1.2 KB', '54 KB', '2.5 MB', '−3.0 KB']);
    expect([formatCount(0), formatCount(900), formatCount(1500), formatCount(20000), formatCount(3_000_000)]).toEqual(['0', '900', '1.5k', '20k', '3M']);
  });

  it('the slider is logarithmic, from 0 to ten million entries, and round-trips', () => {
    expect(sliderToEntries(0)).toBe(0);
    expect(sliderToEntries(SLIDER_STEPS)).toBe(SLIDER_MAX);
    expect(sliderToEntries(SLIDER_STEPS / 2)).toBeGreaterThan(3000);
    expect(sliderToEntries(SLIDER_STEPS / 2)).toBeLessThan(3300);
    for (const n of [0, 1, 8, 1000, 5000, 123_456, SLIDER_MAX]) {
      const back = sliderToEntries(entriesToSlider(n));
      // One slider step is about 1.6 % of the value.
      expect(Math.abs(back - n)).toBeLessThanOrEqual(Math.max(1, n * 0.01));
    }
    expect(entriesToSlider(50_000_000)).toBe(SLIDER_STEPS);
  });
});

describe('paths from a timeline', () => {
  const id = linearScale(0, 100, 0, 100);

  it('draws a jump of one insert as a step and longer segments straight', () => {
    // 48 B at make, +144 B at insert 1, flat to 8, +328 B at 9, then a per-entry ramp to 20.
    const poly: [number, number][] = [[0, 48], [1, 192], [8, 192], [9, 520], [20, 630]];
    expect(stepVertices(poly)).toEqual([[0, 48], [1, 48], [1, 192], [8, 192], [9, 192], [9, 520], [20, 630]]);
    expect(curvePath(poly, id, id)).toBe('M0,48L1,48L1,192L8,192L9,192L9,520L20,630');
    expect(valueAt(poly, 5)).toBe(192);
    expect(valueAt(poly, 14.5)).toBe(575);
    expect(valueAt(poly, 50)).toBe(630);
  });

  it('closes a band along its upper edge and back along its lower one', () => {
    const band: [number, number, number][] = [[0, 10, 10], [5, 10, 10], [6, 10, 30], [9, 10, 30], [10, 20, 30]];
    expect(bandPath(band, id, id)).toBe('M0,10L5,10L6,10L6,30L9,30L10,30L10,20L10,10L9,10L6,10L5,10L0,10Z');
    expect(bandPath([], id, id)).toBe('');
  });

  it('builds the chart model from the engine\'s timelines: ticks, paths, growth marks with tooltips', () => {
    const key = layoutOf(parseGoType('int64'));
    const without = predict(key, key, { entries: 1000, hint: 0, impl: 'swiss', traceLive: true });
    const withHint = predict(key, key, { entries: 1000, hint: 1000, impl: 'swiss', traceLive: true });
    const variant = (p: typeof without) => ({
      allocated: allocatedCurve(p.events, p.perEntryBytes, 1000),
      live: p.live!,
      events: foldOverflow(p.events),
      hint: p.hint,
    });
    const input: ChartInput = { entries: 1000, asIs: variant(without), withHint: variant(withHint) };
    const m = chartModel(input, 400, 220);
    expect(m.plot).toEqual({ left: 56, top: 10, right: 388, bottom: 192 });
    // y axis covers the largest value drawn: the as-is total.
    const yTop = m.yTicks[m.yTicks.length - 1];
    expect(yTop.value).toBeGreaterThanOrEqual(without.totalBytes);
    expect(yTop.at).toBe(10);
    expect(m.yTicks[0]).toEqual({ value: 0, at: 192, label: '0 B' });
    expect(m.xTicks[0]).toMatchObject({ value: 0, at: 56, label: '0' });
    expect(m.xTicks[m.xTicks.length - 1]).toMatchObject({ value: 1000, at: 388, label: '1k' });
    // A mark per non-overflow event of each variant, at the cumulative total after it, except
    // those within 2 px of the previous one drawn (inserts 1 and 15 at this width).
    const asIs = m.marks.filter((k) => k.variant === 'asIs');
    expect(without.events.map((e) => e.insert)).toEqual([0, 1, 9, 15, 29, 57, 113, 225, 449, 897]);
    expect(asIs.map((k) => k.insert)).toEqual([0, 9, 29, 57, 113, 225, 449, 897]);
    const split = asIs.find((k) => k.insert === 897)!;
    const x = linearScale(0, 1000, 56, 388);
    const y = linearScale(0, yTop.value, 192, 10);
    const totalAt897 = without.events.filter((e) => e.insert <= 897).reduce((s, e) => s + e.bytes, 0);
    expect(split.cx).toBeCloseTo(x(897), 2);
    expect(split.cy).toBeCloseTo(y(totalAt897), 2);
    expect(split.title).toBe(`As is, insert #897: split table of 896, directory 1→2 → 440 + 456; +37 KB, capacity 896→1792; ${formatBytes(totalAt897)} allocated so far`);
    expect(m.marks.filter((k) => k.variant === 'withHint')).toHaveLength(1);
    // The paths end at the right edge, at the totals.
    expect(m.paths.asIs.endsWith(`L388,${Math.round(y(without.totalBytes) * 100) / 100}`)).toBe(true);
    expect(m.paths.withHint).toBe(`M56,${Math.round(y(withHint.totalBytes) * 100) / 100}L388,${Math.round(y(withHint.totalBytes) * 100) / 100}`);
    expect(m.paths.band).toBeUndefined();
    // Log scale: 0 at the left edge, 1000 at the right.
    const log = chartModel(input, 400, 220, true);
    expect(log.xTicks.map((t) => t.label)).toEqual(['0', '1', '10', '100', '1k']);
    expect(log.xTicks[4].at).toBe(388);
  });

  it('draws one growth point per couple of pixels when thousands of splits crowd together', () => {
    const key = layoutOf(parseGoType('int64'));
    const p = predict(key, key, { entries: 1_000_000, impl: 'swiss', traceLive: true });
    const v = { allocated: allocatedCurve(p.events, p.perEntryBytes, 1_000_000), live: p.live!, events: foldOverflow(p.events), hint: 0 };
    const m = chartModel({ entries: 1_000_000, asIs: v, withHint: v }, 300, 200);
    const asIs = m.marks.filter((k) => k.variant === 'asIs');
    expect(p.events.length).toBeGreaterThan(1000);
    expect(asIs.length).toBeLessThan(300);
    expect(asIs[0].insert).toBe(0);
    for (let i = 1; i < asIs.length; i++) {
      expect(Math.abs(asIs[i].cx - asIs[i - 1].cx) >= 2 || Math.abs(asIs[i].cy - asIs[i - 1].cy) >= 2).toBe(true);
    }
  });
});

describe('the site under the cursor', () => {
  const r = (l0: number, c0: number, l1: number, c1: number): Range => ({ start: { line: l0, character: c0 }, end: { line: l1, character: c1 } });
  const site = (id: string, range: Range, fn?: Range) => ({ id, range, ...(fn ? { functionRange: fn } : {}) }) as MapSiteInfo;
  const sites = [
    site('a', r(2, 10, 2, 30)),
    site('b', r(5, 6, 5, 20), r(4, 0, 9, 1)),
    site('inner', r(6, 20, 6, 35), r(4, 0, 9, 1)),
    site('outer', r(6, 6, 8, 2), r(4, 0, 9, 1)),
    site('c', r(12, 1, 12, 20), r(11, 0, 14, 1)),
  ];

  it('is the innermost site containing the cursor', () => {
    expect(siteNear(sites, { line: 2, character: 15 })?.id).toBe('a');
    expect(siteNear(sites, { line: 6, character: 25 })?.id).toBe('inner');
    expect(siteNear(sites, { line: 7, character: 0 })?.id).toBe('outer');
  });

  it('else the nearest in the same function, else the nearest by lines', () => {
    // Line 4 is the `func` line of b's function: b, not a (which is nearer in lines but outside).
    expect(siteNear(sites, { line: 4, character: 0 })?.id).toBe('b');
    expect(siteNear(sites, { line: 13, character: 0 })?.id).toBe('c');
    expect(siteNear(sites, { line: 0, character: 0 })?.id).toBe('a');
    expect(siteNear([], { line: 0, character: 0 })).toBeUndefined();
  });
});
