// Which Go the code targets, and so which map implementation and language facts apply (design.md
// §3.5). Resolving the version from the environment (settings, `go env`, go.mod) is the front
// end's job; core only parses and interprets what it is given.

export interface GoVersion {
  major: 1;
  minor: number;
  /** GOEXPERIMENT contains `noswissmap` (only meaningful for 1.24 and 1.25). */
  noSwissMap?: boolean;
}

/** The newest Go whose maps the engine models. */
export const NEWEST_GO: GoVersion = { major: 1, minor: 26 };

/** Parses `1.22`, `1.22.3`, `go1.22`, `go1.23rc1`, `go1.24.0 X:noswissmap`. */
export function parseGoVersion(text: string): GoVersion | undefined {
  const m = /^\s*(?:go)?1\.(\d+)(?:\.\d+)?(?:(?:rc|beta)\d+)?(?:\s+X:(\S+))?\s*$/i.exec(text);
  if (!m) return undefined;
  const minor = Number(m[1]);
  const experiments = m[2]?.split(',') ?? [];
  return { major: 1, minor, ...(experiments.includes('noswissmap') ? { noSwissMap: true } : {}) };
}

export function formatGoVersion(v: GoVersion): string {
  return `1.${v.minor}`;
}

/** A go.mod's `toolchain` and `go` lines as written (`go1.26.1`, `1.22`). */
export function goModLines(gomod: string): { toolchain?: string; go?: string } {
  const toolchain = /^toolchain\s+(\S+)/m.exec(gomod)?.[1];
  const go = /^go\s+(\S+)/m.exec(gomod)?.[1];
  return { ...(toolchain ? { toolchain } : {}), ...(go ? { go } : {}) };
}

/** Reads `toolchain go1.x.y`, else `go 1.x`, from a go.mod's text. */
export function goVersionFromGoMod(gomod: string): GoVersion | undefined {
  const { toolchain, go } = goModLines(gomod);
  return (toolchain !== undefined ? parseGoVersion(toolchain) : undefined) ?? (go !== undefined ? parseGoVersion(go) : undefined);
}

export function mapImplementation(v: GoVersion): 'classic' | 'swiss' {
  if (v.minor < 24) return 'classic';
  if (v.minor <= 25 && v.noSwissMap) return 'classic';
  return 'swiss';
}
