// go.mod and go.work as cmd/go reads them to pick a toolchain (toolchain/select.go) and a language
// version (work/gc.go's -lang): where they are found, their `go` and `toolchain` lines, and how Go
// versions compare (cmd/go/internal/gover).
import { existsSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve, sep } from 'node:path';

export interface ModuleFile {
  path: string;
  kind: 'go.mod' | 'go.work';
  /** The `go` line's version (`1.22`, `1.21.3`), if any. */
  go?: string;
  /** The `toolchain` line's name (`go1.27.3`, `default`), if any. */
  toolchain?: string;
}

/** gover.GoModLookup: the first line `key value` (comments stripped), as the toolchain switch reads it. */
export function goModLookup(text: string, key: 'go' | 'toolchain'): string | undefined {
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line.startsWith(key) || (line[key.length] !== ' ' && line[key.length] !== '\t')) continue;
    const value = line.slice(key.length).split('//')[0].trim();
    return value === '' ? undefined : value;
  }
  return undefined;
}

export function readModuleFile(path: string): ModuleFile | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
  const go = goModLookup(text, 'go');
  const toolchain = goModLookup(text, 'toolchain');
  return { path, kind: path.endsWith('go.work') ? 'go.work' : 'go.mod', ...(go ? { go } : {}), ...(toolchain ? { toolchain } : {}) };
}

export function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

/** Whether `dir` is `root` or inside it. */
export function within(dir: string, root: string): boolean {
  const r = resolve(root);
  const d = resolve(dir);
  return d === r || d.startsWith(r.endsWith(sep) ? r : r + sep);
}

/**
 * The nearest `name` at or above `dir`, never above `bound` when given (the editor's workspace
 * folder). For go.mod, cmd/go's FindGoMod ignores one directly in the temp directory; for
 * go.work, findWorkspaceFile does not cross GOROOT.
 */
export function findUp(dir: string, name: 'go.mod' | 'go.work', bound?: string, goroot?: string): string | undefined {
  if (bound !== undefined && !within(dir, bound)) bound = undefined;
  for (let d = resolve(dir); ; d = dirname(d)) {
    const p = join(d, name);
    if (isFile(p)) return name === 'go.mod' && d === resolve(tmpdir()) ? undefined : p;
    if (dirname(d) === d || (bound !== undefined && d === resolve(bound))) return undefined;
    if (name === 'go.work' && goroot && dirname(d) === resolve(goroot)) return undefined;
  }
}

/**
 * The go.work that applies to `dir` under a GOWORK setting (cmd/go FindGoWork): `off` → none, an
 * absolute path → that file, empty or `auto` → the nearest one.
 */
export function findGoWork(dir: string, gowork: string, bound?: string, goroot?: string): string | undefined {
  if (gowork === 'off') return undefined;
  if (gowork !== '' && gowork !== 'auto') return existsSync(gowork) ? gowork : undefined;
  return findUp(dir, 'go.work', bound, goroot);
}

interface ParsedVersion {
  major: number;
  minor: number;
  /** -1 when absent (a language version or a pre-release). */
  patch: number;
  /** 0 language version (`1.21`), 1 beta, 2 rc, 3 release. */
  kind: number;
  pre: number;
}

function parse(v: string): ParsedVersion | undefined {
  const m = /^(\d+)\.(\d+)(?:\.(\d+)|(beta|rc)(\d+))?$/.exec(v);
  if (!m) return undefined;
  return {
    major: Number(m[1]), minor: Number(m[2]),
    patch: m[3] !== undefined ? Number(m[3]) : -1,
    kind: m[3] !== undefined ? 3 : m[4] === 'beta' ? 1 : m[4] === 'rc' ? 2 : 0,
    pre: m[5] !== undefined ? Number(m[5]) : 0,
  };
}

/** gover.IsValid: `1.21`, `1.21rc1`, `1.21.3`. */
export function isValidGoVersion(v: string): boolean {
  return parse(v) !== undefined;
}

/** gover.Compare: 1.21 < 1.21beta1 < 1.21rc1 < 1.21.0 < 1.21.1. Invalid versions sort first. */
export function compareGoVersions(a: string, b: string): number {
  const x = parse(a);
  const y = parse(b);
  if (!x || !y) return x ? 1 : y ? -1 : 0;
  return x.major - y.major || x.minor - y.minor || x.patch - y.patch || x.kind - y.kind || x.pre - y.pre;
}

/** gover.IsLang: a language version such as `1.22`, which names no toolchain from 1.21 on. */
export function isLangVersion(v: string): boolean {
  return parse(v)?.kind === 0;
}

/** gover.FromToolchain: `go1.27.3` → `1.27.3`; `go1.21.1-bigcorp` → `1.21.1`; anything else → undefined. */
export function versionOfToolchain(name: string): string | undefined {
  if (/[\\/]/.test(name) || !name.startsWith('go')) return undefined;
  const v = name.slice(2).split(/[\s-]/)[0];
  return isValidGoVersion(v) ? v : undefined;
}
