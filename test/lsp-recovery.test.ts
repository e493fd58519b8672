// Crash-only at the edges: an analysis that throws is logged and leaves the last diagnostics; a
// wasm abort restarts the analysis worker with every document reopened; a document that keeps
// breaking it is set aside with one diagnostic; a document too large to parse is skipped with one
// diagnostic; and whenever the server ends, its log says why. Faults are injected with
// MAPSCOPE_FAULT (server/src/lsp/analysis.ts), the way a bug or an out-of-memory abort would strike.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { URI } from 'vscode-uri';
import { MAX_TOKENS } from '../server/src/core/parse/size';
import { LspClient, poll, serverPerTest } from './helpers/lsp-client';

let dir: string;
let client: LspClient | undefined;
const server = serverPerTest();

const nilWrite = (name: string, extra = '') => `package main\n\nfunc main() {\n\tvar ${name} map[string]int\n\t${name}["k"] = 1\n}\n${extra}`;
const change = (uri: string, version: number, text: string) =>
  client!.notify('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });

async function start(fault?: string): Promise<{ a: string; b: string }> {
  dir = server.tempDir('mapscope-recovery-');
  client = await server.start({ env: { ...process.env, ...(fault ? { MAPSCOPE_FAULT: fault } : {}) } });
  return { a: URI.file(join(dir, 'a.go')).toString(), b: URI.file(join(dir, 'b.go')).toString() };
}

describe('an analysis that throws', () => {
  it('is logged with its stack, and the document keeps its last diagnostics', async () => {
    const { a } = await start('throw:BOOM');
    await client!.open(a, nilWrite('m'));
    const good = await client!.waitFor((p) => p.uri === a && p.version === 1);
    expect(good.diagnostics).toHaveLength(1);
    await change(a, 2, nilWrite('n', '// BOOM\n'));
    await poll(() => client!.logs.find((l) => l.includes('analysis of') && l.includes('injected fault')), 20_000, () => `no log line; logs: ${client!.logs.join('\n')}`);
    const line = client!.logs.find((l) => l.includes('injected fault'))!;
    expect(line).toMatch(new RegExp(`analysis of ${a.replace(/[.]/g, '\\.')} failed: Error: injected fault\\n\\s+at `));
    // Nothing was published for version 2: the client still shows version 1's diagnostics.
    expect(client!.last(a)).toBe(good);
    // The next good version is analysed as usual.
    await change(a, 3, nilWrite('k'));
    const next = await client!.waitFor((p) => p.uri === a && p.version === 3);
    expect(next.diagnostics[0].message).toMatch(/nil map `k`/);
  });
});

describe('a wasm abort', () => {
  it('restarts the analysis worker, reopens every document, and sets aside the one that keeps aborting', async () => {
    const { a, b } = await start('abort:ABORT');
    await client!.open(b, nilWrite('other'));
    await client!.waitFor((p) => p.uri === b && p.version === 1);
    await client!.open(a, nilWrite('m', '// ABORT\n'));
    const aside = await client!.waitFor((p) => p.uri === a && p.diagnostics.length === 1 && p.diagnostics[0].code === undefined);
    expect(aside.diagnostics[0].message).toMatch(/^MapScope stopped analysing this file: it stopped the analysis twice \(the parser's WebAssembly runtime aborted, most likely out of memory \(Aborted\(injected fault\)\)\)\. Close and reopen it to try again\.$/);
    expect(client!.logs.filter((l) => l.startsWith('restarted the analysis worker'))).toHaveLength(2);
    // The other document lives on in the new worker: it is analysed after a change.
    const before = client!.published.length;
    await change(b, 2, nilWrite('again'));
    const p = await client!.waitFor((x) => x.uri === b && x.version === 2, before);
    expect(p.diagnostics[0].message).toMatch(/nil map `again`/);
  });
});

describe('a document too large to parse', () => {
  it('gets one diagnostic saying so, and the others are analysed', async () => {
    const { a, b } = await start();
    // Just past the bound: two tokens per "1," pair, in a literal.
    const huge = `package main\n\nvar big = []int{${'1,'.repeat(MAX_TOKENS / 2 + 10)}}\n`;
    await client!.open(a, huge);
    await client!.open(b, nilWrite('m'));
    const p = await client!.waitFor((x) => x.uri === a);
    expect(p.diagnostics).toEqual([
      expect.objectContaining({ severity: 2, source: 'mapscope', message: expect.stringMatching(new RegExp(`^MapScope skips this file: too large to analyse: more than ${MAX_TOKENS} tokens \\(3\\.0 million characters\\)$`)) }),
    ]);
    expect((await client!.waitFor((x) => x.uri === b)).diagnostics).toHaveLength(1);
    // Cut back under the bound, it is analysed.
    await change(a, 2, nilWrite('small'));
    const q = await client!.waitFor((x) => x.uri === a && x.version === 2);
    expect(q.diagnostics[0].message).toMatch(/nil map `small`/);
  });
});

describe('when the server ends', () => {
  it('says why on stderr: a shutdown, or the client going away', async () => {
    await start();
    await client!.stop();
    expect(client!.stderr).toMatch(/mapscope: server exiting with code 0: the client asked it to \(shutdown, exit\)/);
    const c = await LspClient.start();
    c.process.stdin.end();
    expect((await c.exited).code).toBe(1);
    expect(c.stderr).toMatch(/mapscope: server exiting with code 1: the connection to the client ended without a shutdown/);
    c.conn.dispose();
  });
});
