// `mapscope check` patterns and build configurations end to end, on a module written here: every
// pattern form the go command takes, patterns that match nothing, and `_linux.go`/`_windows.go`
// twins with `//go:build` files giving findings only for the configured platform. Every file
// holds one nil-map write, so the findings say which files were analysed. Where go is present,
// the files MapScope analyses are counted against `go list` for the same pattern and platform.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { linesOf, removeDir, runCli, tempDir, writeTree } from './helpers/cli';
import { HAS_GO } from './helpers/go';

/** A file of package `pkg` whose function `name` writes a nil map at line 5 (plus any header lines). */
const nilWrite = (pkg: string, name: string, header = '') => `${header}package ${pkg}\n\nfunc ${name}() {\n\tvar m map[string]int\n\tm["${name}"] = 1\n}\n`;

const MODULE = {
  'go.mod': 'module example.com/m\n\ngo 1.22\n',
  'a.go': nilWrite('m', 'a'),
  'sub/s.go': nilWrite('sub', 's'),
  'sub/deep/d.go': nilWrite('deep', 'd'),
  'vendor/modules.txt': '',
  'vendor/v/v.go': nilWrite('v', 'v'),
  'testdata/t.go': nilWrite('t', 't'),
  '_u/u.go': nilWrite('u', 'u'),
  '.h/h.go': nilWrite('h', 'h'),
  'nested/go.mod': 'module example.com/nested\n\ngo 1.22\n',
  'nested/n.go': nilWrite('nested', 'n'),
  'node_modules/nm/nm.go': nilWrite('nm', 'nm'), // go does not skip node_modules: a go.mod `ignore` does
  'tonly/x_test.go': nilWrite('tonly', 'x'),
  'empty/README.md': 'no Go here\n',
  'winonly/w_windows.go': nilWrite('winonly', 'w'),
  // The twins: registry is nil on Linux (never assigned) and made on Windows and elsewhere, so the
  // write in common.go is a finding only when the Linux file is part of the package.
  'plat/common.go': 'package plat\n\nfunc Register(name string) {\n\tregistry[name] = 1\n}\n',
  'plat/impl_linux.go': nilWrite('plat', 'linux', '') + '\nvar registry map[string]int\n',
  'plat/impl_windows.go': nilWrite('plat', 'windows', '') + '\nvar registry = map[string]int{}\n',
  'plat/impl_other.go': nilWrite('plat', 'other', '//go:build !linux && !windows\n\n') + '\nvar registry = map[string]int{}\n',
  'plat/unix.go': nilWrite('plat', 'unix', '//go:build unix\n\n'),
  'plat/notwin.go': nilWrite('plat', 'notwin', '//go:build !windows\n\n'),
  'plat/tagged.go': nilWrite('plat', 'tagged', '//go:build integration\n\n'),
  'plat/old.go': nilWrite('plat', 'old', '// +build windows\n\n'),
  'plat/gen.go': nilWrite('main', 'gen', '//go:build ignore\n\n'),
  'plat/arm_arm64.go': nilWrite('plat', 'arm', ''),
};

let root: string;
let mod: string;
beforeAll(() => {
  root = tempDir();
  mod = join(root, 'm');
  writeTree(mod, MODULE);
});
afterAll(() => removeDir(root));

interface Checked {
  code: number | null;
  /** file:line of each finding, sorted. */
  findings: string[];
  warnings: string[];
  /** From the text summary: how many files were analysed. */
  files: number;
}

async function check(args: string[], cwd = mod, goflags = ''): Promise<Checked> {
  const r = await runCli(['check', '--format', 'text', ...args], { cwd, env: { ...process.env, GOFLAGS: goflags } });
  const findings = linesOf(r.stdout)
    .filter((l) => !l.startsWith(' '))
    .map((l) => l.split(':').slice(0, 2).join(':'))
    .sort();
  const err = linesOf(r.stderr);
  const summary = err.find((l) => /^\d+ findings? in \d+ files?$/.test(l));
  return { code: r.code, findings, warnings: err.filter((l) => l !== summary), files: summary ? Number(/in (\d+) file/.exec(summary)![1]) : -1 };
}

/** The files go list builds for a pattern: GoFiles + CgoFiles + TestGoFiles + XTestGoFiles. */
function goListCount(pattern: string, env: Record<string, string> = {}, cwd = mod): number {
  const out = execFileSync('go', ['list', '-e', '-f', '{{len .GoFiles}} {{len .CgoFiles}} {{len .TestGoFiles}} {{len .XTestGoFiles}}', pattern], {
    cwd,
    env: { ...process.env, GOFLAGS: '', ...env },
    encoding: 'utf8',
  });
  return out.split(/\s+/).filter(Boolean).reduce((n, x) => n + Number(x), 0);
}

/** The findings of the whole module on linux/amd64 (the host of these tests). */
const LINUX_ALL = ['a.go:5', 'node_modules/nm/nm.go:5', 'plat/common.go:4', 'plat/impl_linux.go:5', 'plat/notwin.go:7', 'plat/unix.go:7', 'sub/deep/d.go:5', 'sub/s.go:5', 'tonly/x_test.go:5'];

describe('package patterns', () => {
  it('./... is the module: no vendor/, testdata/, _ or . directories, nested modules, or files for other platforms', async () => {
    const r = await check(['--goos', 'linux', '--goarch', 'amd64', './...']);
    expect(r.code).toBe(1);
    expect(r.findings).toEqual(LINUX_ALL);
    expect(r.warnings).toEqual([]);
  });

  it.each([
    ['example.com/m/...', LINUX_ALL],
    ['./sub/...', ['sub/deep/d.go:5', 'sub/s.go:5']],
    ['sub/...', ['sub/deep/d.go:5', 'sub/s.go:5']], // a path relative to the cwd: example.com/m is the module
    ['example.com/m/sub/...', ['sub/deep/d.go:5', 'sub/s.go:5']],
    ['./sub', ['sub/s.go:5']], // a directory is one package, not a tree
    ['sub', ['sub/s.go:5']],
    ['example.com/m/sub', ['sub/s.go:5']],
    ['.', ['a.go:5']],
    ['example.com/m', ['a.go:5']],
    ['./.../deep', ['sub/deep/d.go:5']],
    ['./s...', ['sub/deep/d.go:5', 'sub/s.go:5']],
    ['./a.go', ['a.go:5']],
    ['./vendor/v', ['vendor/v/v.go:5']], // named directly, vendored and test directories are packages like any other
    ['./testdata', ['testdata/t.go:5']],
  ])('%s', async (pattern, want) => {
    const r = await check(['--goos', 'linux', '--goarch', 'amd64', pattern]);
    expect(r.findings).toEqual(want);
    expect(r.warnings).toEqual([]);
  });

  it('takes relative patterns from a subdirectory and absolute ones from anywhere', async () => {
    const rel = await check(['../...'], join(mod, 'sub'));
    expect(rel.findings).toEqual(LINUX_ALL.map((f) => (f.startsWith('sub/') ? f.slice(4) : `../${f}`)).sort());
    const abs = await check([join(mod, 'sub', '...')], root);
    expect(abs.findings).toEqual(['m/sub/deep/d.go:5', 'm/sub/s.go:5']);
  });

  it('reports a package named twice, or a file and its package, once', async () => {
    const r = await check(['./sub', 'sub', './sub/s.go', 'example.com/m/sub/...']);
    expect(r.findings).toEqual(['sub/deep/d.go:5', 'sub/s.go:5']);
  });

  it.each([
    ['./testdata/...', '"./testdata/..." matched no packages'],
    ['./_u/...', '"./_u/..." matched no packages'],
    ['./winonly/...', '"./winonly/..." matched no packages'],
    ['example.com/m/nope/...', '"example.com/m/nope/..." matched no packages'],
    ['example.com/other/...', '"example.com/other/..." matched no packages'],
    ['./empty', './empty: no Go files in empty'],
    ['./winonly', './winonly: build constraints exclude all Go files (GOOS=linux GOARCH=amd64) in winonly'],
  ])('%s matches nothing: a warning, exit 0', async (pattern, warning) => {
    const r = await check(['--goos', 'linux', '--goarch', 'amd64', pattern]);
    expect(r.code).toBe(0);
    expect(r.findings).toEqual([]);
    expect(r.warnings).toEqual([`mapscope: warning: ${warning}`]);
    expect(r.files).toBe(0);
  });

  it('warns for the pattern that matches nothing and checks the others', async () => {
    const r = await check(['./testdata/...', './sub']);
    expect(r.code).toBe(1);
    expect(r.findings).toEqual(['sub/s.go:5']);
    expect(r.warnings).toEqual(['mapscope: warning: "./testdata/..." matched no packages']);
  });

  it.each([
    ['./nope/...', /^mapscope: \.\/nope\/\.\.\.: no such file or directory$/],
    ['./nope', /^mapscope: \.\/nope: no such file or directory$/],
    ['example.com/m/nope', /^mapscope: example\.com\/m\/nope: main module \(example\.com\/m\) does not contain package example\.com\/m\/nope$/],
  ])('%s names nothing that exists: exit 2, one line', async (pattern, line) => {
    const r = await check([pattern]);
    expect(r.code).toBe(2);
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings[0]).toMatch(line);
  });

  it('leaves out the directories go.mod ignores (Go 1.25 `ignore`)', async () => {
    const dir = join(root, 'ignoring');
    writeTree(dir, { ...MODULE, 'go.mod': 'module example.com/m\n\ngo 1.25\n\nignore (\n\t./node_modules\n\tdeep\n)\n' });
    const r = await check(['./...'], dir);
    expect(r.findings).toEqual(LINUX_ALL.filter((f) => !f.startsWith('node_modules/') && !f.startsWith('sub/deep/')));
  });

  it('resolves import paths through go.work', async () => {
    const dir = join(root, 'work');
    writeTree(dir, {
      'go.work': 'go 1.22\n\nuse (\n\t./a\n\t./b\n)\n',
      'a/go.mod': 'module example.com/a\n\ngo 1.22\n',
      'a/x/x.go': nilWrite('x', 'x'),
      'b/go.mod': 'module example.com/b\n\ngo 1.22\n',
      'b/y.go': nilWrite('b', 'y'),
    });
    expect((await check(['example.com/a/...'], dir)).findings).toEqual(['a/x/x.go:5']);
    expect((await check(['example.com/b'], dir)).findings).toEqual(['b/y.go:5']);
    expect((await check(['example.com/...'], dir)).findings).toEqual(['a/x/x.go:5', 'b/y.go:5']);
  });
});

describe('build configurations', () => {
  it('Windows: the Windows twin, no unix or !windows file, and registry is made there', async () => {
    const r = await check(['--goos', 'windows', '--goarch', 'amd64', './plat']);
    expect(r.findings).toEqual(['plat/impl_windows.go:5', 'plat/old.go:7']);
  });

  it('Darwin on arm64: the other-OS file, unix, !windows and the _arm64 file', async () => {
    const r = await check(['--goos=darwin', '--goarch=arm64', './plat']);
    expect(r.findings).toEqual(['plat/arm_arm64.go:5', 'plat/impl_other.go:7', 'plat/notwin.go:7', 'plat/unix.go:7']);
  });

  it('--tags adds custom tags', async () => {
    const r = await check(['--goos', 'linux', '--goarch', 'amd64', '--tags', 'integration', './plat']);
    expect(r.findings).toEqual(['plat/common.go:4', 'plat/impl_linux.go:5', 'plat/notwin.go:7', 'plat/tagged.go:7', 'plat/unix.go:7']);
  });

  it.skipIf(!HAS_GO)('takes -tags from GOFLAGS, as go does, and --tags replaces them (needs go on PATH)', async () => {
    const fromEnv = await check(['--goos', 'linux', '--goarch', 'amd64', './plat'], mod, '-tags=integration');
    expect(fromEnv.findings).toContain('plat/tagged.go:7');
    const replaced = await check(['--goos', 'linux', '--goarch', 'amd64', '--tags', 'other', './plat'], mod, '-tags=integration');
    expect(replaced.findings).not.toContain('plat/tagged.go:7');
  });

  it('--tests=false leaves _test.go files out, as a package of its own too', async () => {
    const r = await check(['--tests=false', './...']);
    expect(r.findings).toEqual(LINUX_ALL.filter((f) => !f.endsWith('_test.go:5')));
  });

  it('checks a file named directly under a configuration that builds it, with the siblings built with it', async () => {
    // On Linux, impl_windows.go is checked with the Windows package: registry is made, so common.go is not involved.
    const win = await check(['--goos', 'linux', './plat/impl_windows.go']);
    expect(win.findings).toEqual(['plat/impl_windows.go:5']);
    expect(win.warnings).toEqual([]);
    // gen.go is `//go:build ignore`, a program of its own.
    expect((await check(['./plat/gen.go'])).findings).toEqual(['plat/gen.go:7']);
  });

  it('rejects an unknown GOOS, GOARCH or tag, in one line', async () => {
    for (const [args, reason] of [
      [['--goos', 'linuxx'], /--goos: unknown GOOS "linuxx"/],
      [['--goarch', 'x86'], /--goarch: unknown GOARCH "x86"/],
      [['--tags', 'a,b-c'], /--tags: "b-c" is not a build tag/],
      [['--tests=maybe'], /--tests takes true or false/],
    ] as const) {
      const r = await check([...args, './...']);
      expect(r.code).toBe(2);
      expect(r.warnings).toEqual([expect.stringMatching(reason)]);
    }
  });

  it.skipIf(!HAS_GO)('refuses a pair go does not support, in go\'s words (needs go on PATH)', async () => {
    const r = await check(['--goos', 'windows', '--goarch', 's390x', './...']);
    expect(r.code).toBe(2);
    expect(r.warnings).toEqual(['mapscope: unsupported GOOS/GOARCH pair windows/s390x']);
  });
});

describe.skipIf(!HAS_GO)('the files analysed, against go list (needs go on PATH)', () => {
  it.each([
    ['./...', 'linux', 'amd64', []],
    ['./...', 'windows', 'amd64', []],
    ['./...', 'darwin', 'arm64', []],
    ['./...', 'linux', 'arm64', ['integration']],
    ['example.com/m/...', 'js', 'wasm', []],
    ['./plat', 'freebsd', '386', []],
    ['./sub/...', 'linux', 'amd64', []],
  ])('%s on %s/%s, tags %j', async (pattern, goos, goarch, tags) => {
    const r = await check(['--goos', goos, '--goarch', goarch, ...(tags.length ? ['--tags', tags.join(',')] : []), pattern]);
    const tagEnv: Record<string, string> = tags.length ? { GOFLAGS: `-tags=${tags.join(',')}` } : {};
    expect(r.files).toBe(goListCount(pattern, { GOOS: goos, GOARCH: goarch, ...tagEnv }));
  });
});
