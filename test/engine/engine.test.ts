// The engine against the specification's exact tables (shared/go-map-runtime.md), and its two
// swiss simulators against each other.
import { describe, expect, it } from 'vitest';
import {
  classicBucketArray, classicBForHint, layoutOf, mapImplFor, mapShape, parseGoType, predict, resolveGoTarget, swissHintPlan,
} from '../../server/src/core/engine/index';

const L = (s: string) => layoutOf(parseGoType(s));
const structural = (events: { kind: string; insert: number; bytes: number }[]) =>
  events.filter((e) => e.kind !== 'overflow').map((e) => [e.insert, e.bytes]);

describe('Go version → implementation (design.md §3.5)', () => {
  it('maps versions and GOEXPERIMENT', () => {
    expect(mapImplFor(19)).toBe('classic');
    expect(mapImplFor(23)).toBe('classic');
    expect(mapImplFor(24)).toBe('swiss');
    expect(mapImplFor(25, 'noswissmap')).toBe('classic');
    expect(mapImplFor(26, 'noswissmap')).toBe('swiss');
    expect(resolveGoTarget('go1.25.12 X:noswissmap').impl).toBe('classic');
    expect(resolveGoTarget(undefined, 'classic').minor).toBeLessThan(24);
    expect(() => resolveGoTarget('1.23', 'swiss')).toThrow(/no swiss map/);
  });
});

describe('classic (spec §2, §5.1)', () => {
  it('bucket arrays per B for map[int]int and map[string]int', () => {
    const table: [number, number, number, number, number][] = [
      [4, 18, 2688, 19, 4096], [5, 37, 5376, 39, 8192], [6, 71, 10240, 68, 14336], [7, 142, 20480, 137, 28672],
      [10, 1137, 163840, 1102, 229376], [11, 2218, 319488, 2205, 458752], [12, 4380, 630784, 4371, 909312],
      [13, 8704, 1253376, 8704, 1810432], [18, 278528, 40108032, 278528, 57933824], [20, 1114112, 160432128, 1114112, 231735296],
    ];
    for (const go of ['1.19', '1.23']) {
      const int = mapShape(L('int'), L('int'), resolveGoTarget(go));
      const str = mapShape(L('string'), L('int'), resolveGoTarget(go));
      for (const [B, nbI, bytesI, nbS, bytesS] of table) {
        expect(classicBucketArray(int, B), `${go} B=${B} int`).toEqual({ nbuckets: nbI, bytes: bytesI });
        expect(classicBucketArray(str, B), `${go} B=${B} string`).toEqual({ nbuckets: nbS, bytes: bytesS });
      }
    }
  });

  it('hint → B', () => {
    expect([0, 8, 9, 13, 14, 26, 27, 52, 53, 104].map((h) => classicBForHint(h))).toEqual([0, 0, 1, 1, 2, 2, 3, 3, 4, 4]);
  });

  it('growth points and bytes to 1M for map[int]int (worked example 5.1)', () => {
    const p = predict(L('int'), L('int'), { entries: 1_000_000, go: '1.19' });
    const grows = p.events.filter((e) => e.kind === 'grow' || e.kind === 'alloc');
    expect(grows.map((e) => e.insert)).toEqual([1, 9, 14, 27, 53, 105, 209, 417, 833, 1665, 3329, 6657, 13313, 26625, 53249, 106497, 212993, 425985, 851969]);
    expect(grows.map((e) => e.allocs[0])).toEqual([144, 288, 576, 1152, 2688, 5376, 10240, 20480, 40960, 81920, 163840, 319488, 630784, 1253376, 2506752, 5013504, 10027008, 20054016, 40108032]);
    // Bucket arrays sum to 80,240,624 bytes; overflow buckets etc. measured at about 7.3–7.5 MB.
    const overflow = p.totalBytes - 48 - 80_240_624;
    expect(overflow).toBeGreaterThan(7.1e6);
    expect(overflow).toBeLessThan(7.7e6);
    expect(p.buckets!.B).toBe(18);
  });

  it('Go 1.21 grows at 6 entries per bucket, every other release at 6.5 (measured on go1.20.14, go1.21.13, go1.22.12)', () => {
    // map[int64]int64 filled to 30,000, the inserts that doubled the bucket array, as measured.
    const measured: Record<string, number[]> = {
      '1.20': [9, 14, 27, 53, 105, 209, 417, 833, 1665, 3329, 6657, 13313, 26625],
      '1.21': [9, 13, 25, 49, 97, 193, 385, 769, 1537, 3073, 6145, 12289, 24577],
      '1.22': [9, 14, 27, 53, 105, 209, 417, 833, 1665, 3329, 6657, 13313, 26625],
    };
    for (const [go, inserts] of Object.entries(measured)) {
      const p = predict(L('int64'), L('int64'), { entries: 30_000, go });
      expect(p.events.filter((e) => e.kind === 'grow').map((e) => e.insert), go).toEqual(inserts);
    }
  });

  it('malloc headers from Go 1.22: a pointerful 576-byte bucket array is charged 640 (measured on go1.21.13 and go1.22.12)', () => {
    // map[*int]int: 144-byte buckets; the 4-bucket array (B=2) is 576 bytes, more than 512 and
    // pointerful, so 1.22 adds an 8-byte header and the size class is 640. 1.21 grows at 13, 1.22 at 14.
    const at = (go: string) => predict(L('*int'), L('int'), { entries: 20, go }).events.filter((e) => e.kind === 'grow').map((e) => [e.insert, e.allocs[0]]);
    expect(at('1.21')).toEqual([[9, 288], [13, 576]]);
    expect(at('1.22')).toEqual([[9, 288], [14, 640]]);
  });

  it('live and peak bytes of a swiss fill, from the spec (§3.7, §3.8)', () => {
    // map[int]int to 896 entries: one 1024-slot table at the end, 48 + 8 (directory) + 18,464 live.
    // The peak is the last growth, 512 → 1024 slots, when the old table (9,504) and the new one
    // (18,464) are both live beside the header and directory: 48 + 8 + 9,504 + 18,464 = 28,024.
    const p = predict(L('int'), L('int'), { entries: 896, go: '1.26' });
    expect([p.totalBytes, p.liveBytes, p.peakBytes]).toEqual([37_512, 18_520, 28_024]);
    // With a hint of 896 the one table is made up front: everything allocated stays live.
    const hinted = predict(L('int'), L('int'), { entries: 896, hint: 896, go: '1.26' });
    expect([hinted.totalBytes, hinted.liveBytes, hinted.peakBytes]).toEqual([18_520, 18_520, 18_520]);
  });

  it('the 1.24/1.25 noswissmap hmap is charged 64 bytes', () => {
    const p = predict(L('int'), L('int'), { entries: 0, go: '1.24', goexperiment: 'noswissmap' });
    expect(p.events[0].bytes).toBe(64);
  });
});

describe('swiss (spec §3, §5.2, §5.3)', () => {
  it('hint plans', () => {
    const s = mapShape(L('int'), L('int'), resolveGoTarget('1.26'));
    const plan = (h: number) => swissHintPlan(h, s);
    expect(plan(8)).toBeNull();
    expect(plan(9)).toEqual({ dirSize: 1, capacity: 16 });
    expect(plan(100)).toEqual({ dirSize: 1, capacity: 128 });
    expect(plan(113)).toEqual({ dirSize: 1, capacity: 256 });
    expect(plan(896)).toEqual({ dirSize: 1, capacity: 1024 });
    expect(plan(897)).toEqual({ dirSize: 2, capacity: 512 });
    expect(plan(1793)).toEqual({ dirSize: 4, capacity: 512 });
    expect(plan(100000)).toEqual({ dirSize: 128, capacity: 1024 });
  });

  it('initial allocation per hint (spec §5.3 tables)', () => {
    const make = (k: string, h: number) => predict(L(k), L('int'), { entries: 0, hint: h, go: '1.26' }).events[0].bytes;
    const ints: [number, number][] = [[0, 48], [8, 48], [9, 376], [14, 376], [100, 2392], [112, 2392], [113, 4952], [896, 18520], [897, 19072], [1000, 36992], [1793, 38096], [10000, 295600], [100000, 2364592]];
    for (const [h, b] of ints) expect(make('int', h), `int hint ${h}`).toBe(b);
    const strs: [number, number][] = [[9, 504], [100, 3544], [113, 6616], [896, 27352], [897, 27264], [1024, 54656], [1793, 54480], [100000, 3495088]];
    for (const [h, b] of strs) expect(make('string', h), `string hint ${h}`).toBe(b);
  });

  it('map[string]int deterministic growth (spec §3.7)', () => {
    const p = predict(L('string'), L('int'), { entries: 897, go: '1.25' });
    expect(structural(p.events)).toEqual([[0, 48], [1, 208], [9, 456], [15, 928], [29, 1824], [57, 3488], [113, 6560], [225, 13600], [449, 27296], [897, 54608]]);
  });

  it('1M map[int]int: 2038–2047 tables, ≈75.5 MB cumulative, ≈37.7 MB live (spec §5.2)', () => {
    const p = predict(L('int'), L('int'), { entries: 1_000_000, go: '1.26' });
    expect(p.tables!.count).toBeGreaterThanOrEqual(2030);
    expect(p.tables!.count).toBeLessThanOrEqual(2055);
    expect(p.tables!.directory).toBe(2048);
    expect(p.totalBytes / 1e6).toBeGreaterThan(75.2);
    expect(p.totalBytes / 1e6).toBeLessThan(75.8);
    expect(Math.abs(p.liveBytes - (p.tables!.count * 18464 + 18432 + 48))).toBe(0);
    // Every later split costs 36928 plus a directory when it doubles.
    const dirs = new Set([0, 32, 64, 128, 256, 512, 1152, 2304, 4864, 9472, 18432]);
    for (const e of p.events.filter((x) => x.kind === 'split').slice(1)) expect(dirs.has(e.bytes - 36928)).toBe(true);
  });

  it('the fill-only and the slot-level simulators agree on every event', () => {
    for (const [k, v, n, hint] of [['int64', 'int64', 20000, 0], ['string', 'struct{}', 5000, 1793], ['[16]byte', 'int', 9000, 897]] as const) {
      for (const seed of [1, 7]) {
        const fast = predict(L(k), L(v), { entries: n, hint, go: '1.26', seed });
        // churn with no ops runs the slot-level simulator through a plain fill.
        const slots = predict(L(k), L(v), { entries: 0, hint, go: '1.26', seed, workload: `churn:${n}:0` });
        expect(slots.events).toEqual(fast.events);
        expect(slots.totalBytes).toBe(fast.totalBytes);
      }
    }
  });

  it('indirect keys charge a box per entry', () => {
    const p = predict(L('[129]byte'), L('int'), { entries: 100, go: '1.26' });
    expect(p.perEntryBytes).toBe(144);
    expect(p.totalBytes - p.events.reduce((s, e) => s + e.bytes, 0)).toBe(100 * 144);
  });
});

describe('timeline invariants', () => {
  for (const go of ['1.19', '1.26']) {
    it(`${go}: bytes add up, live ≤ peak ≤ total, capacities chain`, () => {
      const p = predict(L('string'), L('string'), { entries: 30000, go, seed: 3 });
      expect(p.events.reduce((s, e) => s + e.bytes, 0)).toBe(p.totalBytes);
      expect(p.liveBytes).toBeLessThanOrEqual(p.peakBytes);
      expect(p.peakBytes).toBeLessThanOrEqual(p.totalBytes);
      for (let i = 1; i < p.events.length; i++) {
        expect(p.events[i].insert).toBeGreaterThanOrEqual(p.events[i - 1].insert);
        expect(p.events[i].capacityBefore).toBe(p.events[i - 1].capacityAfter);
      }
      expect(p.capacity).toBeGreaterThanOrEqual(30000);
    });
  }
});
