// A worker thread of `mapscope check`: loads the parser once, then checks directory jobs as the
// main thread hands them out, and posts plain-data reports back. After a wasm abort its parser is
// unusable: it reports the job as failed and exits, and the pool starts a fresh worker.
import { parentPort, workerData } from 'node:worker_threads';
import { GoParser, type WasmPaths } from '../core/parse/parser';
import { isWasmAbort, WASM_ABORT_EXIT } from '../core/parse/wasm-abort';
import { checkDirectory, type CheckJob } from '../node/check-package';

const parserReady = GoParser.load(workerData as WasmPaths);

parentPort!.on('message', async (msg: { id: number; job: CheckJob; awaited: boolean } | 'exit') => {
  if (msg === 'exit') {
    parentPort!.close();
    return;
  }
  const parser = await parserReady;
  try {
    // Its summaries are on disk before its rules run: the pool may hand out its importers then
    // (a message costs a fraction of a millisecond: sent only when a package waits for it).
    const summarised = msg.awaited ? () => parentPort!.postMessage({ id: msg.id, summarised: true }) : undefined;
    parentPort!.postMessage({ id: msg.id, report: checkDirectory(parser, msg.job, summarised) });
  } catch (e) {
    const fatal = isWasmAbort(e);
    parentPort!.postMessage({ id: msg.id, error: e instanceof Error ? e.message : String(e), fatal, ...(e instanceof Error && e.stack ? { stack: e.stack } : {}) });
    if (fatal) process.exit(WASM_ABORT_EXIT);
  }
});
