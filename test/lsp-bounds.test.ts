// Bounded work in the editor (issue 18): hints and sizes from the source that no process could
// allocate reach the engine clamped, or are refused with a note that says what and why; a
// prediction runs off the thread that publishes diagnostics, can be cancelled, and is superseded
// by a newer request for the same map.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CancellationTokenSource } from 'vscode-jsonrpc/node';
import { URI } from 'vscode-uri';
import { MAP_SITES_METHOD, PREDICT_METHOD, type MapSitesResult, type PredictResult } from '../common/protocol';
import { MAX_ENTRIES, MAX_HINT, SOURCE_MAX_ENTRIES } from '../server/src/core/engine';
import { MAX_TOKENS } from '../server/src/core/parse/size';
import { HUGE, millionLiteral } from './helpers/huge';
import { LspClient } from './helpers/lsp-client';

const REFUSED_35 = `a hint of 34359738368 makes Go 1.26 allocate 1239.6 GB at once in make; the engine simulates hints up to ${MAX_HINT} (2^27)`;
const IGNORED = (hint: number) => `the runtime ignores a hint of ${hint}: its table would be larger than the 2^48 bytes a Go process may allocate, so the map starts empty`;
const CAPPED = (what: string) => `the code's ${what} entries: these are the first ${SOURCE_MAX_ENTRIES} inserts (ask for up to ${MAX_ENTRIES})`;

let dir: string;
let client: LspClient;
let uri: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mapscope-bounds-'));
  writeFileSync(join(dir, 'go.mod'), 'module huge\n\ngo 1.26\n');
  uri = URI.file(join(dir, 'huge.go')).toString();
  client = await LspClient.start();
  await client.open(uri, HUGE);
});

afterAll(async () => {
  await client.stop();
  rmSync(dir, { recursive: true, force: true });
});

const at = (line: number, impl?: 'classic' | 'swiss') => client.request<PredictResult>(PREDICT_METHOD, { textDocument: { uri }, position: { line, character: 8 }, ...(impl ? { impl } : {}) }, 20_000);

describe('huge hints and sizes', () => {
  it('map-without-hint reports the loops and says why it gives no byte estimate', async () => {
    const p = await client.waitFor((x) => x.uri === uri && x.version === 1);
    // The cost line, in the related information, says why there are no bytes.
    const note = /^Go 1\.\d+ \(swiss map\): no byte estimate for more than 1,000,000 entries \(the growth panel and mapscope predict FILE:LINE show the first ones\)$/;
    expect(p.diagnostics.map((d) => [d.range.start.line, d.message])).toEqual([
      [17, 'map `m` is filled with `34359738368` entries but made without a capacity hint'],
      [25, 'map `m` is filled with `1099511627776` entries but made without a capacity hint'],
      [33, 'map `m` is filled with `1000000000000000` entries but made without a capacity hint'],
    ]);
    for (const d of p.diagnostics) expect(d.relatedInformation?.map((r) => r.message)).toContainEqual(expect.stringMatching(note));
  });

  it('mapscope/mapSites gives the hints their values: 2^35, 2^40 and 1e15', async () => {
    const r = await client.request<MapSitesResult>(MAP_SITES_METHOD, { textDocument: { uri } });
    expect(r.sites.map((s) => [s.range.start.line, s.hint?.value ?? null, s.size.value ?? null])).toEqual([
      [3, 2 ** 35, 2 ** 35],
      [9, 2 ** 40, 2 ** 40],
      [13, 1e15, 1e15],
      [17, null, 2 ** 35],
      [25, null, 2 ** 40],
      [33, null, 1e15],
    ]);
  });

  it('mapscope/predict refuses a hint it cannot simulate, with the bytes make would allocate and the bound', async () => {
    await expect(at(3)).rejects.toMatchObject({ code: -32602, message: REFUSED_35 });
    await expect(at(9, 'classic')).rejects.toMatchObject({ code: -32602, message: expect.stringMatching(/^a hint of 1099511627776 makes Go 1\.23 allocate \d+\.\d GB at once in make/) });
  });

  it('mapscope/predict follows the runtime where it ignores a hint, and shows a huge size\'s first inserts', async () => {
    for (const [line, hint, expr] of [[9, 2 ** 40, '1<<40 = 1099511627776'], [13, 1e15, '1e15 = 1000000000000000']] as const) {
      const r = (await at(line))!;
      expect(r.entries).toBe(SOURCE_MAX_ENTRIES);
      expect(r.entriesSource).toBe('inferred');
      expect(r.asIs.hint).toBe(hint);
      expect(r.notes).toEqual([CAPPED(expr), IGNORED(hint)]);
      // Ignored, the hint changes nothing: the map grows as if made without one.
      expect(r.asIs.totals.growths).toBeGreaterThan(0);
    }
    const loop = (await at(17))!;
    expect(loop.entries).toBe(SOURCE_MAX_ENTRIES);
    expect(loop.withHint.hint).toBe(SOURCE_MAX_ENTRIES);
    expect(loop.notes).toEqual([CAPPED('34359738368')]);
  });

  it('answers a million-entry literal with the parser\'s limit, on the document and on requests', async () => {
    const lit = URI.file(join(dir, 'lit.go')).toString();
    await client.open(lit, millionLiteral());
    const p = await client.waitFor((x) => x.uri === lit && x.version === 1);
    expect(p.diagnostics.map((d) => d.message)).toEqual([expect.stringMatching(new RegExp(`^MapScope skips this file: too large to analyse: more than ${MAX_TOKENS} tokens`))]);
    await expect(client.request(MAP_SITES_METHOD, { textDocument: { uri: lit } })).rejects.toMatchObject({ message: expect.stringMatching(/too large to analyse/) });
    await expect(client.request(PREDICT_METHOD, { textDocument: { uri: lit }, position: { line: 2, character: 8 } })).rejects.toMatchObject({ message: expect.stringMatching(/too large to analyse/) });
  });
});

// Fifty million entries on the classic engine take seconds: long enough to see what happens
// around a prediction while it runs.
const FILL = `package main

func fill() map[int64]int64 {
	m := make(map[int64]int64)
	for i := 0; i < 1000; i++ {
		m[int64(i)] = 1
	}
	return m
}
`;

describe('a long prediction', () => {
  const long = (u: string, cancel = new CancellationTokenSource()) =>
    client.conn.sendRequest<PredictResult>(PREDICT_METHOD, { textDocument: { uri: u }, position: { line: 3, character: 8 }, entries: MAX_ENTRIES, impl: 'classic' }, cancel.token);

  it('does not hold up diagnostics or code actions, and stops when cancelled', async () => {
    const fill = URI.file(join(dir, 'fill.go')).toString();
    await client.open(fill, FILL);
    await client.waitFor((x) => x.uri === fill && x.version === 1);
    const cancel = new CancellationTokenSource();
    let finished = false;
    const running = long(fill, cancel).finally(() => (finished = true));
    // While it runs: another document is opened and analysed, and its code actions answered.
    const other = URI.file(join(dir, 'other.go')).toString();
    await client.open(other, FILL.replace('fill', 'other'));
    const p = await client.waitFor((x) => x.uri === other && x.version === 1);
    const actions = await client.request<{ kind: string }[]>('textDocument/codeAction', { textDocument: { uri: other }, range: p.diagnostics[0].range, context: { diagnostics: p.diagnostics } });
    // The hint, the directive that silences the finding, and fix-all.
    expect(actions.map((a) => a.kind)).toEqual(['quickfix', 'quickfix', 'source.fixAll.mapscope']);
    expect(finished).toBe(false);
    cancel.cancel();
    await expect(running).rejects.toMatchObject({ code: -32800 });
  });

  it('is superseded by a newer request for the same map', async () => {
    const fill = URI.file(join(dir, 'fill.go')).toString();
    const first = long(fill);
    const second = client.request<PredictResult>(PREDICT_METHOD, { textDocument: { uri: fill }, position: { line: 3, character: 8 }, entries: 500 });
    await expect(first).rejects.toMatchObject({ message: 'superseded by a newer request for the same map' });
    await expect(first).rejects.toMatchObject({ code: -32800 });
    expect((await second)!.entries).toBe(500);
  });
});
