// The concurrent-map-write fixtures checked against the race detector: each fixture is built once
// with `go build -race` (two builds at a time). A positive (a fixture that wants a finding of the
// rule) is run until the detector reports "WARNING: DATA RACE" or "concurrent map writes", at most
// MAX_RUNS times; a negative is run NEGATIVE_RUNS times and must never report one. Without `go` on
// PATH the suite is skipped, and says so.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES, fixtureCases, wantsOf, type FixtureCase } from './helpers/fixtures';
import { HAS_GO, run, type RunResult } from './helpers/go';

const RULE = 'concurrent-map-write';
/** A race is a matter of scheduling: a positive gets this many chances to show it. */
const MAX_RUNS = 50;
const NEGATIVE_RUNS = 3;
const RACE = /WARNING: DATA RACE|concurrent map (?:writes|read and map write|iteration and map write|clone and map write)/;

// The race runtime sleeps a second at exit by default; this worker process runs only these tests.
process.env.GORACE = 'atexit_sleep_ms=0';

const cases = fixtureCases(RULE);
const positive = (c: FixtureCase) => c.files.some((f) => wantsOf(f, readFileSync(f, 'utf8'), RULE).some((w) => w.kind === 'finding' && w.rule === RULE));
const binaryName = (c: FixtureCase) => c.name.replace(/[/.]/g, '_');

describe.skipIf(!HAS_GO)('concurrent-map-write fixtures under the race detector (needs go on PATH)', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'mapscope-race-'));
  const builds = new Map<string, RunResult>();
  const unconfirmed: string[] = [];

  beforeAll(async () => {
    // Two at a time: the machines have two cores and the race runtime is large to link.
    const queue = [...cases];
    const worker = async () => {
      for (let c = queue.shift(); c; c = queue.shift()) {
        const r = await run('go', ['build', '-race', '-o', join(scratch, binaryName(c)), `./${relative(FIXTURES, c.runTarget)}`], FIXTURES, 180_000);
        builds.set(c.name, r);
      }
    };
    await Promise.all([worker(), worker()]);
  }, 300_000);

  afterAll(() => {
    rmSync(scratch, { recursive: true, force: true });
    if (unconfirmed.length > 0) console.warn(`race detector could not confirm: ${unconfirmed.join(', ')}`);
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s', async (name, c) => {
    const build = builds.get(name);
    expect(build?.stderr ?? 'not built', `${name} must build with -race`).toBe('');
    expect(build?.code).toBe(0);
    if (positive(c)) {
      let runs = 0;
      let raced = false;
      while (!raced && runs < MAX_RUNS) {
        raced = RACE.test((await run(join(scratch, binaryName(c)), [], scratch, 30_000)).stderr);
        runs++;
      }
      if (!raced) unconfirmed.push(name);
      expect(raced, `${name}: no race reported in ${MAX_RUNS} runs`).toBe(true);
      return;
    }
    for (let i = 0; i < NEGATIVE_RUNS; i++) {
      const o = await run(join(scratch, binaryName(c)), [], scratch, 30_000);
      expect(RACE.test(o.stderr) ? o.stderr.slice(0, 2000) : '', `${name}: a negative fixture must run race-free`).toBe('');
      expect(o.code, o.stderr).toBe(0);
    }
  });
});
