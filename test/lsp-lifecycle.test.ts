// Document notifications are applied in order whatever their timing relative to the server's
// startup: VS Code restoring a window sends several didOpen right after `initialized`, while the
// server is still asking for its settings; other clients send them even earlier.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { URI } from 'vscode-uri';
import { MAP_SITES_METHOD, type MapSitesResult } from '../common/protocol';
import { LspClient, serverPerTest } from './helpers/lsp-client';

/** A file whose one nil-map write is on line `line` (0-based), so each tab's diagnostic is its own. */
function tab(n: number): string {
  return `package main\n\n${'// padding\n'.repeat(n)}func f${n}() {\n\tvar m map[int]int\n\tm[${n}] = ${n}\n}\n`;
}
const writeLine = (n: number) => 2 + n + 2;

let dir: string;
let client: LspClient | undefined;
const server = serverPerTest();

describe('restored tabs', () => {
  it('every didOpen sent before and right after initialized gets its diagnostics and answers mapSites', async () => {
    dir = server.tempDir('mapscope-tabs-');
    const uris = Array.from({ length: 6 }, (_, i) => URI.file(join(dir, `tab${i}.go`)).toString());
    let answerSettings: (v: unknown) => void = () => undefined;
    // The client answers the server's settings request only when the test says so: the server
    // is "still starting" while the documents arrive.
    const settings = new Promise((resolve) => (answerSettings = resolve));
    client = await server.start({
      initialize: false,
      capabilities: { workspace: { configuration: true } },
      configuration: async () => [await settings],
    });
    await client.initialize({ capabilities: { workspace: { configuration: true } } });
    // Three before `initialized` (no await between them), three right after it.
    void client.open(uris[0], tab(0));
    void client.open(uris[1], tab(1));
    void client.open(uris[2], tab(2));
    void client.notify('initialized', {});
    void client.open(uris[3], tab(3));
    void client.open(uris[4], tab(4));
    await client.open(uris[5], tab(5));
    answerSettings({ goVersion: '1.26' });
    for (const [i, uri] of uris.entries()) {
      const p = await client.waitFor((x) => x.uri === uri && x.version === 1);
      expect(p.diagnostics.map((d) => [d.code, d.range.start.line])).toEqual([['nil-map-write', writeLine(i)]]);
      const sites = await client.request<MapSitesResult>(MAP_SITES_METHOD, { textDocument: { uri } });
      expect(sites.version).toBe(1);
      expect(sites.sites).toEqual([]);
    }
  });

  it('applies open, change, close and reopen in order when they all arrive before initialized', async () => {
    dir = server.tempDir('mapscope-order-');
    const uri = URI.file(join(dir, 'order.go')).toString();
    const other = URI.file(join(dir, 'other.go')).toString();
    client = await server.start({ initialize: false });
    await client.initialize();
    void client.open(uri, tab(0));
    // Version 2 removes the write; version 3 adds one on line 2; then closed and reopened with tab(4).
    void client.notify('textDocument/didChange', {
      textDocument: { uri, version: 2 },
      contentChanges: [{ range: { start: { line: writeLine(0), character: 0 }, end: { line: writeLine(0) + 1, character: 0 } }, text: '' }],
    });
    void client.notify('textDocument/didChange', {
      textDocument: { uri, version: 3 },
      contentChanges: [{ range: { start: { line: 2, character: 0 }, end: { line: 2, character: 0 } }, text: 'var g map[string]int\nfunc init() { g["x"] = 1 }\n' }],
    });
    void client.open(other, tab(1));
    void client.notify('textDocument/didClose', { textDocument: { uri } });
    void client.open(uri, tab(4), 7);
    await client.notify('initialized', {});
    const p = await client.waitFor((x) => x.uri === uri && x.version === 7);
    expect(p.diagnostics.map((d) => d.range.start.line)).toEqual([writeLine(4)]);
    const q = await client.waitFor((x) => x.uri === other && x.version === 1);
    expect(q.diagnostics.map((d) => d.range.start.line)).toEqual([writeLine(1)]);
    // Nothing was published for the versions that were superseded before any analysis ran.
    expect(client.published.filter((x) => x.uri === uri && x.version !== undefined && x.version !== 7)).toEqual([]);
  });
});
