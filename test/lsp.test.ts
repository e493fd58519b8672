// The built server spawned over stdio and driven with real protocol messages, as Neovim or Helix
// would: open, incremental change, diagnostics, code actions, configuration, shutdown.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { URI } from 'vscode-uri';
import { APPLY_HINT_COMMAND, MAP_SITES_METHOD, PREDICT_METHOD, type ApplyHintResult, type MapSitesResult, type PredictResult } from '../common/protocol';
import { layoutOf, parseGoType, predict } from '../server/src/core/engine';
import { LspClient, type Published } from './helpers/lsp';

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
let client: LspClient;
let uri: string;
const waitFor = (pred: (p: Published) => boolean, after = 0) => client.waitFor(pred, after);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mapscope-lsp-'));
  const path = join(dir, 'main.go');
  writeFileSync(path, MAIN);
  uri = URI.file(path).toString();
  client = await LspClient.start({
    rootUri: URI.file(dir).toString(),
    capabilities: { workspace: { workspaceEdit: { documentChanges: true } } },
    initialize: false,
  });
  const init = (await client.initialize({
    capabilities: { workspace: { workspaceEdit: { documentChanges: true } } },
    rootUri: URI.file(dir).toString(),
  })) as { capabilities: { textDocumentSync: { change: number }; codeActionProvider: { codeActionKinds: string[] }; executeCommandProvider: { commands: string[] } } };
  expect(init.capabilities.textDocumentSync.change).toBe(2); // incremental
  expect(init.capabilities.codeActionProvider.codeActionKinds).toContain('source.fixAll.mapscope');
  expect(init.capabilities.executeCommandProvider.commands).toEqual([APPLY_HINT_COMMAND]);
  await client.notify('initialized', {});
});

afterAll(async () => {
  await client?.stop();
  // A crash or an uncaught error would otherwise vanish with the child.
  if (client && /uncaught|unhandled/.test(client.stderr)) console.error('server stderr:', client.stderr);
  rmSync(dir, { recursive: true, force: true });
});

describe('language server over stdio', () => {
  it('publishes a nil-map-write error at the right UTF-16 column, with its fix as a code action', async () => {
    await client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'go', version: 1, text: MAIN } });
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

    const actions = (await client.request('textDocument/codeAction', {
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
    const before = client.published.length;
    // Initialise the field before the write (line 8 is `\ts := ...`): the finding goes away.
    const fix = { range: { start: { line: 8, character: 1 }, end: { line: 8, character: 1 } }, text: 'c.items = map[string]int{}\n\t' };
    await client.notify('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [fix] });
    // Three more quick edits: type and delete characters at the end of a comment-free line.
    for (const [version, text, at] of [
      [3, 'x', 0],
      [4, '', 1],
      [5, ' ', 0],
    ] as const) {
      const pos = { line: 10, character: 0 };
      const range = at === 0 ? { start: pos, end: pos } : { start: pos, end: { line: 10, character: 1 } };
      await client.notify('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ range, text }] });
    }
    const last = await waitFor((x) => x.uri === uri && x.version === 5, before);
    expect(last.diagnostics).toEqual([]);
    const versions = client.published.slice(before).filter((x) => x.uri === uri).map((x) => x.version);
    // Debounced: the intermediate versions were superseded before analysis and never published.
    expect(versions).toEqual([5]);
  });

  it('applies configuration changes live', async () => {
    let before = client.published.length;
    // Reintroduce the bug: remove the initialising line again (version 6).
    await client.notify('textDocument/didChange', {
      textDocument: { uri, version: 6 },
      contentChanges: [{ range: { start: { line: 8, character: 1 }, end: { line: 9, character: 1 } }, text: '' }],
    });
    const again = await waitFor((x) => x.uri === uri && x.version === 6, before);
    expect(again.diagnostics.map((d) => d.code)).toEqual(['nil-map-write']);

    before = client.published.length;
    await client.notify('workspace/didChangeConfiguration', { settings: { mapscope: { rules: { 'nil-map-write': { severity: 'warning' } } } } });
    const downgraded = await waitFor((x) => x.uri === uri && x.diagnostics.length === 1 && x.diagnostics[0].severity === 2, before);
    expect(downgraded.diagnostics[0].code).toBe('nil-map-write');

    before = client.published.length;
    await client.notify('workspace/didChangeConfiguration', { settings: { mapscope: { rules: { 'nil-map-write': { enabled: false } } } } });
    const silenced = await waitFor((x) => x.uri === uri && x.diagnostics.length === 0, before);
    expect(silenced.diagnostics).toEqual([]);
  });

  it('clears diagnostics when the document closes', async () => {
    await client.notify('workspace/didChangeConfiguration', { settings: { mapscope: {} } });
    await waitFor((x) => x.uri === uri && x.diagnostics.length === 1, client.published.length);
    const before = client.published.length;
    await client.notify('textDocument/didClose', { textDocument: { uri } });
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
    await client.notify('textDocument/didOpen', { textDocument: { uri: fillUri, languageId: 'go', version: 1, text: FILL } });
    // Asked at once, before the debounced analysis: the server analyses version 1 now.
    const r = (await client.request(MAP_SITES_METHOD, { textDocument: { uri: fillUri } })) as MapSitesResult;
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
    const sites = (await client.request(MAP_SITES_METHOD, { textDocument: { uri: fillUri } })) as MapSitesResult;
    const key = layoutOf(parseGoType('int'));
    const value = layoutOf(parseGoType('int64'));
    // A position inside `map[int]int64{}`.
    const r = (await client.request(PREDICT_METHOD, { textDocument: { uri: fillUri }, position: { line: 16, character: 8 } })) as NonNullable<PredictResult>;
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
    const c = (await client.request(PREDICT_METHOD, {
      textDocument: { uri: fillUri }, position: { line: 7, character: 0 }, entries: 300, hint: 200, impl: 'classic',
    })) as NonNullable<PredictResult>;
    expect(c.site.name).toBe('byID');
    expect(c).toMatchObject({ impl: 'classic', entries: 300, entriesSource: 'given' });
    const L = (t: string) => layoutOf(parseGoType(t));
    const userLayout = layoutOf(parseGoType('struct{ID string; Name string}'));
    expect(c.asIs.totals.totalBytes).toBe(predict(L('string'), userLayout, { entries: 300, hint: 0, go: c.go, goexperiment: c.go.includes('noswissmap') ? 'noswissmap' : undefined }).totalBytes);
    expect(c.withHint.totals.totalBytes).toBe(predict(L('string'), userLayout, { entries: 300, hint: 200, impl: 'classic', go: c.go.split(' ')[0], goexperiment: c.go.includes('noswissmap') ? 'noswissmap' : undefined }).totalBytes);

    await expect(client.request(PREDICT_METHOD, { textDocument: { uri: fillUri }, position: { line: 0, character: 0 }, entries: -5 })).rejects.toThrow(/entries/);
  });

  it('mapscope.applyHint sends workspace/applyEdit with exactly the quick fix\'s edit', async () => {
    const sites = (await client.request(MAP_SITES_METHOD, { textDocument: { uri: fillUri } })) as MapSitesResult;
    const byID = sites.sites[0];
    const published = await waitFor((x) => x.uri === fillUri && x.version === sites.version);
    const d = published.diagnostics.find((x) => x.range.start.line === byID.range.start.line)!;
    const actions = (await client.request('textDocument/codeAction', {
      textDocument: { uri: fillUri }, range: d.range, context: { diagnostics: [d], only: ['quickfix'] },
    })) as { title: string; edit: { changes: Record<string, unknown[]> } }[];
    expect(actions).toHaveLength(1);

    // A stale version is refused without touching the editor.
    const before = client.applied.length;
    const stale = (await client.request('workspace/executeCommand', {
      command: APPLY_HINT_COMMAND, arguments: [{ uri: fillUri, version: sites.version + 7, siteId: byID.id }],
    })) as ApplyHintResult;
    expect(stale.applied).toBe(false);
    expect(stale.reason).toMatch(/changed/);
    expect(client.applied.length).toBe(before);

    const r = (await client.request('workspace/executeCommand', {
      command: APPLY_HINT_COMMAND, arguments: [{ uri: fillUri, version: sites.version, siteId: byID.id }],
    })) as ApplyHintResult;
    expect(r).toEqual({ applied: true });
    expect(client.applied.length).toBe(before + 1);
    const sent = client.applied[client.applied.length - 1];
    expect(sent.label).toBe(actions[0].title);
    expect(sent.edit.documentChanges).toEqual([{ textDocument: { uri: fillUri, version: sites.version }, edits: actions[0].edit.changes[fillUri] }]);

    // A site with no fix says so.
    const none = (await client.request('workspace/executeCommand', {
      command: APPLY_HINT_COMMAND, arguments: [{ uri: fillUri, version: sites.version, siteId: '1' }],
    })) as ApplyHintResult;
    expect(none).toMatchObject({ applied: false });
  });

  it('follows edits: a new version gets its own sites', async () => {
    // What the client does after applying the edit: the document changes to version 2.
    await client.notify('textDocument/didChange', {
      textDocument: { uri: fillUri, version: 2 },
      contentChanges: [{ range: { start: { line: 8, character: 38 }, end: { line: 8, character: 38 } }, text: ', len(users)' }],
    });
    const r = (await client.request(MAP_SITES_METHOD, { textDocument: { uri: fillUri } })) as MapSitesResult;
    expect(r.version).toBe(2);
    expect(r.sites[0]).toMatchObject({ hint: { text: 'len(users)' }, size: { source: 'symbolic', expr: 'len(users)' } });
    expect(r.sites[0].fix).toBeUndefined();
    const published = await waitFor((x) => x.uri === fillUri && x.version === 2);
    expect(published.diagnostics.map((d) => d.code)).toEqual(['map-without-hint']);
    await client.notify('textDocument/didClose', { textDocument: { uri: fillUri } });
    await expect(client.request(MAP_SITES_METHOD, { textDocument: { uri: fillUri } })).rejects.toThrow(/not an open document/);
  });
});

// source.fixAll.mapscope: every exact hint in the file at once, and nothing that is only an upper
// bound (keys that may repeat) or that a user suppressed.
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
    await client.notify('textDocument/didOpen', { textDocument: { uri: fixUri, languageId: 'go', version: 1, text: FIX_ALL } });
    const p = await waitFor((x) => x.uri === fixUri && x.version === 1);
    // squares, positions and index are reported; quiet is suppressed.
    expect(p.diagnostics.map((d) => [d.code, d.range.start.line])).toEqual([
      ['map-without-hint', 3],
      ['map-without-hint', 11],
      ['map-without-hint', 19],
    ]);
    const actions = (await client.request('textDocument/codeAction', {
      textDocument: { uri: fixUri },
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      context: { diagnostics: [], only: ['source.fixAll'] },
    })) as { title: string; kind: string; edit: { changes: Record<string, { range: { start: { line: number; character: number }; end: { line: number; character: number } }; newText: string }[]> } }[];
    expect(actions.map((a) => a.kind)).toEqual(['source.fixAll.mapscope']);
    const fixed = applyEdits(FIX_ALL, actions[0].edit.changes[fixUri]);
    expect(fixed).toBe(
      FIX_ALL.replace('sq := make(map[int]int)', 'sq := make(map[int]int, n)').replace('pos := map[int]string{}', 'pos := make(map[int]string, len(words))'),
    );
    // A quick-fix request does not get the source action.
    const quick = (await client.request('textDocument/codeAction', {
      textDocument: { uri: fixUri }, range: p.diagnostics[2].range, context: { diagnostics: [p.diagnostics[2]], only: ['quickfix'] },
    })) as { kind: string; isPreferred?: boolean; title: string }[];
    // The upper-bound hint is offered on its own, not preferred.
    expect(quick.map((a) => [a.kind, a.title, a.isPreferred ?? false])).toEqual([['quickfix', 'Add capacity hint len(words)', false]]);
    await client.notify('textDocument/didClose', { textDocument: { uri: fixUri } });
  });
});
