// The built language server (dist/server.js) spawned over stdio and driven with real protocol
// messages, as Neovim or Helix drive it. Records what the server sends: diagnostics, every other
// notification (log lines, mapscope/status, warnings shown to people, progress) and the edits it
// asks to apply. Waits poll with a bound; nothing sleeps blindly.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import { ROOT } from './core';

export interface Pos {
  line: number;
  character: number;
}

export interface Range {
  start: Pos;
  end: Pos;
}

export interface PublishedDiagnostic {
  range: Range;
  code?: string;
  source: string;
  message: string;
  severity: number;
  relatedInformation?: { location: { uri: string; range: Range }; message: string }[];
}

export interface Published {
  uri: string;
  version?: number;
  diagnostics: PublishedDiagnostic[];
}

export interface StartOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  rootUri?: string | null;
  workspaceFolders?: { uri: string; name: string }[];
  initializationOptions?: unknown;
  capabilities?: Record<string, unknown>;
  /** Answers the server's workspace/configuration requests (default: `[{}]`). */
  configuration?: (params: unknown) => unknown;
  /** Send initialize and initialized (default true). */
  initialize?: boolean;
  /**
   * The initialize request's parameters as they are (over `processId` and empty `capabilities`),
   * instead of the ones the options above build.
   */
  initializeParams?: Record<string, unknown>;
}

export interface InitializeResult {
  capabilities: Record<string, unknown>;
  serverInfo?: { name: string; version?: string };
}

export interface AppliedEdit {
  label?: string;
  edit: { changes?: Record<string, unknown[]>; documentChanges?: { textDocument: { uri: string; version: number }; edits: unknown[] }[] };
}

export class LspClient {
  readonly published: Published[] = [];
  /** window/logMessage texts: the server's log. */
  readonly logs: string[] = [];
  /** Every notification but diagnostics, in order (log lines too). */
  readonly notifications: { method: string; params: unknown }[] = [];
  /** The server's answer to initialize. */
  init?: InitializeResult;
  /** workspace/applyEdit requests the server sent, answered with `applied: true`. */
  readonly applied: AppliedEdit[] = [];
  stderr = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  private constructor(
    readonly process: ChildProcessWithoutNullStreams,
    readonly conn: MessageConnection,
  ) {
    this.exited = new Promise((resolve) => process.on('exit', (code, signal) => resolve({ code, signal })));
  }

  static async start(o: StartOptions = {}): Promise<LspClient> {
    // MAPSCOPE_TEST_SERVER runs the tests against another build (to see a test fail on the old code).
    const script = process.env.MAPSCOPE_TEST_SERVER ?? join(ROOT, 'dist', 'server.js');
    const child = spawn(process.execPath, [script, '--stdio'], { stdio: 'pipe', cwd: o.cwd, env: o.env ?? process.env });
    const conn = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
    const client = new LspClient(child, conn);
    child.stderr.on('data', (b: Buffer) => {
      client.stderr += b.toString();
    });
    conn.onNotification('textDocument/publishDiagnostics', (p: Published) => {
      client.published.push(p);
    });
    conn.onRequest('workspace/configuration', (p: unknown) => (o.configuration ? o.configuration(p) : [{}]));
    conn.onRequest('client/registerCapability', () => null);
    conn.onRequest('workspace/applyEdit', (p: AppliedEdit) => {
      client.applied.push(p);
      return { applied: true };
    });
    conn.onNotification('window/logMessage', (p: { message: string }) => {
      client.logs.push(p.message);
      client.notifications.push({ method: 'window/logMessage', params: p });
    });
    conn.onNotification((method: string, params: unknown) => {
      client.notifications.push({ method, params });
    });
    // vscode-jsonrpc routes $/progress apart from other notifications.
    conn.onUnhandledProgress((params) => {
      client.notifications.push({ method: '$/progress', params });
    });
    conn.onRequest('window/workDoneProgress/create', () => null);
    // A write to a server that died must not throw in the test process.
    conn.onError(() => undefined);
    child.stdin.on('error', () => undefined);
    conn.listen();
    if (o.initialize !== false) {
      await client.initialize(o);
      await conn.sendNotification('initialized', {});
    }
    return client;
  }

  async initialize(o: StartOptions = {}): Promise<InitializeResult> {
    const params = o.initializeParams
      ? { processId: process.pid, capabilities: {}, ...o.initializeParams }
      : {
          processId: process.pid,
          rootUri: o.rootUri ?? null,
          ...(o.workspaceFolders ? { workspaceFolders: o.workspaceFolders } : {}),
          capabilities: o.capabilities ?? {},
          initializationOptions: o.initializationOptions ?? { trusted: false, settings: { goVersion: '1.26' } },
        };
    this.init = await this.conn.sendRequest<InitializeResult>('initialize', params);
    return this.init;
  }

  notify(method: string, params: unknown): Promise<void> {
    return this.conn.sendNotification(method, params);
  }

  /** A request that must be answered within `timeoutMs`; rejects with the server's error. */
  request<T>(method: string, params: unknown, timeoutMs = 20_000): Promise<T> {
    return withTimeout(this.conn.sendRequest<T>(method, params), timeoutMs, `${method} not answered in ${timeoutMs} ms`);
  }

  open(uri: string, text: string, version = 1): Promise<void> {
    return this.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'go', version, text } });
  }

  /** The first publication (from index `after` on) matching the predicate. */
  waitFor(pred: (p: Published) => boolean, after = 0, timeoutMs = 20_000): Promise<Published> {
    return poll(() => this.published.slice(after).find(pred), timeoutMs, () => `no matching diagnostics in ${timeoutMs} ms; got ${JSON.stringify(this.published.slice(after)).slice(0, 2000)}\nstderr: ${this.stderr.slice(-2000)}\nlog: ${this.logs.join('\n').slice(-3000)}`);
  }

  /** The first notification of `method` (from index `after` on) whose params match. */
  waitForNotification<T>(method: string, pred: (p: T) => boolean = () => true, after = 0, timeoutMs = 20_000): Promise<T> {
    return poll(
      () => this.notifications.slice(after).find((n) => n.method === method && pred(n.params as T))?.params as T | undefined,
      timeoutMs,
      () => `no ${method} in ${timeoutMs} ms; got ${JSON.stringify(this.notifications.slice(after).filter((n) => n.method === method)).slice(0, 2000)}`,
    );
  }

  /** The newest publication for a document. */
  last(uri: string): Published | undefined {
    for (let i = this.published.length - 1; i >= 0; i--) if (this.published[i].uri === uri) return this.published[i];
    return undefined;
  }

  async stop(): Promise<void> {
    if (this.process.exitCode === null && this.process.signalCode === null) {
      try {
        await this.request('shutdown', null, 10_000);
        await this.notify('exit', null);
      } catch {
        // Already gone or not answering: kill below.
      }
    }
    const t = setTimeout(() => this.process.kill('SIGKILL'), 5000);
    await this.exited;
    clearTimeout(t);
    this.conn.dispose();
  }
}

/** Resolves with the first truthy value of `get`, polled every 10 ms, or rejects after `timeoutMs`. */
export function poll<T>(get: () => T | undefined, timeoutMs: number, what: () => string): Promise<T> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const tick = () => {
      const v = get();
      if (v) return resolve(v);
      if (Date.now() - started > timeoutMs) return reject(new Error(what()));
      setTimeout(tick, 10);
    };
    tick();
  });
}

export function withTimeout<T>(p: Promise<T>, ms: number, message: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(message)), ms);
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(t);
        reject(e);
      },
    );
  });
}

/**
 * For a test file that starts a server in each test: `start` and `tempDir` remember what they
 * made, and after each test the servers are stopped and the directories removed, whether the
 * test passed or not.
 */
export function serverPerTest(): { start(o?: StartOptions): Promise<LspClient>; tempDir(prefix: string): string } {
  const clients: LspClient[] = [];
  const dirs: string[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) await c.stop();
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  return {
    async start(o) {
      const c = await LspClient.start(o);
      clients.push(c);
      return c;
    },
    tempDir(prefix) {
      const d = mkdtempSync(join(tmpdir(), prefix));
      dirs.push(d);
      return d;
    },
  };
}
