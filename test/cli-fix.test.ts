// `mapscope check --fix` and `--diff` on copies of the rule fixtures, each fixture a package of
// its own in one module: the fixed code is gofmt-clean, builds, passes go vet and no longer panics;
// upper-bound hints are left alone; --diff prints exactly what --fix writes (git apply of the diff
// gives the same files) and writes nothing. In process, with the test hook that runs between the
// analysis and the write: a file changed in between is left alone and reported. Also: modes and
// symbolic links survive the atomic write, and a BOM does not shift the edits.
import { chmodSync, cpSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../server/src/cli/main';
import { linesOf, removeDir, runCli, tempDir, writeTree } from './helpers/cli';
import { ROOT, WASM } from './helpers/core';
import { FIXTURES, fixtureCases, fixtureRules, readGolden } from './helpers/fixtures';
import { HAS_GO, run } from './helpers/go';

let root: string;
beforeAll(() => {
  root = tempDir('mapscope-fix-');
});
afterAll(() => removeDir(root));

/**
 * The fixtures as one buildable module, the fixtures' own (`mapscope.test/fixtures`, so their
 * imports resolve): a directory case keeps its path, a one-file case gets a directory of its own,
 * `<rule>/<case>/`. Returns the module dir and where each fixture file went.
 */
function fixtureModule(name: string): { dir: string; copies: Map<string, string> } {
  const dir = join(root, name);
  const copies = new Map<string, string>();
  mkdirSync(dir, { recursive: true });
  // go 1.25, not the fixtures' 1.22: built as packages (not go run of one file, which lets newer code through), they use range over func and wg.Go.
  writeFileSync(join(dir, 'go.mod'), 'module mapscope.test/fixtures\n\ngo 1.25\n');
  for (const rule of fixtureRules()) {
    for (const c of fixtureCases(rule)) {
      const pkg = join(dir, rule, c.name.replace(/\.go$|\/$/, ''));
      if (c.name.endsWith('/')) cpSync(c.runTarget, pkg, { recursive: true, filter: (src) => !src.endsWith('.golden') });
      else mkdirSync(pkg, { recursive: true });
      for (const f of c.files) {
        // A directory case keeps its subpackages where they are.
        const to = join(pkg, c.name.endsWith('/') ? relative(c.runTarget, f) : basename(f));
        // Without the want comments: they are the rule test's, and a fix that changes a line's length
        // moves where gofmt aligns them, which would hide whether the fixed code itself is clean.
        writeFileSync(to, withoutWants(readFileSync(f, 'utf8')));
        copies.set(f, to);
      }
    }
  }
  return { dir, copies };
}

/** A fixture's text without its `// want` comments. */
function withoutWants(text: string): string {
  return text.replace(/[ \t]*\/\/ want .*$/gm, '');
}

/** Every .go file under a directory, relative path → content. */
function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const stack = [dir];
  while (stack.length > 0) {
    const d = stack.pop()!;
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) stack.push(join(d, e.name));
      else if (e.name.endsWith('.go')) out.set(relative(dir, join(d, e.name)), readFileSync(join(d, e.name), 'utf8'));
    }
  }
  return out;
}

/** The fixtures' upper-bound hints (not exact, so not preferred): fix-all must leave these lines as they are. */
const UPPER_BOUNDS: [string, number][] = [
  ['map-without-hint/pos_early_exit.go', 9],
  ['map-without-hint/pos_inner_loop.go', 8],
  ['map-without-hint/pos_nested.go', 8],
  ['map-without-hint/pos_nested.go', 18],
  ['map-without-hint/pos_range_slice.go', 24],
  ['map-without-hint/pos_string_array.go', 6],
];

describe('--fix on the rule fixtures', () => {
  let mod: { dir: string; copies: Map<string, string> };
  let before: Map<string, string>;
  let result: Awaited<ReturnType<typeof runCli>>;
  beforeAll(async () => {
    mod = fixtureModule('fixed');
    before = snapshot(mod.dir);
    result = await runCli(['check', '--fix', '--format', 'json', './...'], { cwd: mod.dir });
  });

  it('writes every golden fix and reports each one fixed; the findings left are printed, exit 1', () => {
    expect(result.code).toBe(1);
    const fixedLines = linesOf(result.stderr).filter((l) => l.startsWith('mapscope: fixed '));
    const left = (JSON.parse(result.stdout) as { findings: { rule: string; fixes: { isPreferred: boolean }[] }[] }).findings;
    // What is left: no finding with a preferred (exact) fix, which fix-all applies.
    expect(left.filter((f) => f.fixes.some((x) => x.isPreferred))).toEqual([]);
    expect(left.some((f) => f.rule === 'concurrent-map-write')).toBe(true);
    let goldens = 0;
    for (const [fixture, copy] of mod.copies) {
      const golden = readGolden(fixture);
      if (golden === undefined) continue;
      goldens++;
      expect(readFileSync(copy, 'utf8'), relative(FIXTURES, fixture)).toBe(withoutWants(golden));
    }
    expect(goldens).toBeGreaterThanOrEqual(18);
    // One line per fixed finding: `mapscope: fixed <file>:<line>:<col>: <title> (<rule>)`.
    expect(fixedLines).toContainEqual(expect.stringMatching(/^mapscope: fixed nil-map-write\/pos_named_result\/pos_named_result\.go:5:3: Initialize m at the top of the function: m = make\(map\[string\]int\) \(nil-map-write\)$/));
    expect(fixedLines).toContainEqual(expect.stringMatching(/^mapscope: fixed map-without-hint\/pos_counted\/pos_counted\.go:6:\d+: Add capacity hint: make\(map\[int\]int, n\) \(map-without-hint\)$/));
  });

  it('leaves upper-bound hints and files without a safe fix alone', () => {
    const after = snapshot(mod.dir);
    for (const [file, line] of UPPER_BOUNDS) {
      const original = withoutWants(readFileSync(join(FIXTURES, file), 'utf8')).split('\n')[line - 1];
      expect(original, file).toMatch(/make\(map\[[^\]]+\][^,)]+\)|map\[[^\]]+\]\w+\{\}/); // hintless, as written
      const copy = after.get(`${file.replace(/\.go$/, '')}/${basename(file)}`)!;
      expect(copy.split('\n')[line - 1], `${file}:${line}`).toBe(original);
    }
    // pos_early_exit: the exact hint (line 21) is applied, the upper bound (line 9) is not.
    const early = after.get('map-without-hint/pos_early_exit/pos_early_exit.go')!.split('\n');
    expect(early[20]).toBe('\tm := make(map[int]int, len(xs))');
    // Nothing to fix: unchanged byte for byte.
    for (const name of ['nil-map-write/pos_embedded/pos_embedded.go', 'concurrent-map-write/pos_wg_go/pos_wg_go.go', 'nil-map-write/neg_nil_check/neg_nil_check.go']) {
      expect(after.get(name), name).toBe(before.get(name));
    }
  });

  it.skipIf(!HAS_GO)('the fixed packages are gofmt-clean, build and pass go vet; the fixed nil-map programs run without panicking (needs go)', async () => {
    const fmt = await run('gofmt', ['-l', '.'], mod.dir);
    expect(fmt.stderr).toBe('');
    expect(fmt.stdout).toBe('');
    // The packages --fix changed (the others are the fixtures as they are, checked by go-fixtures.test.ts).
    const changed = [...new Set([...snapshot(mod.dir)].filter(([rel, text]) => before.get(rel) !== text).map(([rel]) => `./${dirname(rel)}`))].sort();
    expect(changed.length).toBeGreaterThanOrEqual(20);
    const bin = join(root, 'bin');
    mkdirSync(bin, { recursive: true });
    const build = await run('go', ['build', '-o', bin + '/', ...changed], mod.dir, 300_000);
    expect(build.stderr).toBe('');
    expect(build.code).toBe(0);
    const vet = await run('go', ['vet', ...changed], mod.dir, 300_000);
    expect(vet.stderr.replace(/^#.*\n/gm, '')).toBe('');
    expect(vet.code).toBe(0);
    const nilMap = changed.filter((d) => d.startsWith('./nil-map-write/'));
    expect(nilMap.length).toBeGreaterThanOrEqual(13);
    for (const d of nilMap) {
      const r = await run(join(bin, basename(d)), [], mod.dir);
      expect(r.stderr, d).not.toMatch(/panic/);
      expect(r.code, d).toBe(0);
    }
  }, 300_000);

  it('--diff prints what --fix writes: git apply of it to a fresh copy gives the fixed files, and --diff writes nothing', async () => {
    const fresh = fixtureModule('diffed');
    const untouched = snapshot(fresh.dir);
    const r = await runCli(['check', '--diff', './...'], { cwd: fresh.dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^--- a\/\S+\.go\n\+\+\+ b\/\S+\.go\n@@ -\d+,\d+ \+\d+,\d+ @@\n/);
    expect(snapshot(fresh.dir)).toEqual(untouched);
    writeFileSync(join(root, 'fix.patch'), r.stdout);
    const apply = await run('git', ['apply', '--whitespace=nowarn', join(root, 'fix.patch')], fresh.dir);
    expect(apply.stderr).toBe('');
    expect(apply.code).toBe(0);
    expect(snapshot(fresh.dir)).toEqual(snapshot(mod.dir));
  });
});

describe('--fix in process, with the hook between analysis and write', () => {
  const nilWrite = (name: string) => `package p\n\nfunc ${name}() {\n\tvar m map[string]int\n\tm["${name}"] = 1\n}\n`;

  async function runInProcess(args: string[], beforeWrite?: (file: string) => void): Promise<{ code: number; out: string; err: string }> {
    let out = '';
    let err = '';
    const code = await main(['check', ...args], {
      out: (s) => (out += s),
      err: (s) => (err += s),
      wasm: WASM,
      workerScript: join(ROOT, 'dist', 'check-worker.js'),
      version: 'test',
      ...(beforeWrite ? { fixHooks: { beforeWrite } } : {}),
    });
    return { code, out, err };
  }

  it('leaves a file that changed since the analysis alone, says so, and fixes the others', async () => {
    const dir = join(root, 'raced');
    writeTree(dir, { 'a.go': nilWrite('a'), 'b.go': nilWrite('b') });
    const edited = nilWrite('a') + '\n// edited while mapscope ran\n';
    const r = await runInProcess(['--fix', '--format', 'json', dir], (file) => {
      if (basename(file) === 'a.go') writeFileSync(file, edited);
    });
    expect(readFileSync(join(dir, 'a.go'), 'utf8')).toBe(edited);
    expect(readFileSync(join(dir, 'b.go'), 'utf8')).toBe(nilWrite('b').replace('var m map[string]int', 'm := make(map[string]int)'));
    const a = relative(process.cwd(), join(dir, 'a.go'));
    const b = relative(process.cwd(), join(dir, 'b.go'));
    expect(linesOf(r.err)).toEqual([
      `mapscope: fixed ${b}:5:2: Initialize m at its declaration: m := make(map[string]int) (nil-map-write)`,
      `mapscope: warning: ${a}: changed on disk since it was analysed; not fixed`,
    ]);
    // a.go's finding was not fixed, so it is still reported.
    expect((JSON.parse(r.out) as { findings: { file: string }[] }).findings.map((f) => f.file)).toEqual([a]);
    expect(r.code).toBe(1);
  });

  it('without changes in between, fixes everything and exits 0', async () => {
    const dir = join(root, 'calm');
    writeTree(dir, { 'a.go': nilWrite('a') });
    const r = await runInProcess(['--fix', dir], () => {});
    expect(r.code).toBe(0);
    expect(readFileSync(join(dir, 'a.go'), 'utf8')).toContain('m := make(map[string]int)');
  });
});

describe('--fix writes atomically and keeps what the file was', () => {
  const body = 'package p\n\nfunc f() {\n\tvar m map[string]int\n\tm["x"] = 1\n}\n';
  const fixed = body.replace('var m map[string]int', 'm := make(map[string]int)');

  it('keeps the mode, leaves no temporary file, and writes through a symbolic link to its target', async () => {
    const dir = join(root, 'modes');
    writeTree(dir, { 'real/exec.go': body, 'real/linked.go': body });
    chmodSync(join(dir, 'real', 'exec.go'), 0o750);
    mkdirSync(join(dir, 'pkg'));
    symlinkSync(join('..', 'real', 'linked.go'), join(dir, 'pkg', 'linked.go'));
    const a = await runCli(['check', '--fix', './real/exec.go'], { cwd: dir });
    const b = await runCli(['check', '--fix', './pkg'], { cwd: dir });
    expect([a.code, b.code]).toEqual([0, 0]);
    expect(readFileSync(join(dir, 'real', 'exec.go'), 'utf8')).toBe(fixed);
    expect(statSync(join(dir, 'real', 'exec.go')).mode & 0o777).toBe(0o750);
    expect(lstatSync(join(dir, 'pkg', 'linked.go')).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(dir, 'pkg', 'linked.go'))).toBe(join('..', 'real', 'linked.go'));
    expect(readFileSync(join(dir, 'real', 'linked.go'), 'utf8')).toBe(fixed);
    expect(readdirSync(join(dir, 'real')).sort()).toEqual(['exec.go', 'linked.go']);
  });

  it('counts edit offsets after a BOM', async () => {
    const dir = join(root, 'bom');
    writeTree(dir, { 'b.go': '\ufeff' + body.replace('func f', '// 日本語 😀\nfunc f') });
    const r = await runCli(['check', '--fix', '.'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(readFileSync(join(dir, 'b.go'), 'utf8')).toBe('\ufeff' + fixed.replace('func f', '// 日本語 😀\nfunc f'));
  });

  it('writes nothing into a file with a syntax error: its edits would come from a recovered tree', async () => {
    const dir = join(root, 'broken');
    const broken = body + '\nfunc g() {\n\tx := \n}\n';
    writeTree(dir, { 'b.go': broken });
    const r = await runCli(['check', '--fix', '.'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(readFileSync(join(dir, 'b.go'), 'utf8')).toBe(broken);
    expect(r.stdout).toMatch(/^b\.go:5:2: error: write to nil map `m`/);
  });

  it('rejects --fix=value and --diff with a --format', async () => {
    const dir = join(root, 'flags');
    writeTree(dir, { 'a.go': body });
    for (const [args, reason] of [
      [['--fix=false', '.'], /--fix takes no value/],
      [['--diff', '--format', 'json', '.'], /--diff prints a diff/],
    ] as const) {
      const r = await runCli(['check', ...args], { cwd: dir });
      expect(r.code).toBe(2);
      expect(linesOf(r.stderr)).toEqual([expect.stringMatching(reason)]);
    }
    expect(readFileSync(join(dir, 'a.go'), 'utf8')).toBe(body);
  });
});
