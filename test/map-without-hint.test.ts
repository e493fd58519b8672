// map-without-hint beyond the fixtures: the numbers in the message are the engine's, test files are
// left alone, the default size setting and the Go version reach the message.
import { describe, expect, it } from 'vitest';
import { layoutOf, parseGoType, predict } from '../server/src/core/engine';
import { analyzeFile } from '../server/src/core/analyze';
import { PackageIndex } from '../server/src/core/facts/package-index';
import { summarize } from '../server/src/core/facts/summary';
import type { Finding } from '../server/src/core/findings';
import type { GoVersion } from '../server/src/core/go-version';
import { loadParser, unitOf } from './helpers/core';

const SRC = `package p

func f(items []string) map[string]int {
	m := make(map[string]int)
	for i, s := range items {
		m[s] = i
	}
	return m
}

func g() map[int]int64 {
	m := map[int]int64{}
	for i := 0; i < 5000; i++ {
		m[i] = int64(i)
	}
	return m
}
`;

async function findings(path: string, text: string, go: GoVersion, defaultMapSize?: number, language?: GoVersion, rule = 'map-without-hint'): Promise<Finding[]> {
  const p = await loadParser();
  const unit = unitOf(p, path, text);
  try {
    const pkg = new PackageIndex([summarize(unit)]);
    return analyzeFile(unit, pkg, { go, ...(language ? { language } : {}), rules: { enabled: new Set([rule]), defaultMapSize } });
  } finally {
    unit.tree.delete();
  }
}

function kb(n: number): string {
  return n < 1000 ? `${n} B` : n < 1_000_000 ? `${(n / 1000).toFixed(n < 10_000 ? 1 : 0)} KB` : `${(n / 1_000_000).toFixed(1)} MB`;
}

describe('map-without-hint', () => {
  it.each([
    [{ major: 1, minor: 26 } as GoVersion, '1.26'],
    [{ major: 1, minor: 22 } as GoVersion, '1.22'],
    [{ major: 1, minor: 24, noSwissMap: true } as GoVersion, '1.24'],
  ])('gives the engine\'s growths and bytes for Go %s', async (go, label) => {
    const [sym, constant] = await findings('p.go', SRC, go, 2500);
    const layout = (t: string) => layoutOf(parseGoType(t), undefined, { goMinor: go.minor });
    const opts = { go: label, goexperiment: go.noSwissMap ? 'noswissmap' : undefined };
    for (const [f, key, value, n] of [[sym, 'string', 'int', 2500], [constant, 'int', 'int64', 5000]] as const) {
      const without = predict(layout(key), layout(value), { ...opts, entries: n, hint: 0 });
      const withHint = predict(layout(key), layout(value), { ...opts, entries: n, hint: n });
      const grows = without.events.filter((e) => e.kind === 'grow' || e.kind === 'split').length;
      expect(f.message).toContain(`for ${n} entries`);
      expect(f.message).toContain(`grows it ${grows === 1 ? 'once' : `${grows} times`} and allocates ${kb(without.totalBytes)}`);
      expect(f.message).toContain(`allocates ${kb(withHint.totalBytes)}`);
      expect(f.message).toContain(`(${without.impl} map)`);
    }
    expect(sym.message).toContain('(assumed; set mapscope.defaultMapSize)');
    expect(sym.hint).toBe('len(items)');
    expect(constant.hint).toBe('5000');
    expect(constant.fixes[0]).toMatchObject({ title: 'Add capacity hint 5000', isPreferred: true, safeForFixAll: true });
    expect(sym.fixes[0]).toMatchObject({ isPreferred: false });
    expect(sym.fixes[0].safeForFixAll).toBeUndefined();
  });

  it('leaves test files alone', async () => {
    expect(await findings('p_test.go', SRC, { major: 1, minor: 26 })).toEqual([]);
  });

  it('does not suggest range over an integer before Go 1.22', async () => {
    const src = 'package p\n\nfunc f(n int) map[int]int {\n\tm := make(map[int]int)\n\tfor i := range n {\n\t\tm[i] = i\n\t}\n\treturn m\n}\n';
    expect(await findings('p.go', src, { major: 1, minor: 21 })).toEqual([]);
    expect((await findings('p.go', src, { major: 1, minor: 22 })).map((f) => f.hint)).toEqual(['n']);
  });

  it('gates range over an integer on the language version (go.mod\'s go line), not on the toolchain', async () => {
    const src = 'package p\n\nfunc f() map[int]int {\n\tm := make(map[int]int)\n\tfor i := range 5000 {\n\t\tm[i] = i\n\t}\n\treturn m\n}\n';
    const go126 = { major: 1, minor: 26 } as GoVersion;
    // A go 1.20 module built with Go 1.26: no range over int, whatever the toolchain.
    expect(await findings('p.go', src, go126, undefined, { major: 1, minor: 20 })).toEqual([]);
    // go 1.22 built with Go 1.23: the hint, with the bytes of Go 1.23's classic map.
    const [f] = await findings('p.go', src, { major: 1, minor: 23 }, undefined, { major: 1, minor: 22 });
    const classic = predict(layoutOf(parseGoType('int')), layoutOf(parseGoType('int')), { go: '1.23', entries: 5000 });
    expect(f.message).toContain(`Go 1.23 (classic map) grows it ${classic.events.filter((e) => e.kind === 'grow').length} times and allocates ${kb(classic.totalBytes)}`);
  });

  it('quotes the bytes of GOEXPERIMENT=mapsplitgroup groups, and says so', async () => {
    const go = { major: 1, minor: 27, mapSplitGroup: true } as GoVersion;
    const [, constant] = await findings('p.go', SRC, go, 2500);
    const split = predict(layoutOf(parseGoType('int')), layoutOf(parseGoType('int64')), { go: '1.27', goexperiment: 'mapsplitgroup', entries: 5000 });
    expect(constant.message).toContain(`Go 1.27 GOEXPERIMENT=mapsplitgroup (swiss map) grows it`);
    expect(constant.message).toContain(`allocates ${kb(split.totalBytes)}`);
  });

  it('concurrent-map-write knows wg.Go from language 1.25, whatever the toolchain', async () => {
    const src = 'package p\n\nimport "sync"\n\nfunc f() map[int]int {\n\tm := make(map[int]int)\n\tvar wg sync.WaitGroup\n\tfor i := 0; i < 10; i++ {\n\t\twg.Go(func() {\n\t\t\tm[i] = i\n\t\t})\n\t}\n\twg.Wait()\n\treturn m\n}\n';
    const go126 = { major: 1, minor: 26 } as GoVersion;
    expect(await findings('p.go', src, go126, undefined, { major: 1, minor: 24 }, 'concurrent-map-write')).toEqual([]);
    expect((await findings('p.go', src, go126, undefined, { major: 1, minor: 25 }, 'concurrent-map-write')).map((f) => f.rule)).toEqual(['concurrent-map-write']);
  });
});
