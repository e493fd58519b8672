// The built server spawned over stdio and driven with real protocol messages, as Neovim or Helix
// would: open, incremental change, diagnostics, code actions, configuration, shutdown.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MessageConnection } from 'vscode-jsonrpc/node';
import { URI } from 'vscode-uri';
import { APPLY_HINT_COMMAND, MAP_SITES_METHOD, PREDICT_METHOD, type ApplyHintResult, type MapSitesResult, type PredictResult } from '../common/protocol';
import { layoutOf, parseGoType, predict } from '../server/src/core/engine';
import { LspClient, type Published } from './helpers/lsp-client';

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
let session: LspClient;
let conn: MessageConnection;
let published: Published[];
let uri: string;
let appliedEdits: LspClient['applied'];
const waitFor = (pred: (p: Published) => boolean, after = 0) => session.waitFor(pred, after, 10_000);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mapscope-lsp-'));
  const path = join(dir, 'main.go');
  writeFileSync(path, MAIN);
  uri = URI.file(path).toString();
  session = await LspClient.start({
    initializeParams: {
      rootUri: URI.file(dir).toString(),
      capabilities: { workspace: { workspaceEdit: { documentChanges: true } } },
      initializationOptions: { trusted: false, settings: { goVersion: '1.26' } },
    },
  });
  ({ conn, published, applied: appliedEdits } = session);
  const init = session.init as unknown as { capabilities: { textDocumentSync: { change: number }; codeActionProvider: { codeActionKinds: string[] }; executeCommandProvider: { commands: string[] }; hoverProvider: boolean; codeLensProvider: unknown } };
  expect(init.capabilities.textDocumentSync.change).toBe(2); // incremental
  expect(init.capabilities.codeActionProvider.codeActionKinds).toContain('source.fixAll.mapscope');
  expect(init.capabilities.executeCommandProvider.commands).toEqual([APPLY_HINT_COMMAND]);
  expect(init.capabilities.hoverProvider).toBe(true);
  expect(init.capabilities.codeLensProvider).toEqual({ resolveProvider: false });
});

afterAll(async () => {
  await session?.stop();
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
    expect(actions).toHaveLength(2);
    expect(actions[0].kind).toBe('quickfix');
    expect(actions[0].isPreferred).toBe(true);
    expect(actions[0].edit.changes[uri]).toEqual([
      { range: { start: { line: 7, character: 1 }, end: { line: 7, character: 12 } }, newText: 'c := cache{items: make(map[string]int)}' },
    ]);
    // And, for every finding, the directive that silences it, alone on the line above.
    expect(actions[1]).toMatchObject({ kind: 'quickfix', isPreferred: false, title: 'Ignore nil-map-write on this line (//mapscope:ignore)' });
    expect(actions[1].edit.changes[uri]).toEqual([
      { range: { start: { line: 8, character: 0 }, end: { line: 8, character: 0 } }, newText: '\t//mapscope:ignore nil-map-write\n' },
    ]);
  });

  it('reanalyses incremental edits and publishes only the newest version', async () => {
    const before = published.length;
    // Initialize the field before the write (line 8 is `\ts := ...`): the finding goes away.
    const fix = { range: { start: { line: 8, character: 1 }, end: { line: 8, character: 1 } }, text: 'c.items = map[string]int{}\n\t' };
    // Three more quick edits: type and delete characters at the end of a comment-free line. All four
    // are written in one burst, well inside the debounce even on a loaded machine (awaiting each
    // write let a slow run cross the 120 ms and publish version 2).
    const pos = { line: 10, character: 0 };
    const edits = [
      { version: 2, change: fix },
      { version: 3, change: { range: { start: pos, end: pos }, text: 'x' } },
      { version: 4, change: { range: { start: pos, end: { line: 10, character: 1 } }, text: '' } },
      { version: 5, change: { range: { start: pos, end: pos }, text: ' ' } },
    ];
    await Promise.all(edits.map(({ version, change }) => conn.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [change] })));
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

// The growth panel's requests: map sites and predictions on the analysed version, and the hint
// applied through workspace/applyEdit with exactly the quick fix's edit.
const FILL = `package main

type user struct {
	ID   string
	Name string
}

func index(users []user) map[string]user {
	/* 😀 */ byID := make(map[string]user)
	for _, u := range users {
		byID[u.ID] = u
	}
	return byID
}

func squares() map[int]int64 {
	m := map[int]int64{}
	for i := 0; i < 5000; i++ {
		m[i] = int64(i * i)
	}
	return m
}
`;

describe('growth panel requests', () => {
  let fillUri: string;

  it('mapscope/mapSites lists the sites with UTF-16 ranges of the version it analysed', async () => {
    fillUri = URI.file(join(dir, 'fill.go')).toString();
    await conn.sendNotification('textDocument/didOpen', { textDocument: { uri: fillUri, languageId: 'go', version: 1, text: FILL } });
    // Asked at once, before the debounced analysis: the server analyses version 1 now.
    const r = (await conn.sendRequest(MAP_SITES_METHOD, { textDocument: { uri: fillUri } })) as MapSitesResult;
    expect(r.version).toBe(1);
    expect(r.uri).toBe(fillUri);
    expect(r.impl).toBe(r.go.startsWith('1.2') && Number(r.go.split('.')[1]) >= 24 ? 'swiss' : 'classic');
    expect(r.defaultMapSize).toBe(1000);
    expect(r.sites.map((s) => s.name)).toEqual(['byID', 'm']);
    const [byID, m] = r.sites;
    // `\t/* 😀 */ byID := `: tab(1) + `/* `(3) + 😀(2) + ` */ `(4) + `byID := `(8) = 18.
    expect(byID.range).toEqual({ start: { line: 8, character: 18 }, end: { line: 8, character: 39 } });
    expect(byID).toMatchObject({
      kind: 'make', type: 'map[string]user', function: 'index',
      key: { text: 'string', layout: { size: 16, align: 8, pointers: true } },
      value: { text: 'user', layout: { size: 32, align: 8, pointers: true } },
      shape: { bucketBytes: 8 + 8 * 16 + 8 * 32 + 8, slotBytes: 48, groupBytes: 8 + 8 * 48 },
      size: { source: 'symbolic', expr: 'len(users)' },
      suggestedHint: 'len(users)',
    });
    expect(byID.fix?.edits).toEqual([{ range: { start: { line: 8, character: 38 }, end: { line: 8, character: 38 } }, newText: ', len(users)' }]);
    expect(m.size).toMatchObject({ value: 5000, source: 'loop' });
    const published = await waitFor((x) => x.uri === fillUri && x.version === 1);
    expect(published.diagnostics.map((d) => d.code)).toEqual(['map-without-hint', 'map-without-hint']);
  });

  it('mapscope/predict gives the engine\'s timelines for the site at a position', async () => {
    const sites = (await conn.sendRequest(MAP_SITES_METHOD, { textDocument: { uri: fillUri } })) as MapSitesResult;
    const key = layoutOf(parseGoType('int'));
    const value = layoutOf(parseGoType('int64'));
    // A position inside `map[int]int64{}`.
    const r = (await conn.sendRequest(PREDICT_METHOD, { textDocument: { uri: fillUri }, position: { line: 16, character: 8 } })) as NonNullable<PredictResult>;
    expect(r.site.name).toBe('m');
    expect(r).toMatchObject({ entries: 5000, entriesSource: 'inferred', go: sites.go, impl: sites.impl, version: 1 });
    const without = predict(key, value, { entries: 5000, hint: 0, go: sites.go });
    const withHint = predict(key, value, { entries: 5000, hint: 5000, go: sites.go });
    expect(r.asIs.totals).toEqual({
      growths: without.events.filter((e) => e.kind === 'grow' || e.kind === 'split').length,
      totalBytes: without.totalBytes, peakBytes: without.peakBytes, liveBytes: without.liveBytes,
    });
    expect(r.withHint.totals.totalBytes).toBe(withHint.totalBytes);
    expect(r.savings.totalBytes).toBe(without.totalBytes - withHint.totalBytes);
    expect(r.asIs.events.map((e) => [e.insert, e.kind, e.bytes])).toEqual(without.events.map((e) => [e.insert, e.kind, e.bytes]));

    // Given entries, hint and the other implementation; a position on the function's line picks its site.
    const c = (await conn.sendRequest(PREDICT_METHOD, {
      textDocument: { uri: fillUri }, position: { line: 7, character: 0 }, entries: 300, hint: 200, impl: 'classic',
    })) as NonNullable<PredictResult>;
    expect(c.site.name).toBe('byID');
    expect(c).toMatchObject({ impl: 'classic', entries: 300, entriesSource: 'given' });
    const L = (t: string) => layoutOf(parseGoType(t));
    const userLayout = layoutOf(parseGoType('struct{ID string; Name string}'));
    expect(c.asIs.totals.totalBytes).toBe(predict(L('string'), userLayout, { entries: 300, hint: 0, go: c.go, goexperiment: c.go.includes('noswissmap') ? 'noswissmap' : undefined }).totalBytes);
    expect(c.withHint.totals.totalBytes).toBe(predict(L('string'), userLayout, { entries: 300, hint: 200, impl: 'classic', go: c.go.split(' ')[0], goexperiment: c.go.includes('noswissmap') ? 'noswissmap' : undefined }).totalBytes);

    await expect(conn.sendRequest(PREDICT_METHOD, { textDocument: { uri: fillUri }, position: { line: 0, character: 0 }, entries: -5 })).rejects.toThrow(/entries/);
  });

  it('mapscope.applyHint sends workspace/applyEdit with exactly the quick fix\'s edit', async () => {
    const sites = (await conn.sendRequest(MAP_SITES_METHOD, { textDocument: { uri: fillUri } })) as MapSitesResult;
    const byID = sites.sites[0];
    const published = await waitFor((x) => x.uri === fillUri && x.version === sites.version);
    const d = published.diagnostics.find((x) => x.range.start.line === byID.range.start.line)!;
    const actions = (await conn.sendRequest('textDocument/codeAction', {
      textDocument: { uri: fillUri }, range: d.range, context: { diagnostics: [d], only: ['quickfix'] },
    })) as { title: string; edit: { changes: Record<string, unknown[]> } }[];
    expect(actions.map((a) => a.title)).toEqual(['Add capacity hint: make(map[string]user, len(users))', 'Ignore map-without-hint on this line (//mapscope:ignore)']);

    // A stale version is refused without touching the editor.
    const before = appliedEdits.length;
    const stale = (await conn.sendRequest('workspace/executeCommand', {
      command: APPLY_HINT_COMMAND, arguments: [{ uri: fillUri, version: sites.version + 7, siteId: byID.id }],
    })) as ApplyHintResult;
    expect(stale.applied).toBe(false);
    expect(stale.reason).toMatch(/changed/);
    expect(appliedEdits.length).toBe(before);

    const r = (await conn.sendRequest('workspace/executeCommand', {
      command: APPLY_HINT_COMMAND, arguments: [{ uri: fillUri, version: sites.version, siteId: byID.id }],
    })) as ApplyHintResult;
    expect(r).toEqual({ applied: true });
    expect(appliedEdits.length).toBe(before + 1);
    const sent = appliedEdits[appliedEdits.length - 1];
    expect(sent.label).toBe(actions[0].title);
    expect(sent.edit.documentChanges).toEqual([{ textDocument: { uri: fillUri, version: sites.version }, edits: actions[0].edit.changes[fillUri] }]);

    // A site with no fix says so.
    const none = (await conn.sendRequest('workspace/executeCommand', {
      command: APPLY_HINT_COMMAND, arguments: [{ uri: fillUri, version: sites.version, siteId: '1' }],
    })) as ApplyHintResult;
    expect(none).toMatchObject({ applied: false });
  });

  it('follows edits: a new version gets its own sites', async () => {
    // What the client does after applying the edit: the document changes to version 2.
    await conn.sendNotification('textDocument/didChange', {
      textDocument: { uri: fillUri, version: 2 },
      contentChanges: [{ range: { start: { line: 8, character: 38 }, end: { line: 8, character: 38 } }, text: ', len(users)' }],
    });
    const r = (await conn.sendRequest(MAP_SITES_METHOD, { textDocument: { uri: fillUri } })) as MapSitesResult;
    expect(r.version).toBe(2);
    expect(r.sites[0]).toMatchObject({ hint: { text: 'len(users)' }, size: { source: 'symbolic', expr: 'len(users)' } });
    expect(r.sites[0].fix).toBeUndefined();
    const published = await waitFor((x) => x.uri === fillUri && x.version === 2);
    expect(published.diagnostics.map((d) => d.code)).toEqual(['map-without-hint']);
    await conn.sendNotification('textDocument/didClose', { textDocument: { uri: fillUri } });
    await expect(conn.sendRequest(MAP_SITES_METHOD, { textDocument: { uri: fillUri } })).rejects.toThrow(/not an open document/);
  });
});

// source.fixAll.mapscope: every exact hint and every nil-map initialisation in the file at once
// (two writes into one nil map initialise it once), and nothing that is only an upper bound (keys
// that may repeat) or that a user suppressed.
const FIX_ALL = `package main

func squares(n int) map[int]int {
	sq := make(map[int]int)
	for i := 0; i < n; i++ {
		sq[i] = i * i
	}
	return sq
}

func positions(words []string) map[int]string {
	pos := map[int]string{}
	for i, w := range words {
		pos[i] = w
	}
	return pos
}

func index(words []string) map[string]bool {
	seen := make(map[string]bool)
	for _, w := range words {
		seen[w] = true
	}
	return seen
}

func quiet(words []string) map[int]string {
	q := map[int]string{} //mapscope:ignore map-without-hint small on purpose
	for i, w := range words {
		q[i] = w
	}
	return q
}

func tally() {
	var counts map[string]int
	counts["a"]++
	counts["b"]++
}

func names() (seen map[string]bool) {
	seen["x"] = true
	return
}
`;

/** Applies LSP text edits (non-overlapping, on one document) to a text, from the last to the first. */
function applyEdits(text: string, edits: { range: { start: { line: number; character: number }; end: { line: number; character: number } }; newText: string }[]): string {
  const lines = text.split('\n');
  const offset = (p: { line: number; character: number }) => lines.slice(0, p.line).reduce((a, l) => a + l.length + 1, 0) + p.character;
  const sorted = [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start));
  for (const e of sorted) text = text.slice(0, offset(e.range.start)) + e.newText + text.slice(offset(e.range.end));
  return text;
}

describe('source.fixAll.mapscope', () => {
  it('applies every exact hint in the file, and leaves upper bounds and suppressed findings alone', async () => {
    const fixUri = URI.file(join(dir, 'fixall.go')).toString();
    await conn.sendNotification('textDocument/didOpen', { textDocument: { uri: fixUri, languageId: 'go', version: 1, text: FIX_ALL } });
    const p = await waitFor((x) => x.uri === fixUri && x.version === 1);
    // squares, positions and index are reported; quiet is suppressed; tally writes its nil map twice.
    expect(p.diagnostics.map((d) => [d.code, d.range.start.line])).toEqual([
      ['map-without-hint', 3],
      ['map-without-hint', 11],
      ['map-without-hint', 19],
      ['nil-map-write', 36],
      ['nil-map-write', 37],
      ['nil-map-write', 41],
    ]);
    const actions = (await conn.sendRequest('textDocument/codeAction', {
      textDocument: { uri: fixUri },
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      context: { diagnostics: [], only: ['source.fixAll'] },
    })) as { title: string; kind: string; edit: { changes: Record<string, { range: { start: { line: number; character: number }; end: { line: number; character: number } }; newText: string }[]> } }[];
    expect(actions.map((a) => a.kind)).toEqual(['source.fixAll.mapscope']);
    const fixed = applyEdits(FIX_ALL, actions[0].edit.changes[fixUri]);
    expect(fixed).toBe(
      FIX_ALL.replace('sq := make(map[int]int)', 'sq := make(map[int]int, n)')
        .replace('pos := map[int]string{}', 'pos := make(map[int]string, len(words))')
        .replace('var counts map[string]int', 'counts := make(map[string]int)')
        .replace('(seen map[string]bool) {\n', '(seen map[string]bool) {\n\tseen = make(map[string]bool)\n'),
    );
    // A quick-fix request does not get the source action.
    const quick = (await conn.sendRequest('textDocument/codeAction', {
      textDocument: { uri: fixUri }, range: p.diagnostics[2].range, context: { diagnostics: [p.diagnostics[2]], only: ['quickfix'] },
    })) as { kind: string; isPreferred?: boolean; title: string }[];
    // The upper-bound hint is offered on its own, not preferred.
    expect(quick.map((a) => [a.kind, a.title, a.isPreferred ?? false])).toEqual([
      ['quickfix', 'Add capacity hint: make(map[string]bool, len(words))', false],
      ['quickfix', 'Ignore map-without-hint on this line (//mapscope:ignore)', false],
    ]);
    await conn.sendNotification('textDocument/didClose', { textDocument: { uri: fixUri } });
  });
});

// Issue 17: an open file is analysed under a build configuration that includes it, with the
// siblings built with it. On Linux, table is nil in table_windows.go and made in table_linux.go.
describe.skipIf(process.platform === 'win32')('build constraints in the editor (on a non-Windows host)', () => {
  it('checks a _windows.go file against its Windows siblings, and a _linux.go file against its Linux ones', async () => {
    const pkg = join(dir, 'plat');
    mkdirSync(pkg);
    writeFileSync(join(pkg, 'table_windows.go'), 'package plat\n\nvar table map[string]int\n');
    writeFileSync(join(pkg, 'table_linux.go'), 'package plat\n\nvar table = map[string]int{}\n');
    writeFileSync(join(pkg, 'table_other.go'), '//go:build !linux && !windows\n\npackage plat\n\nvar table = map[string]int{}\n');
    const use = (name: string) => `package plat\n\nfunc ${name}() {\n\ttable["${name}"] = 1\n}\n`;
    const win = URI.file(join(pkg, 'use_windows.go')).toString();
    const lin = URI.file(join(pkg, 'use_linux.go')).toString();
    const from = published.length;
    await conn.sendNotification('textDocument/didOpen', { textDocument: { uri: win, languageId: 'go', version: 1, text: use('w') } });
    await conn.sendNotification('textDocument/didOpen', { textDocument: { uri: lin, languageId: 'go', version: 1, text: use('l') } });
    const w = await waitFor((x) => x.uri === win && x.version === 1, from);
    const l = await waitFor((x) => x.uri === lin && x.version === 1, from);
    expect(w.diagnostics.map((d) => [d.code, d.range.start.line, d.relatedInformation?.map((r) => r.location.uri)])).toEqual([
      ['nil-map-write', 3, [URI.file(join(pkg, 'table_windows.go')).toString()]],
    ]);
    expect(l.diagnostics).toEqual([]);
    for (const u of [win, lin]) await conn.sendNotification('textDocument/didClose', { textDocument: { uri: u } });
  });
});
