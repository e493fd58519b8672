// The language server with packages that import each other: the analysis worker reads the
// imported package (here one of the same module), and an edit to an open document of that package
// makes the server publish the importing document's diagnostics again, with no change to it.
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { URI } from 'vscode-uri';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { tempDir } from './helpers/cli';
import { FIXTURES } from './helpers/fixtures';
import { LspClient } from './helpers/lsp-client';

let dir: string;
let session: LspClient;

beforeAll(async () => {
  dir = tempDir('mapscope-lsp-imports-');
  writeFileSync(join(dir, 'go.mod'), 'module mapscope.test/fixtures\n\ngo 1.22\n');
  cpSync(join(FIXTURES, 'map-without-hint', 'pos_cross_package'), join(dir, 'map-without-hint', 'pos_cross_package'), { recursive: true });
  session = await LspClient.start({ initializeParams: {
    rootUri: URI.file(dir).toString(),
    workspaceFolders: [{ uri: URI.file(dir).toString(), name: 'imports' }],
    initializationOptions: { trusted: false, settings: {} },
  } });
});

afterAll(async () => {
  await session?.stop();
  rmSync(dir, { recursive: true, force: true });
});

it('re-publishes a document when an open document of a package it imports is edited', async () => {
  const mainPath = join(dir, 'map-without-hint', 'pos_cross_package', 'main.go');
  const libPath = join(dir, 'map-without-hint', 'pos_cross_package', 'lib', 'lib.go');
  const mainUri = URI.file(mainPath).toString();
  const libUri = URI.file(libPath).toString();
  const lib = readFileSync(libPath, 'utf8');
  await session.conn.sendNotification('textDocument/didOpen', { textDocument: { uri: mainUri, languageId: 'go', version: 1, text: readFileSync(mainPath, 'utf8') } });
  const first = await session.waitFor((p) => p.uri === mainUri && p.version === 1);
  expect(first.diagnostics.map((d) => d.message).sort()).toEqual([
    'map `m` is filled with up to `len(items)` entries but made without a capacity hint',
    'map `seen` is filled with up to `len(lib.Registry)` entries but made without a capacity hint',
  ]);
  await session.conn.sendNotification('textDocument/didOpen', { textDocument: { uri: libUri, languageId: 'go', version: 1, text: lib } });
  const mark = session.published.length;
  // Registry becomes a channel: ranging over it has no length, so `seen`'s finding goes.
  const edited = lib.replace('var Registry = []string{"x", "y", "z"}', 'var Registry = make(chan string)');
  expect(edited).not.toBe(lib);
  await session.conn.sendNotification('textDocument/didChange', { textDocument: { uri: libUri, version: 2 }, contentChanges: [{ text: edited }] });
  const again = await session.waitFor((p) => p.uri === mainUri && p.diagnostics.length === 1, mark);
  expect(again.diagnostics[0].message).toBe('map `m` is filled with up to `len(items)` entries but made without a capacity hint');
  expect(again.version).toBe(1);
});
