// Runs the engine for `mapscope/predict` in a worker thread (engine-worker.ts), one run at a time,
// so that a prediction of millions of entries never holds up diagnostics, code actions or other
// requests. A run is cancelled by terminating the worker (a simulation is one tight loop) when
// its request is cancelled ($/cancelRequest) or superseded by a newer request for the same site,
// which is what the panel's slider sends; a queued run is just dropped.
import { Worker } from 'node:worker_threads';
import type { MapSite } from '../core/sites';
import type { SiteTimelines, TimelineOptions } from '../core/timelines';

export interface EngineJob {
  id: number;
  site: MapSite;
  options: TimelineOptions;
}

export type EngineReply = { id: number; result: SiteTimelines } | { id: number; error: string; invalid: boolean };

/** Why a run did not finish: cancelled, superseded, or the engine failed (`invalid`: bad input, not a crash). */
export class EngineStop extends Error {
  constructor(
    message: string,
    readonly kind: 'cancelled' | 'invalid' | 'failed',
  ) {
    super(message);
  }
}

interface Job extends EngineJob {
  key: string;
  resolve: (t: SiteTimelines) => void;
  reject: (e: EngineStop) => void;
}

/** The engine's heap limit: the largest run (classic, 50 million entries) needs about 600 MB. */
const ENGINE_HEAP_MB = 1536;
/** An idle engine worker is stopped after this: the heap of a large run is not kept all day. */
const IDLE_MS = 60_000;

export class EngineHost {
  private worker?: Worker;
  private readonly queue: Job[] = [];
  private running?: Job;
  private nextId = 1;
  private idle?: NodeJS.Timeout;

  constructor(
    private readonly script: string,
    private readonly log: (message: string) => void,
  ) {}

  /** The timelines of a site; `key` names the site: a newer run with the same key supersedes this one. */
  run(key: string, site: MapSite, options: TimelineOptions, onCancel: (cancel: () => void) => void): Promise<SiteTimelines> {
    this.stop((j) => j.key === key, 'superseded by a newer request for the same map');
    return new Promise((resolve, reject) => {
      const job: Job = { id: this.nextId++, key, site, options, resolve, reject };
      this.queue.push(job);
      onCancel(() => this.stop((j) => j === job, 'cancelled'));
      this.pump();
    });
  }

  dispose(): void {
    this.stop(() => true, 'the server is shutting down');
    clearTimeout(this.idle);
    this.retire();
  }

  /** Rejects the queued or running jobs that match; a running one takes its worker with it. */
  private stop(match: (j: Job) => boolean, why: string): void {
    for (let i = this.queue.length - 1; i >= 0; i--) {
      if (match(this.queue[i])) this.queue.splice(i, 1)[0].reject(new EngineStop(why, 'cancelled'));
    }
    const r = this.running;
    if (r && match(r)) {
      this.running = undefined;
      const w = this.worker;
      this.worker = undefined;
      void w?.terminate();
      r.reject(new EngineStop(why, 'cancelled'));
      this.pump();
    }
  }

  private pump(): void {
    clearTimeout(this.idle);
    if (this.running) return;
    if (this.queue.length === 0) {
      if (this.worker) {
        this.idle = setTimeout(() => this.retire(), IDLE_MS);
        this.idle.unref();
      }
      return;
    }
    const job = this.queue.shift()!;
    this.running = job;
    const worker = (this.worker ??= this.start());
    const { id, site, options } = job;
    worker.postMessage({ id, site, options } satisfies EngineJob);
  }

  /** Stops the worker when nothing runs: a new one starts with the next job. */
  private retire(): void {
    if (this.running || !this.worker) return;
    const w = this.worker;
    this.worker = undefined;
    void w.terminate();
  }

  private start(): Worker {
    const worker = new Worker(this.script, { resourceLimits: { maxOldGenerationSizeMb: ENGINE_HEAP_MB } });
    worker.on('message', (m: EngineReply) => {
      const job = this.running;
      if (!job || job.id !== m.id || worker !== this.worker) return;
      this.running = undefined;
      if ('result' in m) job.resolve(m.result);
      else job.reject(new EngineStop(m.error, m.invalid ? 'invalid' : 'failed'));
      this.pump();
    });
    let failure: string | undefined;
    worker.on('error', (e) => {
      failure = e.message;
      this.log(`the engine worker failed: ${e.stack ?? e.message}`);
    });
    worker.on('exit', (code) => {
      if (worker !== this.worker) return;
      // Out of memory or a bug: the run fails, the next one gets a fresh worker.
      this.worker = undefined;
      const job = this.running;
      this.running = undefined;
      job?.reject(new EngineStop(`the engine stopped: ${failure ?? `exit code ${code}`}`, 'failed'));
      this.pump();
    });
    return worker;
  }
}
