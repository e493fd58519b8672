// The pieces of the editor end-to-end test that drive the workbench, shared by run.mjs and its
// step modules: polling with a deadline, and a Workbench that does what a user does (Quick Open,
// the Command Palette, Go to Line, themes, the side bar) and waits until VS Code shows the result.
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Something the machine lacks (a package, a Node version): no use retrying; run.mjs exits 2. */
export class EnvironmentError extends Error {}

/**
 * Polls `probe` (sync or async) until it returns a truthy value; throws `what` after `timeoutMs`.
 * A probe that throws is retried, unless it throws an EnvironmentError.
 */
export async function poll(what, probe, timeoutMs = 30_000, intervalMs = 100) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      const v = await probe();
      if (v) return v;
    } catch (e) {
      if (e instanceof EnvironmentError) throw e; // no point in waiting
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}${last ? ` (last error: ${last.message})` : ''}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** The class VS Code puts on the workbench (and a webview's body) for each theme the test uses. */
export const THEME_CLASS = { 'Default Light Modern': 'vs', 'Default Dark Modern': 'vs-dark', 'Default High Contrast': 'hc-black' };

export class Workbench {
  /**
   * @param {import('playwright-core').Page} page
   * @param {string} workspace  the folder open in it, on disk
   * @param {{ artifacts: string, log: (msg: string) => void }} out  where screenshots go, and the run's log
   */
  constructor(page, workspace, { artifacts, log }) {
    this.page = page;
    this.workspace = workspace;
    this.artifacts = artifacts;
    this.log = log;
  }

  async screenshot(name) {
    const path = join(this.artifacts, `${name}.png`);
    await this.page.screenshot({ path });
    this.log(`screenshot ${relative(ROOT, path)}`);
    return path;
  }

  /** Opens a workspace file with Quick Open (Ctrl+P) and waits for its editor tab to be active. */
  async openFile(rel) {
    const page = this.page;
    const base = rel.split('/').pop();
    await poll(`Quick Open to list ${rel}`, async () => {
      await page.keyboard.press('Escape');
      await page.keyboard.press('Control+P');
      const input = page.locator('.quick-input-widget input');
      await input.waitFor({ state: 'visible', timeout: 5_000 });
      await input.fill(rel);
      // The focused row, once the list is filtered: the unfiltered list of recent files may show
      // the file too, below another one that Enter would open.
      const row = page.locator('.quick-input-list .monaco-list-row.focused', { hasText: base }).first();
      await row.waitFor({ state: 'visible', timeout: 5_000 });
      await page.keyboard.press('Enter');
      await page.locator(`.tabs-container .tab.active[data-resource-name="${base}"]`).waitFor({ timeout: 5_000 });
      return true;
    }, 60_000, 200);
    await page.locator('.editor-instance .monaco-editor .view-lines').first().waitFor();
  }

  /** The active editor's text as rendered (non-breaking spaces back to spaces). */
  async visibleText() {
    const t = await this.page.locator('.editor-instance .monaco-editor .view-lines').first().textContent();
    return (t ?? '').replace(/\u00a0/g, ' ');
  }

  /**
   * Moves the cursor with Go to Line (Ctrl+G, "line:character") and waits for the status bar to
   * show the line (its column counts a tab as 4, so only the line is compared).
   */
  async goTo(line, column) {
    const page = this.page;
    await page.keyboard.press('Control+G');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible' });
    await input.fill(`:${line}:${column}`);
    await page.keyboard.press('Enter');
    await page.locator('.statusbar-item', { hasText: `Ln ${line},` }).waitFor({ timeout: 10_000 });
  }

  /**
   * Runs a command from the Command Palette by its title and waits for the palette to close, unless
   * the command opens a quick input of its own (`opensInput`: a file dialog, a picker).
   */
  async command(title, { opensInput = false } = {}) {
    const page = this.page;
    const input = page.locator('.quick-input-widget input');
    // Retried: a webview that is loading can swallow the key press.
    await poll(`the Command Palette to offer "${title}"`, async () => {
      await page.keyboard.press('Escape');
      await page.keyboard.press('Control+Shift+P');
      await input.waitFor({ state: 'visible', timeout: 3_000 });
      await input.fill(`>${title}`);
      await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor({ timeout: 5_000 });
      return true;
    }, 30_000, 200);
    await page.keyboard.press('Enter');
    if (!opensInput) await input.waitFor({ state: 'hidden' });
  }

  /** Hides the bottom panel (Problems) if it is open, to leave the height to the editor and side bar. */
  async hideBottomPanel() {
    const panel = this.page.locator('.part.panel.basepanel');
    if (!(await panel.isVisible())) return;
    await this.command('View: Toggle Panel Visibility');
    await panel.waitFor({ state: 'hidden', timeout: 10_000 });
  }

  /** Drags the sash on the side bar's right edge until the side bar is `width` pixels wide (±2). */
  async setSideBarWidth(width) {
    const page = this.page;
    const sidebar = page.locator('.part.sidebar');
    await poll(`the side bar to be ${width}px wide`, async () => {
      const box = await sidebar.boundingBox();
      if (!box) return false;
      if (Math.abs(box.width - width) <= 2) return true;
      const y = box.y + box.height / 2;
      await page.mouse.move(box.x + box.width - 1, y);
      await page.mouse.down();
      await page.mouse.move(box.x + width - 1, y, { steps: 8 });
      await page.mouse.up();
      return false;
    }, 10_000, 200);
  }

  /** Switches the colour theme with Preferences: Color Theme, as a user does (the editor must have the focus). */
  async setTheme(theme) {
    const page = this.page;
    const input = page.locator('.quick-input-widget input');
    await poll(`the theme picker to offer ${theme}`, async () => {
      await page.keyboard.press('Escape');
      // Ctrl+K Ctrl+T: Preferences: Color Theme.
      await page.keyboard.press('Control+K');
      await page.keyboard.press('Control+T');
      await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Default Light Modern' }).first().waitFor({ timeout: 5_000 });
      await input.fill(theme);
      // "Browse Additional Color Themes…" stays on top: step down to the theme.
      await page.locator('.quick-input-list .monaco-list-row', { hasText: theme }).first().waitFor({ timeout: 5_000 });
      for (let i = 0; i < 5; i++) {
        if ((await page.locator('.quick-input-list .monaco-list-row.focused', { hasText: theme }).count()) > 0) return true;
        await page.keyboard.press('ArrowDown');
      }
      return false;
    }, 30_000, 200);
    await page.keyboard.press('Enter');
    await poll(`the ${theme} theme`, async () => (await page.locator('.monaco-workbench').getAttribute('class'))?.split(' ').includes(THEME_CLASS[theme]), 15_000);
  }

  /** Shows the bottom panel's Problems view. */
  async showProblems() {
    await this.page.keyboard.press('Control+Shift+M');
    await this.page.locator('.markers-panel').first().waitFor({ timeout: 10_000 });
  }

  /** The growth panel's webview document. */
  panelFrame() {
    const { publisher, name } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    return this.page.frameLocator(`iframe.webview.ready[src*="extensionId=${publisher}.${name}"]`).frameLocator('iframe#active-frame');
  }

  /** Gives the keyboard back to the active editor (after clicking in a webview). */
  async focusEditor() {
    await this.command('View: Focus Active Editor Group');
    await this.page.locator('.editor-instance .monaco-editor.focused').first().waitFor({ timeout: 10_000 });
  }

  async save() {
    await this.page.keyboard.press('Control+S');
    await this.page.locator('.tabs-container .tab.active.dirty').waitFor({ state: 'detached', timeout: 10_000 });
  }
}
