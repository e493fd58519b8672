// map-without-hint beyond the fixtures: the numbers it gives are the runtime's (checked against the
// spec's tables), test files are left alone, the default size setting and the Go version reach it.
import { describe, expect, it } from 'vitest';
import { analyzeFile } from '../server/src/core/analyze';
import { PackageIndex } from '../server/src/core/index/package-index';
import { summarize } from '../server/src/core/index/summary';
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

describe('map-without-hint', () => {
  // Expected numbers from the spec (go-map-runtime.md §3.7 and §5.3), not from the engine: swiss,
  // map[string]int filled to 800 entries grows at inserts 9, 15, 29, 57, 113, 225 and 449 and
  // allocates 48 + 208 + 456 + 928 + 1824 + 3488 + 6560 + 13600 + 27296 = 54,408 bytes; with a hint
  // of 800, one 1024-slot table: 48 + 8 + 32 + 27,264 = 27,352 bytes. map[int]int64 filled to 5000
  // ends with 8 tables (§3.7's tables per count): 7 doublings (9 … 449) and 7 splits; 37,512 bytes
  // to insert 896, the first split 36,944, six more at 36,928, directories of 32 and 64 bytes:
  // 296,120 bytes. Hinted: 8 tables of 1024 slots, 8 × 18,464 + 64 + 48 = 147,824 bytes.
  it('gives the growths and bytes of the swiss runtime, from the spec', async () => {
    const [sym, constant] = await findings('p.go', SRC, { major: 1, minor: 26 }, 800);
    const costOf = (f: Finding) => f.related.find((r) => r.message.startsWith('Go 1.26'))?.message;
    expect(costOf(sym)).toBe('Go 1.26 (swiss map), at 800 entries (mapscope.defaultMapSize): grows it 7 times and allocates 54 KB; with the hint it allocates 27 KB once');
    expect(costOf(constant)).toBe('Go 1.26 (swiss map), filling 5000 entries: grows it 14 times and allocates 296 KB; with the hint it allocates 148 KB once');
    expect(sym.message).toBe('map `m` is filled with up to `len(items)` entries but made without a capacity hint');
    expect(sym.data?.hint).toBe('len(items)');
    expect(constant.data?.hint).toBe('5000');
    expect(constant.fixes[0]).toMatchObject({ title: 'Replace map[int]int64{} with make(map[int]int64, 5000)', isPreferred: true, safeForFixAll: true });
    expect(sym.fixes[0]).toMatchObject({ title: 'Add capacity hint: make(map[string]int, len(items))', isPreferred: false });
    expect(sym.fixes[0].safeForFixAll).toBeUndefined();
  });

  it('counts the classic runtime\'s doublings, from the spec, and names the implementation', async () => {
    // Classic doublings at inserts 9, 14, 27, 53, 105, 209, 417, 833, 1665 and 3329 (§2.3): 10 up to 5000.
    for (const [go, label] of [[{ major: 1, minor: 22 }, '1\\.22'], [{ major: 1, minor: 24, noSwissMap: true }, '1\\.24 GOEXPERIMENT=noswissmap']] as [GoVersion, string][]) {
      const [, constant] = await findings('p.go', SRC, go, 800);
      expect(constant.related.map((r) => r.message)).toContainEqual(
        expect.stringMatching(new RegExp(`^Go ${label} \\(classic map\\), filling 5000 entries: grows it 10 times and allocates [\\d.]+ KB; with the hint it allocates [\\d.]+ KB once$`)),
      );
    }
  });

  it('calls a loop a map copy only when it stores the value as it is, into a map of the same type', async () => {
    const copy = (body: string, dst = 'map[string]int') => `package p\n\nfunc f(src map[string]int) ${dst} {\n\tdst := make(${dst})\n\tfor k, v := range src {\n\t\t${body}\n\t}\n\treturn dst\n}\n`;
    const remark = async (src: string) => (await findings('p.go', src, { major: 1, minor: 26 }))[0].related.map((r) => r.message).filter((m) => m.includes('maps.Copy'));
    expect(await remark(copy('dst[k] = v'))).toEqual(["the loop only copies `src`: `maps.Copy(dst, src)` does the same (gopls' mapsloop)"]);
    expect(await remark(copy('dst[k] = v + 1'))).toEqual([]);
    // map[string]any from a map[string]int: maps.Copy would not compile.
    expect(await remark(copy('dst[k] = v', 'map[string]any'))).toEqual([]);
  });

  it('leaves test files alone', async () => {
    expect(await findings('p_test.go', SRC, { major: 1, minor: 26 })).toEqual([]);
  });

  it('does not suggest range over an integer before Go 1.22', async () => {
    const src = 'package p\n\nfunc f(n int) map[int]int {\n\tm := make(map[int]int)\n\tfor i := range n {\n\t\tm[i] = i\n\t}\n\treturn m\n}\n';
    expect(await findings('p.go', src, { major: 1, minor: 21 })).toEqual([]);
    expect((await findings('p.go', src, { major: 1, minor: 22 })).map((f) => f.data?.hint)).toEqual(['n']);
  });

  it('gates range over an integer on the language version (go.mod\'s go line), not on the toolchain', async () => {
    const src = 'package p\n\nfunc f() map[int]int {\n\tm := make(map[int]int)\n\tfor i := range 5000 {\n\t\tm[i] = i\n\t}\n\treturn m\n}\n';
    const go126 = { major: 1, minor: 26 } as GoVersion;
    // A go 1.20 module built with Go 1.26: no range over int, whatever the toolchain.
    expect(await findings('p.go', src, go126, undefined, { major: 1, minor: 20 })).toEqual([]);
    // go 1.22 built with Go 1.23: the hint, with Go 1.23's classic map, which doubles at inserts
    // 9, 14, 27, 53, 105, 209, 417, 833, 1665 and 3329 on the way to 5000 (§2.3).
    const [f] = await findings('p.go', src, { major: 1, minor: 23 }, undefined, { major: 1, minor: 22 });
    expect(f.related.map((r) => r.message)).toContainEqual(expect.stringMatching(/^Go 1\.23 \(classic map\), filling 5000 entries: grows it 10 times and allocates [\d.]+ KB; /));
  });

  it('quotes the bytes of GOEXPERIMENT=mapsplitgroup groups, and says so', async () => {
    // map[int64]int8 in Go 1.27's split group: 8 + 8×8 keys + 8×1 elems = 80 bytes (interleaved:
    // 136, charged 144). Filling 800: 48 + 80 + 200 (measured at insert 9 on go1.27.3) + 352 + 672
    // + 1312 + 2720 + 5408 + 10272 = 21,064 bytes in 7 growths; hinted, one 1024-slot table:
    // 48 + 8 + 32 + 10,240 = 10,328. The interleaved layout: 37,512 (§3.7, map[int]int).
    const src = 'package p\n\nfunc f() map[int64]int8 {\n\tm := make(map[int64]int8)\n\tfor i := 0; i < 800; i++ {\n\t\tm[int64(i)] = 1\n\t}\n\treturn m\n}\n';
    const cost = async (go: GoVersion) => (await findings('p.go', src, go))[0].related.find((r) => r.message.startsWith('Go 1.27'))?.message;
    expect(await cost({ major: 1, minor: 27, mapSplitGroup: true } as GoVersion)).toBe(
      'Go 1.27 GOEXPERIMENT=mapsplitgroup (swiss map), filling 800 entries: grows it 7 times and allocates 21 KB; with the hint it allocates 10 KB once',
    );
    expect(await cost({ major: 1, minor: 27 } as GoVersion)).toBe('Go 1.27 (swiss map), filling 800 entries: grows it 7 times and allocates 38 KB; with the hint it allocates 19 KB once');
  });

  it('concurrent-map-write knows wg.Go from language 1.25, whatever the toolchain', async () => {
    const src = 'package p\n\nimport "sync"\n\nfunc f() map[int]int {\n\tm := make(map[int]int)\n\tvar wg sync.WaitGroup\n\tfor i := 0; i < 10; i++ {\n\t\twg.Go(func() {\n\t\t\tm[i] = i\n\t\t})\n\t}\n\twg.Wait()\n\treturn m\n}\n';
    const go126 = { major: 1, minor: 26 } as GoVersion;
    expect(await findings('p.go', src, go126, undefined, { major: 1, minor: 24 }, 'concurrent-map-write')).toEqual([]);
    expect((await findings('p.go', src, go126, undefined, { major: 1, minor: 25 }, 'concurrent-map-write')).map((f) => f.rule)).toEqual(['concurrent-map-write']);
  });
});
