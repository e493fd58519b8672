// Fresh profiles from the real toolchains: program/ built and run with Go 1.19 (classic maps) and
// the newest Go (swiss maps), then attributed. ~15 s with warm build caches. Without Go, the
// committed profiles (attribute.test.ts) still run and these are skipped, loudly (helpers/go.ts).
import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { linesOf, removeDir, runCli, tempDir } from '../helpers/cli';
import { GO119, GO_VERSION, HAS_GO, HAS_GO119, run } from '../helpers/go';
// @ts-expect-error: a plain ES module shared with the recording script
import { recordProfiles } from './record.mjs';
import { expectCpu, expectHeap, expectSampledHeap, PROGRAM, reportFor, site, SIZES } from './expect';

const dir = tempDir('mapscope-profile-live-');
afterAll(() => removeDir(dir));

const lineOf = (text: string, needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;

describe.skipIf(!HAS_GO119)('Go 1.19, classic maps (-trimpath: files named by module path)', () => {
  it('heap and CPU profiles of the program', async () => {
    const out = join(dir, 'go119');
    cpSync(PROGRAM, out, { recursive: true });
    const p = recordProfiles(GO119, out, { program: out, trimpath: true, sampled: true });
    expect(p.version).toMatch(/^go1\.19/);
    expectHeap(await reportFor([p.heap], '1.19', out), '1.19');
    expectCpu(await reportFor([p.cpu], '1.19', out));
    expectSampledHeap(await reportFor([p.heapSampled], '1.19', out));
  }, 120_000);
});

describe.skipIf(!HAS_GO)(`${GO_VERSION ?? 'go'}, swiss maps (files named by absolute path)`, () => {
  const out = join(dir, 'go');
  let recorded: { heap: string; cpu: string; heapSampled: string } | undefined;
  const record = () => {
    if (!recorded) {
      cpSync(PROGRAM, out, { recursive: true });
      recorded = recordProfiles('go', out, { program: out, trimpath: false, sampled: true });
    }
    return recorded!;
  };

  it('heap and CPU profiles of the program', async () => {
    const p = record();
    const minor = /go1\.(\d+)/.exec(GO_VERSION ?? '')![1];
    expectHeap(await reportFor([p.heap], `1.${minor}`, out), `1.${minor}`);
    expectCpu(await reportFor([p.cpu], `1.${minor}`, out));
    expectSampledHeap(await reportFor([p.heapSampled], `1.${minor}`, out));
  }, 120_000);

  it('mapscope profile ranks the sites with file:line, figures, size and hint (text and JSON)', async () => {
    const p = record();
    const main = readFileSync(join(out, 'main.go'), 'utf8');
    const json = await runCli(['profile', p.heap, p.cpu, '--source', '.', '--format', 'json'], { cwd: out });
    expect(json.stderr).toBe('');
    expect(json.code).toBe(0);
    const r = JSON.parse(json.stdout);
    expect(r.version).toBe(1);
    expect(r.profiles.map((x: { kind: string }) => x.kind)).toEqual(['heap', 'cpu']);
    expect(r.sites[0]).toMatchObject({ file: 'main.go', line: lineOf(main, 'index := make(map[int64]int64)'), name: 'index', hot: true });
    expect(r.sites[0].inferred.min).toBeLessThanOrEqual(SIZES.index);
    expect(r.sites[0].inferred.max).toBeGreaterThanOrEqual(SIZES.index);
    const text = await runCli(['profile', p.heap, '--source', out], { cwd: dir });
    expect(text.code).toBe(0);
    const lines = linesOf(text.stdout);
    expect(lines[0]).toMatch(/^profiles: heap \(every allocation recorded\); Go 1\.\d+ \(swiss maps\)$/);
    expect(lines[1]).toBe(`1. go/main.go:${lineOf(main, 'index := make(map[int64]int64)')}:11: index := make(map[int64]int64) in buildIndex [hot]`);
    expect(lines.find((l) => l.startsWith('   size from profile:'))).toMatch(/^ {3}size from profile: [\d,]+–[\d,]+ entries/);
    expect(lines.find((l) => l.startsWith('   suggested:'))).toMatch(/^ {3}suggested: a hint of n \(about [\d,]+\) allocates .* once per map: saves /);
  }, 120_000);

  it('go test -memprofile, as the README walks through it', async () => {
    record();
    const r = await run('go', ['test', '-run', 'TestFillIndex', '-memprofile', 'mem.out', '-memprofilerate', '1', '.'], out);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    const report = await reportFor([join(out, 'mem.out')], `1.${/go1\.(\d+)/.exec(GO_VERSION ?? '')![1]}`, out);
    const index = site(report, 'index');
    expect(index.inferred!.min).toBeLessThanOrEqual(SIZES.index);
    expect(index.inferred!.max).toBeGreaterThanOrEqual(SIZES.index);
    expect(report.sites[0].name).toBe('index');
  }, 120_000);
});
