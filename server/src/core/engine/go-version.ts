// Which map implementation a Go release uses (design.md §3.5, spec §4), and the version
// details the engine needs: header sizes, malloc headers, tombstone pruning, the small-map
// update quirk.

import { mapImplementation, parseGoVersion as parseVersion } from '../go-version';

export type MapImpl = 'classic' | 'swiss';

export interface GoTarget {
  /** Minor version: 19 for go1.19. Major is always 1. */
  minor: number;
  impl: MapImpl;
  /** The version as shown to users, e.g. "1.24" or "1.24 noswissmap". */
  label: string;
}

/** The newest Go the engine models; used when nothing else says which Go is targeted. */
export const NEWEST_MODELED_MINOR = 26;
/** Oldest version the classic model was measured on. */
export const OLDEST_MODELED_MINOR = 19;

export class GoVersionError extends Error {}

/** Parses "1.24", "go1.24.4", "go1.24.4 X:noswissmap" → minor (and whether noswissmap is set). */
export function parseGoVersion(v: string): { minor: number; noswissmap: boolean } {
  const parsed = parseVersion(v);
  if (!parsed) throw new GoVersionError(`bad Go version "${v}" (expected e.g. 1.23 or go1.24.4)`);
  return { minor: parsed.minor, noswissmap: parsed.noSwissMap === true };
}

/** The map implementation of a Go release, with GOEXPERIMENT's `noswissmap` honoured where it exists. */
export function mapImplFor(minor: number, goexperiment = ''): MapImpl {
  const noSwissMap = goexperiment.split(',').map((s) => s.trim()).includes('noswissmap');
  return mapImplementation({ major: 1, minor, noSwissMap });
}

/**
 * Resolves the target from `--go` and/or `--impl`. Only `impl` → the newest release with that
 * implementation (1.23 for classic, the newest modeled for swiss). Contradictions throw.
 */
export function resolveGoTarget(go?: string, impl?: MapImpl, goexperiment = ''): GoTarget {
  if (go === undefined) {
    const minor = impl === 'classic' ? 23 : NEWEST_MODELED_MINOR;
    return { minor, impl: impl ?? 'swiss', label: `1.${minor}` };
  }
  const parsed = parseGoVersion(go);
  const exp = parsed.noswissmap ? `${goexperiment},noswissmap` : goexperiment;
  if (parsed.minor < 11) throw new GoVersionError(`Go 1.${parsed.minor} is too old to model`);
  let implFor = mapImplFor(parsed.minor, exp);
  if (impl !== undefined && impl !== implFor) {
    if (impl === 'classic' && parsed.minor >= 24 && parsed.minor <= 25) implFor = 'classic';
    else {
      throw new GoVersionError(impl === 'classic'
        ? `Go 1.${parsed.minor} has no classic map (GOEXPERIMENT=noswissmap was removed in 1.26)`
        : `Go 1.${parsed.minor} has no swiss map (it arrived in 1.24)`);
    }
  }
  const label = implFor === 'classic' && parsed.minor >= 24 ? `1.${parsed.minor} noswissmap` : `1.${parsed.minor}`;
  return { minor: parsed.minor, impl: implFor, label };
}
