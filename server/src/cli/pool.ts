// Spreads directory jobs over worker threads, one per core, largest directories first so the
// last job to finish is a small one. Small checks run in-process: a worker costs a wasm load.
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { GoParser, type WasmPaths } from '../core/parse/parser';
import { checkDirectory, type CheckJob, type DirectoryReport } from '../node/check-package';

/** Below this many files, starting workers costs more than it saves. */
const IN_PROCESS_MAX_FILES = 200;

export async function runJobs(jobs: CheckJob[], wasm: WasmPaths, workerScript: string): Promise<DirectoryReport[]> {
  const totalFiles = jobs.reduce((n, j) => n + j.files.length, 0);
  const threads = Math.min(availableParallelism(), jobs.length);
  if (totalFiles <= IN_PROCESS_MAX_FILES || threads <= 1) {
    const parser = await GoParser.load(wasm);
    return jobs.map((j) => {
      try {
        return checkDirectory(parser, j);
      } catch (e) {
        return failedJob(j, e instanceof Error ? e.message : String(e), e instanceof Error ? e.stack : undefined);
      }
    });
  }
  const results: DirectoryReport[] = new Array(jobs.length);
  const order = jobs.map((_, i) => i).sort((a, b) => jobs[b].files.length - jobs[a].files.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: threads }, () => {
      const worker = new Worker(workerScript, { workerData: wasm });
      return new Promise<void>((resolveDone, reject) => {
        const feed = () => {
          if (next >= order.length) {
            worker.postMessage('exit');
            return;
          }
          const id = order[next++];
          worker.postMessage({ id, job: jobs[id] });
        };
        worker.on('message', (msg: { id: number; report?: DirectoryReport; error?: string; stack?: string }) => {
          // A job that failed as a whole is one error for its directory; the other jobs go on.
          results[msg.id] = msg.report ?? failedJob(jobs[msg.id], msg.error ?? 'unknown error', msg.stack);
          feed();
        });
        worker.on('error', reject);
        worker.on('exit', () => resolveDone());
        feed();
      });
    }),
  );
  return results;
}

function failedJob(job: CheckJob, message: string, stack: string | undefined): DirectoryReport {
  return { findings: [], warnings: [], ioErrors: 0, errors: [{ rule: '(pipeline)', file: job.dir, message, ...(stack ? { stack } : {}) }], files: 0, lines: 0, bytes: 0, plans: [] };
}

export function defaultWasm(distDir: string): WasmPaths {
  return { runtime: join(distDir, 'web-tree-sitter.wasm'), go: join(distDir, 'tree-sitter-go.wasm') };
}
