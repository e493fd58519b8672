#!/usr/bin/env node
// Hostile input for the CLI (issue 18): truncated files, binary files, NUL bytes, a BOM, CRLF
// line ends, a 5 MB line, 10,000-deep nesting of blocks, parentheses, map types and loops, and a
// 30 MB file. Each goes through `mapscope check --format json` and `mapscope predict FILE`; the
// script checks what must hold whatever the input (the exit code is 0, 1 or 2; stdout is valid
// JSON; every position is inside the file; stderr has no stack trace and no "internal error")
// and prints the time and peak RSS of each run. README.md's "Bad input" section records a run.
//
//   node bench/cli-fuzz.mjs [--seed N] [--only name,name]
//
// Needs the built CLI (`npm run build`). Peak RSS comes from /proc (Linux).
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { option as opt, root } from './lib.mjs';

const cli = join(root, 'bin', 'mapscope.js');
const only = new Set(opt('only', '').split(',').filter(Boolean));
let seed = Number(opt('seed', '18')) >>> 0;
const random = () => {
  // mulberry32, as test/helpers/random.ts
  seed = (seed + 0x6d2b79f5) >>> 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

// A real file to mutate: the examples, concatenated into one package's worth of code.
const examples = readdirSync(join(root, 'examples'), { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .flatMap((d) => readdirSync(join(root, 'examples', d.name)).filter((f) => f.endsWith('.go')).map((f) => readFileSync(join(root, 'examples', d.name, f), 'utf8')));
const base = examples.reduce((a, b) => (b.length > a.length ? b : a));
const body = (text) => text.replace(/^package \w+\n/m, '');

const nest = (n, open, close, inner) => open.repeat(n) + inner + close.repeat(n);
const fn = (inner) => `package p\n\nfunc f(x int) {\n${inner}\n}\n`;

/** name → file contents (string or bytes). */
const inputs = {
  'truncated (10 cuts)': Array.from({ length: 10 }, () => base.slice(0, Math.floor(random() * base.length))),
  binary: Buffer.from(Array.from({ length: 64 * 1024 }, () => Math.floor(random() * 256))),
  'NUL byte': base.replace('package', 'package\0'),
  BOM: `\uFEFF${base}`,
  CRLF: base.replace(/\n/g, '\r\n'),
  '5 MB line': `package p\n\nvar s = "${'x'.repeat(5 * 1024 * 1024)}"\n\nfunc f() {\n\tvar m map[int]int\n\tm[1] = 1\n}\n`,
  '5 MB line of code': `package p\n\nfunc f() { var m map[int]int; m[1] = len(${'"abcdefghij" + '.repeat(350_000)}"") }\n`,
  '5 MB line, 5 million tokens': `package p\n\nfunc f() { var m map[int]int; ${'m[1] = 1; '.repeat(500_000)}}\n`,
  '10,000 nested blocks': fn(nest(10_000, '{\n', '}\n', 'var m map[int]int\nm[1] = 1\n')),
  '10,000 nested parentheses': fn(`_ = ${nest(10_000, '(', ')', 'x')}`),
  '10,000 nested map types': `package p\n\nvar m ${'map[int]'.repeat(10_000)}int\n\nfunc f() { m[1] = nil }\n`,
  '10,000 nested for loops': fn(`m := make(map[int]int)\n${nest(10_000, 'for i := 0; i < 2; i++ {\n', '}\n', 'm[i] = i\n')}`),
  '30 MB file': (() => {
    const parts = [base];
    let size = base.length;
    for (let i = 0; size < 30 * 1024 * 1024; i++) {
      const b = body(base).replace(/func (\w+)/g, `func $1_${i}`).replace(/type (\w+)/g, `type $1_${i}`);
      parts.push(b);
      size += b.length;
    }
    return parts.join('');
  })(),
};

/** Runs the CLI; resolves with exit code, stdout, stderr, wall time and peak RSS. */
function run(argv, cwd) {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(process.execPath, [cli, ...argv], { cwd });
    const out = [];
    let err = '';
    let peak = 0;
    const sample = () => {
      try {
        peak = Math.max(peak, Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? 0));
      } catch {
        // Exited between samples.
      }
    };
    const timer = setInterval(sample, 50);
    child.stdout.on('data', (b) => out.push(b));
    child.stderr.on('data', (b) => (err += b));
    child.on('exit', (code, signal) => {
      clearInterval(timer);
      resolve({ code, signal, stdout: Buffer.concat(out).toString('utf8'), stderr: err, ms: performance.now() - started, peakMb: peak / 1024 });
    });
  });
}

const problems = [];
const rows = [];
const dir = mkdtempSync(join(tmpdir(), 'mapscope-cli-fuzz-'));
try {
  for (const [name, content] of Object.entries(inputs)) {
    if (only.size > 0 && ![...only].some((o) => name.includes(o))) continue;
    const files = Array.isArray(content) ? content : [content];
    for (const [i, c] of files.entries()) {
      const case_ = join(dir, `c${rows.length}`);
      mkdirSync(case_);
      writeFileSync(join(case_, 'f.go'), c);
      const text = Buffer.isBuffer(c) ? c.toString('latin1') : c;
      const lineCount = text.split('\n').length;
      const label = files.length > 1 ? `${name} #${i + 1}` : name;
      const check = await run(['check', '--format', 'json', 'f.go'], case_);
      const predict = await run(['predict', 'f.go', '--format', 'json'], case_);
      const bad = (what) => problems.push(`${label}: ${what}`);
      for (const [cmd, r] of [['check', check], ['predict', predict]]) {
        if (r.signal || ![0, 1, 2].includes(r.code)) bad(`${cmd} ended with ${r.signal ?? `exit ${r.code}`}`);
        if (/internal error|^\s+at /m.test(r.stderr)) bad(`${cmd} stderr: ${r.stderr.slice(0, 300)}`);
        if (r.code !== 2) {
          try {
            const j = JSON.parse(r.stdout);
            const places = cmd === 'check' ? j.findings : j.sites;
            for (const p of places) if (!(p.line >= 1 && p.endLine <= lineCount && p.line <= p.endLine)) bad(`${cmd}: a position outside the file: ${JSON.stringify(p).slice(0, 200)}`);
          } catch (e) {
            bad(`${cmd} printed invalid JSON: ${e.message}`);
          }
        }
      }
      const findings = check.code === 2 ? '-' : JSON.parse(check.stdout).findings.length;
      const warning = check.stderr.split('\n').find((l) => l.includes('warning'))?.replace(/^mapscope: warning: f\.go(:\d+:\d+)?: /, '') ?? '';
      rows.push([label, `${(Buffer.byteLength(c) / 1e6).toFixed(1)} MB`, String(check.code), String(findings), `${(check.ms / 1000).toFixed(1)} s`, `${check.peakMb.toFixed(0)} MB`, String(predict.code), `${(predict.ms / 1000).toFixed(1)} s`, warning.slice(0, 70)]);
      rmSync(case_, { recursive: true, force: true });
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const header = ['input', 'size', 'check exit', 'findings', 'check time', 'check peak RSS', 'predict exit', 'predict time', 'warning'];
const widths = header.map((h, i) => rows.reduce((w, r) => Math.max(w, r[i].length), h.length));
for (const r of [header, ...rows]) console.log(r.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd());
if (problems.length > 0) {
  console.log(`\n${problems.length} problem(s):\n${problems.join('\n')}`);
  process.exitCode = 1;
} else console.log('\nno problems');
