// The built server spawned over stdio and driven with real protocol messages, as Neovim or Helix
// would: open, incremental change, diagnostics, code actions, configuration, shutdown.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import { URI } from 'vscode-uri';
import { ROOT } from './helpers/core';

interface PublishedDiagnostics {
  uri: string;
  version?: number;
  diagnostics: { range: { start: { line: number; character: number }; end: { line: number; character: number } }; code: string; source: string; message: string; severity: number; relatedInformation?: { location: { uri: string } }[] }[];
}

// The write sits after CJK text and an emoji on the same line: UTF-16 columns must count 😀 as two.
const MAIN = `package main

type cache struct {
	items map[string]int
}

func main() {
	var c cache
	s := "日本😀"; c.items[s] = 1
}
`;

let dir: string;
let server: ChildProcessWithoutNullStreams;
let conn: MessageConnection;
const published: PublishedDiagnostics[] = [];
let uri: string;

/** Resolves with the first publication (after `after`) matching the predicate; polls, never sleeps blindly. */
function waitFor(pred: (p: PublishedDiagnostics) => boolean, after = 0, timeoutMs = 10_000): Promise<PublishedDiagnostics> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const tick = () => {
      const hit = published.slice(after).find(pred);
      if (hit) return resolve(hit);
      if (Date.now() - started > timeoutMs) return reject(new Error(`no matching diagnostics in ${timeoutMs} ms; got ${JSON.stringify(published.slice(after))}`));
      setTimeout(tick, 10);
    };
    tick();
  });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mapscope-lsp-'));
  const path = join(dir, 'main.go');
  writeFileSync(path, MAIN);
  uri = URI.file(path).toString();
  server = spawn(process.execPath, [join(ROOT, 'dist', 'server.js'), '--stdio'], { stdio: 'pipe' });
  conn = createMessageConnection(new StreamMessageReader(server.stdout), new StreamMessageWriter(server.stdin));
  conn.onNotification('textDocument/publishDiagnostics', (p: PublishedDiagnostics) => {
    published.push(p);
  });
  // A crash or an uncaught error would otherwise vanish with the child.
  server.stderr.on('data', (b: Buffer) => console.error('server stderr:', b.toString()));
  conn.listen();
  const init = (await conn.sendRequest('initialize', {
    processId: process.pid,
    rootUri: URI.file(dir).toString(),
    capabilities: {},
    initializationOptions: { trusted: false, settings: { goVersion: '1.26' } },
  })) as { capabilities: { textDocumentSync: { change: number }; codeActionProvider: { codeActionKinds: string[] } } };
  expect(init.capabilities.textDocumentSync.change).toBe(2); // incremental
  expect(init.capabilities.codeActionProvider.codeActionKinds).toContain('source.fixAll.mapscope');
  await conn.sendNotification('initialized', {});
});

afterAll(async () => {
  if (conn) {
    await conn.sendRequest('shutdown');
    await conn.sendNotification('exit');
    conn.dispose();
  }
  await new Promise<void>((resolve) => {
    if (server.exitCode !== null) return resolve();
    const t = setTimeout(() => {
      server.kill();
      resolve();
    }, 5000);
    server.on('exit', () => {
      clearTimeout(t);
      resolve();
    });
  });
  rmSync(dir, { recursive: true, force: true });
});

describe('language server over stdio', () => {
  it('publishes a nil-map-write error at the right UTF-16 column, with its fix as a code action', async () => {
    await conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'go', version: 1, text: MAIN } });
    const p = await waitFor((x) => x.uri === uri && x.version === 1);
    expect(p.diagnostics).toHaveLength(1);
    const d = p.diagnostics[0];
    expect(d.code).toBe('nil-map-write');
    expect(d.source).toBe('mapscope');
    expect(d.severity).toBe(1);
    // `\ts := "日本😀"; c.items[s]`: tab(1) + `s := "`(6) + 日本(2) + 😀(2) + `"; `(3) = 14
    expect(d.range.start).toEqual({ line: 8, character: 14 });
    expect(d.range.end).toEqual({ line: 8, character: 24 });
    expect(d.relatedInformation?.length).toBeGreaterThan(0);

    const actions = (await conn.sendRequest('textDocument/codeAction', {
      textDocument: { uri },
      range: d.range,
      context: { diagnostics: [d], only: ['quickfix'] },
    })) as { title: string; kind: string; isPreferred: boolean; edit: { changes: Record<string, { range: unknown; newText: string }[]> } }[];
    expect(actions).toHaveLength(1);
    expect(actions[0].kind).toBe('quickfix');
    expect(actions[0].isPreferred).toBe(true);
    expect(actions[0].edit.changes[uri]).toEqual([
      { range: { start: { line: 7, character: 1 }, end: { line: 7, character: 12 } }, newText: 'c := cache{items: make(map[string]int)}' },
    ]);
  });

  it('reanalyses incremental edits and publishes only the newest version', async () => {
    const before = published.length;
    // Initialise the field before the write (line 8 is `\ts := ...`): the finding goes away.
    const fix = { range: { start: { line: 8, character: 1 }, end: { line: 8, character: 1 } }, text: 'c.items = map[string]int{}\n\t' };
    await conn.sendNotification('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [fix] });
    // Three more quick edits: type and delete characters at the end of a comment-free line.
    for (const [version, text, at] of [
      [3, 'x', 0],
      [4, '', 1],
      [5, ' ', 0],
    ] as const) {
      const pos = { line: 10, character: 0 };
      const range = at === 0 ? { start: pos, end: pos } : { start: pos, end: { line: 10, character: 1 } };
      await conn.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ range, text }] });
    }
    const last = await waitFor((x) => x.uri === uri && x.version === 5, before);
    expect(last.diagnostics).toEqual([]);
    const versions = published.slice(before).filter((x) => x.uri === uri).map((x) => x.version);
    // Debounced: the intermediate versions were superseded before analysis and never published.
    expect(versions).toEqual([5]);
  });

  it('applies configuration changes live', async () => {
    let before = published.length;
    // Reintroduce the bug: remove the initialising line again (version 6).
    await conn.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: 6 },
      contentChanges: [{ range: { start: { line: 8, character: 1 }, end: { line: 9, character: 1 } }, text: '' }],
    });
    const again = await waitFor((x) => x.uri === uri && x.version === 6, before);
    expect(again.diagnostics.map((d) => d.code)).toEqual(['nil-map-write']);

    before = published.length;
    await conn.sendNotification('workspace/didChangeConfiguration', { settings: { mapscope: { rules: { 'nil-map-write': { severity: 'warning' } } } } });
    const downgraded = await waitFor((x) => x.uri === uri && x.diagnostics.length === 1 && x.diagnostics[0].severity === 2, before);
    expect(downgraded.diagnostics[0].code).toBe('nil-map-write');

    before = published.length;
    await conn.sendNotification('workspace/didChangeConfiguration', { settings: { mapscope: { rules: { 'nil-map-write': { enabled: false } } } } });
    const silenced = await waitFor((x) => x.uri === uri && x.diagnostics.length === 0, before);
    expect(silenced.diagnostics).toEqual([]);
  });

  it('clears diagnostics when the document closes', async () => {
    await conn.sendNotification('workspace/didChangeConfiguration', { settings: { mapscope: {} } });
    await waitFor((x) => x.uri === uri && x.diagnostics.length === 1, published.length);
    const before = published.length;
    await conn.sendNotification('textDocument/didClose', { textDocument: { uri } });
    const cleared = await waitFor((x) => x.uri === uri, before);
    expect(cleared.diagnostics).toEqual([]);
  });
});
