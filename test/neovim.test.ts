// MapScope in Neovim, headless: the README's Neovim 0.7 setup (its very code block, with the
// server's path filled in) as init.lua, a Go file opened, and test/neovim/driver.lua asking what
// a user would. Checks the diagnostics, a quick fix applied by Neovim and what the server then
// publishes, the hover and the code lens. Debian 12 ships Neovim 0.7.2; newer ones run it too.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from './helpers/core';
import { HAS_NVIM, NVIM_VERSION } from './helpers/neovim';

const GO = `package main

func main() {
	var m map[string]int
	m["a"] = 1
	labels := make(map[int]string)
	for i := range 5000 {
		labels[i] = "x"
	}
	_ = labels
}
`;

/** The Lua block README.md marks as the one this test runs. */
function readmeSetup(): string {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const m = /<!-- test\/neovim\.test\.ts runs the next block -->\n```lua\n([\s\S]*?)```/.exec(readme);
  if (!m) throw new Error('README.md has no Lua block marked for test/neovim.test.ts');
  return m[1];
}

interface DriverResult {
  error?: string;
  nvim: { major: number; minor: number };
  diagnostics: { lnum: number; col: number; code: string; source: string; severity: number; message: string }[];
  actions: { title: string; kind: string; isPreferred: boolean }[];
  fixed: string;
  after: string[];
  hover?: string;
  lenses: { line: number; title?: string }[];
}

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe.skipIf(!HAS_NVIM)(`Neovim (${NVIM_VERSION ?? 'not installed'})`, () => {
  it('gets diagnostics, a quick fix, the hover and a code lens from the README\'s setup', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mapscope-nvim-'));
    dirs.push(dir);
    const setup = readmeSetup();
    expect(setup).toContain('/path/to/mapscope/dist/server.js');
    writeFileSync(join(dir, 'init.lua'), setup.replace('/path/to/mapscope/dist/server.js', join(ROOT, 'dist', 'server.js')));
    writeFileSync(join(dir, 'main.go'), GO);
    const out = join(dir, 'out.json');
    // Its own config and data directories: no user plugins, no shada, no swap files.
    for (const d of ['config', 'data', 'state', 'cache']) mkdirSync(join(dir, d));
    const env = {
      ...process.env,
      MAPSCOPE_OUT: out,
      XDG_CONFIG_HOME: join(dir, 'config'),
      XDG_DATA_HOME: join(dir, 'data'),
      XDG_STATE_HOME: join(dir, 'state'),
      XDG_CACHE_HOME: join(dir, 'cache'),
    };
    const args = ['--headless', '-n', '-i', 'NONE', '-u', join(dir, 'init.lua'), 'main.go', '-c', `luafile ${join(ROOT, 'test', 'neovim', 'driver.lua')}`];
    const run = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      execFile('nvim', args, { cwd: dir, env, timeout: 90_000 }, (err, _stdout, stderr) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stderr }));
    });
    let r: DriverResult;
    try {
      r = JSON.parse(readFileSync(out, 'utf8')) as DriverResult;
    } catch (e) {
      throw new Error(`nvim wrote no result (exit ${run.code}): ${run.stderr}\n${String(e)}`);
    }
    expect(r.error).toBeUndefined();
    expect(r.diagnostics.map((d) => [d.code, d.source, d.lnum, d.col])).toEqual([
      ['nil-map-write', 'mapscope', 4, 1],
      ['map-without-hint', 'mapscope', 5, 11],
    ]);
    // vim.diagnostic.severity: 1 error, 3 info.
    expect(r.diagnostics.map((d) => d.severity)).toEqual([1, 3]);
    expect(r.actions.map((a) => a.kind)).toEqual(['quickfix', 'quickfix']);
    expect(r.actions[0].isPreferred).toBe(true);
    expect(r.actions[1]).toEqual({ title: 'Ignore nil-map-write on this line (//mapscope:ignore)', kind: 'quickfix', isPreferred: false });
    // Neovim applied the preferred fix; the server analysed the edited buffer.
    expect(r.fixed).toBe(GO.trimEnd().replace('\tvar m map[string]int\n', '\tm := make(map[string]int)\n'));
    expect(r.after).toEqual(['map-without-hint']);
    expect(r.hover).toContain('**MapScope**');
    expect(r.hover).toMatch(/As is \(no hint\): grows \d+× · [\d.]+ KB allocated/);
    expect(r.lenses).toHaveLength(1);
    expect(r.lenses[0].line).toBe(5);
    expect(r.lenses[0].title).toMatch(/^grows \d+× · [\d.]+ KB; a hint saves [\d.]+ KB$/);
  });
});
