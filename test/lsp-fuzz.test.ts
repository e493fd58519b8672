// A seeded fuzz of the built server over stdio (issue 18). A fast, careless client: random
// incremental edits (multi-byte text, surrogate pairs, CRLF, edits at the very end), full
// replaces, stale versions, opens and closes, malformed JSON-RPC, unknown methods, and between
// them code actions, map sites and predictions with extreme values, some cancelled. It checks:
//  - every request is answered (a result or an error) within ANSWER_BOUND_MS;
//  - every published diagnostic lies inside the text of the version it was published for;
//  - after a final full replace of each document, its diagnostics equal the CLI's on that text.
// MAPSCOPE_FUZZ_SEED replays a run; MAPSCOPE_FUZZ_MS sets how long it fuzzes (CI: 30 s, about a
// minute with the checks after it; for a long local run, MAPSCOPE_FUZZ_MS=600000). It prints its
// figures: edits, requests, the slowest answer and the server's peak RSS.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { CancellationTokenSource } from 'vscode-jsonrpc/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import { MAP_SITES_METHOD, PREDICT_METHOD, type MapSitesResult } from '../common/protocol';
import { LineIndex } from '../server/src/core/parse/positions';
import { runCli } from './helpers/cli';
import { ROOT } from './helpers/core';
import { FIXTURES } from './helpers/fixtures';
import { LspClient, type PublishedDiagnostic, type Range } from './helpers/lsp-client';
import { rng } from './helpers/random';

const SEED = Number(process.env.MAPSCOPE_FUZZ_SEED ?? 18);
const FUZZ_MS = Number(process.env.MAPSCOPE_FUZZ_MS ?? 30_000);
/** Every request must be answered within this. A classic prediction of 50 million entries, the slowest thing a request can ask for, takes about 10 s alone on this VM. */
const ANSWER_BOUND_MS = 30_000;
const DOCS = 4;

const random = rng(SEED);
const int = (n: number) => Math.floor(random() * n);
const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)];
const chance = (p: number) => random() < p;

/** Go sources to start from: the rule fixtures and the examples. */
function corpus(): string[] {
  const out: string[] = [];
  for (const rule of readdirSync(FIXTURES, { withFileTypes: true })) {
    if (!rule.isDirectory()) continue;
    for (const f of readdirSync(join(FIXTURES, rule.name))) if (f.endsWith('.go')) out.push(readFileSync(join(FIXTURES, rule.name, f), 'utf8'));
  }
  for (const d of readdirSync(join(ROOT, 'examples'), { withFileTypes: true })) {
    if (d.isDirectory()) for (const f of readdirSync(join(ROOT, 'examples', d.name))) if (f.endsWith('.go')) out.push(readFileSync(join(ROOT, 'examples', d.name, f), 'utf8'));
  }
  return out;
}

/** What a typist (or a paste) inserts: Go fragments, multi-byte text, surrogate pairs, line breaks. */
const SNIPPETS = [
  'x', ' ', '\n', '\r\n', '\t', '{', '}', '(', ')', '[', ']', '"', '`', '/*', '*/', '//', ':=', '=', ',', '.',
  'm[k] = v', 'var m map[string]int\n', 'm := make(map[int]int)\n', 'for i := 0; i < 1000; i++ {\n\tm[i] = i\n}\n',
  'go func() { m[1] = 2 }()\n', 'func f() {\n', 'return\n', '日本', '😀', 'é', '\u{10348}', '"😀日本"', '// 😀\n', 'ß', '\u200b',
  'make(map[int]int, 1<<40)', 'make(map[int]int, 34359738368)', 'make(map[int]int, 1e15)', 'type T struct{ m map[int]int }\n',
];

/** An offset of `text` that is neither inside a surrogate pair nor between \r and \n (a careful editor's caret). */
function caret(text: string, at: number): number {
  let o = Math.max(0, Math.min(text.length, at));
  while (o > 0 && o < text.length && ((text.charCodeAt(o) & 0xfc00) === 0xdc00 || (text[o - 1] === '\r' && text[o] === '\n'))) o--;
  return o;
}

interface Doc {
  uri: string;
  text: TextDocument;
  version: number;
}

let dir: string;
let client: LspClient;
afterAll(async () => {
  await client?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

it(`survives ${FUZZ_MS} ms of seeded protocol fuzz (seed ${SEED})`, async () => {
  dir = mkdtempSync(join(tmpdir(), 'mapscope-fuzz-'));
  const sources = corpus();
  client = await LspClient.start({ capabilities: { workspace: { configuration: true } }, configuration: () => [{ goVersion: '1.26' }] });
  const docs = new Map<string, Doc>();
  /** Every text sent under a version, by document: a publication must fit one of them. */
  const sent = new Map<string, Map<number, TextDocument[]>>();
  const remember = (d: Doc) => {
    let byVersion = sent.get(d.uri);
    if (!byVersion) sent.set(d.uri, (byVersion = new Map()));
    const list = byVersion.get(d.version) ?? [];
    list.push(d.text);
    byVersion.set(d.version, list);
  };
  let edits = 0;
  let requests = 0;
  let slowest = 0;
  const outstanding = new Set<Promise<unknown>>();
  const failures: string[] = [];

  const open = (uri: string) => {
    const d: Doc = { uri, text: TextDocument.create(uri, 'go', 1, pick(sources)), version: 1 };
    docs.set(uri, d);
    remember(d);
    void client.open(uri, d.text.getText(), 1);
  };
  const uris = Array.from({ length: DOCS }, (_, i) => URI.file(join(dir, `f${i}.go`)).toString());
  for (const u of uris) open(u);

  /** Sends a request, records how long its answer takes; never rejects. */
  const request = (method: string, params: unknown, cancel?: CancellationTokenSource): Promise<unknown> => {
    requests++;
    const started = Date.now();
    const p = (cancel ? client.conn.sendRequest(method, params, cancel.token) : client.conn.sendRequest(method, params)).then(
      (v) => v,
      (e: unknown) => e,
    );
    const timed = p.then((v) => {
      const ms = Date.now() - started;
      slowest = Math.max(slowest, ms);
      if (ms > ANSWER_BOUND_MS) failures.push(`${method} answered after ${ms} ms`);
      return v;
    });
    const bounded = Promise.race([timed, new Promise((resolve) => setTimeout(() => resolve('timeout'), ANSWER_BOUND_MS + 5000).unref())]).then((v) => {
      if (v === 'timeout') failures.push(`${method} ${JSON.stringify(params).slice(0, 200)} not answered in ${ANSWER_BOUND_MS + 5000} ms`);
      outstanding.delete(bounded);
      return v;
    });
    outstanding.add(bounded);
    return bounded;
  };

  const edit = (d: Doc) => {
    const text = d.text.getText();
    const changes: { range?: Range; text: string }[] = [];
    const n = chance(0.1) ? 2 + int(3) : 1;
    // TextDocument.update changes the document it is given: work on a copy of the text sent before.
    let model = TextDocument.create(d.uri, 'go', d.version, text);
    for (let i = 0; i < n; i++) {
      const t = model.getText();
      if (chance(0.02)) {
        changes.push({ text: chance(0.5) ? pick(sources) : t });
        model = TextDocument.update(model, [changes[changes.length - 1]], d.version + 1);
        continue;
      }
      // At the very end a fifth of the time; deletions up to a line or two.
      const start = caret(t, chance(0.2) ? t.length : int(t.length + 1));
      const end = chance(0.5) ? start : caret(t, start + int(chance(0.9) ? 8 : 200));
      const insert = chance(0.3) ? '' : Array.from({ length: 1 + int(3) }, () => pick(SNIPPETS)).join('');
      const range = { start: model.positionAt(start), end: model.positionAt(Math.max(start, end)) };
      changes.push({ range, text: insert });
      model = TextDocument.update(model, [{ range, text: insert }], d.version + 1);
    }
    // A stale version now and then: repeated or lower. The text still changes.
    const version = chance(0.03) ? Math.max(0, d.version - int(3)) : d.version + 1;
    d.text = TextDocument.create(d.uri, 'go', version, model.getText());
    d.version = Math.max(d.version, version);
    remember({ ...d, version });
    edits++;
    void client.notify('textDocument/didChange', { textDocument: { uri: d.uri, version }, contentChanges: changes });
  };

  /** Garbage on stdin between two whole frames: the writer is idle once a notification is written. */
  const garbage = async () => {
    await client.notify('$/mapscope/fuzz', {});
    client.process.stdin.write(
      pick([
        'X',
        '\r\n',
        'Content-Type: text/plain\r\n\r\n',
        'Content-Length: 5\r\n\r\n{{{{{',
        'Content-Length: 5\r\n\r\n[1,2]',
        `Content-Length: 33\r\n\r\n{"jsonrpc":"2.0","method":123}   `,
      ]),
    );
  };

  const extreme = () => pick<unknown>([0, 1, 8, 9, 1000, 1e6, -1, 1.5, 1e20, 'many', null, undefined, 2 ** 35]);

  const deadline = Date.now() + FUZZ_MS;
  let heavy = 0;
  while (Date.now() < deadline) {
    const d = docs.get(pick(uris));
    const r = random();
    if (!d) {
      open(pick(uris.filter((u) => !docs.has(u))));
    } else if (r < 0.6) {
      edit(d);
    } else if (r < 0.63) {
      docs.delete(d.uri);
      void client.notify('textDocument/didClose', { textDocument: { uri: d.uri } });
    } else if (r < 0.66) {
      await garbage();
    } else if (r < 0.68) {
      void client.notify('textDocument/didChange', { textDocument: { uri: d.uri, version: d.version }, contentChanges: [{ range: { start: { line: -1, character: 0 }, end: { line: 0, character: 0 } }, text: 'x' }] });
      void request(pick(['mapscope/unknown', 'textDocument/hover', 'workspace/symbol']), {});
    } else if (r < 0.8) {
      const last = client.last(d.uri);
      const diagnostics = last && chance(0.8) ? last.diagnostics.slice(0, 1 + int(3)) : [];
      void request('textDocument/codeAction', chance(0.1) ? { textDocument: { uri: d.uri }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } } : { textDocument: { uri: d.uri }, range: diagnostics[0]?.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, context: { diagnostics } });
    } else if (r < 0.88) {
      void request(MAP_SITES_METHOD, { textDocument: { uri: d.uri } }).then((res) => {
        const m = res as MapSitesResult;
        if (!m || !Array.isArray(m.sites)) return;
        for (const s of m.sites) checkInside(`mapSites ${d.uri} v${m.version}`, m.uri, m.version, [s.range]);
      });
    } else {
      const big = heavy === 0 && chance(0.05);
      const params = {
        textDocument: { uri: d.uri },
        position: { line: int(d.text.lineCount + 2), character: int(80) },
        entries: big ? 50_000_000 : extreme(),
        hint: chance(0.3) ? extreme() : undefined,
        impl: pick([undefined, 'classic', 'swiss', 'hashmap']),
      };
      const cancel = new CancellationTokenSource();
      if (big) heavy++;
      void request(PREDICT_METHOD, params, cancel).finally(() => {
        if (big) heavy--;
      });
      if (big || chance(0.2)) setTimeout(() => cancel.cancel(), int(big ? 2000 : 50)).unref();
    }
    // Keep a bounded backlog, and type in bursts.
    while (outstanding.size >= 8) await Promise.race(outstanding);
    if (chance(0.1)) await new Promise((resolve) => setTimeout(resolve, int(40)));
  }
  await Promise.all(outstanding);

  function checkInside(what: string, uri: string, version: number | undefined, ranges: Range[]) {
    const texts = version === undefined ? undefined : sent.get(uri)?.get(version);
    if (!texts) {
      failures.push(`${what}: version ${version} was never sent`);
      return;
    }
    const fits = (t: TextDocument, r: Range) => {
      const inside = (p: { line: number; character: number }) => p.line >= 0 && p.line < t.lineCount && p.character >= 0 && t.offsetAt(p) === t.offsetAt({ line: p.line, character: 0 }) + p.character;
      return inside(r.start) && inside(r.end) && t.offsetAt(r.start) <= t.offsetAt(r.end);
    };
    if (!texts.some((t) => ranges.every((r) => fits(t, r)))) failures.push(`${what}: a range outside the document: ${JSON.stringify(ranges).slice(0, 300)}`);
  }
  for (const p of client.published) {
    if (p.diagnostics.length === 0) continue;
    const ranges = p.diagnostics.flatMap((x: PublishedDiagnostic) => [x.range, ...(x.relatedInformation ?? []).filter((ri) => ri.location.uri === p.uri).map((ri) => ri.location.range)]);
    checkInside(`diagnostics of ${p.uri} v${p.version}`, p.uri, p.version, ranges);
  }

  // The final full replace: each open document's diagnostics against the CLI's on the same text.
  const final = [...docs.values()];
  // Versions repeat across a document's reopenings: only what is published from now on counts.
  const before = client.published.length;
  for (const d of final) {
    d.version += 1;
    void client.notify('textDocument/didChange', { textDocument: { uri: d.uri, version: d.version }, contentChanges: [{ text: d.text.getText() }] });
  }
  for (const [i, d] of final.entries()) {
    const p = await client.waitFor((x) => x.uri === d.uri && x.version === d.version, before, 60_000);
    const text = d.text.getText();
    const one = join(dir, `cli${i}`);
    mkdirSync(one);
    writeFileSync(join(one, 'f.go'), text);
    const cli = await runCli(['check', '--format', 'json', '--go', '1.26', 'f.go'], { cwd: one });
    const lines = new LineIndex(text);
    const at = (line: number, column: number) => lines.lspPosition(lines.lineStartByte(line - 1) + column - 1);
    const expected = (JSON.parse(cli.stdout) as { findings: { line: number; column: number; endLine: number; endColumn: number; rule: string; message: string }[] }).findings.map((f) => ({
      range: { start: at(f.line, f.column), end: at(f.endLine, f.endColumn) },
      code: f.rule,
      message: f.message,
    }));
    expect(p.diagnostics.map((x) => ({ range: x.range, code: x.code, message: x.message })), `document ${d.uri} (seed ${SEED}), text ${JSON.stringify(text)}`).toEqual(expected);
  }

  const status = readFileSync(`/proc/${client.process.pid}/status`, 'utf8');
  const peakKb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
  console.log(`lsp fuzz (seed ${SEED}, ${FUZZ_MS} ms): ${edits} edits, ${requests} requests, slowest answer ${slowest} ms, server peak RSS ${(peakKb / 1024).toFixed(0)} MB`);
  expect(failures, `seed ${SEED}`).toEqual([]);
  expect(client.process.exitCode).toBeNull();
}, FUZZ_MS + 240_000);
