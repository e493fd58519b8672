// A map that a loop counts into (`m[k]++`, `m[k] += v`, `m[k] = append(m[k], v)`) has as many
// entries as there are distinct keys, which the code does not state; map-without-hint leaves such
// loops alone on purpose, and the growth panel says that instead of "no loop with a known count".
import { describe, expect, it } from 'vitest';
import { PackageIndex } from '../server/src/core/index/package-index';
import { summarize } from '../server/src/core/index/summary';
import { NEWEST_GO } from '../server/src/core/go-version';
import { mapSites } from '../server/src/core/sites';
import { loadParser, unitOf } from './helpers/core';

const SRC = `package p

func counts(words []string) map[string]int {
	c := make(map[string]int)
	for _, w := range words {
		c[w]++
	}
	return c
}

func sums(xs []int) map[int]int {
	s := map[int]int{}
	for i, x := range xs {
		s[x%10] += i
	}
	return s
}

func groups(xs []string) map[int][]string {
	g := make(map[int][]string)
	for _, x := range xs {
		g[len(x)] = append(g[len(x)], x)
	}
	return g
}

func outside(w string) map[string]int {
	o := make(map[string]int)
	o[w]++
	return o
}

func hinted(words []string) map[string]int {
	h := make(map[string]int, 64)
	for _, w := range words {
		h[w]++
	}
	return h
}
`;

describe('counting loops in the growth panel', () => {
  it('says a counting loop is left alone on purpose, and only for a loop', async () => {
    const p = await loadParser();
    const unit = unitOf(p, 'p.go', SRC);
    try {
      const sites = mapSites(unit, new PackageIndex([summarize(unit)]), { go: NEWEST_GO });
      const counting = 'not inferred: a loop counts into it (m[k]++, +=, append), so its size is the number of distinct keys; counting loops are left alone on purpose';
      expect(sites.map((s) => [s.name, s.size.source, s.size.description])).toEqual([
        ['c', 'unknown', counting],
        ['s', 'unknown', counting],
        ['g', 'unknown', counting],
        ['o', 'unknown', 'not inferred: no loop with a known count fills it'],
        ['h', 'hint', 'the hint 64'],
      ]);
    } finally {
      unit.tree.delete();
    }
  });
});
