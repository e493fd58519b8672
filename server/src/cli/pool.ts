// Spreads directory jobs over worker threads, one per core, in the order schedule.ts decides
// (imported packages summarised before their importers start). Small checks run in-process: a worker costs a wasm load.
// Crash-only: a directory whose analysis throws is reported as not analysed (exit 2) and the
// others go on; after a wasm abort the parser is gone, so the rest run in fresh workers.
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { GoParser, type WasmPaths } from '../core/parse/parser';
import { isWasmAbort } from '../core/parse/wasm-abort';
import { checkDirectory, type CheckJob, type DirectoryReport } from '../node/check-package';
import type { JobImports } from '../node/job-order';
import { JobSchedule } from './schedule';

/** Below this many files, starting workers costs more than it saves. */
const IN_PROCESS_MAX_FILES = 200;

export async function runJobs(jobs: CheckJob[], wasm: WasmPaths, workerScript: string, imports?: readonly JobImports[]): Promise<DirectoryReport[]> {
  const schedule = new JobSchedule(
    jobs.map((j) => Math.max(j.files.length, j.siblings.length)),
    imports ?? jobs.map(() => ({ own: [], tests: [] })),
  );
  const totalFiles = jobs.reduce((n, j) => n + j.files.length, 0);
  if (totalFiles > IN_PROCESS_MAX_FILES && Math.min(availableParallelism(), jobs.length) > 1) return inWorkers(jobs, schedule, wasm, workerScript);
  const parser = await GoParser.load(wasm);
  const results: DirectoryReport[] = new Array(jobs.length);
  for (let d = schedule.next(); d !== 'done' && d !== 'wait'; d = schedule.next()) {
    const i = d.job;
    try {
      results[i] = checkDirectory(parser, jobs[i]);
    } catch (e) {
      results[i] = failed(jobs[i], e instanceof Error ? e.message : String(e), e instanceof Error ? e.stack : undefined);
      if (isWasmAbort(e)) {
        schedule.finished(i);
        await inWorkers(jobs, schedule, wasm, workerScript, results);
        return results;
      }
    }
    schedule.finished(i);
  }
  return results;
}

/** The report of a directory whose analysis failed as a whole: one error (an exit code of 2), the other directories go on. */
function failed(job: CheckJob, reason: string, stack?: string): DirectoryReport {
  return { findings: [], warnings: [], ioErrors: 0, errors: [{ rule: '(pipeline)', file: job.dir, message: reason, ...(stack ? { stack } : {}) }], files: 0, lines: 0, bytes: 0, plans: [] };
}

type WorkerMessage = { id: number; summarised: true } | { id: number; report?: DirectoryReport; error?: string; stack?: string; fatal?: boolean };

/** The jobs the schedule still has, in worker threads, their reports put in `results`. */
async function inWorkers(
  jobs: CheckJob[],
  schedule: JobSchedule,
  wasm: WasmPaths,
  workerScript: string,
  results: DirectoryReport[] = new Array(jobs.length),
): Promise<DirectoryReport[]> {
  /** Threads waiting for a running job to summarise, woken by each summary or end. */
  let waiting: (() => void)[] = [];
  const wake = () => {
    const woken = waiting;
    waiting = [];
    for (const feed of woken) feed();
  };
  let more = true;
  /** One worker after another on a lane, until the jobs run out: a worker that dies is replaced. */
  const lane = async (): Promise<void> => {
    while (more) await runWorker();
  };
  const runWorker = () =>
    new Promise<void>((resolveDone) => {
      const worker = new Worker(workerScript, { workerData: wasm });
      let current: number | undefined;
      let failure: string | undefined;
      const feed = () => {
        current = undefined;
        const d = schedule.next();
        if (d === 'wait') {
          waiting.push(feed);
          return;
        }
        if (d === 'done') {
          more = false;
          worker.postMessage('exit');
          wake();
          return;
        }
        current = d.job;
        worker.postMessage({ id: current, job: jobs[current], awaited: schedule.awaited(current) });
      };
      worker.on('message', (msg: WorkerMessage) => {
        if ('summarised' in msg) {
          schedule.summarised(msg.id);
          wake();
          return;
        }
        results[msg.id] = msg.error !== undefined ? failed(jobs[msg.id], msg.error, msg.stack) : msg.report!;
        schedule.finished(msg.id);
        current = undefined;
        wake();
        // After a wasm abort the worker exits: the lane's next worker takes the next job.
        if (!msg.fatal) feed();
      });
      worker.on('error', (e) => {
        failure = e.message;
      });
      worker.on('exit', () => {
        // A job still running when the worker died (out of memory, a wasm abort) failed with it.
        if (current !== undefined && results[current] === undefined) {
          results[current] = failed(jobs[current], failure ?? 'the worker stopped');
          schedule.finished(current);
          wake();
        }
        resolveDone();
      });
      feed();
    });
  const threads = Math.max(1, Math.min(availableParallelism(), jobs.length));
  await Promise.all(Array.from({ length: threads }, lane));
  return results;
}

export function defaultWasm(distDir: string): WasmPaths {
  return { runtime: join(distDir, 'web-tree-sitter.wasm'), go: join(distDir, 'tree-sitter-go.wasm') };
}
