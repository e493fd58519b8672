// Neovim for the headless editor test. Without it the test is skipped and says so; CI sets
// MAPSCOPE_REQUIRE_NVIM=1 (and installs Debian's neovim), and then a missing Neovim fails the run
// in global-setup.ts instead.
import { execFileSync } from 'node:child_process';

function probe(): string | undefined {
  try {
    return execFileSync('nvim', ['--version'], { encoding: 'utf8', timeout: 20_000 }).split('\n')[0].trim();
  } catch {
    return undefined;
  }
}

export const NVIM_VERSION = probe();
export const HAS_NVIM = NVIM_VERSION !== undefined;

export function missingRequiredNvim(): string | undefined {
  if (process.env.MAPSCOPE_REQUIRE_NVIM !== '1' || HAS_NVIM) return undefined;
  return 'MAPSCOPE_REQUIRE_NVIM=1 but `nvim` is not on PATH: the Neovim test cannot run (apt-get install neovim)';
}
if (!HAS_NVIM) console.warn('mapscope tests: `nvim` is not on PATH: the Neovim test is SKIPPED');
