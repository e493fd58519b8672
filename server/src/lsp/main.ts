// The MapScope language server. VS Code starts it over IPC; other editors run
// `node dist/server.js --stdio`, where a guard in front of the JSON-RPC reader skips malformed
// framing instead of going deaf (framing.ts). Whenever the process ends, stderr (which every
// client shows in its log) says why.
import { join } from 'node:path';
import { format } from 'node:util';
import { createConnection, ProposedFeatures, type Connection } from 'vscode-languageserver/node';
import { AnalysisHost } from './analysis-host';
import { EngineHost } from './engine-host';
import { FrameGuard } from './framing';
import { MapScopeServer } from './server';

/** Why the process is ending, when it knows before it exits. */
let ending: string | undefined;
const say = (message: string) => process.stderr.write(`mapscope: ${message}\n`);

process.on('exit', (code) => {
  say(`server exiting with code ${code}: ${ending ?? (code === 0 ? 'the client asked it to (shutdown, exit)' : 'the connection to the client ended without a shutdown')}`);
});
// A bug in the main thread leaves its state unknown: stop with the stack, and let the client restart it.
process.on('uncaughtException', (e) => {
  ending = `uncaught exception: ${e.stack ?? e.message}`;
  process.exit(1);
});
process.on('unhandledRejection', (e) => {
  ending = `unhandled rejection: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`;
  process.exit(1);
});

let connection: Connection;
if (process.argv.includes('--stdio')) {
  // stdout carries the protocol: nothing else may be printed there.
  console.log = console.info = console.debug = console.warn = (...args: unknown[]) => void say(format(...args));
  const input = new FrameGuard((message) => say(`stdin: ${message}`));
  process.stdin.pipe(input);
  connection = createConnection(ProposedFeatures.all, input, process.stdout);
} else {
  connection = createConnection(ProposedFeatures.all);
}

const wasm = { runtime: join(__dirname, 'web-tree-sitter.wasm'), go: join(__dirname, 'tree-sitter-go.wasm') };
new MapScopeServer(
  connection,
  {
    analysis: (events) => new AnalysisHost(join(__dirname, 'analysis-worker.js'), wasm, events),
    engine: (log) => new EngineHost(join(__dirname, 'engine-worker.js'), log),
  },
  (reason) => {
    ending = reason;
    process.exit(1);
  },
).listen();
