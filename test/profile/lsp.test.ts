// The profile requests over stdio, as any LSP client sends them: mapscope/loadProfile,
// mapscope/profile, the mapscope/profileChanged notification, the watched `mapscope.profile`
// setting, and map-without-hint findings on hot sites saying so and rising to a warning.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { copyFileSync, cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import { URI } from 'vscode-uri';
import { LOAD_PROFILE_METHOD, PROFILE_CHANGED_NOTIFICATION, PROFILE_METHOD, type LoadProfileResult, type ProfileResult } from '../../common/protocol';
import { removeDir, tempDir } from '../helpers/cli';
import { ROOT } from '../helpers/core';
import { DATA, PROGRAM, SIZES } from './expect';

interface Diagnostic { range: { start: { line: number; character: number } }; code: string; severity: number; message: string }
interface Published { uri: string; version?: number; diagnostics: Diagnostic[] }

const dir = tempDir('mapscope-lsp-profile-');
const main = join(dir, 'main.go');
const uri = URI.file(main).toString();
const text = () => readFileSync(main, 'utf8');
let server: ChildProcessWithoutNullStreams;
let conn: MessageConnection;
const published: Published[] = [];
let changes = 0;

async function poll<T>(what: string, probe: () => T | undefined, timeoutMs = 10_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The index site's map-without-hint diagnostic in a publication after `after`, matching `pred`. */
const indexFinding = (after: number, pred: (d: Diagnostic) => boolean) => poll('the index finding', () => {
  for (const p of published.slice(after).reverse()) {
    if (p.uri !== uri) continue;
    const d = p.diagnostics.find((x) => x.code === 'map-without-hint' && x.range.start.line === indexLine - 1);
    if (d && pred(d)) return d;
  }
  return undefined;
});
let indexLine = 0;

beforeAll(async () => {
  cpSync(PROGRAM, dir, { recursive: true });
  indexLine = text().split('\n').findIndex((l) => l.includes('index := make(map[int64]int64)')) + 1;
  server = spawn(process.execPath, [join(ROOT, 'dist', 'server.js'), '--stdio'], { stdio: 'pipe' });
  conn = createMessageConnection(new StreamMessageReader(server.stdout), new StreamMessageWriter(server.stdin));
  conn.onNotification('textDocument/publishDiagnostics', (p: Published) => void published.push(p));
  conn.onNotification(PROFILE_CHANGED_NOTIFICATION, () => void changes++);
  server.stderr.on('data', (b: Buffer) => console.error('server stderr:', b.toString()));
  conn.listen();
  await conn.sendRequest('initialize', {
    processId: process.pid,
    rootUri: URI.file(dir).toString(),
    capabilities: {},
    initializationOptions: { trusted: false, settings: { goVersion: '1.26' } },
  });
  await conn.sendNotification('initialized', {});
  await conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'go', version: 1, text: text() } });
});

afterAll(async () => {
  await conn.sendRequest('shutdown');
  await conn.sendNotification('exit');
  conn.dispose();
  await new Promise<void>((resolve) => (server.exitCode !== null ? resolve() : server.on('exit', () => resolve())));
  removeDir(dir);
});

it('without a profile: the finding is information, and mapscope/profile answers null', async () => {
  const d = await indexFinding(0, () => true);
  expect(d.severity).toBe(3);
  expect(d.message).not.toMatch(/profile/);
  expect(await conn.sendRequest(PROFILE_METHOD, { textDocument: { uri } })).toBeNull();
});

it('mapscope/loadProfile: the hot site ranks first, its finding says so and rises to a warning', async () => {
  const before = published.length;
  const seen = changes;
  const r = (await conn.sendRequest(LOAD_PROFILE_METHOD, { paths: [join(DATA, 'heap-go1.26.pb.gz'), join(DATA, 'cpu-go1.26.pb.gz')] })) as LoadProfileResult;
  expect(r.errors).toEqual([]);
  expect(r.profiles.map((p) => p.kind)).toEqual(['heap', 'cpu']);
  expect(r.top).toMatchObject({ name: 'index', uri, hot: true });
  expect(r.hot).toBeGreaterThanOrEqual(2);
  await poll('mapscope/profileChanged', () => (changes > seen ? true : undefined));
  const d = await indexFinding(before, (x) => x.severity === 2);
  expect(d.message).toMatch(/Hot in the loaded profile: growth 1\.2 MB \(\d+%\), [\d.]+ ms CPU in growth; [\d,]+–[\d,]+ entries; a hint of n \(about [\d,]+\) allocates/);

  const p = (await conn.sendRequest(PROFILE_METHOD, { textDocument: { uri } })) as NonNullable<ProfileResult>;
  expect(p.paths).toHaveLength(2);
  expect(p.impl).toBe('swiss');
  const index = p.sites.find((s) => s.name === 'index')!;
  expect(index.range.start).toEqual(d.range.start);
  expect(index.inferred!.min).toBeLessThanOrEqual(SIZES.index);
  expect(index.inferred!.max).toBeGreaterThanOrEqual(SIZES.index);
  expect(p.sites.every((s) => s.uri === uri)).toBe(true);
  expect(p.ambiguous.map((a) => a.uri)).toContain(uri);
});

it('a file that is not a profile is refused in one line; the good ones load', async () => {
  const r = (await conn.sendRequest(LOAD_PROFILE_METHOD, { paths: [main, join(DATA, 'heap-go1.26.pb.gz')] })) as LoadProfileResult;
  expect(r.errors).toEqual([{ path: main, message: expect.stringMatching(/^not a pprof profile/) }]);
  expect(r.profiles).toHaveLength(1);
});

it('the mapscope.profile setting loads a file and follows it when it is rewritten', async () => {
  await conn.sendRequest(LOAD_PROFILE_METHOD, { paths: [] });
  expect(await conn.sendRequest(PROFILE_METHOD, {})).toBeNull();
  const profile = join(dir, 'profile.pb.gz');
  copyFileSync(join(DATA, 'heap-go1.26.pb.gz'), profile);
  const seen = changes;
  await conn.sendNotification('workspace/didChangeConfiguration', { settings: { mapscope: { goVersion: '1.26', profile: 'profile.pb.gz' } } });
  await poll('the setting\'s profile', () => (changes > seen ? true : undefined));
  const heap = (await conn.sendRequest(PROFILE_METHOD, {})) as NonNullable<ProfileResult>;
  expect(heap.paths).toEqual([profile]);
  expect(heap.profiles.map((p) => p.kind)).toEqual(['heap']);
  // Rewritten with a CPU profile: watched, read again, attributed again.
  const rewritten = changes;
  copyFileSync(join(DATA, 'cpu-go1.26.pb.gz'), profile);
  await poll('the rewritten profile to be read', () => (changes > rewritten ? true : undefined), 15_000);
  const cpu = (await conn.sendRequest(PROFILE_METHOD, {})) as NonNullable<ProfileResult>;
  expect(cpu.profiles.map((p) => p.kind)).toEqual(['cpu']);
  expect(cpu.sites.find((s) => s.name === 'index')!.cpu!.growthNanos).toBeGreaterThan(0);
});

it('mapscope.profileHotSeverity "unchanged" keeps the severity, the message still says so', async () => {
  const before = published.length;
  await conn.sendNotification('workspace/didChangeConfiguration', { settings: { mapscope: { goVersion: '1.26', profile: 'profile.pb.gz', profileHotSeverity: 'unchanged' } } });
  const d = await indexFinding(before, (x) => x.severity === 3 && /Hot in the loaded profile/.test(x.message));
  expect(d.message).toMatch(/CPU in growth/);
});

it('mapscope.profileHotShare: at 100% nothing is hot, and the finding is the rule\'s alone again', async () => {
  const before = published.length;
  await conn.sendNotification('workspace/didChangeConfiguration', { settings: { mapscope: { goVersion: '1.26', profile: 'profile.pb.gz', profileHotShare: 100 } } });
  const d = await indexFinding(before, (x) => !/Hot in the loaded profile/.test(x.message));
  expect(d.severity).toBe(3);
  const p = (await conn.sendRequest(PROFILE_METHOD, {})) as NonNullable<ProfileResult>;
  expect(p.sites.some((s) => s.hot)).toBe(false);
});
