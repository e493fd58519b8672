// Which Go the code targets, from the environment (design.md §3.5): an explicit setting or flag,
// else `go env GOVERSION` (once per process, with a timeout), else the nearest go.mod's
// `toolchain`/`go` line, else the newest Go the engine models.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { goVersionFromGoMod, NEWEST_GO, parseGoVersion, type GoVersion } from '../core/go-version';

let fromToolchain: GoVersion | null | undefined;

/** `go env GOVERSION GOEXPERIMENT`, or null when no go is on PATH or it does not answer in time. */
export function toolchainGoVersion(): GoVersion | null {
  if (fromToolchain !== undefined) return fromToolchain;
  try {
    const out = execFileSync('go', ['env', 'GOVERSION', 'GOEXPERIMENT'], { timeout: 3000, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const [version, experiment] = out.split('\n');
    const v = parseGoVersion(version.trim());
    fromToolchain = v ? { ...v, ...(/\bnoswissmap\b/.test(experiment ?? '') ? { noSwissMap: true } : {}) } : null;
  } catch {
    fromToolchain = null;
  }
  return fromToolchain;
}

export function goModVersion(dir: string): GoVersion | undefined {
  for (let d = dir; ; d = dirname(d)) {
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

export interface GoVersionSources {
  explicit?: GoVersion;
  /** Whether running `go` is allowed (not in an untrusted workspace). */
  mayRunGo: boolean;
}

export function resolveGoVersion(dir: string, sources: GoVersionSources): GoVersion {
  return sources.explicit ?? (sources.mayRunGo ? toolchainGoVersion() : null) ?? goModVersion(dir) ?? NEWEST_GO;
}
