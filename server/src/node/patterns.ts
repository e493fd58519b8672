// Package patterns as the go command reads them (`go help packages`, cmd/go/internal/search and
// modload): `./...`, `dir/...` and plain directories and files relative to the working directory,
// absolute paths, and import paths of the main modules (`example.com/m/pkg/...`) through go.mod
// or go.work. Inside `...` it leaves out directories whose names start with `.` or `_`,
// `testdata`, vendored packages, other modules (a directory with its own go.mod) and the go.mod's
// `ignore` directories; a directory is a package when the configuration builds one of its files.
// A non-local pattern that names no main-module package but exists on disk is read as a path, so
// `mapscope check examples/...` works as it reads. A wildcard that matches nothing is a warning, as
// in go (`"./x/..." matched no packages`); a path that does not exist is a usage error.
import { readdirSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, normalize, relative, resolve, sep } from 'node:path';
import { describeConfig, type BuildConfig } from '../core/build/config';
import { matchPattern, treeCanMatch, hasPathPrefix } from '../core/build/pkgpattern';
import { configForFile, filesUnder } from './build-files';
import { UsageError } from './files';
import { ignoredByModule, isFile, mainModules, type MainModule } from './modules';

export interface Target {
  dir: string;
  /** The files reported on. */
  files: string[];
  /** The package's files under the target's configuration, the reported ones included: they all shape the package. */
  siblings: string[];
  config: BuildConfig;
}

export interface Expansion {
  targets: Target[];
  /** One line each, without the `mapscope: warning: ` prefix. */
  warnings: string[];
}

const toSlash = (p: string) => (sep === '/' ? p : p.split(sep).join('/'));
const isLocal = (p: string) => p === '.' || p === '..' || p.startsWith('./') || p.startsWith('../') || isAbsolute(p) || (sep === '\\' && (p.startsWith('.\\') || p.startsWith('..\\')));
/** A directory the `...` walk never enters (go: `.x`, `_x`, `testdata`). */
const skippedElem = (elem: string) => (elem.startsWith('.') && elem !== '.' && elem !== '..') || elem.startsWith('_') || elem === 'testdata';

/**
 * The patterns that cover every package under an editor's folder: `folder/...` and `m/...` for each
 * module nested inside it (its own go.mod), which `./...` leaves out but an editor, like gopls, shows.
 * The walk skips what `...` skips (`.x`, `_x`, `testdata`) and `vendor`.
 */
export function folderPatterns(folder: string): string[] {
  const top = resolve(folder);
  const patterns = [join(top, '...')];
  const stack = [top];
  while (stack.length > 0) {
    const dir = stack.pop()!;
    let subs: string[];
    try {
      subs = subdirectories(dir);
    } catch {
      continue; // an unreadable directory: expandPatterns reports it when it is a package's
    }
    for (const sub of subs) {
      const elem = basename(sub);
      if (skippedElem(elem) || elem === 'vendor') continue;
      if (isFile(join(sub, 'go.mod'))) patterns.push(join(sub, '...'));
      stack.push(sub);
    }
  }
  return patterns;
}

export function expandPatterns(patterns: readonly string[], cwd: string, base: BuildConfig, customTags: readonly string[] = []): Expansion {
  return new Expander(cwd, base, customTags).run(patterns);
}

class Expander {
  private readonly targets = new Map<string, Target>();
  private readonly warnings: string[] = [];
  private readonly named: string[] = [];
  private modules: MainModule[] | undefined;

  constructor(
    private readonly cwd: string,
    private readonly base: BuildConfig,
    private readonly customTags: readonly string[],
  ) {}

  run(patterns: readonly string[]): Expansion {
    for (const p of patterns) this.pattern(p);
    for (const f of this.named) this.namedFile(f);
    const targets = [...this.targets.values()].sort((a, b) => (a.dir === b.dir ? 0 : a.dir < b.dir ? -1 : 1));
    return { targets, warnings: this.warnings };
  }

  private mainModules(): MainModule[] {
    this.modules ??= mainModules(this.cwd);
    return this.modules;
  }

  private pattern(p: string): void {
    const wildcard = p.includes('...');
    if (isLocal(p)) {
      if (wildcard) this.localWildcard(p);
      else this.path(p);
      return;
    }
    const mods = this.mainModules().filter((m) => m.path !== '');
    if (wildcard) {
      const tree = treeCanMatch(p);
      const inModules = mods.filter((m) => tree(m.path));
      if (inModules.length > 0) {
        if (!this.importWildcard(p, inModules)) this.warnings.push(`"${p}" matched no packages`);
        return;
      }
    } else {
      const m = mods.filter((x) => hasPathPrefix(p, x.path)).sort((a, b) => b.path.length - a.path.length)[0];
      if (m) {
        this.importLiteral(p, m);
        return;
      }
    }
    // Not a main-module import path: a path relative to the working directory, if it is one.
    const onDisk = wildcard ? this.wildcardRoot(p) : resolve(this.cwd, p);
    if (exists(onDisk)) {
      if (wildcard) this.localWildcard(p);
      else this.path(p);
    } else if (wildcard) this.warnings.push(`"${p}" matched no packages`);
    else throw new UsageError(`${p}: no such file or directory`);
  }

  /** A file or a directory named on the command line: the directory is one package, with no directory skipped. */
  private path(p: string): void {
    const abs = resolve(this.cwd, p);
    let st;
    try {
      st = statSync(abs);
    } catch {
      throw new UsageError(`${p}: no such file or directory`);
    }
    if (st.isFile()) {
      if (!abs.endsWith('.go')) throw new UsageError(`${p}: not a .go file`);
      this.named.push(abs);
    } else if (st.isDirectory()) this.packageDir(abs, p);
    else throw new UsageError(`${p}: not a file or directory`);
  }

  /** The directory a wildcard's walk starts from: the pattern up to the last separator before `...`. */
  private wildcardRoot(p: string): string {
    const abs = resolve(this.cwd, p);
    const i = abs.indexOf('...');
    return abs.slice(0, abs.lastIndexOf(sep, i - 1) + 1) || sep;
  }

  /** `./...`, `../x/...`, `/abs/...`, `./.../deep`, `./s...`: go's MatchDirs over the file system. */
  private localWildcard(p: string): void {
    const abs = resolve(this.cwd, p);
    const root = this.wildcardRoot(p);
    let st;
    try {
      st = statSync(root);
    } catch {
      throw new UsageError(`${p}: no such file or directory`);
    }
    if (!st.isDirectory()) throw new UsageError(`${p}: ${root} is not a directory`);
    // go judges the walk's top by the pattern as written: `./...` starts at `.`, `./testdata/...` at `testdata`.
    const head = p.slice(0, p.indexOf('...'));
    const topElem = basename(normalize(head.slice(0, Math.max(head.lastIndexOf('/'), sep === '\\' ? head.lastIndexOf('\\') : -1) + 1) || '.'));
    const match = matchPattern(toSlash(abs));
    const tree = treeCanMatch(toSlash(abs));
    const top = resolve(root);
    const module = this.moduleOf(top);
    let found = false;
    const stack = [top];
    while (stack.length > 0) {
      const dir = stack.pop()!;
      const isTop = dir === top;
      if (skippedElem(isTop ? topElem : basename(dir))) continue;
      if (module && ignoredByModule(module, toSlash(relative(module.dir, dir)))) continue;
      if (!isTop && isFile(join(dir, 'go.mod'))) continue; // another module
      const name = toSlash(dir);
      if (!tree(name)) continue;
      if (match(name) && !isBuiltin(module, dir) && this.packageDir(dir)) found = true;
      for (const sub of subdirectories(dir)) stack.push(sub);
    }
    if (!found) this.warnings.push(`"${p}" matched no packages`);
  }

  /** `example.com/m/...` over the main modules (modload's matchPackages): returns whether anything matched. */
  private importWildcard(p: string, mods: MainModule[]): boolean {
    const match = matchPattern(p);
    const tree = treeCanMatch(p);
    let found = false;
    for (const m of mods) {
      const stack: { dir: string; rel: string }[] = [{ dir: m.dir, rel: '' }];
      while (stack.length > 0) {
        const { dir, rel } = stack.pop()!;
        const elem = rel === '' ? '' : basename(dir);
        if (rel !== '' && (skippedElem(elem) || ignoredByModule(m, rel))) continue;
        const name = rel === '' ? m.path : `${m.path}/${rel}`;
        if (!tree(name)) continue;
        if (rel !== '' && isFile(join(dir, 'go.mod'))) continue;
        if (match(name) && !isBuiltin(m, dir) && this.packageDir(dir)) found = true;
        if (elem === 'vendor') continue; // a vendor directory may be a package, what it holds is not the module's
        for (const sub of subdirectories(dir)) stack.push({ dir: sub, rel: rel === '' ? basename(sub) : `${rel}/${basename(sub)}` });
      }
    }
    return found;
  }

  private importLiteral(p: string, m: MainModule): void {
    const dir = p === m.path ? m.dir : join(m.dir, p.slice(m.path.length + 1));
    if (!exists(dir)) throw new UsageError(`${p}: main module (${m.path}) does not contain package ${p}`);
    this.packageDir(dir, p);
  }

  /** Adds the directory as a package if the configuration builds any of its files; `literal` names the pattern for a warning otherwise. */
  private packageDir(dir: string, literal?: string): boolean {
    const key = targetKey(dir, this.base);
    if (this.targets.has(key)) return true;
    const f = filesUnder(dir, this.base);
    if (f.withTests.length === 0) {
      if (literal !== undefined) {
        const why = f.excluded.size > 0 ? `build constraints exclude all Go files (${describeConfig(this.base, this.customTags)})` : 'no Go files';
        this.warnings.push(`${literal}: ${why} in ${relative(this.cwd, dir) || '.'}`);
      }
      return false;
    }
    this.targets.set(key, { dir, files: f.files, siblings: f.files, config: this.base });
    return true;
  }

  /**
   * A file named on the command line is checked even when the configuration leaves it out, as
   * `go vet file.go` checks it, under a configuration that builds it, with the siblings that
   * configuration builds (the editor's rule for an open file).
   */
  private namedFile(file: string): void {
    const dir = dirname(file);
    if (this.targets.get(targetKey(dir, this.base))?.files.includes(file)) return;
    const config = configForFile(file, this.base);
    const key = targetKey(dir, config);
    let t = this.targets.get(key);
    if (!t) {
      const siblings = filesUnder(dir, config).files.filter((s) => s !== file);
      t = { dir, files: [], siblings: [...siblings, file].sort(), config };
      this.targets.set(key, t);
    }
    if (!t.files.includes(file)) t.files = [...t.files, file].sort();
    if (!t.siblings.includes(file)) t.siblings = [...t.siblings, file].sort();
  }

  /** The main module whose tree holds the directory, else the nearest go.mod above it (for its `ignore` lines). */
  private moduleOf(dir: string): MainModule | undefined {
    const inMain = this.mainModules()
      .filter((m) => dir === m.dir || dir.startsWith(m.dir + sep))
      .sort((a, b) => b.dir.length - a.dir.length)[0];
    return inMain ?? mainModules(dir)[0];
  }
}

/** The standard library's documentation-only package `builtin`, which go leaves out of wildcards. */
const isBuiltin = (m: MainModule | undefined, dir: string) => m?.path === 'std' && dir === join(m.dir, 'builtin');

function targetKey(dir: string, c: BuildConfig): string {
  return `${dir}\u0000${c.goos}/${c.goarch}/${c.cgo}/${c.tests}/${c.tags.join(',')}`;
}

function exists(p: string): boolean {
  try {
    statSync(p);
    return true;
  } catch {
    return false;
  }
}

/** Subdirectories, not following symbolic links (go's walk does not follow them either). */
function subdirectories(dir: string): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (e) {
    throw new UsageError(`${dir}: cannot read directory (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  return entries.filter((e) => e.isDirectory()).map((e) => join(dir, e.name));
}
