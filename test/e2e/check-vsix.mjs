// Checks the .vsix that `vsce package` just wrote (run by `npm run package`): it must hold exactly
// what runs in the editor, nothing more and nothing less, and the bundles must need no
// node_modules. Prints the file list and the size; exits 1 with the reason otherwise.
//
//   node test/e2e/check-vsix.mjs [path/to/x.vsix]    (default: <name>-<version>.vsix at the root)
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Everything a .vsix of MapScope may contain (vsce renames README, LICENSE and CHANGELOG). */
export const EXPECTED = [
  '[Content_Types].xml',
  'extension.vsixmanifest',
  'extension/package.json',
  'extension/readme.md',
  'extension/LICENSE.txt',
  'extension/changelog.md',
  'extension/images/icon.png',
  'extension/images/mapscope-activity.svg',
  'extension/dist/client.js',
  'extension/dist/server.js',
  'extension/dist/analysis-worker.js',
  'extension/dist/engine-worker.js',
  'extension/dist/panel.js',
  'extension/dist/panel.css',
  // The CLI and its worker, for the `mapscope` task; the rules' documentation, for "Open Rule Documentation".
  'extension/bin/mapscope.js',
  'extension/dist/cli.js',
  'extension/dist/check-worker.js',
  'extension/docs/rules.md',
  'extension/dist/web-tree-sitter.wasm',
  'extension/dist/tree-sitter-go.wasm',
  // The standard library's API for machines without Go (scripts/stdlib-snapshot.mjs).
  'extension/dist/stdlib-api.json.gz',
];

/** The module names a bundle may still require at run time: Node's built-ins and the editor. */
const PROVIDED = new Set(['vscode', ...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);

export function defaultVsixPath() {
  const { name, version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  return join(root, `${name}-${version}.vsix`);
}

/** Lists the archive with `unzip -Z1` (one name per line); throws with the reason on any mismatch. */
export function checkVsix(vsix) {
  if (spawnSync('unzip', ['-v'], { stdio: 'ignore' }).error) throw new Error('unzip is needed to list the .vsix (apt-get install unzip)');
  const names = execFileSync('unzip', ['-Z1', vsix], { encoding: 'utf8' }).split('\n').filter((n) => n && !n.endsWith('/'));
  const extra = names.filter((n) => !EXPECTED.includes(n));
  const missing = EXPECTED.filter((n) => !names.includes(n));
  const problems = [];
  if (extra.length) problems.push(`unexpected files in the .vsix (fix .vscodeignore): ${extra.join(', ')}`);
  if (missing.length) problems.push(`files missing from the .vsix: ${missing.join(', ')}`);

  const manifest = JSON.parse(execFileSync('unzip', ['-p', vsix, 'extension/package.json'], { encoding: 'utf8' }));
  const main = `extension/${manifest.main.replace(/^\.\//, '')}`;
  if (!names.includes(main)) problems.push(`package.json "main" (${manifest.main}) is not in the .vsix`);

  // Self-contained bundles: every require() left in them names a built-in module or `vscode`.
  for (const bundle of ['extension/dist/client.js', 'extension/dist/server.js', 'extension/dist/analysis-worker.js', 'extension/dist/engine-worker.js', 'extension/dist/cli.js', 'extension/dist/check-worker.js']) {
    if (!names.includes(bundle)) continue;
    const code = execFileSync('unzip', ['-p', vsix, bundle], { encoding: 'utf8', maxBuffer: 64 << 20 });
    const needed = new Set([...code.matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1]));
    const outside = [...needed].filter((m) => !m.startsWith('.') && !m.startsWith('/') && !PROVIDED.has(m));
    if (outside.length) problems.push(`${bundle} requires modules that are not bundled: ${outside.join(', ')}`);
  }
  if (problems.length) throw new Error(`${vsix}:\n  ${problems.join('\n  ')}`);
  return { names, bytes: statSync(vsix).size };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const vsix = resolve(process.argv[2] ?? defaultVsixPath());
  try {
    const { names, bytes } = checkVsix(vsix);
    console.log(`check-vsix: ${vsix}: ${names.length} files, ${(bytes / 1024).toFixed(1)} KiB, exactly the allow-list`);
  } catch (e) {
    console.error(`check-vsix: FAIL ${e.message}`);
    process.exit(1);
  }
}
