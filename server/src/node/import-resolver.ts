// Where an import path's package lives, as the go command would find it, without running go:
//   1. a main module (go.work's `use` directories, else the nearest go.mod): its module path is a
//      prefix of the import path, the rest is a directory under the module root;
//   2. the standard library: a path whose first element has no dot, under GOROOT/src;
//   3. vendor/ (when vendor/modules.txt is there, as go ≥ 1.14 then builds from it; GOROOT/src
//      and GOROOT/src/cmd are such modules, which is how `net` finds golang.org/x/net);
//   4. the module cache: the longest required module path that prefixes the import path, at the
//      version go.mod requires (a `replace` by a local directory or another module wins), in its
//      case-encoded directory (`!azure` for `Azure`).
// Nothing is downloaded: a directory that is not there resolves to nothing.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { findGoWork, findUp, isFile, within } from './go-mod';

/** The modules imports are resolved against: a go.work's or one go.mod's. */
export interface ModuleContext {
  /** What identifies it (the go.work or go.mod path, or `GOROOT` for the standard library). */
  id: string;
  mains: { path: string; dir: string }[];
  /** vendor/ of the single main module, when it has a vendor/modules.txt. */
  vendor?: string;
  /** Module path → version, from every main module's requires (the higher version wins). */
  requires: Map<string, string>;
  /** Module path (and `path@version`) → what replaces it. */
  replaces: Map<string, Replacement>;
}

export type Replacement = { dir: string } | { path: string; version: string };

export interface GoPaths {
  /** `go env GOROOT`; undefined when Go is not there (the bundled snapshot stands in). */
  goroot?: string;
  /** `go env GOMODCACHE`. */
  gomodcache?: string;
}

export type Resolved =
  | { kind: 'dir'; dir: string; origin: 'module' | 'std' | 'vendor' | 'modcache' }
  /** The standard library without a GOROOT: the bundled snapshot. */
  | { kind: 'snapshot'; importPath: string };

export interface GoMod {
  module: string;
  requires: { path: string; version: string }[];
  replaces: { old: string; oldVersion?: string; new: string; newVersion?: string }[];
}

/** The module, require and replace directives of a go.mod (or the replace directives of a go.work). */
export function parseGoMod(text: string): GoMod {
  const mod: GoMod = { module: '', requires: [], replaces: [] };
  let block: string | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\/\/.*$/, '').trim();
    if (line === '') continue;
    let verb: string;
    let rest: string;
    if (block !== undefined) {
      if (line === ')') {
        block = undefined;
        continue;
      }
      verb = block;
      rest = line;
    } else {
      const m = /^(\w+)\s*(.*)$/.exec(line);
      if (!m) continue;
      if (m[2] === '(') {
        block = m[1];
        continue;
      }
      verb = m[1];
      rest = m[2];
    }
    const words = rest.split(/\s+/).map(unquote);
    if (verb === 'module' && words[0]) mod.module = words[0];
    else if (verb === 'require' && words.length >= 2) mod.requires.push({ path: words[0], version: words[1] });
    else if (verb === 'replace') {
      const arrow = words.indexOf('=>');
      if (arrow < 1 || arrow + 1 >= words.length) continue;
      mod.replaces.push({
        old: words[0],
        ...(arrow === 2 ? { oldVersion: words[1] } : {}),
        new: words[arrow + 1],
        ...(words[arrow + 2] ? { newVersion: words[arrow + 2] } : {}),
      });
    }
  }
  return mod;
}

function unquote(s: string): string {
  if (s.length >= 2 && ((s[0] === '"' && s.endsWith('"')) || (s[0] === '`' && s.endsWith('`')))) {
    try {
      return s[0] === '"' ? (JSON.parse(s) as string) : s.slice(1, -1);
    } catch {
      return s.slice(1, -1);
    }
  }
  return s;
}

/** module.EscapePath: each upper-case letter becomes `!` and its lower case. */
export function escapeModulePath(p: string): string {
  return p.replace(/[A-Z]/g, (c) => `!${c.toLowerCase()}`);
}

/** semver order of two module versions (v1.2.3, v1.2.3-pre, pseudo-versions), enough to take the higher. */
export function compareModuleVersions(a: string, b: string): number {
  const parse = (v: string) => {
    const m = /^v(\d+)\.(\d+)\.(\d+)(?:-([^+]*))?/.exec(v);
    return m ? { n: [Number(m[1]), Number(m[2]), Number(m[3])], pre: m[4] } : undefined;
  };
  const x = parse(a);
  const y = parse(b);
  if (!x || !y) return a < b ? -1 : a > b ? 1 : 0;
  for (let i = 0; i < 3; i++) if (x.n[i] !== y.n[i]) return x.n[i] - y.n[i];
  if (x.pre === y.pre) return 0;
  if (x.pre === undefined) return 1;
  if (y.pre === undefined) return -1;
  return x.pre < y.pre ? -1 : 1;
}

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** The context of the code in `dir`: its go.work (unless GOWORK=off) or its go.mod; undefined outside any module. */
export function moduleContextOf(dir: string, env: NodeJS.ProcessEnv = process.env, bound?: string): ModuleContext | undefined {
  const work = findGoWork(dir, env.GOWORK ?? '', bound);
  const mods: string[] = [];
  let replaceSources: { base: string; mod: GoMod }[] = [];
  if (work) {
    const text = readText(work) ?? '';
    const useRe = /^\s*use\s+(?:\(([\s\S]*?)\)|(\S+))/gm;
    for (const m of text.matchAll(useRe)) {
      const list = m[1] !== undefined ? m[1].split('\n').map((l) => l.replace(/\/\/.*$/, '').trim()).filter(Boolean) : [m[2]];
      for (const u of list) mods.push(join(resolve(dirname(work), unquote(u)), 'go.mod'));
    }
    // The workspace's own replace directives win over the modules'.
    replaceSources = [{ base: dirname(work), mod: parseGoMod(text) }];
  } else {
    const gomod = findUp(dir, 'go.mod', bound);
    if (!gomod) return undefined;
    mods.push(gomod);
  }
  const ctx: ModuleContext = { id: work ?? mods[0], mains: [], requires: new Map(), replaces: new Map() };
  const parsed: { base: string; mod: GoMod }[] = [];
  for (const file of mods) {
    const text = readText(file);
    if (text === undefined) continue;
    const mod = parseGoMod(text);
    parsed.push({ base: dirname(file), mod });
    ctx.mains.push({ path: mod.module, dir: dirname(file) });
    for (const r of mod.requires) {
      const had = ctx.requires.get(r.path);
      if (had === undefined || compareModuleVersions(r.version, had) > 0) ctx.requires.set(r.path, r.version);
    }
  }
  for (const { base, mod } of [...parsed, ...replaceSources]) {
    for (const r of mod.replaces) {
      const local = r.new.startsWith('./') || r.new.startsWith('../') || isAbsolute(r.new) || r.new === '.' || r.new === '..';
      const to: Replacement | undefined = local ? { dir: resolve(base, r.new) } : r.newVersion ? { path: r.new, version: r.newVersion } : undefined;
      if (to) ctx.replaces.set(r.oldVersion ? `${r.old}@${r.oldVersion}` : r.old, to);
    }
  }
  if (!work && ctx.mains.length === 1 && existsSync(join(ctx.mains[0].dir, 'vendor', 'modules.txt'))) ctx.vendor = join(ctx.mains[0].dir, 'vendor');
  return ctx;
}

/**
 * moduleContextOf for many directories: a directory that holds no go.mod (nor a go.work, when
 * GOWORK lets one apply) has its parent's context, so the walk up stops at the first directory
 * asked before, and a module's go.mod is read once, not once per package directory in it.
 */
export class ModuleContexts {
  private readonly byDir = new Map<string, ModuleContext | undefined>();

  constructor(private readonly env: NodeJS.ProcessEnv) {}

  of(dir: string): ModuleContext | undefined {
    const d = resolve(dir);
    if (this.byDir.has(d)) return this.byDir.get(d);
    const gowork = this.env.GOWORK ?? '';
    const parent = dirname(d);
    // Where findUp stops or finds something, the context is worked out from the directory itself.
    const own = parent === d || d === resolve(tmpdir()) || isFile(join(d, 'go.mod')) || ((gowork === '' || gowork === 'auto') && isFile(join(d, 'go.work')));
    const ctx = own ? moduleContextOf(d, this.env) : this.of(parent);
    this.byDir.set(d, ctx);
    return ctx;
  }
}

/** Whether an import path names a standard-library package (its first element has no dot). */
export function isStdPath(importPath: string): boolean {
  const first = importPath.split('/')[0];
  return !first.includes('.') && first !== '' && importPath !== 'C';
}

/** The directory of `importPath`'s package for code in `ctx` (undefined outside any module), or where it cannot be. */
export function resolveImport(importPath: string, ctx: ModuleContext | undefined, paths: GoPaths): Resolved | undefined {
  if (importPath === '' || importPath === 'C' || importPath.startsWith('.') || importPath.startsWith('/') || importPath.includes('\\')) return undefined;
  const prefixes = (path: string) => path !== '' && (importPath === path || importPath.startsWith(`${path}/`));
  // The main module with the longest matching path, unless a module it requires is nested deeper
  // (`github.com/containerd/containerd/api` in containerd): that module's own directory, as Go does.
  const main = (ctx?.mains ?? []).filter((m) => prefixes(m.path)).reduce<{ path: string; dir: string } | undefined>((a, m) => (!a || m.path.length > a.path.length ? m : a), undefined);
  if (main && ![...(ctx?.requires.keys() ?? [])].some((path) => path.length > main.path.length && prefixes(path))) {
    const dir = join(main.dir, importPath.slice(main.path.length));
    return isDir(dir) ? { kind: 'dir', dir, origin: 'module' } : undefined;
  }
  if (isStdPath(importPath)) {
    if (!paths.goroot) return { kind: 'snapshot', importPath };
    const dir = join(paths.goroot, 'src', importPath);
    return isDir(dir) ? { kind: 'dir', dir, origin: 'std' } : undefined;
  }
  if (!ctx) return undefined;
  if (ctx.vendor) {
    const dir = join(ctx.vendor, importPath);
    return isDir(dir) ? { kind: 'dir', dir, origin: 'vendor' } : undefined;
  }
  // The longest required module path that is a prefix of the import path.
  let best: string | undefined;
  for (const path of ctx.requires.keys()) {
    if ((importPath === path || importPath.startsWith(`${path}/`)) && (!best || path.length > best.length)) best = path;
  }
  if (best === undefined) return undefined;
  const version = ctx.requires.get(best)!;
  const rest = importPath.slice(best.length);
  const rep = ctx.replaces.get(`${best}@${version}`) ?? ctx.replaces.get(best);
  if (rep && 'dir' in rep) {
    const dir = join(rep.dir, rest);
    return isDir(dir) ? { kind: 'dir', dir, origin: 'module' } : undefined;
  }
  if (!paths.gomodcache) return undefined;
  const [modPath, modVersion] = rep ? [rep.path, rep.version] : [best, version];
  const dir = join(paths.gomodcache, `${escapeModulePath(modPath)}@${escapeModulePath(modVersion)}`, rest);
  return isDir(dir) ? { kind: 'dir', dir, origin: 'modcache' } : undefined;
}

/** Whether `dir` is in the standard library's source tree (its packages resolve their imports there). */
export function inGoroot(dir: string, paths: GoPaths): boolean {
  return paths.goroot !== undefined && within(dir, join(paths.goroot, 'src'));
}
