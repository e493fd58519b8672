// 200,000 findings in one file, past V8's limit on call arguments (about 125,000 made `check`
// exit 2 with "Maximum call stack size exceeded"): every CLI format and the server report them all.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { URI } from 'vscode-uri';
import { runCliToFile } from './helpers/cli';
import { LspClient } from './helpers/lsp';

const N = 200_000;
/** One function writing N times to a nil map: N nil-map-write findings, the i-th on line 5 + i. */
function manyWrites(): string {
  const lines = ['package many', '', 'func f() {', '\tvar m map[int]int'];
  for (let i = 0; i < N; i++) lines.push(`\tm[${i}] = ${i}`);
  lines.push('}', '');
  return lines.join('\n');
}

let dir: string;
let text: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'mapscope-many-'));
  text = manyWrites();
  writeFileSync(join(dir, 'many.go'), text);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe(`${N} findings in one file`, () => {
  it('the CLI prints them all in text, json and sarif', async () => {
    // One at a time: the SARIF report alone is 400 MB.
    const run = async (format: string) => {
      const out = join(dir, `out.${format}`);
      const r = await runCliToFile(['check', '--format', format, 'many.go'], { cwd: dir, timeoutMs: 300_000 }, out);
      expect(r.stderr).not.toMatch(/internal error/);
      expect(r.signal).toBeNull();
      expect(r.code).toBe(1);
      const stdout = readFileSync(out, 'utf8');
      rmSync(out);
      return stdout;
    };
    const heads = (await run('text')).split('\n').filter((l) => l.startsWith('many.go:'));
    expect(heads).toHaveLength(N);
    expect(heads[N - 1]).toMatch(new RegExp(`^many\\.go:${4 + N}:2: error: write to nil map m panics`));
    const json = JSON.parse(await run('json')) as { findings: { line: number; rule: string }[] };
    expect(json.findings).toHaveLength(N);
    expect(json.findings.every((f, i) => f.line === 5 + i && f.rule === 'nil-map-write')).toBe(true);
    const sarif = JSON.parse(await run('sarif')) as { runs: { results: { ruleId: string; locations: { physicalLocation: { region: { startLine: number } } }[] }[] }[] };
    expect(sarif.runs[0].results).toHaveLength(N);
    expect(sarif.runs[0].results.every((r, i) => r.locations[0].physicalLocation.region.startLine === 5 + i)).toBe(true);
  }, 600_000);

  it('the server publishes them all', async () => {
    const client = await LspClient.start();
    try {
      const uri = URI.file(join(dir, 'many.go')).toString();
      await client.open(uri, text);
      const p = await client.waitFor((x) => x.uri === uri && x.version === 1, 0, 240_000);
      expect(p.diagnostics).toHaveLength(N);
      expect(p.diagnostics.every((d, i) => d.range.start.line === 4 + i && d.code === 'nil-map-write')).toBe(true);
    } finally {
      await client.stop();
    }
  }, 300_000);
});
