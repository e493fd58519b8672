// What a check needs to reach imported packages and the disk cache, as plain data (it crosses
// into worker threads), and the per-thread loader made from it. One loader serves every package
// a thread checks, so an imported package is summarised once per thread (and once per machine
// with the cache).
import { join } from 'node:path';
import type { BuildConfig } from '../core/build/config';
import type { GoParser } from '../core/parse/parser';
import { DiskCache } from './disk-cache';
import { builtFingerprints, type Fingerprints } from './fingerprint';
import type { GoPaths } from './import-resolver';
import { PackageLoader, type LoaderOptions } from './package-loader';
import { loadSnapshot, type StdlibSnapshot } from './stdlib-snapshot';

export interface ImportsConfig {
  build: BuildConfig;
  paths: GoPaths;
  /** The cache directory (…/mapscope); undefined: no cache (--no-cache). */
  cacheDir?: string;
  /** The bundled standard-library snapshot, read when there is no GOROOT. */
  snapshot?: string;
}

export interface CheckEnvironment {
  loader: PackageLoader;
  /** Whole packages' reports, when the cache is on. */
  reports?: DiskCache;
  fingerprints?: Fingerprints;
}

/** The bundled snapshot next to the bundle (dist/), or in the source tree when run from it. */
export function snapshotPath(distDir: string): string {
  return join(distDir, 'stdlib-api.json.gz');
}

let current: { key: string; parser: GoParser; env: CheckEnvironment } | undefined;

/** The environment for this configuration and parser, made once per thread (a new configuration replaces it). */
export function checkEnvironment(parser: GoParser, config: ImportsConfig, extra: Partial<LoaderOptions> = {}): CheckEnvironment {
  const key = JSON.stringify(config);
  if (current && current.key === key && current.parser === parser && Object.keys(extra).length === 0) return current.env;
  const env = makeEnvironment(parser, config, extra);
  if (Object.keys(extra).length === 0) current = { key, parser, env };
  return env;
}

export function makeEnvironment(parser: GoParser, config: ImportsConfig, extra: Partial<LoaderOptions> = {}): CheckEnvironment {
  const fingerprints = builtFingerprints();
  const cacheOn = config.cacheDir !== undefined && fingerprints !== undefined;
  let snapshot: StdlibSnapshot | undefined | null = null;
  const loader = new PackageLoader(parser, {
    build: config.build,
    paths: config.paths,
    ...(cacheOn ? { cache: { store: new DiskCache(config.cacheDir!, 'summaries', fingerprints!.summary), fingerprint: fingerprints!.summary } } : {}),
    snapshot: () => {
      if (snapshot === null) snapshot = config.snapshot ? loadSnapshot(config.snapshot, fingerprints?.summary) : undefined;
      return snapshot;
    },
    ...extra,
  });
  return {
    loader,
    ...(cacheOn ? { reports: new DiskCache(config.cacheDir!, 'reports', fingerprints!.analysis), fingerprints } : {}),
  };
}
