// Go versions and GOEXPERIMENT as the core reads them (server/src/core/go-version.ts) and as the
// engine turns them into a target (core/engine/go-version.ts).
import { describe, expect, it } from 'vitest';
import { GoVersionError, resolveGoTarget } from '../server/src/core/engine/index';
import {
  formatGoVersion, goExperimentError, goExperiments, goVersionText, NEWEST_GO, parseGoVersion, withGoExperiment,
} from '../server/src/core/go-version';

describe('parseGoVersion', () => {
  it('reads go.mod, go env and runtime.Version() spellings', () => {
    expect(parseGoVersion('1.20')).toEqual({ major: 1, minor: 20 });
    expect(parseGoVersion('go1.26.8')).toEqual({ major: 1, minor: 26, patch: 8 });
    expect(parseGoVersion('go1.23rc1')).toEqual({ major: 1, minor: 23 });
    expect(parseGoVersion('go1.24.4 X:noswissmap')).toEqual({ major: 1, minor: 24, patch: 4, noSwissMap: true });
    // runtime.Version() joins the experiments with a hyphen on 1.26 and 1.27 (a space on 1.24).
    expect(parseGoVersion('go1.27.3-X:mapsplitgroup')).toEqual({ major: 1, minor: 27, patch: 3, mapSplitGroup: true });
    expect(parseGoVersion('go1.27.3 X:mapsplitgroup,greenteagc')).toEqual({ major: 1, minor: 27, patch: 3, mapSplitGroup: true });
    expect(parseGoVersion('banana')).toBeUndefined();
    expect(parseGoVersion('2.0')).toBeUndefined();
  });

  it('shows a version as precisely as it was given, and messages name the experiment', () => {
    expect(goVersionText(parseGoVersion('go1.27.3-X:mapsplitgroup')!)).toBe('1.27.3');
    expect(goVersionText(parseGoVersion('1.20')!)).toBe('1.20');
    expect(formatGoVersion(parseGoVersion('go1.27.3-X:mapsplitgroup')!)).toBe('1.27 GOEXPERIMENT=mapsplitgroup');
    expect(formatGoVersion(parseGoVersion('1.26')!)).toBe('1.26');
    expect(NEWEST_GO.minor).toBe(27);
  });
});

describe('GOEXPERIMENT', () => {
  const v27 = { major: 1, minor: 27 } as const;
  it('is read left to right as cmd/go reads it: a later entry wins, no… turns off, none resets', () => {
    expect(goExperiments(withGoExperiment(v27, 'mapsplitgroup'))).toEqual(['mapsplitgroup']);
    expect(goExperiments(withGoExperiment(v27, 'nomapsplitgroup,mapsplitgroup'))).toEqual(['mapsplitgroup']);
    expect(goExperiments(withGoExperiment(v27, 'mapsplitgroup,nomapsplitgroup'))).toEqual([]);
    expect(goExperiments(withGoExperiment(v27, 'mapsplitgroup,none'))).toEqual([]);
    expect(goExperiments(withGoExperiment(v27, 'greenteagc, MapSplitGroup'))).toEqual(['mapsplitgroup']);
    // 1.24/1.25 name the classic map's switch `noswissmap`; `swissmap` turns it back off.
    expect(goExperiments(withGoExperiment({ major: 1, minor: 24 }, 'noswissmap'))).toEqual(['noswissmap']);
    expect(goExperiments(withGoExperiment({ major: 1, minor: 24 }, 'noswissmap,swissmap'))).toEqual([]);
  });

  it('only exists where the go command knows it', () => {
    expect(goExperimentError(withGoExperiment(v27, 'mapsplitgroup'))).toBeUndefined();
    expect(goExperimentError(withGoExperiment({ major: 1, minor: 26 }, 'mapsplitgroup'))).toMatch(/does not exist in Go 1\.26 \(it arrived in 1\.27\)/);
    expect(goExperimentError(withGoExperiment({ major: 1, minor: 26 }, 'noswissmap'))).toMatch(/only 1\.24–1\.25 have it/);
  });

  it('becomes the engine target: layout label, errors for experiments a release lacks', () => {
    expect(resolveGoTarget('go1.27.3-X:mapsplitgroup')).toEqual({ minor: 27, impl: 'swiss', splitGroup: true, label: '1.27 mapsplitgroup' });
    expect(resolveGoTarget('1.27', undefined, 'mapsplitgroup')).toMatchObject({ splitGroup: true });
    expect(resolveGoTarget(undefined, undefined, 'mapsplitgroup')).toMatchObject({ minor: 27, splitGroup: true });
    expect(resolveGoTarget('1.27')).toEqual({ minor: 27, impl: 'swiss', splitGroup: false, label: '1.27' });
    expect(() => resolveGoTarget('1.26', undefined, 'mapsplitgroup')).toThrow(GoVersionError);
    expect(() => resolveGoTarget('1.27', 'classic')).toThrow(/no classic map/);
    expect(resolveGoTarget('1.24', 'classic')).toMatchObject({ impl: 'classic', splitGroup: false, label: '1.24 noswissmap' });
  });
});
