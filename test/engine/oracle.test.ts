// The engine against what real Go runtimes did (recorded by test/oracle/probe, see
// test/oracle/record.mjs): go1.19 for the classic map; go1.26, go1.27 and go1.27 with
// GOEXPERIMENT=mapsplitgroup for the swiss map.
import { describe, expect, it } from 'vitest';
import { predict } from '../../server/src/core/engine/index';
import {
  compareFill, distributionsOverlap, enginePredict, goOf, layout, loadRecording, quantiles, RECORDINGS, type Recording, type Run,
} from './oracle-data';

const recordings: Recording[] = RECORDINGS.map(loadRecording);
const [rec119, rec126, rec127, rec127split] = recordings;
const SEEDS = 200;

for (const rec of recordings) {
  const go = goOf(rec);
  describe(`${rec.go} (${rec.impl}) recordings`, () => {
    it('were recorded with the expected implementation', () => {
      expect(rec.impl).toBe(/^go1\.19\b/.test(go) ? 'classic' : 'swiss');
      expect(rec.hints.length).toBeGreaterThanOrEqual(14 * 15);
    });

    it('every hint: same initial allocation, same deterministic growth events', () => {
      const bad = rec.hints.flatMap((r) => compareFill(r, rec.impl, go));
      expect(bad).toEqual([]);
    });

    it('no-hint fills of every type: same deterministic events', () => {
      const bad = rec.long.flatMap((r) => compareFill(r, rec.impl, go));
      expect(bad).toEqual([]);
    });

    it('total bytes over many seeds match the measured spread', () => {
      const groups = new Map<string, Run[]>();
      for (const r of [...rec.dist, ...rec.long]) {
        if (r.workload !== 'fill') continue;
        const k = `${r.type}|${r.hint}|${r.n}`;
        groups.set(k, [...(groups.get(k) ?? []), r]);
      }
      const problems: string[] = [];
      for (const [k, runs] of groups) {
        if (runs.length < 2 && rec.impl === 'swiss') continue;
        const p = enginePredict(runs[0], go, 1, runs[0].n >= 500_000 ? 5 : 60);
        const engine = [p.spread!.totalBytes.min, p.spread!.totalBytes.median, p.spread!.totalBytes.max];
        const measured = runs.map((r) => r.total);
        // A handful of runs cannot show the whole range: accept a 1% margin around it.
        const slack = quantiles(measured).median * (runs.length >= 20 ? 0.002 : 0.01);
        const d = distributionsOverlap(measured, engine, slack);
        if (d) problems.push(`${k}: ${d}`);
      }
      expect(problems).toEqual([]);
    });
  });
}

describe('swiss: hash-dependent splits (go1.26)', () => {
  const rec = rec126;
  const splitsOf = (events: { insert: number; kind: string }[]) => events.filter((e) => e.kind === 'split').map((e) => e.insert);

  it(`split insert numbers over ${SEEDS} seeds match the measured distribution (map[int64]int64, 16000)`, () => {
    const runs = rec.dist.filter((r) => r.type === 'i64_i64' && r.n === 16000 && r.hint === 0);
    expect(runs.length).toBeGreaterThanOrEqual(20);
    const measured = runs.map((r) => r.events.filter((e) => e[1] === 'split').map((e) => e[0]));
    const engine: number[][] = [];
    for (let s = 1; s <= SEEDS; s++) engine.push(splitsOf(enginePredict(runs[0], '1.26', s).events));
    const problems: string[] = [];
    // The first split is deterministic (insert 897); the next ones are not.
    for (let k = 0; k < 15; k++) {
      const m = measured.map((x) => x[k]).filter((x) => x !== undefined);
      const e = engine.map((x) => x[k]).filter((x) => x !== undefined);
      const d = distributionsOverlap(m, e);
      if (d) problems.push(`split #${k + 1}: ${d}`);
    }
    expect(problems).toEqual([]);
    expect(new Set(measured.map((x) => x[0]))).toEqual(new Set([897]));
    // Pigeonhole: with two 1024-slot tables, the second split comes by insert 1793.
    expect(Math.max(...engine.map((x) => x[1]))).toBeLessThanOrEqual(1793);
    expect(Math.max(...measured.map((x) => x[1]))).toBeLessThanOrEqual(1793);
  });

  it('tables at checkpoints up to 100k match the measured ranges', () => {
    const runs = rec.dist.filter((r) => r.type === 'i64_i64' && r.n === 100000 && r.hint === 0);
    expect(runs.length).toBeGreaterThanOrEqual(2);
    const checkpoints = [2000, 3584, 5000, 7168, 10000, 14336, 20000, 28672, 50000, 57344, 100000];
    const tablesAt = (splits: number[], n: number) => 1 + splits.filter((i) => i <= n).length;
    const measured = runs.map((r) => r.events.filter((e) => e[1] === 'split').map((e) => e[0]));
    const engine: number[][] = [];
    for (let s = 1; s <= 60; s++) engine.push(splitsOf(enginePredict(runs[0], '1.26', s).events));
    const problems: string[] = [];
    for (const n of checkpoints) {
      const d = distributionsOverlap(measured.map((m) => tablesAt(m, n)), engine.map((e) => tablesAt(e, n)), 1);
      if (d) problems.push(`tables at ${n}: ${d}`);
    }
    expect(problems).toEqual([]);
  });

  it('hint 897 always grows a table while filling 897 keys; hint 100000 practically never splits', () => {
    const h897 = rec.hints.find((r) => r.type === 'i64_i64' && r.hint === 897)!;
    expect(h897.events.some((e) => e[0] <= 897)).toBe(true);
    for (let s = 1; s <= 50; s++) {
      const p = predict(layout('int64'), layout('int64'), { entries: 897, hint: 897, go: '1.26', seed: s });
      expect(p.events.filter((e) => e.kind !== 'make').length).toBeGreaterThan(0);
    }
    const h100k = rec.dist.filter((r) => r.type === 'i64_i64' && r.hint === 100000);
    const measuredSplitRuns = h100k.filter((r) => r.events.length > 0).length;
    let engineSplitRuns = 0;
    for (let s = 1; s <= 20; s++) {
      if (predict(layout('int64'), layout('int64'), { entries: 100000, hint: 100000, go: '1.26', seed: s }).events.length > 1) engineSplitRuns++;
    }
    expect(measuredSplitRuns).toBeLessThanOrEqual(2);
    expect(engineSplitRuns).toBeLessThanOrEqual(2);
  });
});

describe('classic: overflow buckets (go1.19)', () => {
  const rec = rec119;
  for (const type of ['i64_i64', 'str_int']) {
    it(`${type}: overflow bytes per growth epoch over ${SEEDS} seeds match the measured distribution`, () => {
      const runs = rec.dist.filter((r) => r.type === type && r.n === 20000);
      expect(runs.length).toBeGreaterThanOrEqual(10);
      // Measured: overflow-only allocations (outside growth inserts) summed over the run.
      const measured = runs.map((r) => r.overflow.reduce((s, o) => s + o[2], 0));
      const engine: number[] = [];
      for (let s = 1; s <= SEEDS; s++) {
        const p = enginePredict(runs[0], '1.19', s);
        engine.push(p.events.filter((e) => e.kind === 'overflow').reduce((x, e) => x + e.bytes, 0));
      }
      expect(distributionsOverlap(measured, engine)).toBeNull();
    });
  }
});

describe('churn and updates', () => {
  it('classic: same-size growth under churn at a steady 800 entries happens as often as measured', () => {
    const rec = rec119;
    for (const type of ['i64_i64', 'str_int']) {
      const runs = rec.churn.filter((r) => r.type === type && r.workload === 'churn:800:200000');
      expect(runs.length).toBeGreaterThan(0);
      const measured = runs.map((r) => r.events.filter((e) => e[1] === 'same-size').length);
      const engine: number[] = [];
      for (let s = 1; s <= 10; s++) engine.push(enginePredict(runs[0], '1.19', s).events.filter((e) => e.kind === 'same-size').length);
      const m = quantiles(measured);
      const e = quantiles(engine);
      expect(e.median).toBeGreaterThanOrEqual(Math.floor(m.min * 0.85));
      expect(e.median).toBeLessThanOrEqual(Math.ceil(m.max * 1.15));
      // Every same-size grow allocates one array of the current B (plus overflow extras).
      const arr = enginePredict(runs[0], '1.19', 1).events.find((ev) => ev.kind === 'same-size')!.allocs[0];
      for (const r of runs) for (const ev of r.events.filter((x) => x[1] === 'same-size')) expect(ev[2] === arr || (ev[3] > 1 && ev[2] > arr)).toBe(true);
    }
  });

  for (const rec of [rec126, rec127, rec127split]) {
    it(`swiss ${rec.go}: churn growth (with pruning, per assign path) matches the measured structural events`, () => {
      const problems: string[] = [];
      const groups = new Map<string, Run[]>();
      for (const r of rec.churn) groups.set(`${r.type}|${r.workload}`, [...(groups.get(`${r.type}|${r.workload}`) ?? []), r]);
      for (const [k, runs] of groups) {
        const measured = runs.map((r) => r.events.filter((e) => e[1] === 'grow' || e[1] === 'split').length);
        const engine: number[] = [];
        for (let s = 1; s <= 10; s++) engine.push(enginePredict(runs[0], goOf(rec), s).events.filter((e) => e.kind === 'grow' || e.kind === 'split').length);
        const d = distributionsOverlap(measured, engine, 1);
        if (d) problems.push(`${k}: growth events ${d}`);
      }
      expect(problems).toEqual([]);
    });
  }

  it('1.27 prunes tombstones on the pointer-key assign path too: map[*int64]int grows less under churn than on 1.26', () => {
    const growths = (rec: Recording) => rec.churn.filter((r) => r.type === 'ptr_int' && r.workload === 'churn:100:200000')
      .map((r) => r.events.filter((e) => e[1] === 'grow').length);
    const engine = (go: string) => enginePredict(rec126.churn.find((r) => r.type === 'ptr_int')!, go, 1).events.filter((e) => e.kind === 'grow').length;
    // Measured: 1.26 (no pruning on fast64ptr) grew 7 times in every run, 1.27 5 times.
    expect(Math.min(...growths(rec126))).toBeGreaterThan(Math.max(...growths(rec127)));
    expect(engine('1.26')).toBeGreaterThan(engine('1.27'));
    expect(engine('1.27')).toBe(quantiles(growths(rec127)).median);
  });

  it('swiss 1.24 (no pruning) keeps growing under the same churn where 1.26 settles', () => {
    const w = 'churn:100:200000';
    const g124 = predict(layout('int64'), layout('int64'), { entries: 0, go: '1.24', workload: w }).events.filter((e) => e.kind === 'grow' && e.insert > 100);
    const g126 = predict(layout('int64'), layout('int64'), { entries: 0, go: '1.26', workload: w }).events.filter((e) => e.kind === 'grow' && e.insert > 100);
    // Spec §3.5 [M, 1.24.4]: 128 → 256 → 512 → 1024 over 200k ops; 1.25/1.26 grew once.
    expect(g124.map((e) => e.detail)).toEqual(['table 128→256', 'table 256→512', 'table 512→1024']);
    expect(g126.map((e) => e.detail)).toEqual(['table 128→256']);
  });

  it('updating an existing key of a full small map converts it to a table in 1.24–1.26 (measured on 1.26), not in 1.19 or 1.27 (#78853)', () => {
    for (const r126 of rec126.update) {
      const quirk = r126.events.find((e) => e[5] === 'u');
      expect(quirk).toBeDefined();
      const p = predict(layout(r126.key), layout(r126.value), { entries: 0, go: goOf(rec126), workload: 'update:8:1' });
      const ev = p.events.find((e) => e.op === 'update')!;
      expect([ev.insert, ev.bytes]).toEqual([quirk![0], quirk![2]]);
    }
    for (const rec of [rec119, rec127, rec127split]) {
      expect(rec.update.length).toBe(2);
      for (const r of rec.update) {
        expect(r.events.some((e) => e[5] === 'u'), `${rec.go} ${r.type}`).toBe(false);
        expect(predict(layout(r.key), layout(r.value), { entries: 0, go: goOf(rec), workload: 'update:8:1' }).events.some((e) => e.op)).toBe(false);
      }
    }
  });

  it('mapsplitgroup shrinks the groups of map[int64]int8: small → table and first split, measured and modelled', () => {
    const fill = (rec: Recording) => rec.long.find((r) => r.type === 'i64_i8' && r.hint === 0)!;
    const at = (rec: Recording, insert: number) => fill(rec).events.find((e) => e[0] === insert)![2];
    // Small → table at insert 9: 32 (table) + 2 groups + 8 (directory); first split at 897: two
    // 1024-slot tables + a 2-entry directory. Interleaved groups are 136 bytes (charged 144),
    // split groups 8 + 8·8 + 8·1 = 80.
    expect([at(rec127, 9), at(rec127split, 9)]).toEqual([32 + 288 + 8, 32 + 160 + 8]);
    expect([at(rec127, 897), at(rec127split, 897)]).toEqual([2 * (32 + 18432) + 16, 2 * (32 + 10240) + 16]);
    for (const rec of [rec127, rec127split]) {
      const p = enginePredict(fill(rec), goOf(rec));
      for (const insert of [1, 9, 15, 449, 897]) expect(p.events.find((e) => e.insert === insert)!.bytes).toBe(at(rec, insert));
    }
    // The default layout of 1.27 allocates exactly what 1.26 did.
    expect(fill(rec127).events.filter((e) => e[0] <= 897).map((e) => e.slice(0, 3))).toEqual(fill(rec126).events.filter((e) => e[0] <= 897).map((e) => e.slice(0, 3)));
  });
});
