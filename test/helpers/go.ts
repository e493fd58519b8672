// Running the real Go toolchain on fixtures. Tests that need it use `describe.skipIf(!HAS_GO)` and
// say so on the console: without `go` they are skipped, never silently passed.
import { execFile, execFileSync } from 'node:child_process';

function probe(): string | undefined {
  try {
    return execFileSync('go', ['version'], { encoding: 'utf8', timeout: 20_000 }).trim();
  } catch {
    return undefined;
  }
}

export const GO_VERSION = probe();
export const HAS_GO = GO_VERSION !== undefined;

if (!HAS_GO) console.warn('mapscope tests: `go` is not on PATH: the checks against the real Go toolchain are SKIPPED');

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function run(cmd: string, args: string[], cwd: string, timeoutMs = 120_000): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(cmd, args, { cwd, timeout: timeoutMs, encoding: 'utf8', maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}
