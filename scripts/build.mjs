// Bundles the client, the language server, the CLI and its worker with esbuild, and copies the two
// wasm files (the tree-sitter runtime and the pinned Go grammar) beside them, so that dist/ is all
// that runs: the .vsix ships dist/ and nothing from node_modules.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const require = createRequire(import.meta.url);
mkdirSync(dist, { recursive: true });

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  logLevel: 'warning',
  absWorkingDir: root,
};

await Promise.all([
  build({ ...common, entryPoints: { client: 'client/src/extension.ts' }, outdir: dist, external: ['vscode'] }),
  build({
    ...common,
    entryPoints: {
      server: 'server/src/lsp/main.ts',
      cli: 'server/src/cli/main.ts',
      'check-worker': 'server/src/cli/check-worker.ts',
    },
    outdir: dist,
  }),
]);

copyFileSync(require.resolve('web-tree-sitter/web-tree-sitter.wasm'), join(dist, 'web-tree-sitter.wasm'));
copyFileSync(join(root, 'grammars', 'tree-sitter-go.wasm'), join(dist, 'tree-sitter-go.wasm'));
