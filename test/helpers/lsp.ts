// The built language server (dist/server.js) spawned over stdio, as Neovim or Helix run it, with a
// JSON-RPC connection to drive it and a bounded wait for its notifications (polling, never a
// blind sleep).
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import { ROOT } from './core';

export interface SpawnedServer {
  server: ChildProcessWithoutNullStreams;
  conn: MessageConnection;
  /** Every notification received, by method, in order. */
  notifications: Map<string, unknown[]>;
  /** Resolves with the first notification of `method` (from index `after` on) that matches. */
  waitFor<T>(method: string, pred: (p: T) => boolean, after?: number, timeoutMs?: number): Promise<T>;
  /** shutdown, exit, and wait for the process (killed after 5 s). */
  stop(): Promise<void>;
}

/** Starts the server; the caller registers handlers on `conn`, then sends `initialize`. */
export function spawnServer(methods: string[], env: NodeJS.ProcessEnv = process.env): SpawnedServer {
  const server = spawn(process.execPath, [join(ROOT, 'dist', 'server.js'), '--stdio'], { stdio: 'pipe', env });
  const conn = createMessageConnection(new StreamMessageReader(server.stdout), new StreamMessageWriter(server.stdin));
  const notifications = new Map<string, unknown[]>(methods.map((m) => [m, []]));
  for (const m of methods) {
    conn.onNotification(m, (p: unknown) => {
      notifications.get(m)!.push(p);
    });
  }
  // A crash or an uncaught error would otherwise vanish with the child.
  server.stderr.on('data', (b: Buffer) => console.error('server stderr:', b.toString()));
  return {
    server, conn, notifications,
    waitFor<T>(method: string, pred: (p: T) => boolean, after = 0, timeoutMs = 10_000): Promise<T> {
      return new Promise((resolve, reject) => {
        const started = Date.now();
        const tick = () => {
          const hit = (notifications.get(method) as T[]).slice(after).find(pred);
          if (hit) return resolve(hit);
          if (Date.now() - started > timeoutMs) {
            return reject(new Error(`no matching ${method} in ${timeoutMs} ms; got ${JSON.stringify(notifications.get(method)!.slice(after))}`));
          }
          setTimeout(tick, 10);
        };
        tick();
      });
    },
    async stop() {
      await conn.sendRequest('shutdown');
      await conn.sendNotification('exit');
      conn.dispose();
      await new Promise<void>((resolve) => {
        if (server.exitCode !== null) return resolve();
        const t = setTimeout(() => {
          server.kill();
          resolve();
        }, 5000);
        server.on('exit', () => {
          clearTimeout(t);
          resolve();
        });
      });
    },
  };
}
