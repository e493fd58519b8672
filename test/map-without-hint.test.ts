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

async function findings(path: string, text: string, go: GoVersion, defaultMapSize?: number): Promise<Finding[]> {
  const p = await loadParser();
  const unit = unitOf(p, path, text);
  try {
    const pkg = new PackageIndex([summarize(unit)]);
    return analyzeFile(unit, pkg, { go, rules: { enabled: new Set(['map-without-hint']), defaultMapSize } });
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
    for (const go of [{ major: 1, minor: 22 }, { major: 1, minor: 24, noSwissMap: true }] as GoVersion[]) {
      const [, constant] = await findings('p.go', SRC, go, 800);
      const cost = constant.related.find((r) => r.message.startsWith(`Go 1.${go.minor}`))?.message ?? '';
      expect(cost).toMatch(new RegExp(`^Go 1\\.${go.minor} \\(classic map\\), filling 5000 entries: grows it 10 times and allocates [\\d.]+ KB; with the hint it allocates [\\d.]+ KB once$`));
    }
  });

  it('leaves test files alone', async () => {
    expect(await findings('p_test.go', SRC, { major: 1, minor: 26 })).toEqual([]);
  });

  it('does not suggest range over an integer before Go 1.22', async () => {
    const src = 'package p\n\nfunc f(n int) map[int]int {\n\tm := make(map[int]int)\n\tfor i := range n {\n\t\tm[i] = i\n\t}\n\treturn m\n}\n';
    expect(await findings('p.go', src, { major: 1, minor: 21 })).toEqual([]);
    expect((await findings('p.go', src, { major: 1, minor: 22 })).map((f) => f.data?.hint)).toEqual(['n']);
  });
});
