// Bundles the client, the language server and its two workers, the CLI and its worker with esbuild,
// and copies the two wasm files (the tree-sitter runtime and the pinned Go grammar) beside them, so
// that dist/ is all that runs: the .vsix ships dist/ and nothing from node_modules.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fingerprints } from './fingerprints.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const require = createRequire(import.meta.url);
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
mkdirSync(dist, { recursive: true });

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  logLevel: 'warning',
  absWorkingDir: root,
  // The disk cache's keys: hashes of the summariser's and the analysis's code (fingerprints.mjs).
  define: { __MAPSCOPE_VERSION__: JSON.stringify(version), __MAPSCOPE_FINGERPRINTS__: JSON.stringify(fingerprints()) },
  // web-tree-sitter's ESM build reads import.meta.url, which a CommonJS bundle does not have:
  // bundle its CommonJS build instead.
  alias: { 'web-tree-sitter': require.resolve('web-tree-sitter') },
};

await Promise.all([
  build({ ...common, entryPoints: { client: 'client/src/extension.ts' }, outdir: dist, external: ['vscode'] }),
  // The growth panel's webview: a browser script and its stylesheet, loaded from dist/ under a
  // strict CSP (no CDN, nothing inline).
  build({
    bundle: true,
    platform: 'browser',
    target: 'chrome120',
    format: 'iife',
    sourcemap: false,
    logLevel: 'warning',
    absWorkingDir: root,
    // main.ts imports panel.css, which esbuild writes beside it as dist/panel.css.
    entryPoints: { panel: 'client/src/panel/main.ts' },
    outdir: dist,
  }),
  build({
    ...common,
    entryPoints: {
      server: 'server/src/lsp/main.ts',
      cli: 'server/src/cli/main.ts',
      'check-worker': 'server/src/cli/check-worker.ts',
      'analysis-worker': 'server/src/lsp/analysis-worker.ts',
      'engine-worker': 'server/src/lsp/engine-worker.ts',
    },
    outdir: dist,
  }),
]);

copyFileSync(require.resolve('web-tree-sitter/web-tree-sitter.wasm'), join(dist, 'web-tree-sitter.wasm'));
copyFileSync(join(root, 'grammars', 'tree-sitter-go.wasm'), join(dist, 'tree-sitter-go.wasm'));
// The standard library's API for machines without Go (scripts/stdlib-snapshot.mjs).
copyFileSync(join(root, 'server', 'data', 'stdlib-api.json.gz'), join(dist, 'stdlib-api.json.gz'));
