// The growth panel's core: every map site of a file with its layouts, hint and inferred size (the
// map-without-hint rule's own inference and fix), and the timelines drawn for a site.
import { describe, expect, it } from 'vitest';
import { layoutOf, parseGoType, predict } from '../server/src/core/engine';
import { analyzeFile } from '../server/src/core/analyze';
import { PackageIndex } from '../server/src/core/index/package-index';
import { summarize } from '../server/src/core/index/summary';
import { NEWEST_GO, type GoVersion } from '../server/src/core/go-version';
import { mapSites, siteAt, type MapSite } from '../server/src/core/sites';
import { allocatedCurve, engineTarget, runsFor, sample, siteTimelines } from '../server/src/core/timelines';
import { loadParser, unitOf } from './helpers/core';

const MAIN = `package p

import "sync"

var registry = make(map[string]int, 10)

func known() map[string]int {
	items := []string{"a", "b", "c"}
	m := make(map[string]int)
	for i, s := range items {
		m[s] = i
	}
	return m
}

func symbolic(users []user) map[string]user {
	byID := map[string]user{}
	for _, u := range users {
		byID[u.ID] = u
	}
	return byID
}

func counted() map[int]int64 {
	m := map[int]int64{}
	for i := 0; i < 5000; i++ {
		m[i] = int64(i)
	}
	return m
}

func small() map[int]bool {
	m := make(map[int]bool)
	for i := 0; i < 5; i++ {
		m[i] = true
	}
	return m
}

func literal() map[string]int {
	return map[string]int{"a": 1, "b": 2, "c": 3}
}

func hinted(n int) {
	a := make(map[int64]int64, 100)
	b := make(map[string]*sync.Mutex, n)
	var c = make(map[Key]struct {
		A int64 // a comment
		B [3]int32
	})
	_, _, _ = a, b, c
}

func conditional(xs []int) map[int]bool {
	m := make(map[int]bool)
	for _, x := range xs {
		if x > 0 {
			m[x] = true
		}
	}
	return m
}

type holder struct{ m map[string]big }

func fields(h *holder) holder {
	h.m = make(map[string]big)
	return holder{m: map[string]big{}}
}

func unknown() {
	_ = make(map[other.Thing]int)
}
`;

// Named types from another file of the same package.
const TYPES = `package p

type user struct {
	ID   string
	Name string
}

type Key [2]uint64

type big struct{ data [40]int64 }
`;

async function sitesOf(text: string, go: GoVersion = NEWEST_GO, path = 'main.go'): Promise<MapSite[]> {
  const p = await loadParser();
  const unit = unitOf(p, path, text);
  const other = unitOf(p, 'types.go', TYPES);
  try {
    const pkg = new PackageIndex([summarize(unit), summarize(other)]);
    return mapSites(unit, pkg, { go });
  } finally {
    unit.tree.delete();
    other.tree.delete();
  }
}

const byName = (sites: MapSite[], name: string) => {
  const s = sites.find((x) => x.name === name && x.function !== undefined) ?? sites.find((x) => x.name === name);
  if (!s) throw new Error(`no site ${name} in ${sites.map((x) => x.name).join(', ')}`);
  return s;
};
const textOf = (s: MapSite) => Buffer.from(MAIN).subarray(s.range.start, s.range.end).toString();

describe('map sites', () => {
  it('lists every make and map literal in source order, at package level too', async () => {
    const sites = await sitesOf(MAIN);
    expect(sites.map((s) => `${s.function ?? '-'}:${s.name ?? '?'}:${s.kind}`)).toEqual([
      '-:registry:make',
      'known:m:make',
      'symbolic:byID:literal',
      'counted:m:literal',
      'small:m:make',
      'literal:?:literal',
      'hinted:a:make',
      'hinted:b:make',
      'hinted:c:make',
      'conditional:m:make',
      'fields:h.m:make',
      'fields:m:literal',
      'unknown:?:make',
    ]);
    expect(textOf(sites[1])).toBe('make(map[string]int)');
    expect(sites[1].id).toBe(String(sites[1].range.start));
  });

  it('infers sizes the way map-without-hint does, and carries its fix', async () => {
    const sites = await sitesOf(MAIN);
    const known = sites[1];
    expect(known.size).toEqual({ value: 3, source: 'len', expr: 'len(items)', exact: false, description: 'len(items) = 3 (items has a known length) (an upper bound)' });
    const sym = byName(sites, 'byID');
    expect(sym.size).toMatchObject({ source: 'symbolic', expr: 'len(users)', exact: false });
    expect(sym.size.value).toBeUndefined();
    expect(sym.suggestedHint).toBe('len(users)');
    expect(sym.filledAt).toBeDefined();
    const counted = sites[3];
    expect(counted.size).toMatchObject({ value: 5000, source: 'loop', expr: '5000', exact: true });
    // The fix is exactly the rule's quick fix.
    const p = await loadParser();
    const unit = unitOf(p, 'main.go', MAIN);
    const other = unitOf(p, 'types.go', TYPES);
    const findings = analyzeFile(unit, new PackageIndex([summarize(unit), summarize(other)]), { go: NEWEST_GO, rules: { enabled: new Set(['map-without-hint']) } });
    unit.tree.delete();
    other.tree.delete();
    const withFix = sites.filter((s) => s.fix);
    expect(withFix.map((s) => s.name)).toEqual(['byID', 'm']);
    expect(withFix.map((s) => s.fix)).toEqual(findings.map((f) => ({ title: f.fixes[0].title, edits: f.fixes[0].edits })));
    expect(withFix.map((s) => s.suggestedHint)).toEqual(findings.map((f) => f.data?.hint));
    // A constant of at most 8 gets a size but no fix, as the rule says nothing there.
    expect(sites[4].size).toMatchObject({ value: 5, source: 'loop' });
    expect(sites[4].fix).toBeUndefined();
    // The fill of `known` has keys that may repeat and is inferred, but `len(items)` of a known 3 is small: no fix.
    expect(known.fix).toBeUndefined();
  });

  it('reads hints and literal counts, symbolic hints and unknown sizes', async () => {
    const sites = await sitesOf(MAIN);
    expect(sites[0]).toMatchObject({ hint: { text: '10', value: 10 }, size: { value: 10, source: 'hint' } });
    expect(sites[5]).toMatchObject({ hint: { text: '3', value: 3 }, size: { value: 3, source: 'literal', description: '3 entries in the literal' } });
    expect(byName(sites, 'a')).toMatchObject({ hint: { text: '100', value: 100 }, size: { value: 100, source: 'hint' } });
    const b = byName(sites, 'b');
    expect(b.hint).toEqual({ text: 'n' });
    expect(b.size).toMatchObject({ source: 'symbolic', expr: 'n' });
    const cond = sites[9];
    expect(cond.hint).toBeUndefined();
    expect(cond.size).toEqual({ source: 'unknown', description: 'not inferred: no loop with a known count fills it' });
  });

  it('lays out keys and values, resolving the package\'s named types and naming unknown ones', async () => {
    const sites = await sitesOf(MAIN);
    const a = byName(sites, 'a');
    expect(a.key).toEqual({ text: 'int64', layout: { size: 8, align: 8, pointers: false, equality: 'mem' } });
    // Classic bucket: 8 tophash + 8×8 keys + 8×8 values + overflow pointer; swiss slot 16, group 8 + 8×16.
    expect(a.shape).toEqual({ bucketBytes: 144, slotBytes: 16, groupBytes: 136, perEntryBytes: 0 });
    const sym = byName(sites, 'byID');
    expect(sym.value.layout).toMatchObject({ size: 32, align: 8, pointers: true });
    // A multi-line struct value with a comment, and a named array key from the other file.
    const c = byName(sites, 'c');
    expect(c.value.text).toBe('struct {A int64; B [3]int32}');
    expect(c.value.layout).toMatchObject({ size: 24, align: 8, pointers: false });
    expect(c.key.layout).toMatchObject({ size: 16, align: 8 });
    expect(c.assumptions).toEqual([]);
    // 320-byte values are stored indirectly.
    const big = byName(sites, 'h.m');
    expect(big.value).toMatchObject({ indirect: true, layout: { size: 320 } });
    expect(big.shape?.perEntryBytes).toBeGreaterThan(0);
    expect(byName(sites, 'b').value.layout).toMatchObject({ size: 8, pointers: true });
    const unknown = sites[12];
    expect(unknown.assumptions).toEqual(['unknown type other.Thing: assumed 8 bytes with pointers']);
  });

  it('finds the site under or nearest an offset', async () => {
    const sites = await sitesOf(MAIN);
    const a = byName(sites, 'a');
    expect(siteAt(sites, a.range.start + 3)?.id).toBe(a.id);
    expect(siteAt(sites, a.range.end)?.id).toBe(a.id);
    // The `func hinted` line: nearest is a.
    expect(siteAt(sites, MAIN.indexOf('func hinted'))?.id).toBe(a.id);
    expect(siteAt([], 0)).toBeUndefined();
    expect(await sitesOf('package p\n\nfunc f() {}\n')).toEqual([]);
  });

  it('keeps the size in test files, where the rule itself is silent', async () => {
    const sites = await sitesOf(MAIN, NEWEST_GO, 'main_test.go');
    expect(sites[3].size).toMatchObject({ value: 5000, source: 'loop' });
  });
});

describe('site timelines', () => {
  it('as is and with the hint are exactly what predict() gives for the same layouts', async () => {
    const sites = await sitesOf(MAIN);
    for (const go of [NEWEST_GO, { major: 1, minor: 22 } as GoVersion]) {
      const counted = sites[3];
      const t = siteTimelines(counted, { go });
      const goLabel = `1.${go.minor}`;
      const key = layoutOf(parseGoType('int'));
      const value = layoutOf(parseGoType('int64'));
      const without = predict(key, value, { entries: 5000, hint: 0, go: goLabel });
      const withHint = predict(key, value, { entries: 5000, hint: 5000, go: goLabel });
      expect(t).toMatchObject({ entries: 5000, entriesSource: 'inferred', impl: without.impl, go: goLabel, runs: runsFor(5000) });
      expect(t.asIs.totals).toEqual({
        growths: without.events.filter((e) => e.kind === 'grow' || e.kind === 'split').length,
        totalBytes: without.totalBytes, peakBytes: without.peakBytes, liveBytes: without.liveBytes,
      });
      expect(t.withHint.totals.totalBytes).toBe(withHint.totalBytes);
      expect(t.withHint.hint).toBe(5000);
      expect(t.savings.totalBytes).toBe(without.totalBytes - withHint.totalBytes);
      expect(t.asIs.events.filter((e) => e.kind !== 'overflow').map((e) => [e.insert, e.bytes])).toEqual(
        without.events.filter((e) => e.kind !== 'overflow').map((e) => [e.insert, e.bytes]),
      );
      // The last corner of the cumulative curve is the total.
      expect(t.asIs.allocated[t.asIs.allocated.length - 1]).toEqual([5000, without.totalBytes]);
      expect(t.asIs.live[t.asIs.live.length - 1]).toEqual([5000, without.liveBytes]);
    }
  });

  it('draws the spread of hash-dependent growth as a band around the first seed', async () => {
    const sites = await sitesOf(MAIN);
    const t = siteTimelines(sites[3], { go: { major: 1, minor: 22 }, entries: 3000 });
    expect(t.runs).toBe(8);
    const band = t.asIs.band!;
    expect(band).toBeDefined();
    expect(t.asIs.spread!.totalBytes.min).toBeLessThan(t.asIs.spread!.totalBytes.max);
    const xs = band.map(([x]) => x);
    const ys = sample(t.asIs.allocated, xs);
    band.forEach(([, min, max], i) => {
      expect(min).toBeLessThanOrEqual(ys[i]);
      expect(ys[i]).toBeLessThanOrEqual(max);
    });
  });

  it('draws a band for swiss splits, whose inserts move with the seed while their bytes do not', async () => {
    const sites = await sitesOf(MAIN);
    const t = siteTimelines(sites[3], { go: NEWEST_GO });
    expect(t.asIs.band).toBeDefined();
    const widths = t.asIs.band!.map(([, min, max]) => max - min);
    expect(Math.max(...widths)).toBeGreaterThan(0);
    // Up to the first split (897) every seed agrees.
    expect(t.asIs.band!.filter(([x]) => x < 897).every(([, min, max]) => min === max)).toBe(true);
    expect(t.withHint.band).toBeUndefined();
  });

  it('uses the given entries, hint and implementation, and the default size for unknown sizes', async () => {
    const sites = await sitesOf(MAIN);
    const cond = sites[9];
    const d = siteTimelines(cond, { go: NEWEST_GO, defaultMapSize: 700 });
    expect(d).toMatchObject({ entries: 700, entriesSource: 'default', impl: 'swiss' });
    expect(d.notes.join(' ')).toContain('700 entries assumed');
    const c = siteTimelines(cond, { go: NEWEST_GO, impl: 'classic', entries: 40, hint: 20 });
    expect(c).toMatchObject({ impl: 'classic', go: '1.23', naturalImpl: 'swiss', entries: 40, entriesSource: 'given' });
    expect(c.withHint.hint).toBe(20);
    // A symbolic hint as written is taken to track the entries.
    const b = siteTimelines(byName(sites, 'b'), { go: NEWEST_GO, entries: 50 });
    expect(b.asIs.hint).toBe(50);
    expect(b.savings).toEqual({ growths: 0, totalBytes: 0, peakBytes: 0, liveBytes: 0 });
    expect(() => siteTimelines(cond, { go: NEWEST_GO, entries: -1 })).toThrow(/entries/);
  });

  it('maps a Go version and an implementation to what the engine models', () => {
    expect(engineTarget({ major: 1, minor: 26 })).toEqual({ go: '1.26', impl: 'swiss' });
    expect(engineTarget({ major: 1, minor: 26 }, 'classic')).toEqual({ go: '1.23', impl: 'classic' });
    expect(engineTarget({ major: 1, minor: 24 }, 'classic')).toEqual({ go: '1.24', impl: 'classic', goexperiment: 'noswissmap' });
    expect(engineTarget({ major: 1, minor: 24, noSwissMap: true })).toEqual({ go: '1.24', impl: 'classic', goexperiment: 'noswissmap' });
    expect(engineTarget({ major: 1, minor: 24, noSwissMap: true }, 'swiss')).toEqual({ go: '1.24', impl: 'swiss' });
    expect(engineTarget({ major: 1, minor: 21 }, 'swiss')).toEqual({ go: '1.27', impl: 'swiss' });
    expect(engineTarget({ major: 1, minor: 27, mapSplitGroup: true })).toEqual({ go: '1.27', impl: 'swiss', goexperiment: 'mapsplitgroup' });
    // The classic map of a split-group build: the newest classic release, without the experiment.
    expect(engineTarget({ major: 1, minor: 27, mapSplitGroup: true }, 'classic')).toEqual({ go: '1.23', impl: 'classic' });
  });

  it('keeps curves exact at every insert, per-entry allocations included', () => {
    const key = layoutOf(parseGoType('string'));
    const value = layoutOf(parseGoType('[200]byte'));
    const p = predict(key, value, { entries: 300, impl: 'classic' });
    const curve = allocatedCurve(p.events, p.perEntryBytes, 300);
    const xs = Array.from({ length: 301 }, (_, i) => i);
    const ys = sample(curve, xs);
    for (const x of xs) {
      const expected = p.events.filter((e) => e.insert <= x).reduce((s, e) => s + e.bytes, 0) + p.perEntryBytes * x;
      expect(ys[x], `insert ${x}`).toBe(expected);
    }
    expect(curve.length).toBeLessThan(40);
  });

  it('thins the curves of a very large classic map but keeps its growth steps', async () => {
    const sites = await sitesOf(MAIN);
    const t = siteTimelines(sites[3], { go: { major: 1, minor: 22 }, entries: 1_000_000 });
    expect(t.runs).toBe(1);
    expect(t.asIs.allocated.length).toBeLessThanOrEqual(2100);
    const grows = t.asIs.events.filter((e) => e.kind === 'grow');
    const ys = sample(t.asIs.allocated, grows.flatMap((e) => [e.insert - 1, e.insert]));
    grows.forEach((e, i) => expect(ys[2 * i + 1] - ys[2 * i]).toBe(e.bytes));
    // Overflow allocations are folded into rows.
    expect(t.asIs.events.length).toBeLessThan(200);
    expect(t.asIs.events.some((e) => (e.count ?? 0) > 1)).toBe(true);
  });
});
