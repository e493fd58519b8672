// What the profiles of test/profile/program must show, whichever Go wrote them: the program's
// constants are the truth, and the engine (checked against the runtime by the oracle tests) says
// what maps of those sizes allocate.
import { join } from 'node:path';
import { expect } from 'vitest';
import { layoutOf, parseGoType, predict } from '../../server/src/core/engine';
import { parseGoVersion } from '../../server/src/core/go-version';
import { attributeProfiles, type MeasuredSite, type ProfileReport } from '../../server/src/core/profile/attribute';
import { DiskSources, readProfileFile } from '../../server/src/node/profile-sources';
import { loadParser, ROOT } from '../helpers/core';

export const PROGRAM = join(ROOT, 'test', 'profile', 'program');
export const DATA = join(ROOT, 'test', 'profile', 'data');
/** program/main.go's indexSize, setSize, namesSize and pairSize. */
export const SIZES = { index: 20000, set: 3000, byName: 4000, pair: 1000 };

export async function reportFor(files: string[], go: string, source = PROGRAM): Promise<ProfileReport> {
  const v = parseGoVersion(go)!;
  const sources = new DiskSources(await loadParser(), source, { go: v });
  try {
    return attributeProfiles(files.map(readProfileFile), sources, { go: v });
  } finally {
    sources.dispose();
  }
}

export function site(r: ProfileReport, name: string): MeasuredSite {
  const s = r.sites.find((x) => x.name === name);
  if (!s) throw new Error(`no measured site ${name} in ${r.sites.map((x) => x.name).join(', ')}`);
  return s;
}

/**
 * The engine's bytes for `entries` inserts into a fresh map over 1,000 hash seeds: [min, max]. The
 * live run draws one more seed, which falls outside the spread of 30 with a chance of about 2 in 31:
 * a 3,000-entry map[string]int on Go 1.19 measured 256,296 B against
 * 245,688–255,048; 1,000 seeds give 245,064–256,920.
 */
function engineBytes(key: string, value: string, entries: number, go: string): [number, number] {
  const p = predict(layoutOf(parseGoType(key)), layoutOf(parseGoType(value)), { entries, go, runs: 1000 });
  return [p.spread!.totalBytes.min, p.spread!.totalBytes.max];
}

/** The checks every heap profile of the program passes (`go` = the Go that wrote it, e.g. "1.19"). */
export function expectHeap(r: ProfileReport, go: string): void {
  expect(r.impl).toBe(Number(go.split('.')[1]) >= 24 ? 'swiss' : 'classic');
  // The hintless map filled directly ranks first, the one filled through the helper second.
  expect(r.sites.slice(0, 2).map((s) => s.name)).toEqual(['index', 'set']);
  for (const [name, key, value, n] of [['index', 'int64', 'int64', SIZES.index], ['set', 'string', 'int', SIZES.set]] as const) {
    const s = site(r, name);
    expect(s.maps).toBe(1);
    // Every allocation recorded: the map's bytes are what the engine predicts for n entries (the
    // classic overflow buckets and swiss splits depend on the hash seed: within 1,000 seeds' spread).
    const [min, max] = engineBytes(key, value, n, go);
    const measured = s.initial.allocBytes + s.growth.allocBytes;
    expect(measured, `${name}: measured ${measured}, engine ${min}–${max}`).toBeGreaterThanOrEqual(min);
    expect(measured, `${name}: measured ${measured}, engine ${min}–${max}`).toBeLessThanOrEqual(max);
    expect(s.otherBytes).toBe(0);
    // The inferred range holds the true count, and the suggested hint covers it.
    expect(s.inferred, name).toBeDefined();
    expect(s.inferred!.min).toBeLessThanOrEqual(n);
    expect(s.inferred!.max).toBeGreaterThanOrEqual(n);
    expect(s.inferred!.exact).toBe(true);
    expect(s.suggestion!.hint).toBeGreaterThanOrEqual(n);
    expect(s.hot).toBe(true);
  }
  // map-without-hint's hint for the counted loop, and what it saves: the measured bytes less one hinted table.
  expect(site(r, 'index').suggestion!.expr).toBe('n');
  expect(site(r, 'index').suggestion!.saves).toBeGreaterThan(site(r, 'index').growth.allocBytes / 3);
  // The hinted map, filled through the same helper, allocated everything at its creation.
  const byName = site(r, 'byName');
  expect(byName.growth).toEqual({ allocBytes: 0, allocObjects: 0, inuseBytes: 0, inuseObjects: 0 });
  expect(byName.initial.allocBytes).toBeGreaterThan(SIZES.byName * 24);
  expect(byName.inferred).toBeUndefined();
  expect(byName.hot).toBe(false);
  // Two maps of one type written on one line: never split, never given to either.
  const pair = r.ambiguous.find((a) => a.candidates.map((c) => c.name).sort().join() === 'left,right');
  expect(pair?.allocBytes).toBeGreaterThan(0);
  for (const name of ['left', 'right']) expect(site(r, name).growth.allocBytes, name).toBe(0);
  // Two maps of different types on one line: what only one of them can allocate is split to it,
  // the rest is ambiguous; the sizes still tell how far each grew.
  const split = ['wide', 'narrow'].map((n) => r.sites.find((x) => x.name === n)).filter((s) => s && s.growth.allocBytes > 0) as MeasuredSite[];
  expect(split.length).toBeGreaterThan(0);
  for (const s of split) {
    expect(s.notes.join(' ')).toMatch(/split by size/);
    expect(s.suggestion?.saves).toBeUndefined();
    if (s.inferred) {
      expect(s.inferred.min).toBeLessThanOrEqual(SIZES.pair);
      expect(s.inferred.max).toBeGreaterThanOrEqual(SIZES.pair);
    }
  }
}

/** The checks every CPU profile of the program passes. */
export function expectCpu(r: ProfileReport): void {
  const index = site(r, 'index');
  expect(index.cpu!.assignNanos).toBeGreaterThan(0);
  expect(index.cpu!.growthNanos).toBeGreaterThan(0);
  expect(index.cpu!.growthNanos).toBeLessThanOrEqual(index.cpu!.assignNanos);
  // The hinted map never grew: no time in growth, though its inserts took time.
  const byName = r.sites.find((s) => s.name === 'byName');
  expect(byName?.cpu?.growthNanos ?? 0).toBe(0);
  expect(r.sites[0].name).toBe('index');
}

/**
 * A heap profile with Go's default sampling, the maps made 50 times: the figures are estimates,
 * but the sizes the profile did record still bound the map: the range holds the true count (open
 * above when no allocation big enough to be surely recorded would come next, as for swiss maps
 * past one table).
 */
export function expectSampledHeap(r: ProfileReport): void {
  const index = site(r, 'index');
  expect(r.profiles[0].period).toBe(512 * 1024);
  expect(index.growth.allocBytes).toBeGreaterThan(0);
  expect(index.inferred!.exact).toBe(false);
  expect(index.inferred!.min).toBeLessThanOrEqual(SIZES.index);
  if (index.inferred!.max !== undefined) expect(index.inferred!.max).toBeGreaterThanOrEqual(SIZES.index);
  expect(site(r, 'byName').growth.allocBytes).toBe(0);
}
