// The main modules a pattern is resolved against, found as the go command finds them: the
// go.work above the working directory (unless GOWORK=off; GOWORK=path names one), its `use`
// directories; otherwise the nearest go.mod. From each go.mod: the module path and the `ignore`
// directives (Go 1.25), which `...` patterns leave out.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

export interface MainModule {
  /** Absolute directory of the go.mod. */
  dir: string;
  /** The module path; '' when the go.mod has no module line. */
  path: string;
  /** `ignore` directives: `./x` (relative to the root) or `x` (any directory named x). */
  ignore: string[];
}

export function mainModules(cwd: string): MainModule[] {
  const work = goWorkFile(cwd);
  if (work) {
    const dirs = directives(readText(work), 'use').map((u) => resolve(dirname(work), u));
    return dirs.flatMap((d) => {
      const m = readModule(d);
      return m ? [m] : [];
    });
  }
  for (let d = resolve(cwd); ; d = dirname(d)) {
    if (isFile(join(d, 'go.mod'))) {
      const m = readModule(d);
      return m ? [m] : [];
    }
    if (dirname(d) === d) return [];
  }
}

function goWorkFile(cwd: string): string | undefined {
  const env = process.env.GOWORK;
  if (env === 'off') return undefined;
  if (env) return existsSync(env) ? resolve(env) : undefined;
  for (let d = resolve(cwd); ; d = dirname(d)) {
    if (isFile(join(d, 'go.work'))) return join(d, 'go.work');
    if (dirname(d) === d) return undefined;
  }
}

function readModule(dir: string): MainModule | undefined {
  const text = readText(join(dir, 'go.mod'));
  if (text === undefined) return undefined;
  return { dir, path: directives(text, 'module')[0] ?? '', ignore: directives(text, 'ignore') };
}

/** The arguments of a directive in a go.mod or go.work: `verb arg` lines and `verb ( … )` blocks, quotes removed. */
export function directives(text: string | undefined, verb: string): string[] {
  if (text === undefined) return [];
  const out: string[] = [];
  let inBlock = false;
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\/\/.*$/, '').trim();
    if (inBlock) {
      if (line === ')') inBlock = false;
      else if (line !== '') out.push(unquote(line.split(/\s+/)[0]));
      continue;
    }
    const m = /^(\w+)\s*(.*)$/.exec(line);
    if (!m || m[1] !== verb) continue;
    const arg = m[2].trim();
    if (arg === '(') inBlock = true;
    else if (arg !== '') out.push(unquote(arg.split(/\s+/)[0]));
  }
  return out;
}

function unquote(s: string): string {
  if ((s.startsWith('"') && s.endsWith('"')) || (s.startsWith('`') && s.endsWith('`'))) {
    try {
      return s.startsWith('"') ? (JSON.parse(s) as string) : s.slice(1, -1);
    } catch {
      return s.slice(1, -1);
    }
  }
  return s;
}

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

export function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/**
 * go's IgnorePatterns.ShouldIgnore: `./x` ignores x at the module root and below it; `x` ignores
 * every directory whose path within the module contains the element sequence x. `rel` is the
 * directory's path relative to the module root, with slashes.
 */
export function ignoredByModule(m: MainModule, rel: string): boolean {
  if (rel === '' || m.ignore.length === 0) return false;
  const dir = normalize(rel);
  for (const p of m.ignore) {
    const relative = p.startsWith('./');
    const pat = normalize(relative ? p.slice(2) : p);
    if (relative ? dir.startsWith(pat) : dir.includes(pat)) return true;
  }
  return false;
}

const normalize = (p: string) => `${p.startsWith('/') ? '' : '/'}${p}${p.endsWith('/') ? '' : '/'}`;
