// The built language server (dist/server.js) spawned over stdio and driven with real protocol
// messages, as Neovim or Helix would drive it. Records what the server sends: diagnostics, other
// notifications (log lines, mapscope/status, warnings shown to people) and edits it asks to apply.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import { ROOT } from './core';

export interface LspRange {
  start: { line: number; character: number };
  end: { line: number; character: number };
}

export interface PublishedDiagnostics {
  uri: string;
  version?: number;
  diagnostics: { range: LspRange; code: string; source: string; message: string; severity: number; relatedInformation?: { location: { uri: string } }[] }[];
}

export interface AppliedEdit {
  label?: string;
  edit: { changes?: Record<string, unknown[]>; documentChanges?: { textDocument: { uri: string; version: number }; edits: unknown[] }[] };
}

export class LspSession {
  readonly published: PublishedDiagnostics[] = [];
  /** Every other notification the server sent, in order. */
  readonly notifications: { method: string; params: unknown }[] = [];
  /** `workspace/applyEdit` requests, answered with `applied: true`. */
  readonly appliedEdits: AppliedEdit[] = [];

  private constructor(
    readonly conn: MessageConnection,
    private readonly server: ChildProcessWithoutNullStreams,
  ) {}

  /** Spawns the server (in `cwd`, default this process's; with `env`, default this process's) and sends `initialize` (the result is returned) and `initialized`. */
  static async start(initialize: Record<string, unknown>, cwd?: string, env?: NodeJS.ProcessEnv): Promise<{ session: LspSession; init: { capabilities: Record<string, unknown>; serverInfo?: { name: string; version?: string } } }> {
    const server = spawn(process.execPath, [join(ROOT, 'dist', 'server.js'), '--stdio'], { stdio: 'pipe', ...(cwd ? { cwd } : {}), ...(env ? { env } : {}) });
    const conn = createMessageConnection(new StreamMessageReader(server.stdout), new StreamMessageWriter(server.stdin));
    const session = new LspSession(conn, server);
    conn.onNotification('textDocument/publishDiagnostics', (p: PublishedDiagnostics) => {
      session.published.push(p);
    });
    conn.onNotification((method: string, params: unknown) => {
      session.notifications.push({ method, params });
    });
    // vscode-jsonrpc routes $/progress apart from other notifications.
    conn.onUnhandledProgress((params) => {
      session.notifications.push({ method: '$/progress', params });
    });
    // A crash or an uncaught error would otherwise vanish with the child.
    server.stderr.on('data', (b: Buffer) => console.error('server stderr:', b.toString()));
    conn.onRequest('workspace/applyEdit', (p: AppliedEdit) => {
      session.appliedEdits.push(p);
      return { applied: true };
    });
    conn.onRequest('window/workDoneProgress/create', () => null);
    conn.onRequest('client/registerCapability', () => null);
    conn.listen();
    const init = (await conn.sendRequest('initialize', { processId: process.pid, capabilities: {}, ...initialize })) as Awaited<ReturnType<typeof LspSession.start>>['init'];
    await conn.sendNotification('initialized', {});
    return { session, init };
  }

  /** Resolves with the first publication (after index `after`) matching the predicate; polls, never sleeps blindly. */
  waitFor(pred: (p: PublishedDiagnostics) => boolean, after = 0, timeoutMs = 10_000): Promise<PublishedDiagnostics> {
    return poll(() => this.published.slice(after).find(pred), timeoutMs, () => `no matching diagnostics in ${timeoutMs} ms; got ${JSON.stringify(this.published.slice(after))}`);
  }

  /** The first notification of `method` (after index `after`) whose params match. */
  waitForNotification<T>(method: string, pred: (p: T) => boolean = () => true, after = 0, timeoutMs = 10_000): Promise<T> {
    return poll(
      () => this.notifications.slice(after).find((n) => n.method === method && pred(n.params as T))?.params as T | undefined,
      timeoutMs,
      () => `no ${method} in ${timeoutMs} ms; got ${JSON.stringify(this.notifications.slice(after).filter((n) => n.method === method))}`,
    );
  }

  /** The messages of the `window/logMessage` notifications so far. */
  get logLines(): string[] {
    return this.notifications.filter((n) => n.method === 'window/logMessage').map((n) => (n.params as { message: string }).message);
  }

  async close(): Promise<void> {
    await this.conn.sendRequest('shutdown');
    await this.conn.sendNotification('exit');
    this.conn.dispose();
    await new Promise<void>((resolve) => {
      if (this.server.exitCode !== null) return resolve();
      const t = setTimeout(() => {
        this.server.kill();
        resolve();
      }, 5000);
      this.server.on('exit', () => {
        clearTimeout(t);
        resolve();
      });
    });
  }
}

function poll<T>(probe: () => T | undefined, timeoutMs: number, failure: () => string): Promise<T> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const tick = () => {
      const hit = probe();
      if (hit !== undefined) return resolve(hit);
      if (Date.now() - started > timeoutMs) return reject(new Error(failure()));
      setTimeout(tick, 10);
    };
    tick();
  });
}
