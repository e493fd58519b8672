// Defects found by driving the server with an unusual but legal client (issue 18), each fixed:
// a repeated version number, a code action without context, a stray byte on stdin, a document
// that is not a file, and a go.mod outside the workspace folder.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { URI } from 'vscode-uri';
import { LspClient, serverPerTest, type PublishedDiagnostic } from './helpers/lsp-client';

let dir: string;
let client: LspClient | undefined;
const server = serverPerTest();

interface Action {
  title: string;
  edit: { changes: Record<string, { range: unknown; newText: string }[]> };
}

const nilWrite = (name: string) => `package main\n\nfunc main() {\n\tvar ${name} map[string]int\n\t${name}["k"] = 1\n}\n`;

describe('a version number sent twice', () => {
  it('analyses the new text and offers its fix, not the old one', async () => {
    dir = server.tempDir('mapscope-version-');
    const uri = URI.file(join(dir, 'main.go')).toString();
    client = await server.start();
    await client.open(uri, nilWrite('a'), 1);
    const first = await client.waitFor((p) => p.uri === uri && p.version === 1);
    expect(first.diagnostics[0].message).toMatch(/nil map `a`/);
    // Version 1 again, with a different text (a buggy or restarted client).
    const before = client.published.length;
    await client.notify('textDocument/didChange', { textDocument: { uri, version: 1 }, contentChanges: [{ text: nilWrite('bb') }] });
    const second = await client.waitFor((p) => p.uri === uri, before);
    expect(second.diagnostics.map((d) => d.message)).toEqual([expect.stringMatching(/nil map `bb`/)]);
    const fixFor = (d: PublishedDiagnostic) =>
      client!.request<Action[]>('textDocument/codeAction', { textDocument: { uri }, range: d.range, context: { diagnostics: [d], only: ['quickfix'] } });
    const fresh = await fixFor(second.diagnostics[0]);
    // The fix, then the directive that silences the finding.
    expect(fresh.map((a) => a.edit.changes[uri][0].newText)).toEqual(['bb := make(map[string]int)', '\t//mapscope:ignore nil-map-write\n']);
    // The old diagnostic no longer has a fix: it belongs to a text that is gone.
    expect(await fixFor(first.diagnostics[0])).toEqual([]);
  });
});

describe('textDocument/codeAction without a context', () => {
  it('answers with the file\'s source actions instead of an internal error', async () => {
    dir = server.tempDir('mapscope-context-');
    const uri = URI.file(join(dir, 'main.go')).toString();
    client = await server.start();
    await client.open(uri, `package main\n\nfunc f(n int) map[int]int {\n\tm := make(map[int]int)\n\tfor i := 0; i < n; i++ {\n\t\tm[i] = i\n\t}\n\treturn m\n}\n`);
    await client.waitFor((p) => p.uri === uri && p.version === 1);
    const actions = await client.request<{ kind: string }[]>('textDocument/codeAction', { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } });
    expect(actions.map((a) => a.kind)).toEqual(['source.fixAll.mapscope']);
  });
});

describe('framing errors on stdin', () => {
  it('skips a stray byte and a header without a length, reports them, and answers what follows', async () => {
    client = await server.start();
    client.process.stdin.write('X');
    expect(await client.request('shutdown', null, 10_000)).toBeNull();
    client.process.stdin.write('Content-Type: text/plain\r\n\r\n{}');
    expect(await client.request('shutdown', null, 10_000)).toBeNull();
    // A body that is not JSON is a JSON-RPC parse error, answered as one; the next request still works.
    client.process.stdin.write('Content-Length: 5\r\n\r\n{{{{{');
    expect(await client.request('shutdown', null, 10_000)).toBeNull();
    // What each drop is called depends on how the pipe cut the bytes; that they are reported does not.
    expect(client.stderr).toMatch(/mapscope: stdin: dropped 1 byte of input: /);
    expect(client.stderr).toMatch(/mapscope: stdin: dropped \d+ bytes of input: /);
  });
});

describe('a document that is not a file', () => {
  it('is analysed on its own, not as a file in the server\'s working directory', async () => {
    dir = server.tempDir('mapscope-untitled-');
    // In the working directory: a file of package main declaring a struct with a map field. An
    // untitled buffer resolved against the working directory would see it and report c.items.
    writeFileSync(join(dir, 'types.go'), 'package main\n\ntype cache struct {\n\titems map[string]int\n}\n');
    client = await server.start({ cwd: dir });
    const uri = 'untitled:Untitled-1';
    await client.open(uri, 'package main\n\nfunc main() {\n\tvar c cache\n\tc.items["a"] = 1\n\tvar m map[int]int\n\tm[1] = 1\n}\n');
    const p = await client.waitFor((x) => x.uri === uri && x.version === 1);
    expect(p.diagnostics.map((d) => [d.code, d.range.start.line])).toEqual([['nil-map-write', 6]]);
  });
});

describe('go.mod above the workspace folder', () => {
  it('is not read: the version comes from inside the folder or is the newest', async () => {
    dir = server.tempDir('mapscope-root-');
    // Above the folder: go 1.19 (classic maps). Inside `mod`: go 1.23 (classic); `loose` has none.
    writeFileSync(join(dir, 'go.mod'), 'module outer\n\ngo 1.19\n');
    mkdirSync(join(dir, 'ws', 'mod'), { recursive: true });
    mkdirSync(join(dir, 'ws', 'loose'), { recursive: true });
    writeFileSync(join(dir, 'ws', 'mod', 'go.mod'), 'module inner\n\ngo 1.23\n');
    const fill = `package p\n\nfunc f() map[int]int {\n\tm := make(map[int]int)\n\tfor i := 0; i < 100; i++ {\n\t\tm[i] = i\n\t}\n\treturn m\n}\n`;
    const ws = URI.file(join(dir, 'ws')).toString();
    client = await server.start({
      rootUri: ws,
      workspaceFolders: [{ uri: ws, name: 'ws' }],
      initializationOptions: { trusted: false, settings: {} },
    });
    const loose = URI.file(join(dir, 'ws', 'loose', 'a.go')).toString();
    const mod = URI.file(join(dir, 'ws', 'mod', 'a.go')).toString();
    await client.open(loose, fill);
    await client.open(mod, fill);
    const a = await client.waitFor((x) => x.uri === loose && x.version === 1);
    const b = await client.waitFor((x) => x.uri === mod && x.version === 1);
    expect(a.diagnostics).toHaveLength(1);
    expect(b.diagnostics).toHaveLength(1);
    // The log says where each folder's Go came from: go.mod inside the workspace folder, never the one above it.
    const goLine = (folder: string) => client!.logs.find((l) => l.startsWith(`Go for ${folder}:`));
    expect(goLine(join(dir, 'ws', 'mod'))).toMatch(/language Go 1\.23 from go\.mod go line/);
    expect(goLine(join(dir, 'ws', 'loose'))).toBeDefined();
    expect(client.logs.join('\n')).not.toMatch(/1\.19/);
  });
});
