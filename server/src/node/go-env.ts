// Which Go the code targets, from the environment (design.md §3.5): an explicit setting or flag,
// else `go env GOVERSION` (once per process, with a timeout), else the nearest go.mod's
// `toolchain`/`go` line, else the newest Go the engine models.
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, sep } from 'node:path';
import { goVersionFromGoMod, NEWEST_GO, parseGoVersion, type GoVersion } from '../core/go-version';

const GO_ENV_ARGS = ['env', 'GOVERSION', 'GOEXPERIMENT'];
const GO_ENV_TIMEOUT_MS = 3000;

let fromToolchain: GoVersion | null | undefined;

function parseGoEnv(out: string): GoVersion | null {
  const [version, experiment] = out.split('\n');
  const v = parseGoVersion(version.trim());
  return v ? { ...v, ...(/\bnoswissmap\b/.test(experiment ?? '') ? { noSwissMap: true } : {}) } : null;
}

/** `go env GOVERSION GOEXPERIMENT`, or null when no go is on PATH or it does not answer in time. */
export function toolchainGoVersion(): GoVersion | null {
  if (fromToolchain !== undefined) return fromToolchain;
  try {
    fromToolchain = parseGoEnv(execFileSync('go', GO_ENV_ARGS, { timeout: GO_ENV_TIMEOUT_MS, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
  } catch {
    fromToolchain = null;
  }
  return fromToolchain;
}

/**
 * The same, without blocking: the language server runs it once at start, so that its event loop
 * never waits up to three seconds on `go`; toolchainGoVersion() then answers from the result.
 */
export function detectToolchainGoVersion(): Promise<GoVersion | null> {
  if (fromToolchain !== undefined) return Promise.resolve(fromToolchain);
  return new Promise((resolve) => {
    execFile('go', GO_ENV_ARGS, { timeout: GO_ENV_TIMEOUT_MS, encoding: 'utf8' }, (err, out) => {
      fromToolchain ??= err ? null : parseGoEnv(out);
      resolve(fromToolchain);
    });
  });
}

/**
 * The version in the nearest go.mod at or above `dir`; with `root`, not above it (the editor's
 * workspace folder: a go.mod outside the folder the user opened is not theirs to apply).
 */
export function goModVersion(dir: string, root?: string): GoVersion | undefined {
  for (let d = dir; ; d = dirname(d)) {
    if (root !== undefined && !isWithin(d, root)) return undefined;
    const gomod = join(d, 'go.mod');
    if (existsSync(gomod)) {
      try {
        return goVersionFromGoMod(readFileSync(gomod, 'utf8'));
      } catch {
        return undefined;
      }
    }
    if (dirname(d) === d) return undefined;
  }
}

/** Whether `path` is `root` or inside it. */
export function isWithin(path: string, root: string): boolean {
  const r = relative(root, path);
  return r === '' || (r !== '..' && !r.startsWith(`..${sep}`) && !isAbsolute(r));
}

export interface GoVersionSources {
  explicit?: GoVersion;
  /** Whether running `go` is allowed (not in an untrusted workspace). */
  mayRunGo: boolean;
  /** Search go.mod no higher than this directory. */
  root?: string;
}

export function resolveGoVersion(dir: string, sources: GoVersionSources): GoVersion {
  return sources.explicit ?? (sources.mayRunGo ? toolchainGoVersion() : null) ?? goModVersion(dir, sources.root) ?? NEWEST_GO;
}
