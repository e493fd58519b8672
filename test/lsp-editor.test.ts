// What an editor gets from the server besides diagnostics, over stdio as any LSP client gets it:
// the log and the Go it chose (`mapscope/status`), hover and code lenses on map sites, the
// "ignore on this line" fix, settings it does not understand, the workspace check with progress
// and cancellation, and untitled buffers that name no directory.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CancellationTokenSource } from 'vscode-jsonrpc/node';
import { URI } from 'vscode-uri';
import { formatBytes } from '../common/format';
import { CHECK_WORKSPACE_METHOD, STATUS_NOTIFICATION, type CheckWorkspaceResult, type StatusParams } from '../common/protocol';
import { layoutOf, parseGoType, predict } from '../server/src/core/engine';
import { NEWEST_GO } from '../server/src/core/go-version';
import { HAS_GO, run } from './helpers/go';
import { LspClient, type Range as LspRange } from './helpers/lsp-client';

const FILL = `package ed

func Squares() map[int]int64 {
	m := make(map[int]int64)
	for i := 0; i < 800; i++ {
		m[i] = int64(i * i)
	}
	return m
}

var Units = map[string]int{"KB": 1 << 10, "MB": 1 << 20}

func Nil() {
	var seen map[string]bool
	seen["x"] = true
}
`;

const OTHER = `package other

func Broken() {
	var m map[string]int
	m["a"] = 1
}
`;

let dir: string;
let session: LspClient;
let fillUri: string;
const otherPath = () => join(dir, 'other', 'other.go');
const nestedPath = () => join(dir, 'tools', 'tools.go');

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mapscope-editor-'));
  writeFileSync(join(dir, 'go.mod'), 'module example.com/ed\n\ngo 1.22\n\ntoolchain go1.24.3\n');
  writeFileSync(join(dir, 'fill.go'), FILL);
  mkdirSync(join(dir, 'other'));
  writeFileSync(otherPath(), OTHER);
  // Vendored packages are skipped by the workspace check, as `mapscope check ./...` and `go list ./...` skip them.
  mkdirSync(join(dir, 'vendor', 'example.com', 'dep'), { recursive: true });
  writeFileSync(join(dir, 'vendor', 'modules.txt'), '# example.com/dep v1.0.0\n');
  writeFileSync(join(dir, 'vendor', 'example.com', 'dep', 'dep.go'), OTHER.replace('package other', 'package dep'));
  // A module nested in the folder is left out of `./...` but is the editor's to check, as gopls
  // checks it; one under testdata/ is not.
  mkdirSync(join(dir, 'tools'));
  writeFileSync(join(dir, 'tools', 'go.mod'), 'module example.com/tools\n\ngo 1.22\n');
  writeFileSync(nestedPath(), OTHER.replace('package other', 'package tools'));
  mkdirSync(join(dir, 'testdata', 'mod'), { recursive: true });
  writeFileSync(join(dir, 'testdata', 'mod', 'go.mod'), 'module example.com/fixture\n');
  writeFileSync(join(dir, 'testdata', 'mod', 'm.go'), OTHER.replace('package other', 'package m'));
  fillUri = URI.file(join(dir, 'fill.go')).toString();
  session = await LspClient.start({
    initializeParams: {
      rootUri: URI.file(dir).toString(),
      workspaceFolders: [{ uri: URI.file(dir).toString(), name: 'ed' }],
      clientInfo: { name: 'test client', version: '1' },
      // Not trusted: no `go env`, so the Go comes from go.mod, the same on every machine.
      initializationOptions: { trusted: false, settings: {} },
    },
  });
  await session.conn.sendNotification('textDocument/didOpen', { textDocument: { uri: fillUri, languageId: 'go', version: 1, text: FILL } });
  await session.waitFor((p) => p.uri === fillUri && p.version === 1);
});

afterAll(async () => {
  await session?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('log and status', () => {
  it('logs its start and settings, and says which Go it chose for the folder and why', async () => {
    const status = await session.waitForNotification<StatusParams>(STATUS_NOTIFICATION);
    const gomod = join(dir, 'go.mod');
    expect(status).toEqual({
      folder: dir,
      toolchain: { version: '1.24.3', source: `go.mod toolchain line (${gomod})`, impl: 'swiss', experiments: [] },
      language: { version: '1.22', source: `go.mod go line (${gomod})` },
    });
    const lines = session.logs;
    expect(lines[0]).toMatch(/^MapScope \S+ language server started \(Node [\d.]+, pid \d+\) for test client 1; workspace not trusted: go env is not run; folders: /);
    expect(lines).toContain(`Go for ${dir}: toolchain Go 1.24.3 (swiss) from go.mod toolchain line (${gomod}); language Go 1.22 from go.mod go line (${gomod}) [go env not run: the workspace is not trusted]`);
    expect(lines.some((l) => l.startsWith('settings: goVersion detected; rules: nil-map-write error, map-without-hint information, concurrent-map-write warning; defaultMapSize 1000; codeLens on; logLevel info'))).toBe(true);
  });
});

/** What the engine predicts for the `make(map[int]int64)` filled with 800 entries on Go 1.24. */
function squares() {
  const key = layoutOf(parseGoType('int'));
  const value = layoutOf(parseGoType('int64'));
  const without = predict(key, value, { entries: 800, hint: 0, go: '1.24' });
  const withHint = predict(key, value, { entries: 800, hint: 800, go: '1.24' });
  const growths = without.events.filter((e) => e.kind === 'grow' || e.kind === 'split').length;
  return { growths, total: without.totalBytes, saved: without.totalBytes - withHint.totalBytes };
}

describe('hover and code lens on map sites', () => {
  it('hovers a make with what it allocates as it grows and what the hint saves, on the Go in use', async () => {
    const e = squares();
    expect(e.growths).toBe(7); // table 8 → 1024 slots: 7 doublings, no split below 896 entries
    const hover = (await session.conn.sendRequest('textDocument/hover', { textDocument: { uri: fillUri }, position: { line: 3, character: 8 } })) as {
      contents: { kind: string; value: string };
      range: LspRange;
    };
    expect(hover.contents.kind).toBe('markdown');
    const text = hover.contents.value;
    expect(text).toContain('`m` `map[int]int64` · Go 1.24, swiss map');
    expect(text).toContain('800 entries: the loop runs 800 times');
    expect(text).toContain(`- As is (no hint): grows 7× · ${formatBytes(e.total)} allocated`);
    expect(text).toContain('- With hint `800`: no growth');
    expect(text).toContain(`- A hint saves ${formatBytes(e.saved)} and 7 growths`);
    expect(text).toContain('Key `int` 8 B · value `int64` 8 B · slot 16 B, group 136 B');
    expect(hover.range).toEqual({ start: { line: 3, character: 6 }, end: { line: 3, character: 25 } });
    // Off a site: nothing.
    expect(await session.conn.sendRequest('textDocument/hover', { textDocument: { uri: fillUri }, position: { line: 2, character: 2 } })).toBeNull();
    // A small literal: it never grows, and says so.
    const units = (await session.conn.sendRequest('textDocument/hover', { textDocument: { uri: fillUri }, position: { line: 10, character: 14 } })) as { contents: { value: string } };
    expect(units.contents.value).toContain('2 entries: 2 entries in the literal');
    expect(units.contents.value).toContain('Up to 8 entries fit in the first group: it never grows');
  });

  it('puts a code lens above a map that grows, and none above one that does not', async () => {
    const e = squares();
    const lenses = (await session.conn.sendRequest('textDocument/codeLens', { textDocument: { uri: fillUri } })) as { range: LspRange; command: { title: string; command: string } }[];
    expect(lenses).toEqual([
      {
        range: { start: { line: 3, character: 6 }, end: { line: 3, character: 25 } },
        command: { title: `grows 7× · ${formatBytes(e.total)}; a hint saves ${formatBytes(e.saved)}`, command: '' },
        data: { uri: fillUri, siteId: expect.any(String) },
      },
    ]);
  });

  it('switches code lenses off with mapscope.codeLens', async () => {
    await session.conn.sendNotification('workspace/didChangeConfiguration', { settings: { mapscope: { codeLens: false } } });
    expect(await session.conn.sendRequest('textDocument/codeLens', { textDocument: { uri: fillUri } })).toEqual([]);
    await session.conn.sendNotification('workspace/didChangeConfiguration', { settings: { mapscope: {} } });
    expect(await session.conn.sendRequest('textDocument/codeLens', { textDocument: { uri: fillUri } })).toHaveLength(1);
  });
});

/** Applies LSP text edits (non-overlapping, on one document) to a text, from the last to the first. */
function applyEdits(text: string, edits: { range: LspRange; newText: string }[]): string {
  const lines = text.split('\n');
  const offset = (p: { line: number; character: number }) => lines.slice(0, p.line).reduce((a, l) => a + l.length + 1, 0) + p.character;
  for (const e of [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start))) {
    text = text.slice(0, offset(e.range.start)) + e.newText + text.slice(offset(e.range.end));
  }
  return text;
}

describe('ignore on this line', () => {
  // Each finding's line, and what the file looks like once the fix is applied.
  const CASES = `package ig

import "sync"

func A() {
	var m map[string]int
	m["a"] = 1
}

func B(ok bool) {
	var m map[string]int
	if ok {
		_ = 1
	} else { m["b"] = 2 }
}

func C(words []string) map[string]int {
	//mapscope:ignore concurrent-map-write reason
	idx := map[string]int{}
	for i, w := range words {
		idx[w] = i
	}
	return idx
}

func D() {
	var wg sync.WaitGroup
	m := map[int]int{}
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			m[i] = i
		}()
	}
	wg.Wait()
}
`;

  it('writes //mapscope:ignore <rule> alone on the line above (joining a list already there), which silences exactly that finding', async () => {
    const uri = URI.file(join(dir, 'ig', 'ig.go')).toString();
    mkdirSync(join(dir, 'ig'), { recursive: true });
    writeFileSync(URI.parse(uri).fsPath, CASES);
    await session.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'go', version: 1, text: CASES } });
    const p = await session.waitFor((x) => x.uri === uri && x.version === 1);
    expect(p.diagnostics.map((d) => [d.code, d.range.start.line])).toEqual([
      ['nil-map-write', 6],
      ['nil-map-write', 13],
      ['map-without-hint', 18],
      ['concurrent-map-write', 32],
    ]);
    let text = CASES;
    const edits: { range: LspRange; newText: string }[] = [];
    for (const d of p.diagnostics) {
      const actions = (await session.conn.sendRequest('textDocument/codeAction', {
        textDocument: { uri }, range: d.range, context: { diagnostics: [d], only: ['quickfix'] },
      })) as { title: string; edit: { changes: Record<string, { range: LspRange; newText: string }[]> } }[];
      const ignore = actions.find((a) => a.title === `Ignore ${d.code} on this line (//mapscope:ignore)`);
      expect(ignore, d.code).toBeDefined();
      edits.push(...ignore!.edit.changes[uri]);
    }
    text = applyEdits(text, edits);
    expect(text).toContain('\t//mapscope:ignore nil-map-write\n\tm["a"] = 1');
    // Before a line that closes a block, one level deeper, as gofmt indents it.
    expect(text).toContain('\t\t//mapscope:ignore nil-map-write\n\t} else { m["b"] = 2 }');
    expect(text).toContain('\t//mapscope:ignore concurrent-map-write,map-without-hint reason\n\tidx := map[string]int{}');
    expect(text).toContain('\t\t\t//mapscope:ignore concurrent-map-write\n\t\t\tm[i] = i');
    await session.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text }] });
    const after = await session.waitFor((x) => x.uri === uri && x.version === 2);
    expect(after.diagnostics).toEqual([]);
    await session.conn.sendNotification('textDocument/didClose', { textDocument: { uri } });
    if (HAS_GO) {
      // gofmt leaves the directives where they are, except in B, whose one-line else gofmt rewrites anyway.
      writeFileSync(URI.parse(uri).fsPath, text.replace('} else { m["b"] = 2 }', '} else {\n\t\tm["b"] = 2\n\t}'));
      const r = await run('gofmt', ['-l', 'ig.go'], join(dir, 'ig'));
      expect(r).toEqual({ code: 0, stdout: '', stderr: '' });
    } else console.warn('lsp-editor: `go` is not on PATH: gofmt is not run on the ignore directives (SKIPPED)');
    rmSync(join(dir, 'ig'), { recursive: true, force: true });
  });
});

describe('settings MapScope does not understand', () => {
  it('logs each and shows it once as a warning, and models the nearest Go it knows', async () => {
    const before = session.notifications.length;
    const settings = { goVersion: '1.30', rules: { 'nil-map-writes': 'off', 'map-without-hint': { severity: 'warn' }, 'concurrent-map-write': 'loud' } };
    await session.conn.sendNotification('workspace/didChangeConfiguration', { settings: { mapscope: settings } });
    const status = await session.waitForNotification<StatusParams>(STATUS_NOTIFICATION, (s) => s.toolchain.source === 'setting mapscope.goVersion', before);
    // The newest Go the engine models (1.26 today; the constant follows the engine).
    const newest = `1.${NEWEST_GO.minor}`;
    expect(status.toolchain).toMatchObject({ version: newest, impl: 'swiss' });
    const expected = [
      `mapscope.goVersion is 1.30, but MapScope models Go 1.19 to ${newest}: it models Go ${newest} instead`,
      'mapscope.rules names an unknown rule "nil-map-writes" (the rules are nil-map-write, map-without-hint, concurrent-map-write): ignored',
      'mapscope.rules.map-without-hint: unknown severity "warn" (use error, warning, information, hint): the rule keeps its own severity',
      'mapscope.rules.concurrent-map-write: unknown value "loud" (use error, warning, information, hint or off): the rule keeps its own severity',
    ];
    const shown = () =>
      session.notifications.slice(before).filter((n) => n.method === 'window/showMessage').map((n) => (n.params as { type: number; message: string }));
    await session.waitForNotification('window/showMessage', (m: { message: string }) => m.message === `MapScope: ${expected[3]}`, before);
    expect(shown()).toEqual(expected.map((m) => ({ type: 2, message: `MapScope: ${m}` })));
    const logged = session.notifications.slice(before).filter((n) => n.method === 'window/logMessage' && (n.params as { type: number }).type === 2);
    expect(logged.map((n) => (n.params as { message: string }).message)).toEqual(expected);
    // The same settings again (a window reload, another change): logged, not shown again.
    const again = session.notifications.length;
    await session.conn.sendNotification('workspace/didChangeConfiguration', { settings: { mapscope: { ...settings, defaultMapSize: 2000 } } });
    await session.waitForNotification('window/logMessage', (m: { message: string }) => m.message.includes('defaultMapSize 2000'), again);
    await session.waitForNotification('window/logMessage', (m: { message: string }) => m.message === expected[3], again);
    expect(session.notifications.slice(again).filter((n) => n.method === 'window/showMessage')).toEqual([]);
    await session.conn.sendNotification('workspace/didChangeConfiguration', { settings: { mapscope: {} } });
  });
});

describe('workspace check', () => {
  it('publishes diagnostics for unopened files, nested modules too, with progress, and leaves open ones, vendor/ and testdata/ alone', async () => {
    const before = session.published.length;
    const notes = session.notifications.length;
    const r = (await session.conn.sendRequest(CHECK_WORKSPACE_METHOD, { workDoneToken: 'check-1' })) as CheckWorkspaceResult;
    expect(r).toEqual({ files: 2, filesWithFindings: 2, findings: 2, cancelled: false, warnings: [] });
    const otherUri = URI.file(otherPath()).toString();
    const nestedUri = URI.file(nestedPath()).toString();
    // The check publishes without a version (the file is not open); fill.go, open, keeps its own.
    const fromCheck = session.published.slice(before).filter((p) => p.version === undefined);
    expect(fromCheck.map((p) => p.uri).sort()).toEqual([otherUri, nestedUri].sort());
    for (const p of fromCheck) expect(p.diagnostics.map((d) => [d.code, d.range.start.line])).toEqual([['nil-map-write', 4]]);
    const progress = session.notifications.slice(notes).filter((n) => n.method === '$/progress').map((n) => n.params as { token: string; value: { kind: string } });
    expect(progress.every((p) => p.token === 'check-1')).toBe(true);
    expect(progress[0].value).toMatchObject({ kind: 'begin', title: 'MapScope: checking the workspace', cancellable: true });
    expect(progress[progress.length - 1].value).toEqual({ kind: 'end' });
    expect(session.logs.some((l) => /^workspace check done in [\d.]+ s: 2 unopened files, 2 findings in 2$/.test(l))).toBe(true);
  });

  it('hands a checked file to the live analysis while open, and back to the disk when closed or deleted', async () => {
    const otherUri = URI.file(otherPath()).toString();
    let before = session.published.length;
    await session.conn.sendNotification('textDocument/didOpen', { textDocument: { uri: otherUri, languageId: 'go', version: 1, text: 'package other\n' } });
    expect((await session.waitFor((p) => p.uri === otherUri, before)).diagnostics).toEqual([]);
    // Closed unsaved: what is on disk counts again.
    before = session.published.length;
    await session.conn.sendNotification('textDocument/didClose', { textDocument: { uri: otherUri } });
    const closed = await session.waitFor((p) => p.uri === otherUri, before);
    expect(closed.diagnostics.map((d) => d.code)).toEqual(['nil-map-write']);
    // Fixed on disk.
    before = session.published.length;
    writeFileSync(otherPath(), readFileSync(otherPath(), 'utf8').replace('var m map[string]int', 'm := map[string]int{}'));
    await session.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: otherUri, type: 2 }] });
    expect((await session.waitFor((p) => p.uri === otherUri, before)).diagnostics).toEqual([]);
    // Broken again, then deleted: its findings go with it.
    writeFileSync(otherPath(), OTHER);
    before = session.published.length;
    await session.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: otherUri, type: 2 }] });
    expect((await session.waitFor((p) => p.uri === otherUri, before)).diagnostics).toHaveLength(1);
    unlinkSync(otherPath());
    before = session.published.length;
    await session.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: otherUri, type: 3 }] });
    expect((await session.waitFor((p) => p.uri === otherUri, before)).diagnostics).toEqual([]);
    writeFileSync(otherPath(), OTHER);
  });

  it('stops when cancelled, between packages', async () => {
    for (let i = 0; i < 40; i++) {
      mkdirSync(join(dir, 'many', `p${i}`), { recursive: true });
      writeFileSync(join(dir, 'many', `p${i}`, 'p.go'), OTHER.replace('package other', `package p${i}`));
    }
    const source = new CancellationTokenSource();
    const notes = session.notifications.length;
    const pending = session.conn.sendRequest(CHECK_WORKSPACE_METHOD, { workDoneToken: 'check-2' }, source.token) as Promise<CheckWorkspaceResult>;
    // Cancel once the check has started on its packages.
    await session.waitForNotification('$/progress', (p: { token: string; value: { kind: string } }) => p.token === 'check-2' && p.value.kind === 'report', notes);
    source.cancel();
    const r = await pending;
    expect(r.cancelled).toBe(true);
    expect(r.files).toBeLessThan(41);
    rmSync(join(dir, 'many'), { recursive: true, force: true });
  });
});

describe('untitled buffers', () => {
  it('are analysed as a package of their own, never with the files of the server\'s working directory', async () => {
    // The server runs in a directory whose Go file declares T with a map field. An untitled
    // buffer that uses a T must not see it: the write below is no finding there, and is one when
    // the buffer declares T itself.
    const cwd = mkdtempSync(join(tmpdir(), 'mapscope-cwd-'));
    writeFileSync(join(cwd, 't.go'), 'package main\n\ntype T struct{ m map[string]int }\n');
    const s = await LspClient.start({ initializeParams: { rootUri: null, initializationOptions: { settings: { goVersion: '1.26' } } }, cwd });
    try {
      const uses = 'package main\n\nfunc main() {\n\tvar t T\n\tt.m["a"] = 1\n}\n';
      await s.conn.sendNotification('textDocument/didOpen', { textDocument: { uri: 'untitled:Untitled-1', languageId: 'go', version: 1, text: uses } });
      expect((await s.waitFor((p) => p.uri === 'untitled:Untitled-1' && p.version === 1)).diagnostics).toEqual([]);
      const declares = `${uses}\ntype T struct{ m map[string]int }\n`;
      await s.conn.sendNotification('textDocument/didOpen', { textDocument: { uri: 'untitled:Untitled-2', languageId: 'go', version: 1, text: declares } });
      const p = await s.waitFor((x) => x.uri === 'untitled:Untitled-2' && x.version === 1);
      expect(p.diagnostics.map((d) => d.code)).toEqual(['nil-map-write']);
      // Its related places point into the buffer, not at a file named after it.
      const related = p.diagnostics[0].relatedInformation?.map((r) => r.location.uri) ?? [];
      expect(related.length).toBeGreaterThan(0);
      expect(new Set(related)).toEqual(new Set(['untitled:Untitled-2']));
      const status = await s.waitForNotification<StatusParams>(STATUS_NOTIFICATION);
      expect(status).toMatchObject({ folder: '', toolchain: { version: '1.26', source: 'setting mapscope.goVersion' } });
    } finally {
      await s.stop();
      rmSync(cwd, { recursive: true, force: true });
    }
  });
});
