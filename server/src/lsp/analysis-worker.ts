// The language server's analysis worker (see analysis.ts): loads the parser, then applies document
// events and answers calls one at a time, in the order the main thread sent them (a call that
// waits, a profile being read, holds the ones behind it). A wasm abort leaves the parser unusable
// for good (web-tree-sitter keeps one runtime per thread), so the worker says which document it
// was on and exits; the main thread starts a fresh one and reopens the documents.
import { parentPort, workerData } from 'node:worker_threads';
import { GoParser, type WasmPaths } from '../core/parse/parser';
import { dirname } from 'node:path';
import { snapshotPath } from '../node/check-imports';
import { Analysis } from './analysis';
import type { MainMessage, WorkerMessage } from './analysis-protocol';
import { isWasmAbort, WASM_ABORT_EXIT } from '../core/parse/wasm-abort';

const port = parentPort!;
const post = (m: WorkerMessage) => port.postMessage(m);
const waiting: MainMessage[] = [];
let analysis: Analysis | undefined;
let busy = false;

port.on('message', (m: MainMessage) => {
  waiting.push(m);
  void drain();
});

GoParser.load(workerData as WasmPaths).then(
  (parser) => {
    analysis = new Analysis(parser, post, snapshotPath(dirname((workerData as WasmPaths).go)));
    post({ type: 'ready' });
    void drain();
  },
  (e: unknown) => {
    post({ type: 'fatal', message: `the parser did not load: ${messageOf(e)}`, stack: stackOf(e) });
    process.exit(WASM_ABORT_EXIT);
  },
);

/** Handles the waiting messages one at a time, in order. */
async function drain(): Promise<void> {
  if (busy || !analysis) return;
  busy = true;
  try {
    while (waiting.length > 0) await handle(analysis, waiting.shift()!);
  } finally {
    busy = false;
  }
}

async function handle(a: Analysis, m: MainMessage): Promise<void> {
  const uri = m.type === 'call' ? m.call.uri || undefined : 'uri' in m.event ? m.event.uri : undefined;
  try {
    if (m.type === 'event') a.apply(m.event);
    else post({ type: 'answer', id: m.id, result: await a.call(m.call) });
  } catch (e) {
    if (isWasmAbort(e)) {
      const message = `the parser's WebAssembly runtime aborted, most likely out of memory (${messageOf(e).split('.')[0]})`;
      post({ type: 'fatal', ...(uri ? { uri } : {}), message, stack: stackOf(e) });
      process.exit(WASM_ABORT_EXIT);
    }
    if (m.type === 'call') post({ type: 'failed', id: m.id, message: messageOf(e), stack: stackOf(e) });
    else post({ type: 'eventFailed', ...(uri ? { uri } : {}), message: messageOf(e), stack: stackOf(e) });
  }
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function stackOf(e: unknown): string | undefined {
  return e instanceof Error ? e.stack : undefined;
}
