// What the disk cache's keys are made of besides a file's content: hashes of the code that
// produced the cached value (scripts/fingerprints.mjs, injected at build time). Code that runs
// without them (compiled some other way) gets none, and then caches nothing rather than risk
// reading back what an older summariser or rule wrote.
declare const __MAPSCOPE_FINGERPRINTS__: { summary: string; analysis: string } | undefined;

export interface Fingerprints {
  /** The summariser, the grammar and the version: what a file summary depends on. */
  summary: string;
  /** Everything a package's findings depend on besides its inputs: all analyses and rules. */
  analysis: string;
}

export function builtFingerprints(): Fingerprints | undefined {
  return typeof __MAPSCOPE_FINGERPRINTS__ === 'object' && __MAPSCOPE_FINGERPRINTS__ !== null ? __MAPSCOPE_FINGERPRINTS__ : undefined;
}
