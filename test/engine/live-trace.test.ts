// The opt-in live-bytes trace (the panel's live curve): a polyline that must be exact at every
// insert number, checked against the final live bytes of shorter fills with the same seed.
import { describe, expect, it } from 'vitest';
import { layoutOf, parseGoType, predict } from '../../server/src/core/engine';

function at(poly: [number, number][], x: number): number {
  for (let i = 1; i < poly.length; i++) {
    const [x0, y0] = poly[i - 1];
    const [x1, y1] = poly[i];
    if (x >= x0 && x <= x1) return x1 === x0 ? y1 : y0 + ((y1 - y0) * (x - x0)) / (x1 - x0);
  }
  throw new Error(`x ${x} outside the polyline`);
}

describe('live-bytes trace', () => {
  for (const [k, v, impl] of [
    ['int64', 'int64', 'swiss'],
    ['string', '[200]byte', 'swiss'],
    ['string', 'int', 'classic'],
    ['[140]byte', 'int', 'classic'],
  ] as const) {
    it(`is exact at every insert: map[${k}]${v}, ${impl}`, () => {
      const key = layoutOf(parseGoType(k));
      const value = layoutOf(parseGoType(v));
      const n = 300;
      const p = predict(key, value, { entries: n, impl, traceLive: true });
      const live = p.live!;
      expect(live[0][0]).toBe(0);
      expect(live[live.length - 1]).toEqual([n, p.liveBytes]);
      // Corners only: far fewer points than inserts.
      expect(live.length).toBeLessThan(60);
      for (let i = 0; i <= n; i += 7) {
        expect(at(live, i), `insert ${i}`).toBe(predict(key, value, { entries: i, impl }).liveBytes);
      }
    });
  }

  it('is absent unless asked for, and does not change the numbers', () => {
    const key = layoutOf(parseGoType('string'));
    const a = predict(key, key, { entries: 5000, impl: 'classic', runs: 3 });
    const b = predict(key, key, { entries: 5000, impl: 'classic', runs: 3, traceLive: true });
    expect(a.live).toBeUndefined();
    const { live, ...rest } = b;
    expect(live).toBeDefined();
    expect(rest).toEqual(a);
  });
});
