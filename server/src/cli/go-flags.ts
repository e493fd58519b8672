// `--go` and `--goexperiment`, shared by `check` and `predict FILE`: validated here (a bad value is
// a usage error, exit 2), turned into the resolver's explicit settings.
import { goExperimentError, parseGoVersion, withGoExperiment } from '../core/go-version';
import { UsageError } from '../node/files';
import type { GoResolverOptions } from '../node/go-env';

export interface GoFlags {
  go?: string;
  goexperiment?: string;
}

export function goFlags(f: GoFlags): Pick<GoResolverOptions, 'go' | 'goexperiment'> {
  const out: Pick<GoResolverOptions, 'go' | 'goexperiment'> = {};
  if (f.go !== undefined) {
    const v = parseGoVersion(f.go);
    if (!v) throw new UsageError(`--go: "${f.go}" is not a Go version like 1.22 or go1.27.3 X:mapsplitgroup`);
    const bad = goExperimentError(f.goexperiment !== undefined ? withGoExperiment(v, f.goexperiment) : v);
    if (bad) throw new UsageError(bad);
    out.go = { value: v, from: '--go flag' };
  }
  if (f.goexperiment !== undefined) out.goexperiment = { value: f.goexperiment, from: '--goexperiment flag' };
  return out;
}
