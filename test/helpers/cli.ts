// Running the built CLI (bin/mapscope.js → dist/cli.js, built by the global setup) as a child
// process, as users and CI do, in throwaway directories.
import { execFile, spawn } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { ROOT } from './core';

export const CLI = join(ROOT, 'bin', 'mapscope.js');

export interface CliResult {
  /** Exit code; null when the process was killed (see `signal`). */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  cwd: string;
  /** Options for node itself, before the script (`--require`, …). */
  nodeArgs?: string[];
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
}

export function runCli(args: string[], opts: CliOptions): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [...(opts.nodeArgs ?? []), CLI, ...args],
      { cwd: opts.cwd, env: opts.env ?? process.env, timeout: opts.timeoutMs ?? 60_000, encoding: 'utf8', maxBuffer: 256 << 20 },
      (_err, stdout, stderr) => resolve({ code: child.exitCode, signal: child.signalCode, stdout, stderr }),
    );
  });
}

/** Runs the CLI with its stdout written to `outFile` (for outputs of hundreds of megabytes); stderr is returned. */
export function runCliToFile(args: string[], opts: CliOptions, outFile: string): Promise<Omit<CliResult, 'stdout'>> {
  return new Promise((resolve) => {
    const out = openSync(outFile, 'w');
    const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), CLI, ...args], { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ['ignore', out, 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (b: Buffer) => (stderr += b.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      closeSync(out);
      resolve({ code, signal, stderr });
    });
  });
}

/** The non-empty lines of a stream's output. */
export const linesOf = (s: string): string[] => s.split('\n').filter((l) => l !== '');

/** A fresh temporary directory (its real path, so that paths printed relative to it compare). */
export function tempDir(prefix = 'mapscope-cli-'): string {
  return realpathSync(mkdtempSync(join(tmpdir(), prefix)));
}

/** Writes files (relative path → content) under `root`, creating directories. */
export function writeTree(root: string, files: Record<string, string | Uint8Array>): void {
  for (const [rel, content] of Object.entries(files)) {
    const path = join(root, rel);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
  }
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/**
 * A temporary root for one test file's projects, made before its tests and removed after them.
 * `project(files)` writes a fresh directory under it, so that no two tests share files.
 */
export function tempProjects(): { readonly root: string; project(files: Record<string, string | Uint8Array>): string } {
  let root = '';
  let seq = 0;
  beforeAll(() => {
    root = tempDir();
  });
  afterAll(() => removeDir(root));
  return {
    get root() {
      return root;
    },
    project(files) {
      const dir = join(root, `p${seq++}`);
      mkdirSync(dir, { recursive: true });
      writeTree(dir, files);
      return dir;
    },
  };
}

/** `check --format json` (design.md §3.2), as the tests read it back. */
export interface JsonEdit {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  newText: string;
}
export interface JsonFinding {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  rule: string;
  severity: string;
  message: string;
  hint?: string;
  fixes: { title: string; isPreferred?: boolean; edits: JsonEdit[] }[];
  related: { file: string; line: number; column: number; endLine: number; endColumn: number; message: string }[];
}
export interface JsonReport {
  version: number;
  findings: JsonFinding[];
}
