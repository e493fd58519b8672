// What the benchmarks share: the repository's root, their output folder bench/out/ (gitignored),
// their `--name value` options, and parts of the TypeScript core bundled with esbuild for a
// benchmark to require, so that they measure the sources as they are without a build step.
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { fingerprints } from '../scripts/fingerprints.mjs';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const outDir = join(root, 'bench', 'out');
mkdirSync(outDir, { recursive: true });
export const require = createRequire(import.meta.url);

/** The value after `--name` on the command line, or `dflt`. */
export function option(name, dflt) {
  const args = process.argv.slice(2);
  const i = args.indexOf(`--${name}`);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : dflt;
}

/**
 * Bundles the named exports of the core (export name → module path from the root, without `.ts`)
 * into bench/out/NAME.cjs and loads it.
 */
export async function bundleCore(name, exports) {
  const outfile = join(outDir, `${name}.cjs`);
  await build({
    stdin: {
      contents: Object.entries(exports).map(([what, from]) => `export { ${what} } from './${from}';`).join('\n'),
      resolveDir: root,
      loader: 'ts',
      sourcefile: `${name}-entry.ts`,
    },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    outfile,
    sourcemap: true,
    logLevel: 'warning',
    // As in scripts/build.mjs: the fingerprints that key the disk cache (without them nothing is cached).
    define: { __MAPSCOPE_FINGERPRINTS__: JSON.stringify(fingerprints()) },
    // As in scripts/build.mjs: bundle web-tree-sitter's CommonJS build.
    alias: { 'web-tree-sitter': require.resolve('web-tree-sitter') },
  });
  return require(outfile);
}
