// `mapscope profile` as users run it, on the committed profiles (no Go needed): output, exit codes
// and one-line errors. The live test runs it on fresh profiles too.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { linesOf, runCli } from '../helpers/cli';
import { DATA, PROGRAM, SIZES } from './expect';

const heap = join(DATA, 'heap-go1.19.pb.gz');
const cpu = join(DATA, 'cpu-go1.19.pb.gz');

describe('mapscope profile', () => {
  it('JSON: sites ranked by growth, paths relative to the working directory, 1-based lines', async () => {
    const r = await runCli(['profile', heap, cpu, '--go', '1.19', '--format', 'json'], { cwd: PROGRAM });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j).toMatchObject({ version: 1, go: '1.19', impl: 'classic' });
    expect(j.sites.slice(0, 2).map((s: { name: string }) => s.name)).toEqual(['index', 'set']);
    expect(j.sites[0]).toMatchObject({ file: 'main.go', line: 26, column: 11, kind: 'make', type: 'map[int64]int64', function: 'buildIndex', hot: true, maps: 1 });
    expect(j.sites[0].inferred).toMatchObject({ min: 13313, max: 26624, exact: true });
    expect(j.sites[0].suggestion).toMatchObject({ hint: 26624, expr: 'n' });
    expect(j.sites[0].inferred.min).toBeLessThanOrEqual(SIZES.index);
    expect(j.ambiguous.length).toBeGreaterThan(0);
  });

  it('text: one block per site, the ambiguous lines after them', async () => {
    const r = await runCli(['profile', heap, '--go', '1.19', '--source', PROGRAM], { cwd: DATA });
    expect(r.code).toBe(0);
    const lines = linesOf(r.stdout);
    expect(lines[0]).toBe('profiles: heap (every allocation recorded); Go 1.19 (classic maps)');
    expect(lines[1]).toBe('1. ../program/main.go:26:11: index := make(map[int64]int64) in buildIndex [hot]');
    expect(lines).toContain('   size from profile: 13,313–26,624 entries (631 KB first allocated at insert 13,313: B 11→12)');
    expect(lines).toContain('not split (the line may write more than one map):');
  });

  it('usage and input errors are exit 2 with one line', async () => {
    const cases: [string[], RegExp][] = [
      [['profile'], /^mapscope profile: usage: mapscope profile PROFILE\.\.\./],
      [['profile', heap, '--format', 'xml'], /^mapscope profile: --format must be text or json, not "xml"$/],
      [['profile', heap, '--bogus'], /^mapscope profile: unknown flag --bogus; usage/],
      [['profile', heap, '--go', 'soon'], /^mapscope profile: --go: "soon" is not a Go version like 1\.22$/],
      [['profile', heap, '--source', join(PROGRAM, 'nowhere')], /^mapscope profile: --source .*nowhere: no such directory$/],
      [['profile', join(PROGRAM, 'main.go')], /^mapscope profile: .*main\.go: not a pprof profile \(/],
      [['profile', join(DATA, 'goroutine-go1.19.pb.gz')], /^mapscope profile: .*goroutine-go1\.19\.pb\.gz: a goroutine profile, not a Go heap or CPU profile$/],
      [['profile', join(DATA, 'missing.pb.gz')], /^mapscope profile: .*missing\.pb\.gz: no such file$/],
    ];
    for (const [args, want] of cases) {
      const r = await runCli(args, { cwd: PROGRAM });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
      expect(linesOf(r.stderr), args.join(' ')).toHaveLength(1);
      expect(r.stderr.trim()).toMatch(want);
    }
  });
});
