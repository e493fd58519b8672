// The file-system side of reading profiles, shared by the CLI and the server: a profile file read
// and decompressed (Go writes them gzipped), and the Go code it names found under a source root.
// A path in a profile is where the file was at build time: the same absolute path, a module path
// (`-trimpath`, and `go test` in a module), or the same file built elsewhere; it is matched in that
// order, the last by its trailing directories and name, and never by the name alone (the standard
// library has a sort.go too).
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { PackageIndex } from '../core/index/package-index';
import { summarize, type FileSummary, type SourceUnit } from '../core/index/summary';
import { decodeProfile, ProfileError, type DecodedProfile } from '../core/profile/decode';
import type { ProfileSources } from '../core/profile/attribute';
import { SiteLines } from '../core/profile/site-lines';
import type { GoParser } from '../core/parse/parser';
import { LineIndex } from '../core/parse/positions';
import type { SitesOptions } from '../core/sites';
import { resolveBuildConfig } from './build-config';
import { packageFiles, readGoSource } from './files';
import { expandPatterns, folderPatterns } from './patterns';

/** Reads a pprof file, gzipped or not. Throws ProfileError with one line saying what is wrong. */
export function readProfileFile(path: string): DecodedProfile {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ProfileError(code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'a directory, not a profile' : `cannot read (${code ?? 'error'})`);
  }
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = gunzipSync(bytes);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new ProfileError(code === 'Z_BUF_ERROR' ? 'truncated: the gzip stream ends early' : `damaged gzip data (${(e as Error).message})`);
    }
  }
  return decodeProfile(bytes);
}

/** `module example.com/x` lines of the go.mod files under a root: module path → directory. */
function modulesUnder(root: string, files: readonly string[]): Map<string, string> {
  const modules = new Map<string, string>();
  const dirs = new Set<string>([root]);
  for (const f of files) for (let d = dirname(f); d.startsWith(root); d = dirname(d)) {
    if (dirs.has(d)) break;
    dirs.add(d);
  }
  // The root's own module may live above it (a package directory inside a module).
  for (let d = root; ; d = dirname(d)) {
    dirs.add(d);
    if (existsSync(join(d, 'go.mod')) || dirname(d) === d) break;
  }
  for (const d of dirs) {
    const gomod = join(d, 'go.mod');
    if (!existsSync(gomod)) continue;
    try {
      const m = /^module\s+("?)([^\s"]+)\1/m.exec(readFileSync(gomod, 'utf8'));
      if (m) modules.set(m[2], d);
    } catch {
      // unreadable go.mod: no module path from it
    }
  }
  return modules;
}

export interface SourceOptions extends SitesOptions {
  /** The text of files open in an editor, which may differ from the disk. */
  openText?: (path: string) => string | undefined;
}

/** The Go code under a root directory, parsed on demand for the profile attribution. Call dispose() when done. */
export class DiskSources implements ProfileSources {
  private readonly byName = new Map<string, string[]>();
  private readonly modules: Map<string, string>;
  private readonly units = new Map<string, SourceUnit | null>();
  private readonly summaries = new Map<string, FileSummary>();
  private readonly siteLines = new Map<string, SiteLines | null>();
  private readonly local = new Map<string, string | undefined>();

  readonly root: string;

  constructor(
    private readonly parser: GoParser,
    root: string,
    private readonly options: SourceOptions,
  ) {
    this.root = resolve(root);
    root = this.root;
    // The Go files `mapscope check ./...` reads under the host's configuration (profiles name the
    // files a build compiled); a single file stands for itself.
    const host = () => resolveBuildConfig({}, { mayRunGo: false, fallbackGo: options.go }).config;
    const files = statSync(root).isDirectory() ? expandPatterns(folderPatterns(root), root, host()).targets.flatMap((t) => t.files) : [root];
    for (const f of files) this.byName.set(basename(f), [...(this.byName.get(basename(f)) ?? []), f]);
    this.modules = modulesUnder(statSync(root).isDirectory() ? root : dirname(root), files);
  }

  localFile(profilePath: string): string | undefined {
    if (!this.local.has(profilePath)) this.local.set(profilePath, this.match(profilePath));
    return this.local.get(profilePath);
  }

  private match(p: string): string | undefined {
    const candidates = this.byName.get(basename(p.replace(/\\/g, '/')));
    if (!candidates) return undefined;
    if (isAbsolute(p) && candidates.includes(p)) return p;
    for (const [mod, dir] of this.modules) {
      if (p.startsWith(`${mod}/`)) {
        const f = join(dir, p.slice(mod.length + 1));
        if (candidates.includes(f)) return f;
      }
    }
    // The longest run of trailing directories and name in common; at least one directory, and one winner.
    const parts = p.split(/[\\/]/).reverse();
    let best: string | undefined;
    let bestLen = 1;
    let tie = false;
    for (const c of candidates) {
      const cp = relative(this.root, c).split(sep).reverse();
      let n = 0;
      while (n < parts.length && n < cp.length && parts[n] === cp[n]) n++;
      if (n > bestLen) {
        best = c;
        bestLen = n;
        tie = false;
      } else if (n === bestLen && n > 1) tie = true;
    }
    return tie ? undefined : best;
  }

  lines(file: string): SiteLines | undefined {
    if (!this.siteLines.has(file)) {
      const unit = this.unit(file);
      let lines: SiteLines | null = null;
      if (unit) {
        const pkg = new PackageIndex(this.packageFiles(file).map((f) => this.summary(f)!));
        lines = new SiteLines(unit, pkg, this.options);
      }
      this.siteLines.set(file, lines);
    }
    return this.siteLines.get(file) ?? undefined;
  }

  packageFiles(file: string): string[] {
    const name = this.summary(file)?.packageName;
    if (name === undefined) return [file];
    return packageFiles(dirname(file)).filter((f) => this.summary(f)?.packageName === name);
  }

  private summary(file: string): FileSummary | undefined {
    let s = this.summaries.get(file);
    if (!s) {
      const unit = this.unit(file);
      if (!unit) return undefined;
      this.summaries.set(file, (s = summarize(unit)));
    }
    return s;
  }

  private unit(file: string): SourceUnit | undefined {
    if (!this.units.has(file)) {
      const open = this.options.openText?.(file);
      const read = open !== undefined ? { ok: true as const, text: open } : readGoSource(file);
      this.units.set(file, read.ok ? { path: file, text: read.text, tree: this.parser.parse(read.text), lines: new LineIndex(read.text) } : null);
    }
    return this.units.get(file) ?? undefined;
  }

  /** Frees the parsed trees (the wasm heap is not garbage collected). */
  dispose(): void {
    for (const u of this.units.values()) u?.tree.delete();
    this.units.clear();
    this.summaries.clear();
    this.siteLines.clear();
  }
}
