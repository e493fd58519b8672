// Packs the .vsix from a staging copy of what the extension ships. package.json's "files" is the
// npm package's allow-list (the CLI), .vscodeignore the extension's (the editor), and vsce refuses a
// directory that has both. So the staging directory gets the manifest without "files", the
// .vscodeignore, and the files either list may name; vsce then applies .vscodeignore as before and
// writes <name>-<version>.vsix at the repository root, where check-vsix.mjs looks for it.
//
//   node scripts/package-vsix.mjs [OUT.vsix]      (after scripts/build.mjs; `npm run package` runs all three)
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const out = resolve(process.argv[2] ?? join(root, `${manifest.name}-${manifest.version}.vsix`));

const stage = mkdtempSync(join(tmpdir(), 'mapscope-vsix-'));
try {
  const extension = { ...manifest };
  delete extension.files;
  writeFileSync(join(stage, 'package.json'), JSON.stringify(extension, null, 2) + '\n');
  // What .vscodeignore lets back in is what the stage needs: one list, not two.
  const allowed = readFileSync(join(root, '.vscodeignore'), 'utf8').split('\n').filter((l) => l.startsWith('!')).map((l) => l.slice(1).trim());
  for (const p of ['.vscodeignore', ...allowed.filter((p) => p !== 'package.json')]) {
    mkdirSync(dirname(join(stage, p)), { recursive: true });
    cpSync(join(root, p), join(stage, p), { recursive: true });
  }
  const vsce = join(dirname(require.resolve('@vscode/vsce/package.json')), 'vsce');
  const r = spawnSync(process.execPath, [vsce, 'package', '--no-dependencies', '--out', out], { cwd: stage, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
} finally {
  rmSync(stage, { recursive: true, force: true });
}
