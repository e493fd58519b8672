import { defineConfig } from 'vitest/config';
// @ts-expect-error -- a plain .mjs script without types
import { fingerprints } from './scripts/fingerprints.mjs';

export default defineConfig({
  // The disk cache's keys, as scripts/build.mjs injects them into the bundles.
  define: { __MAPSCOPE_FINGERPRINTS__: JSON.stringify(fingerprints()) },
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    // Two cores on CI: parsing the fixtures is CPU-bound, more forks only add contention.
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
