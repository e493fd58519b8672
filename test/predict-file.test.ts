// `mapscope predict FILE[:LINE]` end to end: the built CLI run on a small package, giving the map
// sites as the growth panel shows them (the same core functions), with the engine's numbers.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { layoutOf, parseGoType, predict } from '../server/src/core/engine';
import { linesOf, removeDir, runCli, tempDir, writeTree } from './helpers/cli';

const MAIN = `package shop

func index(users []user) map[string]user {
	byID := make(map[string]user)
	for _, u := range users {
		byID[u.ID] = u
	}
	return byID
}

func squares() map[int]int64 {
	m := map[int]int64{}
	for i := 0; i < 5000; i++ {
		m[i] = int64(i * i)
	}
	return m
}

var prices = map[string]float64{"apple": 1.5, "pear": 2}
`;

const TYPES = `package shop

type user struct {
	ID   string
	Name string
}
`;

interface JsonSite {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  name?: string;
  kind: string;
  type: string;
  value: { text: string; size: number };
  size: { value?: number; source: string; expr?: string };
  hint?: { text: string; value?: number };
  suggestedHint?: string;
  fix?: { title: string; edits: { line: number; column: number; endLine: number; endColumn: number; newText: string }[] };
  prediction: {
    go: string;
    impl: string;
    entries: number;
    entriesSource: string;
    runs: number;
    asIs: { hint: number; growths: number; totalBytes: number; peakBytes: number; liveBytes: number; events: { insert: number; kind: string; bytes: number }[] };
    withHint: { hint: number; totalBytes: number };
    savings: { totalBytes: number };
  };
}

let dir: string;
beforeAll(() => {
  dir = tempDir('mapscope-predict-');
  writeTree(dir, { 'shop/main.go': MAIN, 'shop/types.go': TYPES, 'shop/empty.go': 'package shop\n\nfunc f() {}\n' });
});
afterAll(() => removeDir(dir));

const json = (stdout: string) => JSON.parse(stdout) as { version: number; file: string; go: string; impl: string; sites: JsonSite[] };

describe('mapscope predict FILE', () => {
  it('lists every map site with its layout, size, hint and both timelines', async () => {
    const r = await runCli(['predict', 'shop/main.go', '--go', '1.26'], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const heads = linesOf(r.stdout).filter((l) => /^shop\/main\.go:\d+:\d+: /.test(l));
    expect(heads).toEqual([
      'shop/main.go:4:10: byID := make(map[string]user) in index',
      'shop/main.go:12:7: m := map[int]int64{…} in squares',
      'shop/main.go:19:14: prices := map[string]float64{…}',
    ]);
    expect(r.stdout).toContain('  value user: 32 B, align 8, pointers');
    expect(r.stdout).toContain('  hint: none; size: depends on len(users) (an upper bound)');
    expect(r.stdout).toContain('  suggested hint: len(users) (Add capacity hint: make(map[string]user, len(users)))');
    expect(r.stdout).toContain('1000 entries (assumed; --entries N to change)');
    expect(r.stdout).toContain('  hint: 2; size: 2 entries in the literal');
    expect(r.stdout).toMatch(/growth events as is \(hint 0\):\n\s+insert\s+kind\s+bytes\s+capacity\s+detail\n\s+0\s+make\s+48\s+0→0/);
  });

  it('FILE:LINE gives the one site there, in JSON with the engine\'s numbers', async () => {
    const r = await runCli(['predict', 'shop/main.go:13', '--go', '1.22', '--format', 'json'], { cwd: dir });
    expect(r.code).toBe(0);
    const j = json(r.stdout);
    expect(j).toMatchObject({ version: 1, file: 'shop/main.go', go: '1.22', impl: 'classic' });
    expect(j.sites).toHaveLength(1);
    const s = j.sites[0];
    expect(s).toMatchObject({ line: 12, column: 7, endLine: 12, endColumn: 22, name: 'm', kind: 'literal', size: { value: 5000, source: 'loop' }, suggestedHint: '5000' });
    expect(s.fix).toEqual({ title: 'Replace map[int]int64{} with make(map[int]int64, 5000)', edits: [{ line: 12, column: 7, endLine: 12, endColumn: 22, newText: 'make(map[int]int64, 5000)' }] });
    const key = layoutOf(parseGoType('int'));
    const value = layoutOf(parseGoType('int64'));
    const without = predict(key, value, { entries: 5000, hint: 0, go: '1.22' });
    const withHint = predict(key, value, { entries: 5000, hint: 5000, go: '1.22' });
    expect(s.prediction).toMatchObject({ go: '1.22', impl: 'classic', entries: 5000, entriesSource: 'inferred' });
    expect(s.prediction.asIs).toMatchObject({ hint: 0, totalBytes: without.totalBytes, peakBytes: without.peakBytes, liveBytes: without.liveBytes });
    expect(s.prediction.withHint).toMatchObject({ hint: 5000, totalBytes: withHint.totalBytes });
    expect(s.prediction.savings.totalBytes).toBe(without.totalBytes - withHint.totalBytes);
    expect(s.prediction.asIs.events.filter((e) => e.kind !== 'overflow').map((e) => e.insert)).toEqual(
      without.events.filter((e) => e.kind !== 'overflow').map((e) => e.insert),
    );
  });

  it('takes --entries and --impl, and resolves named types from the package\'s other files', async () => {
    const r = await runCli(['predict', join(dir, 'shop', 'main.go') + ':4', '--entries', '300', '--impl', 'classic', '--go', '1.26', '--format=json'], { cwd: dir });
    expect(r.code).toBe(0);
    const s = json(r.stdout).sites[0];
    expect(s.value).toMatchObject({ text: 'user', size: 32 });
    expect(s.prediction).toMatchObject({ impl: 'classic', go: '1.23', entries: 300, entriesSource: 'given' });
    const user = layoutOf(parseGoType('struct{ID string; Name string}'));
    expect(s.prediction.asIs.totalBytes).toBe(predict(layoutOf(parseGoType('string')), user, { entries: 300, go: '1.23' }).totalBytes);
  });

  it('takes the value type from the siblings built with the file: a _windows.go file gets the Windows declaration', async () => {
    writeTree(dir, {
      'plat/v_linux.go': 'package plat\n\ntype V struct{ a int64 }\n',
      'plat/v_windows.go': 'package plat\n\ntype V struct{ a, b, c int64 }\n',
      'plat/use_windows.go': 'package plat\n\nvar table = make(map[int]V, 10)\n',
      'plat/use_linux.go': 'package plat\n\nvar table = make(map[int]V, 10)\n',
    });
    const win = await runCli(['predict', 'plat/use_windows.go', '--format', 'json'], { cwd: dir });
    const lin = await runCli(['predict', 'plat/use_linux.go', '--format', 'json'], { cwd: dir });
    // Three int64 fields are 24 bytes, one is 8 (Go's struct layout).
    expect(json(win.stdout).sites.map((x) => x.value)).toEqual([{ text: 'V', size: 24, align: 8, pointers: false }]);
    expect(json(lin.stdout).sites.map((x) => x.value)).toEqual([{ text: 'V', size: 8, align: 8, pointers: false }]);
  });

  it('says so for a file without maps', async () => {
    const t = await runCli(['predict', 'shop/empty.go'], { cwd: dir });
    expect(t).toMatchObject({ code: 0, stdout: 'shop/empty.go: no map sites\n' });
    const j = await runCli(['predict', 'shop/empty.go', '--format', 'json'], { cwd: dir });
    expect(json(j.stdout).sites).toEqual([]);
  });

  it.each([
    [['predict', 'shop/missing.go'], /^mapscope predict: shop\/missing\.go: no such file$/m],
    [['predict', 'shop/main.go:99'], /has 20 lines, not 99/],
    [['predict', 'shop/main.go', '--entries', 'many'], /--entries must be an integer/],
    [['predict', 'shop/main.go', '--key', 'int'], /unknown flag --key with a FILE/],
    [['predict', 'shop/main.go', 'shop/types.go'], /one FILE\[:LINE\] at a time/],
    [['predict', 'shop/main.go', '--impl', 'hashmap'], /--impl must be classic or swiss/],
  ])('exits 2 with one line for %j', async (args, message) => {
    const r = await runCli(args, { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(linesOf(r.stderr)).toHaveLength(1);
    expect(r.stderr).toMatch(message);
  });
});
