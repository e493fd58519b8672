#!/usr/bin/env node
// The language server's memory over a long day of editing (issue 18): the built server
// (dist/server.js, `npm run build` first) driven over stdio with 10,000 edits of one document,
// each followed by its diagnostics every 50 edits, then 1,000 open/close cycles of another, with
// map sites and predictions asked for along the way. Prints the process's RSS (main thread and
// both workers) at each stage and its peak; a server that keeps trees of closed documents or
// grows a cache without bound shows here as RSS that climbs with the cycle count.
//
//   node bench/memory.mjs [--edits N] [--cycles N] [--file PATH]
//
// The edited file is net/http/server.go from `go env GOROOT` when Go is installed, else the
// largest example. RSS comes from /proc (Linux).
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { option as opt, require, root } from './lib.mjs';

const rpc = require('vscode-jsonrpc/node');

const EDITS = Number(opt('edits', '10000'));
const CYCLES = Number(opt('cycles', '1000'));

function defaultFile() {
  try {
    const goroot = execFileSync('go', ['env', 'GOROOT'], { encoding: 'utf8' }).trim();
    const f = join(goroot, 'src', 'net', 'http', 'server.go');
    if (existsSync(f)) return f;
  } catch {
    // No Go: fall back to the repository's own example.
  }
  return join(root, 'examples', 'inventory', 'inventory.go');
}
const file = opt('file', defaultFile());
const text = readFileSync(file, 'utf8');

const server = spawn(process.execPath, [join(root, 'dist', 'server.js'), '--stdio'], { stdio: 'pipe' });
server.stderr.on('data', () => {});
const conn = rpc.createMessageConnection(new rpc.StreamMessageReader(server.stdout), new rpc.StreamMessageWriter(server.stdin));
const published = new Map();
const waiters = [];
conn.onNotification('textDocument/publishDiagnostics', (p) => {
  published.set(p.uri, p);
  for (const w of waiters.splice(0)) w();
});
conn.listen();

function rss() {
  const s = readFileSync(`/proc/${server.pid}/status`, 'utf8');
  const kb = (k) => Number(new RegExp(`${k}:\\s+(\\d+)`).exec(s)?.[1] ?? 0);
  return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
}
const mb = (n) => `${n.toFixed(0)} MB`;
async function published_(uri, version) {
  for (;;) {
    const p = published.get(uri);
    if (p && p.version === version) return p;
    await new Promise((resolve) => waiters.push(resolve));
  }
}

await conn.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: {}, initializationOptions: { trusted: false, settings: { goVersion: '1.26' } } });
await conn.sendNotification('initialized', {});
const uri = pathToFileURL(join(dirname(file), 'bench-memory-edited.go')).toString();
await conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'go', version: 1, text } });
await published_(uri, 1);
const start = rss();
console.log(`${file} (${text.length} chars): after open ${mb(start.rss)}`);

// Type a character at the end of a line and delete it again, at lines spread through the file
// (in function bodies and outside): the text stays valid Go, as it mostly is while someone types.
const lines = text.split('\n');
let version = 1;
let t0 = performance.now();
for (let i = 0; i < EDITS; i++) {
  const line = Math.floor((Math.floor(i / 2) * 7919) % lines.length);
  const end = lines[line].length;
  const change = i % 2 === 0 ? { range: { start: { line, character: end }, end: { line, character: end } }, text: ' ' } : { range: { start: { line, character: end }, end: { line, character: end + 1 } }, text: '' };
  await conn.sendNotification('textDocument/didChange', { textDocument: { uri, version: ++version }, contentChanges: [change] });
  if (i % 50 === 49) {
    await published_(uri, version);
    if (i % 500 === 499) {
      await conn.sendRequest('mapscope/mapSites', { textDocument: { uri } });
      await conn.sendRequest('mapscope/predict', { textDocument: { uri }, position: { line, character: 0 }, entries: 100000 }).catch(() => null);
    }
  }
  if (i % 2500 === 2499) console.log(`  ${i + 1} edits (${((performance.now() - t0) / 1000).toFixed(1)} s): ${mb(rss().rss)}`);
}
const edited = rss();

// Open and close another document, as switching between tabs does.
const other = pathToFileURL(join(dirname(file), 'bench-memory-cycled.go')).toString();
t0 = performance.now();
for (let i = 0; i < CYCLES; i++) {
  await conn.sendNotification('textDocument/didOpen', { textDocument: { uri: other, languageId: 'go', version: 1, text } });
  if (i % 10 === 0) await published_(other, 1);
  if (i % 100 === 0) await conn.sendRequest('mapscope/mapSites', { textDocument: { uri: other } });
  await conn.sendNotification('textDocument/didClose', { textDocument: { uri: other } });
  published.delete(other);
  if (i % 250 === 249) console.log(`  ${i + 1} open/close cycles (${((performance.now() - t0) / 1000).toFixed(1)} s): ${mb(rss().rss)}`);
}
const cycled = rss();
console.log(`RSS: after open ${mb(start.rss)}, after ${EDITS} edits ${mb(edited.rss)}, after ${CYCLES} open/close cycles ${mb(cycled.rss)}; peak ${mb(cycled.peak)}`);
await conn.sendRequest('shutdown');
await conn.sendNotification('exit');
conn.dispose();
