// The fixtures checked against the real thing: every nil-map-write positive panics with
// "assignment to entry in nil map" at the wanted line, every negative runs clean, every fixture
// and every golden is gofmt-clean and passes go vet, and every fixed program runs clean. A
// map-without-hint fix must not change behaviour: each fixture prints the same before and after.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FIXTURES, fixtureCases, fixtureRules, readGolden, wantsOf, type FixtureCase } from './helpers/fixtures';
import { HAS_GO, run, type RunResult } from './helpers/go';

const scratch = mkdtempSync(join(tmpdir(), 'mapscope-go-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const cases = fixtureRules().flatMap((rule) => fixtureCases(rule));
const target = (c: FixtureCase) => relative(FIXTURES, c.runTarget);
/** The findings of the fixture's own rule that it wants. */
const wantsIn = (c: FixtureCase) => c.files.flatMap((f) => wantsOf(f, readFileSync(f, 'utf8'), c.rule)).filter((w) => w.kind === 'finding' && w.rule === c.rule);

/** go vet found nothing (its `# package` header lines aside). */
function expectVetClean(vet: RunResult): void {
  expect(vet.stderr.replace(/^#.*\n/gm, '')).toBe('');
  expect(vet.code).toBe(0);
}

/**
 * The fixture's files with their goldens applied, as a module of their own under `scratch/under`;
 * go vet must pass on it. A case spanning packages keeps its place in the fixtures' module
 * (`mapscope.test/fixtures`), so that its imports of its own subpackages resolve.
 */
async function fixedModule(c: FixtureCase, under: string): Promise<string> {
  const root = join(scratch, under, c.name.replace(/[/.]/g, '_'));
  const rel = c.packages ? relative(FIXTURES, c.runTarget) : '';
  const dir = join(root, rel);
  if (c.packages) cpSync(c.runTarget, dir, { recursive: true, filter: (src) => !src.endsWith('.golden') });
  for (const f of c.files) {
    const out = c.packages ? join(dir, relative(c.runTarget, f)) : join(dir, basename(f));
    cpSync(f, out);
    const g = readGolden(f);
    if (g !== undefined) writeFileSync(out, g);
  }
  writeFileSync(join(root, 'go.mod'), `module ${c.packages ? 'mapscope.test/fixtures' : 'fixed'}\n\ngo 1.22\n`);
  expectVetClean(await run('go', ['vet', c.packages ? `./${rel}/...` : '.'], root));
  return dir;
}

describe.skipIf(!HAS_GO)('fixtures against the Go toolchain (needs go on PATH)', () => {
  it('every fixture, and every golden without its want comments, is gofmt-clean', async () => {
    const goldens = join(scratch, 'goldens');
    for (const c of cases) {
      for (const f of c.files) {
        const g = readGolden(f);
        if (g !== undefined) {
          const out = join(goldens, relative(FIXTURES, f));
          cpSync(f, out); // ensure the directory exists
          // The want comments are the test's, not the fix's: a fix that changes a line's length moves
          // where gofmt aligns the comments of neighbouring lines. The code around them must be clean.
          writeFileSync(out, g.replace(/[ \t]*\/\/ want .*$/gm, ''));
        }
      }
    }
    const fixtures = await run('gofmt', ['-l', FIXTURES], FIXTURES);
    expect(fixtures.stderr).toBe('');
    expect(fixtures.stdout).toBe('');
    const fixed = await run('gofmt', ['-l', goldens], goldens);
    expect(fixed.stderr).toBe('');
    expect(fixed.stdout).toBe('');
  });

  describe.concurrent.each(cases.filter((c) => c.rule === 'nil-map-write').map((c) => [c.name, c] as const))('nil-map-write %s', (_n, c) => {
    it('runs as the fixture says: panics at the wanted line, or runs clean', async () => {
      const wants = wantsIn(c);
      const r = await run('go', ['run', `./${target(c)}`], FIXTURES);
      if (wants.length === 0) {
        expect(r.stderr, 'a negative fixture must run clean').not.toMatch(/panic/);
        expect(r.code).toBe(0);
        return;
      }
      expect(r.code).not.toBe(0);
      expect(r.stderr).toContain('assignment to entry in nil map');
      // The first frame of the goroutine's trace names the file and line that panicked.
      const frames = [...r.stderr.matchAll(/\n\t(\S+\.go):(\d+)/g)].map((m) => `${basename(m[1])}:${m[2]}`);
      expect(wants.map((w) => `${basename(w.file)}:${w.line}`)).toContain(frames[0]);
    });

    it('passes go vet', async () => {
      expectVetClean(await run('go', ['vet', `./${target(c)}`], FIXTURES));
    });

    if (!c.files.some((f) => readGolden(f) !== undefined)) return;
    it('after the fixes, passes go vet and runs clean', async () => {
      const dir = await fixedModule(c, 'fixed');
      const r = await run('go', ['run', '.'], dir);
      expect(r.stderr).not.toMatch(/panic/);
      expect(r.code).toBe(0);
    });
  });
  describe.concurrent.each(cases.filter((c) => c.rule === 'map-without-hint').map((c) => [c.name, c] as const))('map-without-hint %s', (_n, c) => {
    it('passes go vet and runs clean', async () => {
      expectVetClean(await run('go', ['vet', `./${target(c)}`], FIXTURES));
      const r = await run('go', ['run', `./${target(c)}`], FIXTURES);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
    });

    if (!c.files.some((f) => readGolden(f) !== undefined)) return;
    it('after the fixes, passes go vet and prints exactly what it printed before', async () => {
      const before = await run('go', ['run', `./${target(c)}`], FIXTURES);
      expect(before.code).toBe(0);
      const dir = await fixedModule(c, 'fixed-hint');
      const after = await run('go', ['run', '.'], dir);
      expect(after.stderr).toBe('');
      expect(after.code).toBe(0);
      expect(after.stdout).toBe(before.stdout);
      expect(before.stdout).not.toBe('');
    });
  });
});
