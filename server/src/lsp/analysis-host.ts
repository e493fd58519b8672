// The main thread's handle on the analysis worker (analysis-worker.ts): document events and calls
// go out in order; answers come back by id. When the worker dies (a wasm abort, an out-of-memory
// kill, a bug) every call in flight fails, a fresh worker starts, and the server reopens its
// documents in it (onRestart). A worker that keeps dying is given up on: the server exits and
// says why, so that the client restarts it rather than talk to a server that cannot analyse.
import { Worker } from 'node:worker_threads';
import type { WasmPaths } from '../core/parse/parser';
import type { Answers, Call, DocEvent, MainMessage, WorkerMessage } from './analysis-protocol';

export interface HostEvents {
  /** The worker stopped and a new one started: the events that reopen the documents (`uri`: the document it stopped on, when known). */
  onRestart(reason: string, uri: string | undefined): DocEvent[];
  /** The worker stopped too often to go on. */
  onGiveUp(reason: string): void;
  /** The loaded profiles or their attribution changed. */
  onProfileChanged(): void;
  /** Open documents whose imported packages changed. */
  onDependentsChanged(uris: string[]): void;
  log(message: string, level?: 'error' | 'warning' | 'info'): void;
}

/** A call failed because the worker stopped while it was pending. */
export class WorkerStopped extends Error {}

/** More restarts than this within CRASH_WINDOW_MS: give up. */
const MAX_CRASHES = 5;
const CRASH_WINDOW_MS = 3 * 60_000;

interface Pending {
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
  uri: string;
}

export class AnalysisHost {
  private worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private readonly crashes: number[] = [];
  private disposed = false;

  constructor(
    private readonly script: string,
    private readonly wasm: WasmPaths,
    private readonly events: HostEvents,
  ) {
    this.worker = this.start();
  }

  send(event: DocEvent): void {
    this.post({ type: 'event', event });
  }

  call<C extends Call>(call: C): Promise<Answers[C['op']]> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, uri: call.uri });
      this.post({ type: 'call', id, call });
    });
  }

  dispose(): void {
    this.disposed = true;
    void this.worker.terminate();
  }

  private post(m: MainMessage): void {
    this.worker.postMessage(m);
  }

  private start(): Worker {
    const worker = new Worker(this.script, { workerData: this.wasm });
    let fatal: { message: string; uri?: string } | undefined;
    worker.on('message', (m: WorkerMessage) => {
      switch (m.type) {
        case 'ready':
          return;
        case 'answer':
          this.settle(m.id)?.resolve(m.result);
          return;
        case 'failed': {
          const e = new Error(m.message);
          e.stack = m.stack ?? m.message;
          this.settle(m.id)?.reject(e);
          return;
        }
        case 'eventFailed':
          this.events.log(`a document event${m.uri ? ` of ${m.uri}` : ''} failed: ${m.stack ?? m.message}`);
          return;
        case 'profileChanged':
          this.events.onProfileChanged();
          return;
        case 'dependentsChanged':
          this.events.onDependentsChanged(m.uris);
          return;
        case 'log':
          this.events.log(m.message, m.level);
          return;
        case 'fatal':
          fatal = { message: m.message, ...(m.uri ? { uri: m.uri } : {}) };
          this.events.log(`the analysis worker stopped${m.uri ? ` on ${m.uri}` : ''}: ${m.stack ?? m.message}`);
          return;
      }
    });
    // An uncaught exception or the worker's heap limit: 'error', then 'exit'.
    worker.on('error', (e) => {
      fatal ??= { message: e.message };
      this.events.log(`the analysis worker failed: ${e.stack ?? e.message}`);
    });
    worker.on('exit', (code) => {
      if (this.disposed || worker !== this.worker) return;
      this.restart(fatal?.message ?? `it exited with code ${code}`, fatal?.uri);
    });
    return worker;
  }

  private settle(id: number): Pending | undefined {
    const p = this.pending.get(id);
    this.pending.delete(id);
    return p;
  }

  private restart(reason: string, uri: string | undefined): void {
    // The worker answers in order: the oldest call still pending is the one it stopped on.
    const on = uri ?? this.pending.values().next().value?.uri;
    for (const p of this.pending.values()) p.reject(new WorkerStopped(`the analysis worker stopped: ${reason}`));
    this.pending.clear();
    const now = Date.now();
    this.crashes.push(now);
    while (this.crashes.length > 0 && now - this.crashes[0] > CRASH_WINDOW_MS) this.crashes.shift();
    if (this.crashes.length > MAX_CRASHES) {
      this.disposed = true;
      this.events.onGiveUp(`the analysis worker stopped ${this.crashes.length} times in ${CRASH_WINDOW_MS / 60_000} minutes; last: ${reason}`);
      return;
    }
    this.worker = this.start();
    for (const e of this.events.onRestart(reason, on)) this.send(e);
  }
}
