// The README's first command, `npx mapscope check examples/...`, kept true: the bundled examples show
// every rule, the output the README quotes is what the CLI prints, and (where `go` is present)
// the bugs the examples carry are real: the nil-map write panics and the goroutines race.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RULES } from '../server/src/core/rules';
import { runCli } from './helpers/cli';
import { ROOT } from './helpers/core';
import { HAS_GO, run } from './helpers/go';

const EXAMPLES = join(ROOT, 'examples');

/** The code block that follows `npx mapscope check examples/...` in the README's "Try it". */
function readmeOutput(): string[] {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const at = readme.indexOf('npm install && npx mapscope check examples/...');
  const block = /```\n([\s\S]*?)```/.exec(readme.slice(readme.indexOf('```\n', at + 50)));
  return (block?.[1] ?? '').split('\n').filter((l) => l.trim() !== '');
}

describe('mapscope check examples/...', () => {
  it('reports every rule, exits 1, and prints the lines the README quotes', async () => {
    const r = await runCli(['check', 'examples/...'], { cwd: ROOT });
    expect(r.code).toBe(1);
    for (const rule of RULES) expect(r.stdout, rule.id).toContain(`(${rule.id})`);
    const quoted = readmeOutput();
    expect(quoted.length).toBeGreaterThan(3);
    const printed = r.stdout.split('\n');
    for (const line of quoted) expect(printed, line).toContain(line);
  });

  it('offers a fix for every nil-map write and every hintless map in JSON', async () => {
    const r = await runCli(['check', '--format', 'json', 'examples/...'], { cwd: ROOT });
    const findings = JSON.parse(r.stdout).findings as { rule: string; file: string; line: number; hint?: string; fixes: unknown[] }[];
    for (const f of findings.filter((x) => x.rule !== 'concurrent-map-write')) expect(f.fixes.length, `${f.file}:${f.line}`).toBeGreaterThan(0);
    expect(findings.filter((f) => f.rule === 'map-without-hint').map((f) => f.hint)).toEqual(['len(items)', 'len(skus)']);
  });
});

const scratch = mkdtempSync(join(tmpdir(), 'mapscope-examples-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

if (!HAS_GO) console.warn('[examples test] SKIPPED the go run/vet/-race checks: go is not on PATH');
describe.skipIf(!HAS_GO)('the examples against the Go toolchain (needs go on PATH)', () => {
  it('are gofmt-clean and pass go vet', async () => {
    const fmt = await run('gofmt', ['-l', '.'], EXAMPLES);
    expect(fmt.stdout + fmt.stderr).toBe('');
    const vet = await run('go', ['vet', './...'], EXAMPLES);
    expect(vet.stderr.replace(/^#.*\n/gm, '')).toBe('');
    expect(vet.code).toBe(0);
  });

  /** A copy of the examples module with one more program that calls `body`. */
  function withMain(name: string, imports: string[], body: string): string {
    const dir = join(scratch, name);
    cpSync(EXAMPLES, dir, { recursive: true });
    mkdirSync(join(dir, 'cmd', name), { recursive: true });
    const list = imports.map((p) => `\t"${p}"`).join('\n');
    writeFileSync(join(dir, 'cmd', name, 'main.go'), `package main\n\nimport (\n${list}\n)\n\nfunc main() {\n${body}\n}\n`);
    return dir;
  }

  it('wordstats.Frequencies panics with "assignment to entry in nil map" where MapScope says', async () => {
    const dir = withMain('words', ['example.com/mapscope-examples/wordstats'], '\twordstats.Frequencies("a b a")');
    const r = await run('go', ['run', './cmd/words'], dir);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('assignment to entry in nil map');
    expect(r.stderr).toMatch(/wordstats\.go:9\b/);
  });

  it('crawler.Sizes races under -race where MapScope says, and SafeSizes does not', async () => {
    const body = (fn: string) =>
      `\turls := make([]string, 64)\n\tfor i := range urls {\n\t\turls[i] = strconv.Itoa(i)\n\t}\n\tcrawler.${fn}(urls, func(u string) []byte { return []byte(u) })`;
    const racy = await run('go', ['run', '-race', './cmd/racy'], withMain('racy', ['strconv', 'example.com/mapscope-examples/crawler'], body('Sizes')));
    expect(racy.stderr).toMatch(/WARNING: DATA RACE|concurrent map writes/);
    expect(racy.stderr).toMatch(/crawler\.go:15\b/);
    const safe = await run('go', ['run', '-race', './cmd/safe'], withMain('safe', ['strconv', 'example.com/mapscope-examples/crawler'], body('SafeSizes')));
    expect(safe.stderr).not.toMatch(/DATA RACE|concurrent map/);
    expect(safe.code).toBe(0);
  }, 180_000);
});
