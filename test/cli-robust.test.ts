// The CLI on hostile input (issue 18): hints and sizes no process could allocate, a file too
// large to parse, a file name that is not UTF-8, SARIF URIs that need encoding.
import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MAX_ENTRIES, MAX_HINT, SOURCE_MAX_ENTRIES } from '../server/src/core/engine';
import { MAX_TOKENS } from '../server/src/core/parse/size';
import { runCli, tempProjects } from './helpers/cli';
import { HUGE, millionLiteral } from './helpers/huge';

const projects = tempProjects();
const { project } = projects;

interface PredictJson {
  sites: { line: number; hint?: { value?: number }; error?: string; prediction?: { entries: number; notes: string[] } }[];
}

describe('huge hints and sizes', () => {
  it('check: map-without-hint says why it gives no byte estimate', async () => {
    const dir = project({ 'go.mod': 'module huge\n\ngo 1.26\n', 'huge.go': HUGE });
    const r = await runCli(['check', 'huge.go'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout.split('\n').filter((l) => l.startsWith('huge.go'))).toEqual([
      'huge.go:18:7: information: map `m` is filled with `34359738368` entries but made without a capacity hint (map-without-hint)',
      'huge.go:26:7: information: map `m` is filled with `1099511627776` entries but made without a capacity hint (map-without-hint)',
      'huge.go:34:7: information: map `m` is filled with `1000000000000000` entries but made without a capacity hint (map-without-hint)',
    ]);
    // Each says why it has no bytes, in its related lines.
    const note = /^ {4}huge\.go:\d+:7: Go 1\.26 \(swiss map\): no byte estimate for more than 1,000,000 entries \(the growth panel and mapscope predict FILE:LINE show the first ones\)$/;
    expect(r.stdout.split('\n').filter((l) => note.test(l))).toHaveLength(3);
  });

  it('predict FILE: refuses 2^35 with the bound, follows the runtime for 2^40 and 1e15, caps the loops', async () => {
    const dir = project({ 'go.mod': 'module huge\n\ngo 1.26\n', 'huge.go': HUGE });
    const r = await runCli(['predict', 'huge.go', '--format', 'json'], { cwd: dir });
    expect(r.code).toBe(0);
    const sites = (JSON.parse(r.stdout) as PredictJson).sites;
    expect(sites.map((s) => s.line)).toEqual([4, 10, 14, 18, 26, 34]);
    expect(sites[0].error).toBe(`a hint of 34359738368 makes Go 1.26 allocate 1239.6 GB at once in make; the engine simulates hints up to ${MAX_HINT} (2^27)`);
    const ignored = (h: number) => `the runtime ignores a hint of ${h}: its table would be larger than the 2^48 bytes a Go process may allocate, so the map starts empty`;
    const capped = (what: string) => `the code's ${what} entries: these are the first ${SOURCE_MAX_ENTRIES} inserts (ask for up to ${MAX_ENTRIES})`;
    expect(sites[1].prediction).toMatchObject({ entries: SOURCE_MAX_ENTRIES, notes: [capped('1<<40 = 1099511627776'), ignored(2 ** 40)] });
    expect(sites[2].prediction).toMatchObject({ entries: SOURCE_MAX_ENTRIES, notes: [capped('1e15 = 1000000000000000'), ignored(1e15)] });
    expect(sites[3].prediction).toMatchObject({ entries: SOURCE_MAX_ENTRIES, notes: [capped('34359738368')] });
    // --impl classic: 2^40 × 144 bytes is under maxAlloc, so classic honours it, and it is refused.
    const c = await runCli(['predict', 'huge.go:10', '--impl', 'classic', '--format', 'json'], { cwd: dir });
    expect((JSON.parse(c.stdout) as PredictJson).sites[0].error).toMatch(/^a hint of 1099511627776 makes Go 1\.23 allocate \d+\.\d GB at once in make; the engine simulates hints up to 134217728 \(2\^27\)$/);
  });

  it('a map literal with a million entries is past the parser\'s limit: check skips it, predict says so', async () => {
    const dir = project({ 'lit.go': millionLiteral(), 'ok.go': 'package lit\n\nfunc f() {\n\tvar m map[int]int\n\tm[1] = 1\n}\n' });
    const r = await runCli(['check', '.'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr.split('\n')[0]).toBe(`mapscope: warning: lit.go: skipped: too large to analyse: more than ${MAX_TOKENS} tokens (16.8 million characters)`);
    expect(r.stdout).toMatch(/^ok\.go:5:2: error: write to nil map `m`/);
    const p = await runCli(['predict', 'lit.go'], { cwd: dir });
    expect(p.code).toBe(2);
    expect(p.stderr).toBe(`mapscope predict: lit.go: too large to analyse: more than ${MAX_TOKENS} tokens (16.8 million characters)\n`);
  });
});

describe('deep nesting', () => {
  it('predict FILE lists a make of 10,000 nested map types with the layout it cannot give, not a stack overflow', async () => {
    const dir = project({ 'deep.go': `package deep\n\nfunc f() any {\n\treturn make(${'map[int]'.repeat(10_000)}int)\n}\n` });
    const r = await runCli(['predict', 'deep.go', '--format', 'json'], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const sites = (JSON.parse(r.stdout) as PredictJson).sites;
    expect(sites.map((s) => s.line)).toEqual([4]);
    // A map, whatever it holds, is one word in its parent; the engine refuses to lay out the 10,000 levels.
    expect(sites[0].error).toMatch(/^the engine cannot lay out map\[int\]map\[int\]/);
  });
});

describe('file names', () => {
  it('a name that is not UTF-8 is skipped with a warning that says so, not "cannot read (ENOENT)"', async () => {
    const dir = project({ 'ok.go': 'package p\n' });
    writeFileSync(Buffer.concat([Buffer.from(`${dir}/bad`), Buffer.from([0xff]), Buffer.from('.go')]), 'package p\n\nfunc f() {\n\tvar m map[int]int\n\tm[1] = 1\n}\n');
    const r = await runCli(['check', '.'], { cwd: dir });
    expect(r.stderr).toBe('mapscope: warning: bad\uFFFD.go: skipped: the file name is not valid UTF-8, which MapScope cannot open (go vet cannot either)\n0 findings in 1 file\n');
    expect(r.code).toBe(0);
  });

  it('SARIF percent-encodes artifact URIs', async () => {
    const dir = project({ 'dir #1/a b%é.go': 'package p\n\nfunc f() {\n\tvar m map[int]int\n\tm[1] = 1\n}\n' });
    const r = await runCli(['check', '--format', 'sarif', './...'], { cwd: dir });
    const sarif = JSON.parse(r.stdout) as { runs: { results: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[]; fixes: { artifactChanges: { artifactLocation: { uri: string } }[] }[] }[] }[] };
    const result = sarif.runs[0].results[0];
    expect(result.locations[0].physicalLocation.artifactLocation.uri).toBe('dir%20%231/a%20b%25%C3%A9.go');
    expect(result.fixes[0].artifactChanges[0].artifactLocation.uri).toBe('dir%20%231/a%20b%25%C3%A9.go');
  });
});

describe('predict --hint', () => {
  it('refuses a hint past the bound in one line, and notes a hint the runtime ignores', async () => {
    const refused = await runCli(['predict', '--key', 'int', '--value', 'int', '--entries', '1000', '--hint', '34359738368', '--go', '1.26'], { cwd: projects.root });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe(`mapscope predict: a hint of 34359738368 makes Go 1.26 allocate 1239.6 GB at once in make; the engine simulates hints up to ${MAX_HINT} (2^27)\n`);
    const ignored = await runCli(['predict', '--key', 'int', '--value', 'int', '--entries', '1000', '--hint', '1000000000000000', '--go', '1.23', '--format', 'json'], { cwd: projects.root });
    expect(ignored.code).toBe(0);
    const p = JSON.parse(ignored.stdout) as { hint: number; notes: string[]; events: { kind: string }[] };
    expect(p.hint).toBe(1e15);
    expect(p.notes).toEqual(['the runtime ignores a hint of 1000000000000000: its table would be larger than the 2^48 bytes a Go process may allocate, so the map starts empty']);
    // Ignored, the map grows from empty: 1000 entries take the classic map through several doublings.
    expect(p.events.filter((e) => e.kind === 'grow').length).toBeGreaterThan(5);
  });
});
