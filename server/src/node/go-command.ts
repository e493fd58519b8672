// Asking one Go toolchain about itself: `go env -json` run once per binary, with a timeout and
// GOTOOLCHAIN=local, so that the go command answers for itself and never switches to (or
// downloads) another toolchain; the configured GOTOOLCHAIN is read the way cmd/go reads it
// (cfg.Getenv: the environment, then the user's go/env file, then $GOROOT/go.env).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface GoEnv {
  binary: string;
  /** `go env GOVERSION`: `go1.26.8`. */
  version: string;
  /** GOEXPERIMENT as configured (environment, go/env file, go.env). */
  goexperiment: string;
  goroot: string;
  gomodcache: string;
  goos: string;
  goarch: string;
  /** cmd/go's cfg.Getenv for keys `go env` was not asked about (GOTOOLCHAIN, GOWORK, GO111MODULE). */
  config(key: string): string;
}

const TIMEOUT_MS = 5000;
const KEYS = ['GOVERSION', 'GOEXPERIMENT', 'GOROOT', 'GOENV', 'GOMODCACHE', 'GOOS', 'GOARCH'];

/** KEY=VALUE lines of a go/env or go.env file (cfg.readEnvFile). */
function readEnvFile(path: string): Map<string, string> {
  const out = new Map<string, string>();
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return out;
  }
  for (const line of text.split('\n')) {
    const eq = line.indexOf('=');
    if (eq < 0 || !/^[A-Z]/.test(line)) continue;
    const key = line.slice(0, eq);
    if (!out.has(key)) out.set(key, line.slice(eq + 1).replace(/\r$/, ''));
  }
  return out;
}

function run(binary: string, env: NodeJS.ProcessEnv): Record<string, string> {
  const out = execFileSync(binary, ['env', '-json', ...KEYS], {
    env: { ...env, GOTOOLCHAIN: 'local' },
    timeout: TIMEOUT_MS,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    windowsHide: true,
  });
  return JSON.parse(out) as Record<string, string>;
}

function firstLine(e: unknown): string {
  const err = e as { stderr?: string; message?: string; code?: string; signal?: string };
  if (err.code === 'ETIMEDOUT' || err.signal === 'SIGTERM') return `no answer within ${TIMEOUT_MS / 1000} s`;
  return (err.stderr?.trim() || err.message || String(e)).split('\n')[0];
}

// Answers per environment (the process's, or a test's) and binary.
let cache = new WeakMap<NodeJS.ProcessEnv, Map<string, GoEnv | { error: string }>>();

/** `go env` of one binary, asked once per environment (forgetGoEnv() asks again). */
export function goEnvOf(binary: string, env: NodeJS.ProcessEnv = process.env): GoEnv | { error: string } {
  let perEnv = cache.get(env);
  if (!perEnv) cache.set(env, (perEnv = new Map()));
  let hit = perEnv.get(binary);
  if (hit) return hit;
  let raw: Record<string, string>;
  let experimentUnknown = false;
  try {
    try {
      raw = run(binary, env);
    } catch (e) {
      // A GOEXPERIMENT this Go does not know (mapsplitgroup on 1.26) stops every go command; ask
      // again without it and keep the setting, which may well suit the toolchain the build uses.
      if (!/unknown GOEXPERIMENT/.test(firstLine(e))) throw e;
      raw = run(binary, { ...env, GOEXPERIMENT: 'none' });
      experimentUnknown = true;
    }
    const user = raw.GOENV && raw.GOENV !== 'off' ? readEnvFile(raw.GOENV) : new Map<string, string>();
    const rootFile = raw.GOROOT ? readEnvFile(join(raw.GOROOT, 'go.env')) : new Map<string, string>();
    const config = (key: string) => env[key] || user.get(key) || rootFile.get(key) || '';
    hit = {
      binary,
      version: raw.GOVERSION ?? '',
      goexperiment: experimentUnknown ? config('GOEXPERIMENT') : raw.GOEXPERIMENT ?? '',
      goroot: raw.GOROOT ?? '',
      gomodcache: raw.GOMODCACHE ?? '',
      goos: raw.GOOS ?? '',
      goarch: raw.GOARCH ?? '',
      config,
    };
  } catch (e) {
    hit = { error: `${binary} env failed: ${firstLine(e)}` };
  }
  perEnv.set(binary, hit);
  return hit;
}

/** Forgets every answer (a toolchain may have been installed or the settings changed). */
export function forgetGoEnv(): void {
  cache = new WeakMap();
}
