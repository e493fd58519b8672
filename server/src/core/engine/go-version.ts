// Which map implementation a Go release uses (design.md §3.5, spec §4), and the version
// details the engine needs: header sizes, malloc headers, tombstone pruning, the small-map
// update quirk, the group layout (GOEXPERIMENT=mapsplitgroup, 1.27+).

import {
  goExperimentError, mapImplementation, NEWEST_GO, parseGoVersion as parseVersion, withGoExperiment, type GoVersion,
} from '../go-version';

export type MapImpl = 'classic' | 'swiss';

export interface GoTarget {
  /** Minor version: 19 for go1.19. Major is always 1. */
  minor: number;
  impl: MapImpl;
  /** Swiss groups keep keys and elems in two arrays (GOEXPERIMENT=mapsplitgroup) instead of interleaved slots. */
  splitGroup: boolean;
  /** The version as shown to users, e.g. "1.24", "1.24 noswissmap", "1.27 mapsplitgroup". */
  label: string;
}

/** The newest Go the engine models; used when nothing else says which Go is targeted. */
export const NEWEST_MODELED_MINOR = NEWEST_GO.minor;
/** Oldest version the classic model was measured on. */
export const OLDEST_MODELED_MINOR = 19;

export class GoVersionError extends Error {}

/** Parses "1.24", "go1.24.4", "go1.24.4 X:noswissmap", "go1.27.3-X:mapsplitgroup". */
export function parseGoVersion(v: string): GoVersion {
  const parsed = parseVersion(v);
  if (!parsed) throw new GoVersionError(`bad Go version "${v}" (expected e.g. 1.23 or go1.24.4)`);
  return parsed;
}

/** The map implementation of a Go release, with GOEXPERIMENT's `noswissmap` honoured where it exists. */
export function mapImplFor(minor: number, goexperiment = ''): MapImpl {
  return mapImplementation(withGoExperiment({ major: 1, minor }, goexperiment));
}

/**
 * Resolves the target from `--go`, `--impl` and GOEXPERIMENT. Only `impl` → the newest release
 * with that implementation (1.23 for classic, the newest modeled for swiss). Contradictions and
 * experiments the release does not have throw.
 */
export function resolveGoTarget(go?: string, impl?: MapImpl, goexperiment = ''): GoTarget {
  let v: GoVersion = go === undefined ? { major: 1, minor: impl === 'classic' ? 23 : NEWEST_MODELED_MINOR } : parseGoVersion(go);
  if (v.minor < 11) throw new GoVersionError(`Go 1.${v.minor} is too old to model`);
  v = withGoExperiment(v, goexperiment);
  const bad = goExperimentError(v);
  if (bad) throw new GoVersionError(bad);
  let implFor = mapImplementation(v);
  if (impl !== undefined && impl !== implFor) {
    if (impl === 'classic' && v.minor >= 24 && v.minor <= 25) implFor = 'classic';
    else {
      throw new GoVersionError(impl === 'classic'
        ? `Go 1.${v.minor} has no classic map (GOEXPERIMENT=noswissmap was removed in 1.26)`
        : `Go 1.${v.minor} has no swiss map (it arrived in 1.24)`);
    }
  }
  const splitGroup = implFor === 'swiss' && v.mapSplitGroup === true;
  const label = implFor === 'classic' && v.minor >= 24 ? `1.${v.minor} noswissmap` : splitGroup ? `1.${v.minor} mapsplitgroup` : `1.${v.minor}`;
  return { minor: v.minor, impl: implFor, splitGroup, label };
}
