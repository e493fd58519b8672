// The profile step of the editor end-to-end test, which run.mjs calls once:
//
//   await step('profile', () => checkProfile(wb));
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
import { poll } from './workbench.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const PROGRAM = join(ROOT, 'test', 'profile', 'program');
const PROFILE = join(ROOT, 'test', 'profile', 'data', 'heap-go1.26.pb.gz');

const log = (msg) => console.log(`e2e profile: ${msg}`);

/** @param {import('./workbench.mjs').Workbench} wb  the workbench, with its workspace open */
export async function checkProfile(wb) {
  const page = wb.page;
  const dir = join(wb.workspace, 'profiled');
  mkdirSync(dir, { recursive: true });
  cpSync(PROGRAM, dir, { recursive: true });
  cpSync(PROFILE, join(dir, 'heap.pb.gz'));
  const lines = readFileSync(join(dir, 'main.go'), 'utf8').split('\n');
  const line = lines.findIndex((l) => l.includes('index := make(map[int64]int64)')) + 1;
  if (line === 0) throw new Error('test/profile/program/main.go no longer has index := make(map[int64]int64)');

  await wb.openFile('profiled/main.go');
  const editor = page.locator('.editor-instance .monaco-editor').first();
  // Before the profile: the finding is information (the blue squiggle).
  await editor.locator('.squiggly-info').first().waitFor({ timeout: 90_000 });
  if (await editor.locator('.squiggly-warning').count()) throw new Error('profiled/main.go has a warning before any profile is loaded');

  // MapScope: Load Profile… opens VS Code's file dialog; in the browser it is a path box.
  await wb.command('MapScope: Load Profile…', { opensInput: true });
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
  // The hover fades in: shoot it once it is opaque, not half drawn over the code.
  await poll('the hover to finish fading in', () => hover.first().evaluate((el) => getComputedStyle(el.closest('.monaco-hover') ?? el).opacity === '1'), 5_000);
  await wb.screenshot('17-profile-hover');
  await page.keyboard.press('Escape');
}
