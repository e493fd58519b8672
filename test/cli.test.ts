// `mapscope check` end to end: the built CLI run as a child process in temporary directories.
// Exit codes, the text, JSON and SARIF formats (design.md §3.2), files that cannot be analysed,
// large inputs, and the worker-thread path against the in-process one. Patterns and build
// constraints: cli-patterns.test.ts; --fix and --diff: cli-fix.test.ts; the CI formats:
// cli-formats.test.ts.
import { chmodSync, existsSync, readFileSync, symlinkSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { linesOf, runCli, tempProjects, type CliResult, type JsonFinding, type JsonReport } from './helpers/cli';

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

/** One nil-map write at line 5, columns 2..8 (`m["a"]`), in a function named `name`. */
const nilWrite = (pkg: string, name: string) => `package ${pkg}\n\nfunc ${name}() {\n\tvar m map[string]int\n\tm["a"] = 1\n}\n`;
const clean = (pkg: string, name: string) => `package ${pkg}\n\nfunc ${name}() {\n\tm := map[string]int{}\n\tm["a"] = 1\n}\n`;
/** The write after CJK and an emoji on line 5 (see the byte/UTF-16 counts where it is used). */
const EMOJI = 'package main\n\nfunc main() {\n\tvar m map[string]int\n\ts := "日本😀"; m["k"] = 1\n\t_ = s\n}\n';

const json = (r: CliResult): JsonReport => JSON.parse(r.stdout) as JsonReport;
const noStackTrace = (s: string) => expect(s).not.toMatch(/^\s+at /m);

const { project } = tempProjects();

describe('exit codes', () => {
  it('0 when there are no findings', async () => {
    const dir = project({ 'a.go': clean('main', 'main') });
    const r = await runCli(['check', 'a.go'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(linesOf(r.stderr)).toEqual(['0 findings in 1 file']);
  });

  it('1 when there are findings', async () => {
    const dir = project({ 'a.go': nilWrite('main', 'main') });
    const r = await runCli(['check', 'a.go'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(linesOf(r.stderr)).toEqual(['1 finding in 1 file']);
  });

  it('0 for --help and --version', async () => {
    const dir = project({});
    for (const arg of ['--help', '-h', 'help']) {
      const help = await runCli([arg], { cwd: dir });
      expect(help.code).toBe(0);
      expect(help.stdout).toContain('mapscope check');
      expect(help.stdout).toContain('mapscope predict FILE[:LINE]');
      expect(help.stderr).toBe('');
    }
    const version = await runCli(['--version'], { cwd: dir });
    expect(version.code).toBe(0);
    const manifest = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { version: string };
    expect(version.stdout.trim()).toBe(manifest.version);
  });

  describe('2 for usage errors, with exactly one line on stderr and no stack trace', () => {
    let dir: string;
    beforeAll(() => {
      dir = project({ 'a.go': nilWrite('main', 'main'), 'notes.txt': 'not go\n' });
    });
    it.each([
      ['no command', [], /^mapscope: .*command.*\(try 'mapscope help'\)$/],
      ['an unknown command', ['foo'], /^mapscope: unknown command "foo" \(try 'mapscope help'\)$/],
      ['an unknown flag before the command', ['--bogus'], /^mapscope: unknown flag --bogus \(try 'mapscope help'\)$/],
      ['no path', ['check'], /path/],
      ['an unknown flag', ['check', '--bogus', 'a.go'], /--bogus/],
      ['a bad --format', ['check', '--format', 'xml', 'a.go'], /xml/],
      ['a bad --format=', ['check', '--format=xml', 'a.go'], /xml/],
      ['--format without a value', ['check', 'a.go', '--format'], /--format/],
      ['a bad --go', ['check', '--go', 'banana', 'a.go'], /banana/],
      ['an unknown rule in --rules', ['check', '--rules', 'nil-map-write,no-such-rule', 'a.go'], /no-such-rule.*known: nil-map-write, map-without-hint, concurrent-map-write/],
      ['an empty --rules=', ['check', '--rules=', 'a.go'], /--rules.*known: nil-map-write, map-without-hint, concurrent-map-write/],
      ['an empty --rules', ['check', '--rules', '', 'a.go'], /--rules.*known: nil-map-write, map-without-hint, concurrent-map-write/],
      ['a --rules of commas only', ['check', '--rules=,,', 'a.go'], /--rules.*known: nil-map-write, map-without-hint, concurrent-map-write/],
      ['a missing file', ['check', 'missing.go'], /missing\.go/],
      ['a missing directory', ['check', 'a.go', 'missing-dir'], /missing-dir/],
      ['a file that is not .go', ['check', 'notes.txt'], /notes\.txt/],
    ] as const)('%s', async (_name, args, reason) => {
      const r = await runCli([...args], { cwd: dir });
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      const lines = linesOf(r.stderr);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^mapscope: /);
      expect(lines[0]).toMatch(reason);
      noStackTrace(r.stderr);
    });
  });
});

describe('--format json', () => {
  it('prints version 1 and findings with paths relative to the cwd and 1-based UTF-8 byte columns', async () => {
    const dir = project({ 'sub/a.go': EMOJI });
    const r = await runCli(['check', '--format', 'json', '--go', '1.26', 'sub'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    // Line 5 is `\ts := "日本😀"; m["k"] = 1`: \t s ␠ : = ␠ " (7 bytes) 日本 (6) 😀 (4) " ; ␠ (3) → `m` at
    // byte 20, column 21; `m["k"]` is 6 bytes → end column 27. Line 4 is `\tvar m map[string]int`:
    // `var` at column 2, `m` at column 6, the end at column 22.
    expect(json(r)).toEqual({
      version: 1,
      // The Go the findings are for, and why (no go.mod: the language is the toolchain's own).
      go: {
        folder: 'sub',
        toolchain: { version: '1.26', source: '--go flag', impl: 'swiss', experiments: [] },
        language: { version: '1.26', source: 'no go.mod: the toolchain\'s own version' },
      },
      findings: [
        {
          file: 'sub/a.go',
          line: 5,
          column: 21,
          endLine: 5,
          endColumn: 27,
          rule: 'nil-map-write',
          severity: 'error',
          message: 'write to nil map `m` panics',
          fixes: [
            {
              title: expect.stringContaining('make(map[string]int)'),
              isPreferred: true,
              edits: [{ line: 4, column: 2, endLine: 4, endColumn: 22, newText: 'm := make(map[string]int)' }],
            },
          ],
          related: [{ file: 'sub/a.go', line: 4, column: 6, endLine: 4, endColumn: 22, message: '`m` is declared here without a value; nothing assigns it before the write' }],
        },
      ],
    });
  });

  it('prints paths relative to the cwd when the path is absolute or outside it', async () => {
    const dir = project({ 'sub/a.go': nilWrite('main', 'main'), 'other/keep.txt': '' });
    const abs = await runCli(['check', '--format=json', join(dir, 'sub', 'a.go')], { cwd: dir });
    expect(json(abs).findings.map((f) => f.file)).toEqual(['sub/a.go']);
    const up = await runCli(['check', '--format=json', '../sub'], { cwd: join(dir, 'other') });
    expect(json(up).findings.map((f) => [f.file, f.line, f.column])).toEqual([['../sub/a.go', 5, 2]]);
  });

  it('prints an empty list when there are no findings', async () => {
    const dir = project({ 'a.go': clean('main', 'main') });
    const r = await runCli(['check', '--format', 'json', '.'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(json(r)).toEqual({ version: 1, go: expect.objectContaining({ folder: '.' }), findings: [] });
  });

  it('reports related places in other files of the package', async () => {
    const dir = project({ 'p/a.go': 'package p\n\nvar registry map[string]int\n', 'p/b.go': 'package p\n\nfunc Register(name string) {\n\tregistry[name] = 1\n}\n' });
    const r = await runCli(['check', '--format', 'json', 'p/b.go'], { cwd: dir });
    const [f] = json(r).findings;
    expect([f.file, f.line, f.column, f.endColumn]).toEqual(['p/b.go', 4, 2, 16]); // `registry[name]`
    expect(f.related.map((x) => [x.file, x.line, x.column, x.endColumn])).toEqual([['p/a.go', 3, 5, 13]]); // `registry`
  });
});

describe('--format sarif', () => {
  it('is SARIF 2.1.0 with the rules, results and UTF-16 columns', async () => {
    const dir = project({ 'a.go': EMOJI });
    const r = await runCli(['check', '--format', 'sarif', 'a.go'], { cwd: dir });
    expect(r.code).toBe(1);
    const sarif = JSON.parse(r.stdout);
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.$schema).toMatch(/sarif-2\.1\.0/);
    expect(sarif.runs).toHaveLength(1);
    const run = sarif.runs[0];
    expect(run.tool.driver.name).toBe('MapScope');
    const rules = run.tool.driver.rules as { id: string; shortDescription: { text: string } }[];
    const ruleIndex = rules.findIndex((x) => x.id === 'nil-map-write');
    expect(ruleIndex).toBeGreaterThanOrEqual(0);
    expect(rules[ruleIndex].shortDescription.text).not.toBe('');
    expect(run.columnKind ?? 'utf16CodeUnits').toBe('utf16CodeUnits');
    expect(run.results).toHaveLength(1);
    const res = run.results[0];
    expect(res.ruleId).toBe('nil-map-write');
    if (res.ruleIndex !== undefined) expect(res.ruleIndex).toBe(ruleIndex);
    expect(res.level).toBe('error');
    expect(res.message.text).toBe('write to nil map `m` panics');
    expect(res.locations).toHaveLength(1);
    const loc = res.locations[0].physicalLocation;
    expect(loc.artifactLocation.uri).toBe('a.go');
    // UTF-16: \t s ␠ : = ␠ " (7) 日 本 (2) 😀 (2, a surrogate pair) " ; ␠ (3) → `m` at unit 14, column 15;
    // the JSON byte column is 21 (6 more: 日本 are 3 bytes each, 😀 is 4 bytes in 2 units).
    expect(loc.region).toEqual({ startLine: 5, startColumn: 15, endLine: 5, endColumn: 21 });
    const j = json(await runCli(['check', '--format', 'json', 'a.go'], { cwd: dir }));
    expect(j.findings[0].column - loc.region.startColumn).toBe(6);
  });

  it('has no results, and exit 0, when there are no findings', async () => {
    const dir = project({ 'a.go': clean('main', 'main') });
    const r = await runCli(['check', '--format', 'sarif', 'a.go'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).runs[0].results).toEqual([]);
  });
});

describe('--format text', () => {
  it('prints path:line:col: severity: message (rule), related places and a fix line', async () => {
    const dir = project({ 'a.go': nilWrite('main', 'main') });
    for (const args of [['check', 'a.go'], ['check', '--format', 'text', 'a.go']]) {
      const r = await runCli(args, { cwd: dir });
      expect(r.code).toBe(1);
      const lines = linesOf(r.stdout);
      expect(lines[0]).toBe('a.go:5:2: error: write to nil map `m` panics (nil-map-write)');
      expect(lines).toContainEqual('    a.go:4:6: `m` is declared here without a value; nothing assigns it before the write');
      expect(lines).toContainEqual('    fix: Initialize m at its declaration: m := make(map[string]int)');
    }
  });
});

describe('--rules', () => {
  it('runs the rules named', async () => {
    const dir = project({ 'a.go': nilWrite('main', 'main') });
    for (const args of [['--rules', 'nil-map-write'], ['--rules=nil-map-write']]) {
      const r = await runCli(['check', '--format', 'json', ...args, 'a.go'], { cwd: dir });
      expect(r.code).toBe(1);
      expect(json(r).findings.map((f) => f.rule)).toEqual(['nil-map-write']);
    }
  });
});

describe('files that cannot be analysed', () => {
  it('skips a binary .go file and a non-UTF-8 .go file with a one-line warning each, and analyses the rest', async () => {
    const dir = project({
      'good.go': nilWrite('p', 'good'),
      'bin.go': new Uint8Array([...Buffer.from('package p\n\nvar b = 1\n'), 0, 1, 2, 0, 10]),
      'latin1.go': new Uint8Array([...Buffer.from('package p\n\n// caf'), 0xe9, ...Buffer.from('\nfunc latin() {}\n')]),
    });
    const r = await runCli(['check', '--format', 'json', '.'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(json(r).findings.map((f) => [f.file, f.line, f.column])).toEqual([['good.go', 5, 2]]);
    const warnings = linesOf(r.stderr);
    expect(warnings).toHaveLength(2);
    expect(warnings.find((w) => w.includes('bin.go'))).toMatch(/^mapscope: warning: bin\.go: skipped: .*binary/);
    expect(warnings.find((w) => w.includes('latin1.go'))).toMatch(/^mapscope: warning: latin1\.go: skipped: .*UTF-8/);
    noStackTrace(r.stderr);
  });

  it('prints warnings with paths relative to the cwd, as it prints findings', async () => {
    const dir = project({ 'sub/good.go': nilWrite('p', 'good'), 'sub/bin.go': new Uint8Array([112, 0, 10]), 'other/keep.txt': '' });
    for (const [cwd, arg, prefix] of [
      [dir, join(dir, 'sub'), 'sub/'], // an absolute path argument
      [join(dir, 'other'), '../sub', '../sub/'], // outside the cwd
      [join(dir, 'sub'), '.', ''],
    ]) {
      const r = await runCli(['check', arg], { cwd });
      expect(r.code).toBe(1);
      expect(linesOf(r.stdout)[0]).toMatch(new RegExp(`^${prefix}good\\.go:5:2: `));
      expect(linesOf(r.stderr)).toEqual([`mapscope: warning: ${prefix}bin.go: skipped: binary file (NUL byte)`, '1 finding in 1 file']);
    }
  });

  it.skipIf(isRoot)('reports an unreadable file as an I/O error (exit 2) with a one-line warning, and analyses the rest (skipped as root: chmod 000 does not stop root reading)', async () => {
    const dir = project({ 'good.go': nilWrite('p', 'good'), 'secret.go': clean('p', 'secret') });
    chmodSync(join(dir, 'secret.go'), 0o000);
    try {
      const r = await runCli(['check', '--format', 'json', '.'], { cwd: dir });
      expect(r.code).toBe(2);
      expect(json(r).findings.map((f) => f.file)).toEqual(['good.go']);
      const warnings = linesOf(r.stderr);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(/^mapscope: warning: secret\.go: skipped: cannot read/);
      noStackTrace(r.stderr);
    } finally {
      chmodSync(join(dir, 'secret.go'), 0o644);
    }
  });

  // Root-independent I/O errors: chmod 000 does not stop root, a symbolic link to nothing stops everyone.
  it('reports a dangling or looping symbolic link named .go as an I/O error (exit 2), one line each, and analyses the rest', async () => {
    const dir = project({ 'good.go': nilWrite('p', 'good') });
    symlinkSync('nowhere.go', join(dir, 'y.go'));
    symlinkSync('z.go', join(dir, 'z.go'));
    for (const format of ['json', 'text']) {
      const r = await runCli(['check', '--format', format, '.'], { cwd: dir });
      expect(r.code).toBe(2);
      if (format === 'json') expect(json(r).findings.map((f) => [f.file, f.line, f.column])).toEqual([['good.go', 5, 2]]);
      else expect(linesOf(r.stdout)[0]).toMatch(/^good\.go:5:2: error: /);
      expect(linesOf(r.stderr).filter((l) => l.includes('warning'))).toEqual([
        'mapscope: warning: y.go: skipped: cannot read (ENOENT): a symbolic link to a missing file',
        'mapscope: warning: z.go: skipped: cannot read (ELOOP): a symbolic link loop',
      ]);
      noStackTrace(r.stderr);
    }
  });

  it('analyses a .go file that is a symbolic link to one, as go build does', async () => {
    const dir = project({ 'real/r.go': nilWrite('p', 'r'), 'pkg/good.go': clean('p', 'good') });
    symlinkSync(join('..', 'real', 'r.go'), join(dir, 'pkg', 'link.go'));
    const r = await runCli(['check', '--format', 'json', 'pkg'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(json(r).findings.map((f) => [f.file, f.line, f.column])).toEqual([['pkg/link.go', 5, 2]]);
    expect(r.stderr).toBe('');
  });

  it('walks a directory named x.go as a directory, as go does, with no warning', async () => {
    const dir = project({ 'good.go': nilWrite('p', 'good'), 'x.go/inner.go': nilWrite('inner', 'inner') });
    const r = await runCli(['check', '--format', 'json', './...'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(json(r).findings.map((f) => f.file)).toEqual(['good.go', 'x.go/inner.go']);
    expect(r.stderr).toBe('');
  });

  it('analyses a file with syntax errors where it parses, with a warning', async () => {
    const text = nilWrite('main', 'good') + '\nfunc bad() {\n\tx := \n}\n';
    // Lines: 1 package, 3-6 good() with the write on line 5, 8 `func bad() {`, 9 `\tx := `.
    const dir = project({ 'syn.go': text });
    const r = await runCli(['check', '--format', 'json', 'syn.go'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(json(r).findings.map((f) => [f.file, f.line, f.column, f.rule])).toEqual([['syn.go', 5, 2, 'nil-map-write']]);
    const warnings = linesOf(r.stderr);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^mapscope: warning: syn\.go:(9|10):\d+: syntax error/);
  });
});

describe('a 20 MB file', () => {
  it('finishes and reports the finding after it', async () => {
    // Generated data in the style of time/tzdata/zipdata.go: one string constant concatenated over
    // 250,000+ lines, which nests that deep in the tree, then a real nil-map write.
    const parts = ['package main\n\nconst data = "" +\n'];
    let size = parts[0].length;
    let n = 0;
    while (size < 20 * 1024 * 1024) {
      const line = `\t"\\x00\\x01abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ${n++}" +\n`;
      parts.push(line);
      size += line.length;
    }
    parts.push('\t""\n\nfunc main() {\n\tvar m map[string]int\n\tm["end"] = len(data)\n}\n');
    const text = parts.join('');
    const writeLine = text.split('\n').length - 2; // the last line is empty, the one before is `}`
    const dir = project({ 'big.go': text });
    expect(Buffer.byteLength(text)).toBeGreaterThanOrEqual(20 * 1024 * 1024);
    const r = await runCli(['check', '--format', 'json', 'big.go'], { cwd: dir, timeoutMs: 120_000 });
    expect(r.signal).toBeNull();
    expect(r.code).toBe(1);
    expect(json(r).findings.map((f) => [f.file, f.line, f.column, f.rule])).toEqual([['big.go', writeLine, 2, 'nil-map-write']]);
    noStackTrace(r.stderr);
  }, 120_000);
});

describe('many files: worker threads', () => {
  // 4 directories × 55 files = 220 files (+1 each), over the 200-file in-process limit. In each
  // directory every fifth file writes a nil local map, and one file writes a package-level map
  // declared nil in another file of the same package.
  const DIRS = ['alpha', 'beta', 'gamma', 'delta'];
  const PER_DIR = 55;
  let dir: string;
  let preload: string;

  beforeAll(() => {
    const files: Record<string, string> = {};
    for (const d of DIRS) {
      for (let k = 0; k < PER_DIR; k++) {
        const name = `f${String(k).padStart(2, '0')}`;
        files[`${d}/${name}.go`] = k % 5 === 0 ? nilWrite(d, name) : clean(d, name);
      }
      files[`${d}/registry.go`] = `package ${d}\n\nvar registry map[string]int\n\nfunc Register(name string) {\n\tregistry[name] = 1\n}\n`;
    }
    // Records every Worker the CLI constructs, to tell which path ran.
    files['preload.cjs'] = [
      "const wt = require('node:worker_threads');",
      "const fs = require('node:fs');",
      'const Original = wt.Worker;',
      'wt.Worker = class extends Original {',
      '  constructor(...args) { super(...args); fs.appendFileSync(process.env.MAPSCOPE_WORKER_LOG, "worker\\n"); }',
      '};',
      '',
    ].join('\n');
    dir = project(files);
    preload = join(dir, 'preload.cjs');
  });

  async function check(args: string[], log: string): Promise<{ result: CliResult; workers: number }> {
    const result = await runCli(['check', '--format', 'json', ...args], {
      cwd: dir,
      nodeArgs: ['--require', preload],
      env: { ...process.env, MAPSCOPE_WORKER_LOG: join(dir, log) },
    });
    const logFile = join(dir, log);
    return { result, workers: existsSync(logFile) ? linesOf(readFileSync(logFile, 'utf8')).length : 0 };
  }

  it.skipIf(availableParallelism() < 2)('gives the same findings as in-process runs per directory (needs 2+ cores for workers)', async () => {
    const whole = await check(['./...'], 'whole.log');
    expect(whole.result.code).toBe(1);
    expect(whole.workers).toBeGreaterThanOrEqual(2); // the worker path ran
    const all = json(whole.result).findings;
    // 11 files per directory (k = 0, 5, …, 50) plus registry.go.
    expect(all).toHaveLength(DIRS.length * 12);

    const perDir: JsonFinding[] = [];
    for (const d of [...DIRS].sort()) {
      const one = await check([d], `${d}.log`);
      expect(one.result.code).toBe(1);
      expect(one.workers).toBe(0); // 56 files: in-process
      perDir.push(...json(one.result).findings);
    }
    expect(all).toEqual(perDir);
    expect(new Set(all.map((f) => f.file.split('/')[0]))).toEqual(new Set(DIRS));
    const registry = all.find((f) => f.file === 'alpha/registry.go');
    expect(registry?.line).toBe(6);
  }, 60_000);
});
