// Re-measures the real runtime now, with whatever Go toolchains are installed, and compares the
// engine with it (the recorded data in test/oracle/data may be older than the toolchain).
// CI has both toolchains; locally a missing one is skipped, loudly.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { mapImplFor, parseGoVersion } from '../../server/src/core/engine/index';
import { compareFill, type Run } from './oracle-data';
import { GO119 } from '../helpers/go';

const PROBE_DIR = join(__dirname, '..', 'oracle', 'probe');

function goVersion(bin: string): string | null {
  try {
    return execFileSync(bin, ['env', 'GOVERSION'], { encoding: 'utf8', timeout: 20_000 }).trim();
  } catch {
    return null;
  }
}

const tmp = mkdtempSync(join(tmpdir(), 'mapscope-live-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function probeRuns(goBin: string, args: string[][]): Run[] {
  const bin = join(tmp, `probe-${Math.random().toString(36).slice(2)}`);
  execFileSync(goBin, ['build', '-o', bin, '.'], { cwd: PROBE_DIR, stdio: ['ignore', 'ignore', 'pipe'], timeout: 120_000 });
  const runs: Run[] = [];
  for (const a of args) {
    const out = execFileSync(bin, a, { encoding: 'utf8', maxBuffer: 1 << 28, timeout: 60_000 });
    for (const line of out.trim().split('\n')) {
      const r = JSON.parse(line);
      const st = (s: { impl: string; B?: number; tables?: number }) => (s.impl === 'classic' ? s.B! : s.tables!);
      runs.push({
        type: r.type, key: r.key, value: r.value, hint: r.hint, n: r.n, workload: r.workload,
        make: [r.make.b, r.make.m], perEntry: r.perEntry,
        events: (r.events ?? []).map((e: { i: number; k: string; b: number; m: number; s: never; op?: string }) => [e.i, e.k, e.b, e.m, st(e.s), e.op]),
        overflow: (r.overflow ?? []).map((o: { from: number; n: number; b: number; m: number }) => [o.from, o.n, o.b, o.m]),
        final: st(r.final), total: r.total,
      });
    }
  }
  return runs;
}

const SUBSET: string[][] = [];
for (const type of ['i64_i64', 'str_int', 'i64_set', 'a129_int', 'int_a200', 'any_int']) {
  for (const hint of [0, 9, 100, 897, 1793]) SUBSET.push(['-type', type, '-hint', String(hint), '-n', '3000']);
}

const toolchains: { name: string; bin: string; version: string | null }[] = [
  { name: '`go` on PATH', bin: 'go', version: goVersion('go') },
  { name: 'go1.19 at /usr/lib/go-1.19', bin: GO119, version: existsSync(GO119) ? goVersion(GO119) : null },
];

describe('live re-measurement against installed Go toolchains', () => {
  for (const tc of toolchains) {
    const missing = tc.version === null;
    if (missing) console.warn(`[engine live test] SKIPPED for ${tc.name}: toolchain not found; CI must have it`);
    it.skipIf(missing)(
      missing ? `${tc.name}: SKIPPED (toolchain not installed)` : `${tc.name} (${tc.version}): engine matches a fresh measurement`,
      () => {
        const { minor, noswissmap } = parseGoVersion(tc.version!);
        const impl = mapImplFor(minor, noswissmap ? 'noswissmap' : '');
        const runs = probeRuns(tc.bin, SUBSET);
        expect(runs.length).toBe(SUBSET.length);
        const bad = runs.flatMap((r) => compareFill(r, impl, `1.${minor}`));
        expect(bad).toEqual([]);
      },
      180_000,
    );
  }
});
