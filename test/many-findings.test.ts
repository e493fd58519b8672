// 200,000 findings in one file, past V8's limit on call arguments (about 125,000 made `check`
// exit 2 with "Maximum call stack size exceeded"): the CLI and the server report them all, and every
// output format writes them a piece at a time (the SARIF report alone is 400 MB).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { URI } from 'vscode-uri';
import { formatCheckstyle, formatGithub } from '../server/src/cli/format-ci';
import { formatJson, formatSarif, formatText } from '../server/src/cli/format';
import type { PlacedFinding } from '../server/src/node/check-package';
import { runCliToFile } from './helpers/cli';
import { LspClient } from './helpers/lsp-client';

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
  it('the CLI analyses and prints them all (json, end to end)', async () => {
    const out = join(dir, 'out.json');
    const r = await runCliToFile(['check', '--format', 'json', 'many.go'], { cwd: dir, timeoutMs: 300_000 }, out);
    expect(r.stderr).not.toMatch(/internal error/);
    expect(r.signal).toBeNull();
    expect(r.code).toBe(1);
    const json = JSON.parse(readFileSync(out, 'utf8')) as { findings: { line: number; rule: string }[] };
    rmSync(out);
    expect(json.findings).toHaveLength(N);
    expect(json.findings.every((f, i) => f.line === 5 + i && f.rule === 'nil-map-write')).toBe(true);
  }, 600_000);

  it('every output format writes them all, a piece at a time', () => {
    // The analysis is the same for every format (above); here each formatter takes N findings.
    const at = (line: number) => ({ line, column: 2, column16: 2 });
    const findings: PlacedFinding[] = Array.from({ length: N }, (_, i) => ({
      file: join(dir, 'many.go'),
      rule: 'nil-map-write',
      severity: 'error',
      message: `write to nil map \`m\` panics`,
      span: { start: at(5 + i), end: at(5 + i) },
      fixes: [],
      related: [{ file: join(dir, 'many.go'), span: { start: at(4), end: at(4) }, message: 'declared here' }],
    }));
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      const collect = (pieces: Iterable<string>) => {
        const parts: string[] = [];
        let largest = 0;
        for (const p of pieces) {
          parts.push(p);
          largest = Math.max(largest, p.length);
        }
        // No piece is the whole report.
        expect(largest).toBeLessThan(10_000);
        return parts.join('');
      };
      expect(collect(formatText(findings)).split('\n').filter((l) => l.startsWith('many.go:'))).toHaveLength(N);
      const json = JSON.parse(collect(formatJson(findings))) as { findings: { line: number }[] };
      expect(json.findings.every((f, i) => f.line === 5 + i)).toBe(true);
      const sarif = JSON.parse(collect(formatSarif(findings, 'test'))) as { runs: { results: { locations: { physicalLocation: { region: { startLine: number } } }[] }[] }[] };
      expect(sarif.runs[0].results).toHaveLength(N);
      expect(sarif.runs[0].results.every((r, i) => r.locations[0].physicalLocation.region.startLine === 5 + i)).toBe(true);
      expect(collect(formatGithub(findings)).split('\n').filter((l) => l.startsWith('::error '))).toHaveLength(N);
      expect(collect(formatCheckstyle(findings)).match(/<error /g)).toHaveLength(N);
    } finally {
      process.chdir(cwd);
    }
  });

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
