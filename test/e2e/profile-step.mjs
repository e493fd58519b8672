// The profile step of the editor end-to-end test, self-contained so that run.mjs calls it once:
//
//   await step('profile', () => checkProfile(page, { workspace, artifacts: ARTIFACTS }));
//
// It copies test/profile/program (a Go program that fills maps of known sizes) into the workspace
// with its committed heap profile (written by Go 1.26 with every allocation recorded), opens the
// program, loads the profile through "MapScope: Load Profile…" (VS Code's own file dialog), and
// checks what the user then sees at the hintless map: its map-without-hint finding risen to a
// warning (mapscope.profileHotSeverity's default) and the hover saying what the profile measured.
// The workspace must target Go 1.26 (run.mjs sets mapscope.goVersion), as the profile does.
import { cpSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const PROGRAM = join(ROOT, 'test', 'profile', 'program');
const PROFILE = join(ROOT, 'test', 'profile', 'data', 'heap-go1.26.pb.gz');

const log = (msg) => console.log(`e2e profile: ${msg}`);

async function poll(what, probe, timeoutMs = 30_000, intervalMs = 150) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      const v = await probe();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}${last ? ` (last error: ${last.message.split('\n')[0]})` : ''}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** Runs a command by its title from the Command Palette. */
async function command(page, title) {
  const input = page.locator('.quick-input-widget input');
  await poll(`the Command Palette to offer "${title}"`, async () => {
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+Shift+P');
    await input.waitFor({ state: 'visible', timeout: 3_000 });
    await input.fill(`>${title}`);
    await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor({ timeout: 5_000 });
    return true;
  });
  await page.keyboard.press('Enter');
}

/** Opens a workspace file with Quick Open and waits for its tab. */
async function openFile(page, rel) {
  const base = rel.split('/').pop();
  await poll(`Quick Open to list ${rel}`, async () => {
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+P');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible', timeout: 5_000 });
    await input.fill(rel);
    await page.locator('.quick-input-list .monaco-list-row', { hasText: base }).first().waitFor({ state: 'visible', timeout: 5_000 });
    await page.keyboard.press('Enter');
    return true;
  }, 60_000, 300);
  await page.locator(`.tabs-container .tab.active[data-resource-name="${base}"]`).waitFor({ timeout: 30_000 });
}

/**
 * @param {import('playwright-core').Page} page  the workbench, with `workspace` open
 * @param {{ workspace: string, artifacts?: string }} paths  the workspace folder on disk; where screenshots go
 */
export async function checkProfile(page, { workspace, artifacts }) {
  const dir = join(workspace, 'profiled');
  mkdirSync(dir, { recursive: true });
  cpSync(PROGRAM, dir, { recursive: true });
  cpSync(PROFILE, join(dir, 'heap.pb.gz'));
  const lines = readFileSync(join(dir, 'main.go'), 'utf8').split('\n');
  const line = lines.findIndex((l) => l.includes('index := make(map[int64]int64)')) + 1;
  if (line === 0) throw new Error('test/profile/program/main.go no longer has index := make(map[int64]int64)');

  await openFile(page, 'profiled/main.go');
  const editor = page.locator('.editor-instance .monaco-editor').first();
  // Before the profile: the finding is information (the blue squiggle).
  await editor.locator('.squiggly-info').first().waitFor({ timeout: 90_000 });
  if (await editor.locator('.squiggly-warning').count()) throw new Error('profiled/main.go has a warning before any profile is loaded');

  // MapScope: Load Profile… opens VS Code's file dialog; in the browser it is a path box.
  await command(page, 'MapScope: Load Profile…');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  // The dialog fills in its starting folder by itself, sometimes after we typed: type again until
  // it shows our path and lists the file, then accept.
  const target = join(dir, 'heap.pb.gz');
  await poll('the file dialog to take the profile', async () => {
    if (!(await input.isVisible())) return true;
    if ((await input.inputValue()) !== target) {
      await input.fill(target);
      return false;
    }
    if ((await page.locator('.quick-input-list .monaco-list-row', { hasText: 'heap.pb.gz' }).count()) === 0) return false;
    await page.keyboard.press('Enter');
    await input.waitFor({ state: 'hidden', timeout: 3_000 });
    return true;
  }, 30_000, 300);
  const toast = page.locator('.notifications-toasts .notification-toast', { hasText: 'MapScope loaded the heap profile' });
  await toast.first().waitFor({ timeout: 30_000 });
  const said = (await toast.first().locator('.notification-list-item-message').first().textContent()) ?? '';
  if (!/The costliest: index at profiled\/main\.go:\d+ \(growth 1\.2 MB\)/.test(said)) throw new Error(`the load message does not name the index map: ${said}`);
  log(`loaded: ${said.trim().slice(0, 160)}`);

  // The hot site's finding rises to a warning, and hovering it says what the profile measured.
  const warning = editor.locator('.squiggly-warning').first();
  await warning.waitFor({ timeout: 30_000 });
  const hover = page.locator('.monaco-hover:not(.hidden)');
  const text = await poll('the hover on the hot make call', async () => {
    await page.mouse.move(0, 0);
    await warning.hover({ force: true });
    await hover.first().waitFor({ state: 'visible', timeout: 3_000 });
    const t = (await hover.first().textContent()) ?? '';
    return t.includes('Hot in the loaded profile') ? t : undefined;
  }, 30_000, 500);
  for (const want of [/growth 1\.2 MB \(\d+%\)/, /[\d,]+–[\d,]+ entries/, /a hint of n \(about [\d,]+\) allocates 591 KB once per map: saves 592 KB/]) {
    if (!want.test(text)) throw new Error(`the hover lacks ${want}: ${text}`);
  }
  log(`hover at profiled/main.go:${line}: ${text.replace(/\s+/g, ' ').slice(0, 200)}`);
  if (artifacts) await page.screenshot({ path: join(artifacts, '08-profile-hover.png') });
  await page.keyboard.press('Escape');
}
