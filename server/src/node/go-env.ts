// Which Go the code targets, from the environment (design.md §3.5): an explicit setting or flag,
// else `go env GOVERSION` (once per process, with a timeout), else the nearest go.mod's
// `toolchain`/`go` line, else the newest Go the engine models. Each answer says where it came
// from, for the editor's status bar and log (the `mapscope/status` notification).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { GoChoice, StatusParams } from '../../../common/protocol';
import { formatGoVersion, goModLines, mapImplementation, NEWEST_GO, parseGoVersion, type GoVersion } from '../core/go-version';

interface Toolchain {
  version: GoVersion;
  /** `go1.26.1`, as `go env` prints it. */
  text: string;
  experiments: string[];
}

let fromToolchain: Toolchain | null | undefined;

/** `go env GOVERSION GOEXPERIMENT` of the go on PATH, or null when there is none or it does not answer in time. */
function toolchain(): Toolchain | null {
  if (fromToolchain !== undefined) return fromToolchain;
  try {
    const out = execFileSync('go', ['env', 'GOVERSION', 'GOEXPERIMENT'], { timeout: 3000, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const [version, experiment] = out.split('\n');
    const v = parseGoVersion(version.trim());
    const experiments = (experiment ?? '').split(',').map((e) => e.trim()).filter(Boolean);
    fromToolchain = v ? { version: { ...v, ...(experiments.includes('noswissmap') ? { noSwissMap: true } : {}) }, text: version.trim(), experiments } : null;
  } catch {
    fromToolchain = null;
  }
  return fromToolchain;
}

/** The nearest go.mod at or above `dir`. */
function findGoMod(dir: string): string | undefined {
  for (let d = dir; ; d = dirname(d)) {
    const gomod = join(d, 'go.mod');
    if (existsSync(gomod)) return gomod;
    if (dirname(d) === d) return undefined;
  }
}

function readGoMod(path: string | undefined): { toolchain?: string; go?: string } {
  if (!path) return {};
  try {
    return goModLines(readFileSync(path, 'utf8'));
  } catch {
    return {};
  }
}

export interface GoVersionSources {
  explicit?: GoVersion;
  /** Whether running `go` is allowed (not in an untrusted workspace). */
  mayRunGo: boolean;
}

export function resolveGoVersion(dir: string, sources: GoVersionSources): GoVersion {
  return resolveGoChoice(dir, sources).go;
}

/**
 * The Go a directory's code targets, and where that came from (for `mapscope/status`). Without a
 * directory (an untitled buffer outside any folder) there is no go.mod to read, and the folder is ''.
 */
export function resolveGoChoice(dir: string | undefined, sources: GoVersionSources): { go: GoVersion; status: StatusParams } {
  const gomod = dir === undefined ? undefined : findGoMod(dir);
  const lines = readGoMod(gomod);
  const folder = gomod ? dirname(gomod) : (dir ?? '');
  const fromMod = (line: 'toolchain' | 'go') => {
    const text = lines[line];
    const v = text !== undefined ? parseGoVersion(text) : undefined;
    return v && text ? { go: v, choice: { version: text.replace(/^go/, ''), source: `go.mod ${line} line (${gomod})` } } : undefined;
  };
  const tc = sources.mayRunGo ? toolchain() : null;
  const picked: { go: GoVersion; choice: GoChoice; experiments?: string[] } = sources.explicit
    ? { go: sources.explicit, choice: { version: formatGoVersion(sources.explicit), source: 'setting mapscope.goVersion' } }
    : tc
      ? { go: tc.version, choice: { version: tc.text.replace(/^go/, ''), source: 'go env GOVERSION (go on PATH)' }, experiments: tc.experiments }
      : (fromMod('toolchain') ??
        fromMod('go') ?? { go: NEWEST_GO, choice: { version: formatGoVersion(NEWEST_GO), source: 'newest Go MapScope models' } });
  const language = fromMod('go')?.choice ?? { version: picked.choice.version, source: 'no go.mod go line, so the toolchain\'s' };
  const experiments = picked.experiments ?? (picked.go.noSwissMap ? ['noswissmap'] : []);
  return {
    go: picked.go,
    status: { folder, toolchain: { ...picked.choice, impl: mapImplementation(picked.go), experiments }, language },
  };
}
