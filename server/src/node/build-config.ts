// The build configuration a check runs under (issue 17): the go command's own build context from
// `go list` (GOOS, GOARCH, cgo, tool tags such as goexperiment.* and amd64.v1, release tags, and
// -tags from GOFLAGS), with --goos/--goarch/--tags on top; without Go, the host's OS and
// architecture with the default tool tags and the release tags up to the version the code targets.
import { execFileSync } from 'node:child_process';
import { isValidTag } from '../core/build/constraint';
import { KNOWN_ARCH, KNOWN_OS, releaseTags, type BuildConfig } from '../core/build/config';
import type { GoVersion } from '../core/go-version';
import { UsageError } from './files';

export interface BuildFlags {
  goos?: string;
  goarch?: string;
  /** Replaces the tags of GOFLAGS, as `go build -tags` does. */
  tags?: string[];
  /** Default true, as `go vet` analyses tests. */
  tests?: boolean;
}

export interface ResolvedBuild {
  config: BuildConfig;
  /** The -tags in force (from --tags or GOFLAGS), for messages. */
  buildTags: string[];
  /** Where GOOS/GOARCH came from. */
  source: 'go list' | 'host';
}

/** Splits a -tags value: comma-separated, or the older space-separated form; rejects what is not a tag. */
export function parseTags(value: string): string[] {
  const tags = value.split(/[,\s]+/).filter(Boolean);
  const bad = tags.filter((t) => !isValidTag(t));
  if (bad.length > 0) throw new UsageError(`--tags: "${bad[0]}" is not a build tag (letters, digits, _ and .)`);
  return tags;
}

export function validateOS(goos: string): string {
  if (!KNOWN_OS.has(goos)) throw new UsageError(`--goos: unknown GOOS "${goos}" (known: ${[...KNOWN_OS].join(', ')})`);
  return goos;
}

export function validateArch(goarch: string): string {
  if (!KNOWN_ARCH.has(goarch)) throw new UsageError(`--goarch: unknown GOARCH "${goarch}" (known: ${[...KNOWN_ARCH].join(', ')})`);
  return goarch;
}

const cache = new Map<string, Context | null>();

/**
 * The configuration for these flags. `mayRunGo` is false in an untrusted workspace; `fallbackGo`
 * gives the release tags when Go is not there to ask.
 */
export function resolveBuildConfig(flags: BuildFlags, opts: { mayRunGo: boolean; fallbackGo: GoVersion }): ResolvedBuild {
  const fromGo = opts.mayRunGo ? goListContext(flags.goos, flags.goarch) : null;
  const ctx = fromGo ?? hostContext(flags.goos, flags.goarch, opts.fallbackGo);
  const buildTags = flags.tags ?? ctx.buildTags;
  return {
    config: { ...ctx.config, tags: [...buildTags, ...ctx.config.tags], tests: flags.tests ?? true },
    buildTags,
    source: fromGo ? 'go list' : 'host',
  };
}

interface Context {
  config: BuildConfig;
  buildTags: string[];
}

/** `go list`'s build context for the platform, once per process; null when go is absent or silent. */
function goListContext(goos: string | undefined, goarch: string | undefined): Context | null {
  const key = `${goos ?? ''}/${goarch ?? ''}`;
  const cached = cache.get(key);
  if (cached !== undefined) return cached;
  const env = { ...process.env, ...(goos ? { GOOS: goos } : {}), ...(goarch ? { GOARCH: goarch } : {}) };
  const format = '{{context.GOOS}}\n{{context.GOARCH}}\n{{context.CgoEnabled}}\n{{context.Compiler}}\n{{join context.BuildTags ","}}\n{{join context.ToolTags ","}}\n{{join context.ReleaseTags ","}}';
  let out: string;
  try {
    out = execFileSync('go', ['list', '-e', '-f', format, 'unsafe'], { env, timeout: 10_000, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    cache.set(key, null);
    return null;
  }
  const [os, arch, cgo, compiler, buildTags, toolTags, release] = out.split('\n');
  // go list takes any pair; go vet and go build refuse the ones the toolchain cannot build for.
  if ((goos || goarch) && !supported(supportedPairs(env), `${os}/${arch}`)) throw new UsageError(`unsupported GOOS/GOARCH pair ${os}/${arch}`);
  const list = (s: string | undefined) => (s ?? '').split(',').filter(Boolean);
  const ctx: Context = {
    config: { goos: os, goarch: arch, cgo: cgo === 'true', compiler, tags: [...list(toolTags), ...list(release)], tests: true },
    buildTags: list(buildTags),
  };
  cache.set(key, ctx);
  return ctx;
}

const supported = (pairs: string[], pair: string) => pairs.length === 0 || pairs.includes(pair);

/** `go tool dist list`: the GOOS/GOARCH pairs the toolchain supports; empty when it does not answer (then nothing is refused). */
function supportedPairs(env: NodeJS.ProcessEnv): string[] {
  try {
    return execFileSync('go', ['tool', 'dist', 'list'], { env, timeout: 10_000, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).split('\n').filter(Boolean);
  } catch {
    return [];
  }
}

const NODE_OS: Readonly<Record<string, string>> = { win32: 'windows', darwin: 'darwin', linux: 'linux', freebsd: 'freebsd', openbsd: 'openbsd', netbsd: 'netbsd', aix: 'aix', sunos: 'solaris', android: 'android' };
const NODE_ARCH: Readonly<Record<string, string>> = { x64: 'amd64', ia32: '386', arm: 'arm', arm64: 'arm64', ppc64: 'ppc64le', s390x: 's390x', riscv64: 'riscv64', loong64: 'loong64', mips: 'mips', mipsel: 'mipsle' };

/** The microarchitecture tags the go command sets by default (GOAMD64=v1, GOARM=7, …). */
const DEFAULT_TOOL_TAGS: Readonly<Record<string, string[]>> = {
  amd64: ['amd64.v1'],
  arm64: ['arm64.v8.0'],
  arm: ['arm.5', 'arm.6', 'arm.7'],
  '386': ['386.sse2'],
  ppc64: ['ppc64.power8'],
  ppc64le: ['ppc64le.power8'],
  riscv64: ['riscv64.rva20u64'],
  wasm: ['wasm.satconv', 'wasm.signext'],
  mips: ['mips.hardfloat'],
  mipsle: ['mipsle.hardfloat'],
  mips64: ['mips64.hardfloat'],
  mips64le: ['mips64le.hardfloat'],
};

/** Without Go: the host platform (or the flags'), cgo when native and not turned off, and GOFLAGS's -tags. */
function hostContext(goos: string | undefined, goarch: string | undefined, go: GoVersion): Context {
  const hostOS = NODE_OS[process.platform] ?? process.platform;
  const hostArch = NODE_ARCH[process.arch] ?? process.arch;
  const os = goos ?? process.env.GOOS ?? hostOS;
  const arch = goarch ?? process.env.GOARCH ?? hostArch;
  const cgoEnv = process.env.CGO_ENABLED;
  const cgo = cgoEnv === '1' || (cgoEnv !== '0' && os === hostOS && arch === hostArch);
  const goflagsTags = /(?:^|\s)--?tags[= ](\S+)/.exec(process.env.GOFLAGS ?? '')?.[1];
  return {
    config: { goos: os, goarch: arch, cgo, compiler: 'gc', tags: [...(DEFAULT_TOOL_TAGS[arch] ?? []), ...releaseTags(go.minor)], tests: true },
    buildTags: goflagsTags ? goflagsTags.split(',').filter(Boolean) : [],
  };
}
