// Which Go the code targets (design.md §3.5). Two versions matter and are resolved separately:
// the toolchain (its release and GOEXPERIMENT decide the map implementation and layout) and the
// language version (go.mod's `go` line: per-iteration loop variables, range over int, wg.Go).
// Resolving them from the environment (settings, `go env`, go.mod) is the front end's job; core
// only parses and interprets what it is given.

export interface GoVersion {
  major: 1;
  minor: number;
  /** The patch release when the source says it (`go1.27.3` → 3); absent for `1.20` or `go 1.22`. */
  patch?: number;
  /** GOEXPERIMENT contains `noswissmap` (only meaningful for 1.24 and 1.25). */
  noSwissMap?: boolean;
  /** GOEXPERIMENT contains `mapsplitgroup` (1.27+): a swiss group keeps its keys and its elems in two arrays. */
  mapSplitGroup?: boolean;
}

/** The newest Go whose maps the engine models. */
export const NEWEST_GO: GoVersion = { major: 1, minor: 27 };

/**
 * The GOEXPERIMENTs that change maps: the experiment's name, the field it drives, whether that
 * field is set when the experiment is on (mapsplitgroup) or off (`noswissmap` selects the classic
 * map), and the minor releases that know it.
 */
const MAP_EXPERIMENTS = [
  { name: 'swissmap', field: 'noSwissMap', whenOn: false, from: 24, to: 25 },
  { name: 'mapsplitgroup', field: 'mapSplitGroup', whenOn: true, from: 27, to: Infinity },
] as const;

/**
 * Applies a GOEXPERIMENT list (`mapsplitgroup`, `nomapsplitgroup,mapsplitgroup`, `none`) to the
 * map experiments as cmd/go reads it: left to right, a later entry wins, `no` turns one off and
 * `none` resets all to the release's defaults. Experiments that do not touch maps are ignored.
 */
export function withGoExperiment(v: GoVersion, goexperiment: string): GoVersion {
  const out: GoVersion = { ...v };
  for (const raw of goexperiment.split(',')) {
    const token = raw.trim().toLowerCase();
    if (token === 'none') {
      for (const e of MAP_EXPERIMENTS) delete out[e.field];
      continue;
    }
    const on = !token.startsWith('no');
    const e = MAP_EXPERIMENTS.find((x) => x.name === (on ? token : token.slice(2)));
    if (!e) continue;
    if (on === e.whenOn) out[e.field] = true;
    else delete out[e.field];
  }
  return out;
}

/** The map experiments set on `v`, as GOEXPERIMENT entries (`['mapsplitgroup']`, `['noswissmap']`). */
export function goExperiments(v: GoVersion): string[] {
  return MAP_EXPERIMENTS.filter((e) => v[e.field] === true).map((e) => (e.whenOn ? e.name : `no${e.name}`));
}

/** Why `v`'s experiments cannot exist (the go command refuses them), or undefined when they can. */
export function goExperimentError(v: GoVersion): string | undefined {
  for (const e of MAP_EXPERIMENTS) {
    if (v[e.field] !== true || (v.minor >= e.from && v.minor <= e.to)) continue;
    const spelled = e.whenOn ? e.name : `no${e.name}`;
    return `GOEXPERIMENT=${spelled} does not exist in Go 1.${v.minor} (${e.to === Infinity ? `it arrived in 1.${e.from}` : `only 1.${e.from}–1.${e.to} have it`})`;
  }
  return undefined;
}

/**
 * Parses `1.22`, `1.22.3`, `go1.22`, `go1.23rc1`, `go1.24.0 X:noswissmap` and
 * `go1.27.3-X:mapsplitgroup` (runtime.Version() and `go version` spell it with a hyphen on 1.26
 * and 1.27, with a space on 1.24).
 */
export function parseGoVersion(text: string): GoVersion | undefined {
  const m = /^\s*(?:go)?1\.(\d+)(?:\.(\d+))?(?:(?:rc|beta)\d+)?(?:[\s-]+X:(\S+))?\s*$/i.exec(text);
  if (!m) return undefined;
  const v: GoVersion = { major: 1, minor: Number(m[1]), ...(m[2] !== undefined ? { patch: Number(m[2]) } : {}) };
  return m[3] ? withGoExperiment(v, m[3]) : v;
}

/** `1.27`, `1.24 GOEXPERIMENT=noswissmap`: how messages name the Go whose maps they describe. */
export function formatGoVersion(v: GoVersion): string {
  const exp = goExperiments(v);
  return `1.${v.minor}${exp.length > 0 ? ` GOEXPERIMENT=${exp.join(',')}` : ''}`;
}

/** `1.27.3`, `1.20`: the version as precisely as its source told it, without experiments. */
export function goVersionText(v: GoVersion): string {
  return `1.${v.minor}${v.patch !== undefined ? `.${v.patch}` : ''}`;
}

export function mapImplementation(v: GoVersion): 'classic' | 'swiss' {
  if (v.minor < 24) return 'classic';
  if (v.minor <= 25 && v.noSwissMap) return 'classic';
  return 'swiss';
}
