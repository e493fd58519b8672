// One build configuration, as the go command applies it to a directory's files (go/build's
// matchFile, goodOSArchFile and matchTag): the GOOS/GOARCH file-name suffixes, `//go:build` and
// `// +build` lines, cgo files, `_test.go` files, and files whose names start with `_` or `.`.
// configIncluding() gives the editor a configuration under which an open file is built, so a
// `_windows.go` file opened on Linux is checked against its Windows siblings.
import { ConstraintError, evaluate, parseGoBuild, parsePlusBuild, plusBuildText, tagsOf, type Expr } from './constraint';
import { readHeader, type FileHeader } from './header';

/** The GOOS values the go command knows (internal/syslist.KnownOS): a file-name suffix names one of these. */
export const KNOWN_OS: ReadonlySet<string> = new Set([
  'aix', 'android', 'darwin', 'dragonfly', 'freebsd', 'hurd', 'illumos', 'ios', 'js', 'linux', 'nacl', 'netbsd', 'openbsd', 'plan9', 'solaris', 'wasip1', 'windows', 'zos',
]);

/** The GOOS values the `unix` tag matches (internal/syslist.UnixOS). */
export const UNIX_OS: ReadonlySet<string> = new Set([
  'aix', 'android', 'darwin', 'dragonfly', 'freebsd', 'hurd', 'illumos', 'ios', 'linux', 'netbsd', 'openbsd', 'solaris',
]);

/** The GOARCH values the go command knows (internal/syslist.KnownArch). */
export const KNOWN_ARCH: ReadonlySet<string> = new Set([
  '386', 'amd64', 'amd64p32', 'arm', 'armbe', 'arm64', 'arm64be', 'loong64', 'mips', 'mipsle', 'mips64', 'mips64le', 'mips64p32', 'mips64p32le',
  'ppc', 'ppc64', 'ppc64le', 'riscv', 'riscv64', 's390', 's390x', 'sparc', 'sparc64', 'wasm',
]);

/** GOOS values that also satisfy another OS's tag and file suffix. */
const IMPLIES: Readonly<Record<string, string>> = { android: 'linux', illumos: 'solaris', ios: 'darwin' };

export interface BuildConfig {
  goos: string;
  goarch: string;
  cgo: boolean;
  /** The compiler tag: the go command's is `gc`. */
  compiler: string;
  /** Every other tag that holds: `-tags`, the tool tags (goexperiment.*, amd64.v1, …) and the release tags go1.1…go1.N. */
  tags: string[];
  /** Whether `_test.go` files are part of the packages (go vet: yes). */
  tests: boolean;
}

/** go1.1 … go1.<minor>: the release tags of a toolchain (or language version) 1.<minor>. */
export function releaseTags(minor: number): string[] {
  return Array.from({ length: minor }, (_, i) => `go1.${i + 1}`);
}

export function matchTag(c: BuildConfig, name: string): boolean {
  if (c.cgo && name === 'cgo') return true;
  if (name === c.goos || name === c.goarch || name === c.compiler) return true;
  if (IMPLIES[c.goos] === name) return true;
  if (name === 'unix' && UNIX_OS.has(c.goos)) return true;
  if (name === 'boringcrypto') name = 'goexperiment.boringcrypto'; // its old name, as go/build reads it
  return c.tags.includes(name);
}

/** False when the name carries a `_GOOS`, `_GOARCH` or `_GOOS_GOARCH` suffix (before `_test`) that the configuration does not match. */
export function goodOSArchFile(c: BuildConfig, name: string): boolean {
  const parts = osArchSuffix(name);
  return parts.every((p) => matchTag(c, p));
}

/** The known OS and arch names a file name's suffix constrains it to (go/build's goodOSArchFile). */
export function osArchSuffix(name: string): string[] {
  let base = name.split('.')[0];
  const underscore = base.indexOf('_');
  if (underscore < 0) return []; // `linux.go` is not constrained, only `x_linux.go` is
  base = base.slice(underscore);
  const l = base.split('_');
  if (l[l.length - 1] === 'test') l.pop();
  const n = l.length;
  if (n >= 2 && KNOWN_OS.has(l[n - 2]) && KNOWN_ARCH.has(l[n - 1])) return [l[n - 2], l[n - 1]];
  if (n >= 1 && (KNOWN_OS.has(l[n - 1]) || KNOWN_ARCH.has(l[n - 1]))) return [l[n - 1]];
  return [];
}

/** A file's build constraint: its `//go:build` line, else the AND of its `// +build` lines; undefined when it has none. */
export function constraintOf(h: FileHeader): Expr | undefined {
  if (h.multipleGoBuild) throw new ConstraintError('multiple //go:build comments');
  if (h.goBuild !== undefined) return parseGoBuild(h.goBuild.slice('//go:build'.length).trim());
  let x: Expr | undefined;
  for (const line of h.plusBuild) {
    const text = plusBuildText(line);
    if (text === undefined) continue;
    let y: Expr;
    try {
      y = parsePlusBuild(text);
    } catch {
      continue; // go/build ignores a +build line it cannot parse
    }
    x = x ? { kind: 'and', x, y } : y;
  }
  return x;
}

/** Why a file is not part of the build, or undefined when it is. */
export type Exclusion = 'name' | 'test' | 'os/arch suffix' | 'build constraints' | 'cgo' | 'invalid build constraint';

/** What decides whether a file is built, read once from its name and head. */
export interface FileConstraints {
  name: string;
  expr?: Expr;
  /** A `//go:build` line that does not parse, or two of them: go rejects the file. */
  invalid: boolean;
  importsC: boolean;
}

/** `name` is the file's base name; `text` its content (only the head is read). */
export function fileConstraints(name: string, text: string): FileConstraints {
  const h = readHeader(text);
  try {
    const expr = constraintOf(h);
    return { name, ...(expr ? { expr } : {}), invalid: false, importsC: h.importsC };
  } catch (e) {
    if (e instanceof ConstraintError) return { name, invalid: true, importsC: h.importsC };
    throw e;
  }
}

/** Whether the go command builds the file under the configuration (go/build's matchFile and its cgo rule). */
export function exclusion(c: BuildConfig, f: FileConstraints): Exclusion | undefined {
  const { name } = f;
  if (name.startsWith('_') || name.startsWith('.')) return 'name';
  if (!c.tests && name.endsWith('_test.go')) return 'test';
  if (!goodOSArchFile(c, name)) return 'os/arch suffix';
  if (f.invalid) return 'invalid build constraint';
  if (f.expr && !evaluate(f.expr, (t) => matchTag(c, t))) return 'build constraints';
  if (f.importsC && !c.cgo) return 'cgo';
  return undefined;
}

/** How a configuration is described in messages: `GOOS=linux GOARCH=amd64 -tags=a,b`. */
export function describeConfig(c: BuildConfig, customTags: readonly string[] = []): string {
  return `GOOS=${c.goos} GOARCH=${c.goarch}${customTags.length > 0 ? ` -tags=${customTags.join(',')}` : ''}${c.cgo ? '' : ' CGO_ENABLED=0'}`;
}

/** Tags the configuration search may switch on or off freely: neither an OS, an arch nor a release tag. */
const isFreeTag = (t: string) => !KNOWN_OS.has(t) && !KNOWN_ARCH.has(t) && t !== 'unix' && !/^go1\.\d+$/.test(t);

/** At most this many free tags are searched over (2^n combinations); a constraint naming more keeps the base tags. */
const MAX_FREE_TAGS = 10;

/**
 * A configuration under which the file is built, as close to `base` as the file allows: `base`
 * itself when it builds the file; otherwise the OS and arch its name or constraint asks for, and
 * the fewest changed tags. When nothing found satisfies the constraint (a contradiction, `ignore`
 * with others), the OS/arch-adjusted configuration is returned and the caller includes the file
 * anyway, as the go command does for a file named on its command line.
 */
export function configIncluding(base: BuildConfig, f: FileConstraints): BuildConfig {
  const start: BuildConfig = { ...base, tests: base.tests || f.name.endsWith('_test.go'), cgo: base.cgo || f.importsC };
  if (exclusion(base, f) === undefined) return base;
  if (exclusion(start, f) === undefined) return start;
  const mentioned = f.expr ? [...tagsOf(f.expr)] : [];
  const suffix = osArchSuffix(f.name);
  const suffixOS = suffix.find((t) => KNOWN_OS.has(t));
  const suffixArch = suffix.find((t) => KNOWN_ARCH.has(t));
  // The suffix is a hard requirement; the constraint's names are options, tried after the base's own.
  const osChoices = suffixOS ? [suffixOS] : unique([base.goos, ...mentioned.filter((t) => KNOWN_OS.has(t)), ...(mentioned.includes('unix') ? ['linux'] : [])]);
  const archChoices = suffixArch ? [suffixArch] : unique([base.goarch, ...mentioned.filter((t) => KNOWN_ARCH.has(t))]);
  const free = mentioned.filter(isFreeTag).slice(0, MAX_FREE_TAGS);
  let best: { c: BuildConfig; changes: number } | undefined;
  for (const goos of osChoices) {
    for (const goarch of archChoices) {
      for (let mask = 0; mask < 1 << free.length; mask++) {
        let tags = start.tags;
        let cgo = start.cgo;
        let changes = (goos !== base.goos ? 1 : 0) + (goarch !== base.goarch ? 1 : 0);
        for (let i = 0; i < free.length; i++) {
          const on = (mask & (1 << i)) !== 0;
          const t = free[i];
          if (t === 'cgo') {
            if (on !== cgo) changes++;
            cgo = on;
          } else if (on !== tags.includes(t)) {
            changes++;
            tags = on ? [...tags, t] : tags.filter((u) => u !== t);
          }
        }
        if (best && changes >= best.changes) continue;
        const c = { ...start, goos, goarch, cgo, tags };
        if (exclusion(c, f) === undefined) best = { c, changes };
      }
    }
  }
  return best?.c ?? { ...start, goos: osChoices[0], goarch: archChoices[0] };
}

const unique = (xs: string[]) => [...new Set(xs)];
