// Running the real Go toolchain on fixtures. Tests that need it use `describe.skipIf(!HAS_GO)` (or
// `!HAS_GO119` for the classic-map toolchain) and say so on the console: without it they are
// skipped, never silently passed. CI sets MAPSCOPE_REQUIRE_GO=1, and then a missing toolchain fails
// the whole run in global-setup.ts, before any test could be skipped.
import { execFile, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';

function probe(bin: string): string | undefined {
  try {
    return execFileSync(bin, ['version'], { encoding: 'utf8', timeout: 20_000 }).trim();
  } catch {
    return undefined;
  }
}

/** Debian's golang-1.19-go: the classic-map toolchain the engine's oracle is checked against. */
export const GO119 = '/usr/lib/go-1.19/bin/go';

export const GO_VERSION = probe('go');
export const HAS_GO = GO_VERSION !== undefined;
export const GO119_VERSION = existsSync(GO119) ? probe(GO119) : undefined;
export const HAS_GO119 = GO119_VERSION !== undefined;

/** CI's switch (checked once in global-setup.ts): a toolchain that is missing is an error, not a reason to skip. */
export const REQUIRE_GO = process.env.MAPSCOPE_REQUIRE_GO === '1';

/** Why the required toolchains are not all here, or undefined when they are (or none is required). */
export function missingRequiredGo(): string | undefined {
  if (!REQUIRE_GO) return undefined;
  if (!HAS_GO) return 'MAPSCOPE_REQUIRE_GO=1 but `go` is not on PATH: the checks against the real Go toolchain cannot run';
  if (!HAS_GO119) return `MAPSCOPE_REQUIRE_GO=1 but Go 1.19 is not at ${GO119}: the classic-map oracle cannot run`;
  return undefined;
}
if (!HAS_GO) console.warn('mapscope tests: `go` is not on PATH: the checks against the real Go toolchain are SKIPPED');
if (!HAS_GO119) console.warn(`mapscope tests: Go 1.19 is not at ${GO119}: the checks against the classic-map runtime are SKIPPED`);

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

/**
 * GOROOT of `go`, or of another release (`go1.27.3`): GOTOOLCHAIN makes the go command fetch that
 * toolchain through the module proxy the first time, like a module. Undefined (with a warning) when
 * it cannot be had; callers decide whether that skips or, under MAPSCOPE_REQUIRE_GO=1, fails.
 */
export function goroot(toolchain?: string): string | undefined {
  if (!HAS_GO) return undefined;
  try {
    return execFileSync('go', ['env', 'GOROOT'], {
      encoding: 'utf8',
      cwd: tmpdir(), // no go.mod around to pick another toolchain
      timeout: 600_000, // a first fetch downloads about 70 MB
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, GOTOOLCHAIN: toolchain ?? 'local' },
    }).trim();
  } catch (e) {
    console.warn(`mapscope tests: cannot get ${toolchain ?? 'the local Go'} (${(e as Error).message.split('\n')[0]})`);
    return undefined;
  }
}
