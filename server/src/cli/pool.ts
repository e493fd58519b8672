// Spreads directory jobs over worker threads, one per core, largest directories first so the
// last job to finish is a small one. Small checks run in-process: a worker costs a wasm load.
// Crash-only: a directory whose analysis throws is reported as not analysed (exit 2) and the
// others go on; after a wasm abort the parser is gone, so the rest run in fresh workers.
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { GoParser, type WasmPaths } from '../core/parse/parser';
import { isWasmAbort } from '../core/parse/wasm-abort';
import { checkDirectory, type CheckJob, type DirectoryReport } from '../node/check-package';

/** Below this many files, starting workers costs more than it saves. */
const IN_PROCESS_MAX_FILES = 200;

export async function runJobs(jobs: CheckJob[], wasm: WasmPaths, workerScript: string): Promise<DirectoryReport[]> {
  const totalFiles = jobs.reduce((n, j) => n + j.files.length, 0);
  if (totalFiles > IN_PROCESS_MAX_FILES && Math.min(availableParallelism(), jobs.length) > 1) return inWorkers(jobs, wasm, workerScript);
  const parser = await GoParser.load(wasm);
  const results: DirectoryReport[] = new Array(jobs.length);
  const order = jobs.map((_, i) => i).sort((a, b) => (jobs[a].level ?? 0) - (jobs[b].level ?? 0) || a - b);
  for (let k = 0; k < order.length; k++) {
    const i = order[k];
    try {
      results[i] = checkDirectory(parser, jobs[i]);
    } catch (e) {
      results[i] = failed(jobs[i], e instanceof Error ? e.message : String(e), e instanceof Error ? e.stack : undefined);
      if (isWasmAbort(e)) {
        const rest = order.slice(k + 1);
        const more = await inWorkers(rest.map((j) => jobs[j]), wasm, workerScript);
        rest.forEach((j, n) => (results[j] = more[n]));
        return results;
      }
    }
  }
  return results;
}

/** The report of a directory whose analysis failed as a whole: one error (an exit code of 2), the other directories go on. */
function failed(job: CheckJob, reason: string, stack?: string): DirectoryReport {
  return { findings: [], warnings: [], ioErrors: 0, errors: [{ rule: '(pipeline)', file: job.dir, message: reason, ...(stack ? { stack } : {}) }], files: 0, lines: 0, bytes: 0, plans: [] };
}

async function inWorkers(jobs: CheckJob[], wasm: WasmPaths, workerScript: string): Promise<DirectoryReport[]> {
  const results: DirectoryReport[] = new Array(jobs.length);
  // Imported packages before their importers (their summaries are then made once), largest first among equals.
  const order = jobs.map((_, i) => i).sort((a, b) => (jobs[a].level ?? 0) - (jobs[b].level ?? 0) || jobs[b].files.length - jobs[a].files.length);
  let next = 0;
  /** One worker after another on a lane, until the jobs run out: a worker that dies is replaced. */
  const lane = async (): Promise<void> => {
    while (next < order.length) await runWorker();
  };
  const runWorker = () =>
    new Promise<void>((resolveDone) => {
      const worker = new Worker(workerScript, { workerData: wasm });
      let current: number | undefined;
      let failure: string | undefined;
      const feed = () => {
        if (next >= order.length) {
          current = undefined;
          worker.postMessage('exit');
          return;
        }
        current = order[next++];
        worker.postMessage({ id: current, job: jobs[current] });
      };
      worker.on('message', (msg: { id: number; report?: DirectoryReport; error?: string; stack?: string; fatal?: boolean }) => {
        results[msg.id] = msg.error !== undefined ? failed(jobs[msg.id], msg.error, msg.stack) : msg.report!;
        current = undefined;
        // After a wasm abort the worker exits: the lane's next worker takes the next job.
        if (!msg.fatal) feed();
      });
      worker.on('error', (e) => {
        failure = e.message;
      });
      worker.on('exit', () => {
        // A job still running when the worker died (out of memory, a wasm abort) failed with it.
        if (current !== undefined && results[current] === undefined) results[current] = failed(jobs[current], failure ?? 'the worker stopped');
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
