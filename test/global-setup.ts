// The LSP and CLI tests run the built bundles, as users do: build them once, fresh, before any test.
// With MAPSCOPE_REQUIRE_GO=1 (CI), a missing Go toolchain stops the run here instead of skipping;
// with MAPSCOPE_REQUIRE_NVIM=1, a missing Neovim.
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { missingRequiredGo } from './helpers/go';
import { missingRequiredNvim } from './helpers/neovim';

export default function setup(): void {
  const missing = missingRequiredGo() ?? missingRequiredNvim();
  if (missing) throw new Error(missing);
  execFileSync(process.execPath, [join(__dirname, '..', 'scripts', 'build.mjs')], { stdio: 'inherit' });
  // The CLI and the server the tests start cache on disk: in a directory of this run, not the user's.
  process.env.MAPSCOPE_CACHE ??= mkdtempSync(join(tmpdir(), 'mapscope-test-cache-'));
}
