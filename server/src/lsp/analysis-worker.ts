// The language server's analysis worker (see analysis.ts): loads the parser, then applies document
// events and answers calls in the order the main thread sent them. A wasm abort leaves the parser
// unusable for good (web-tree-sitter keeps one runtime per thread), so the worker says which
// document it was on and exits; the main thread starts a fresh one and reopens the documents.
import { parentPort, workerData } from 'node:worker_threads';
import { GoParser, type WasmPaths } from '../core/parse/parser';
import { Analysis } from './analysis';
import type { MainMessage, WorkerMessage } from './analysis-protocol';
import { isWasmAbort, WASM_ABORT_EXIT } from '../core/parse/wasm-abort';

const port = parentPort!;
const post = (m: WorkerMessage) => port.postMessage(m);
const waiting: MainMessage[] = [];
let analysis: Analysis | undefined;

port.on('message', (m: MainMessage) => {
  if (analysis) handle(analysis, m);
  else waiting.push(m);
});

GoParser.load(workerData as WasmPaths).then(
  (parser) => {
    const a = new Analysis(parser);
    analysis = a;
    post({ type: 'ready' });
    for (const m of waiting.splice(0)) handle(a, m);
  },
  (e: unknown) => {
    post({ type: 'fatal', message: `the parser did not load: ${messageOf(e)}`, stack: stackOf(e) });
    process.exit(WASM_ABORT_EXIT);
  },
);

function handle(a: Analysis, m: MainMessage): void {
  const uri = m.type === 'call' ? m.call.uri : 'uri' in m.event ? m.event.uri : undefined;
  try {
    if (m.type === 'event') a.apply(m.event);
    else post({ type: 'answer', id: m.id, result: a.call(m.call) });
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
