// npm's `prepare`: builds dist/ after `npm install` in a checkout, and when npm installs MapScope
// from git (`npm install -g github:…`, which is how pre-commit installs the hook). npm is meant to
// install the devDependencies first in the second case, but for a global install it does not
// (npm/cli#8440), so the build finds no esbuild. Then install them here, into this directory only,
// without scripts (that would run prepare again), and build.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));

try {
  require.resolve('esbuild');
} catch {
  // The global install's settings leak into this process's environment: drop them, so that
  // this install goes to ./node_modules and not to the global prefix.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_config_(global|prefix|location|omit|include)$/i.test(k)));
  const npm = process.env.npm_execpath;
  const args = ['install', '--include=dev', '--no-save', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'];
  const r = npm ? spawnSync(process.execPath, [npm, ...args], { cwd: root, env, stdio: 'inherit' }) : spawnSync('npm', args, { cwd: root, env, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
await import('./build.mjs');
