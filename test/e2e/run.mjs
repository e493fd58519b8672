// `npm run test:e2e`: MapScope in a real VS Code. Installs code-server (VS Code 1.100 in the
// browser) into test/e2e/node_modules if it is missing, packages the extension with vsce,
// installs the .vsix into a fresh code-server, opens a copy of examples/ (plus
// test/e2e/workspace/) in Debian's chromium driven by playwright-core, and checks what a user
// sees: the nil-map-write squiggle and its Problems entry, the map-without-hint quick fix (the
// file on disk after Ctrl+S), and the growth panel (its numbers against `mapscope predict`).
//
// Screenshots of every step go to test/e2e/artifacts/ (with the code-server and extension host
// logs on failure). `npm run test:e2e -- --update-screenshots` also copies the three README
// pictures to docs/images/. Every process started here (code-server and its children, chromium)
// is stopped on success, failure and Ctrl+C. Exit 0 = pass, 1 = a check failed, 2 = the
// environment is missing something (the message says what to install). `-- --keep` keeps the temp
// dir (HOME, user data, workspace, logs); MAPSCOPE_E2E_CHROMIUM names another chromium binary.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, openSync, closeSync, readdirSync, readFileSync, rmSync, writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkVsix, defaultVsixPath } from './check-vsix.mjs';
import { checkProfile } from './profile-step.mjs';

const E2E = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(E2E, '..', '..');
const ARTIFACTS = join(E2E, 'artifacts');
const CODE_SERVER_VERSION = '4.100.3';
// code-server 4.100.3's lib/vscode/npm-shrinkwrap.json pins @vscode/ripgrep 1.15.11, which fetches rg v13.0.0-10.
const RIPGREP_PACKAGE_VERSION = '1.15.11';
const CODE_SERVER_DIR = join(E2E, 'node_modules', 'code-server');
const CHROMIUM = process.env.MAPSCOPE_E2E_CHROMIUM || '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];
const UPDATE_SCREENSHOTS = process.argv.includes('--update-screenshots');
const KEEP = process.argv.includes('--keep');
/** The pictures README.md shows, from this run's artifacts. */
const README_IMAGES = { '01-diagnostics.png': 'diagnostics.png', '03-quick-fix.png': 'quick-fix.png', '05-panel-5000.png': 'panel.png' };

class EnvironmentError extends Error {}

const started = Date.now();
const log = (msg) => console.log(`e2e [${((Date.now() - started) / 1000).toFixed(1).padStart(5)}s] ${msg}`);

/** Cleanups run in reverse order, once, on success, failure or a signal. */
const cleanups = [];
let cleanedUp = false;
async function cleanup() {
  if (cleanedUp) return;
  cleanedUp = true;
  for (const fn of cleanups.reverse()) {
    try {
      await fn();
    } catch (e) {
      console.error(`e2e: cleanup: ${e.message}`);
    }
  }
}
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => {
    console.error(`e2e: ${sig}, stopping everything`);
    cleanup().finally(() => process.exit(130));
  });
}

/**
 * Polls `probe` (sync or async) until it returns a truthy value; throws `what` after `timeoutMs`.
 * A probe that throws is retried, unless it throws an EnvironmentError.
 */
async function poll(what, probe, timeoutMs = 30_000, intervalMs = 100) {
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

// ---------------------------------------------------------------------------------------------
// The machine: apt packages, code-server, the .vsix.

function which(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).stdout.trim();
}

function checkTools() {
  const missing = [];
  if (!existsSync(CHROMIUM)) missing.push(`chromium (${CHROMIUM})`);
  if (!which('rg')) missing.push('ripgrep (rg)');
  if (!which('unzip')) missing.push('unzip');
  if (missing.length) {
    throw new EnvironmentError(`missing ${missing.join(', ')}: run apt-get install chromium libkrb5-dev ripgrep unzip`);
  }
  const major = Number(process.versions.node.split('.')[0]);
  if (major !== 20) throw new EnvironmentError(`code-server ${CODE_SERVER_VERSION} needs Node 20; this is Node ${process.versions.node}`);
}

function lockHash() {
  return createHash('sha256').update(readFileSync(join(E2E, 'package-lock.json'))).digest('hex');
}

/** Installs test/e2e's own dependencies (code-server, playwright-core) unless that exact install is there. */
function ensureCodeServer() {
  const marker = join(E2E, 'node_modules', '.mapscope-e2e-installed');
  const wanted = lockHash();
  if (existsSync(marker) && readFileSync(marker, 'utf8') === wanted && existsSync(join(CODE_SERVER_DIR, 'out', 'node', 'entry.js'))) {
    log(`code-server ${CODE_SERVER_VERSION} already installed in ${relative(ROOT, CODE_SERVER_DIR)}`);
    return;
  }
  log(`installing code-server ${CODE_SERVER_VERSION} and playwright-core into ${relative(ROOT, E2E)}/node_modules (npm ci)`);
  // @vscode/ripgrep's postinstall downloads rg from GitHub, which is not reachable here: give it
  // Debian's rg in the cache folder it looks in first ($TMPDIR/vscode-ripgrep-cache-<version>).
  const tmp = mkdtempSync(join(tmpdir(), 'mapscope-e2e-install-'));
  try {
    const cache = join(tmp, `vscode-ripgrep-cache-${RIPGREP_PACKAGE_VERSION}`);
    mkdirSync(cache);
    execFileSync('tar', ['czhf', join(cache, 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz'), '-C', dirname(which('rg')), 'rg']);
    const env = {
      ...process.env,
      TMPDIR: tmp,
      // code-server's postinstall refuses to run as root without this, and runs `npm install`
      // in lib/vscode and lib/vscode/extensions, whose native modules (node-pty, spdlog,
      // kerberos, watcher) and ripgrep need their install scripts. npm 11 blocks dependency
      // install scripts by default, and its allow-list (allowScripts / --allow-scripts) cannot
      // reach those nested installs, so allow them all for this one pinned, locked install.
      npm_config_unsafe_perm: 'true',
      npm_config_yes: 'true',
      npm_config_dangerously_allow_all_scripts: 'true',
      npm_config_audit: 'false',
      npm_config_fund: 'false',
    };
    rmSync(marker, { force: true });
    const r = spawnSync('npm', ['ci'], { cwd: E2E, env, stdio: 'inherit' });
    if (r.status !== 0) {
      throw new EnvironmentError(`npm ci in ${relative(ROOT, E2E)} failed (exit ${r.status}): code-server's native modules need build tools and libkrb5-dev (apt-get install chromium libkrb5-dev ripgrep)`);
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  const version = JSON.parse(readFileSync(join(CODE_SERVER_DIR, 'package.json'), 'utf8')).version;
  if (version !== CODE_SERVER_VERSION) throw new EnvironmentError(`installed code-server is ${version}, expected ${CODE_SERVER_VERSION}`);
  for (const f of ['lib/vscode/node_modules/@vscode/ripgrep/bin/rg', 'lib/vscode/node_modules/node-pty/build/Release/pty.node']) {
    if (!existsSync(join(CODE_SERVER_DIR, f))) throw new EnvironmentError(`code-server install is incomplete: ${f} is missing`);
  }
  writeFileSync(marker, wanted);
}

/** `npm run package`: builds the bundles, runs vsce and checks the archive's contents. */
function buildVsix() {
  log('npm run package');
  const r = spawnSync('npm', ['run', '--silent', 'package'], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`npm run package failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  const vsix = defaultVsixPath();
  const { names, bytes } = checkVsix(vsix); // again, so the test fails even if the script changes
  log(`${relative(ROOT, vsix)}: ${names.length} files, ${(bytes / 1024).toFixed(1)} KiB`);
  return vsix;
}

// ---------------------------------------------------------------------------------------------
// code-server and chromium.

function codeServerEnv(home) {
  const env = { ...process.env, HOME: home, XDG_CONFIG_HOME: join(home, '.config'), XDG_DATA_HOME: join(home, '.local', 'share'), XDG_CACHE_HOME: join(home, '.cache') };
  for (const k of Object.keys(env)) {
    // Not the code-server or VS Code this might be running in.
    if (/^(VSCODE_|CODE_SERVER_|ELECTRON_)/.test(k) || ['PASSWORD', 'HASHED_PASSWORD', 'PORT'].includes(k)) delete env[k];
  }
  return env;
}

function installExtension(dirs, vsix) {
  log('code-server --install-extension');
  const r = spawnSync(process.execPath, [
    join(CODE_SERVER_DIR, 'out', 'node', 'entry.js'),
    '--user-data-dir', dirs.userData, '--extensions-dir', dirs.extensions, '--install-extension', vsix,
  ], { env: codeServerEnv(dirs.home), encoding: 'utf8', timeout: 120_000 });
  if (r.status !== 0 || !/successfully installed/.test(r.stdout)) {
    throw new Error(`code-server --install-extension failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  }
  const { publisher, name, version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const installed = join(dirs.extensions, `${publisher}.${name}-${version}`);
  if (!existsSync(join(installed, 'dist', 'server.js'))) throw new Error(`the extension is not where expected: ${installed}`);
  if (existsSync(join(installed, 'node_modules'))) throw new Error(`the installed extension has a node_modules folder: ${installed}`);
  return installed;
}

/** Starts code-server in its own process group; resolves with its URL once it listens. */
async function startCodeServer(dirs, workspace) {
  const logFile = join(dirs.base, 'code-server.log');
  const fd = openSync(logFile, 'w');
  const child = spawn(process.execPath, [
    join(CODE_SERVER_DIR, 'out', 'node', 'entry.js'),
    '--bind-addr', '127.0.0.1:0', // the kernel picks a free port; code-server prints it
    '--auth', 'none', '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust',
    '--user-data-dir', dirs.userData, '--extensions-dir', dirs.extensions,
    workspace,
  ], { env: codeServerEnv(dirs.home), stdio: ['ignore', fd, fd], detached: true });
  closeSync(fd);
  let exited = null;
  child.on('exit', (code, signal) => {
    exited = { code, signal };
  });
  const pgid = child.pid;
  // Last resort if this process dies without running the cleanups.
  const onExit = () => {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      /* gone */
    }
  };
  process.on('exit', onExit);
  cleanups.push(async () => {
    await killGroup(pgid, 'code-server');
    process.off('exit', onExit);
  });
  const url = await poll('code-server to listen', () => {
    if (exited) throw new EnvironmentError(`code-server exited (${exited.code ?? exited.signal}) before listening:\n${readFileSync(logFile, 'utf8')}`);
    const m = /HTTP server listening on (http:\/\/127\.0\.0\.1:\d+)\//.exec(readFileSync(logFile, 'utf8'));
    return m?.[1];
  }, 60_000).catch((e) => {
    if (e instanceof EnvironmentError) throw e;
    throw new EnvironmentError(`code-server did not start: ${e.message}\n${readFileSync(logFile, 'utf8')}`);
  });
  log(`code-server ${CODE_SERVER_VERSION} listening on ${url} (pid ${pgid})`);
  return { url, logFile, pgid };
}

/** SIGTERM to the whole process group, SIGKILL if anything is left after 5 s; waits until all are gone. */
async function killGroup(pgid, what) {
  const alive = () => {
    try {
      process.kill(-pgid, 0);
      return true;
    } catch {
      return false;
    }
  };
  if (!alive()) return;
  process.kill(-pgid, 'SIGTERM');
  try {
    await poll(`${what} to stop`, () => !alive(), 5_000, 50);
  } catch {
    process.kill(-pgid, 'SIGKILL');
    await poll(`${what} to die`, () => !alive(), 5_000, 50);
  }
  log(`${what} stopped (process group ${pgid})`);
}

async function launchChromium() {
  let chromium;
  try {
    ({ chromium } = await import('playwright-core'));
  } catch (e) {
    throw new EnvironmentError(`playwright-core is not installed in ${relative(ROOT, E2E)}/node_modules: ${e.message}`);
  }
  let browser;
  try {
    // Signals are handled above (orderly cleanup); playwright still kills the browser if this process exits.
    browser = await chromium.launch({
      executablePath: CHROMIUM, args: CHROMIUM_ARGS, timeout: 60_000, handleSIGINT: false, handleSIGTERM: false, handleSIGHUP: false,
    });
  } catch (e) {
    throw new EnvironmentError(`chromium (${CHROMIUM}) did not start: ${e.message.split('\n')[0]} (apt-get install chromium)`);
  }
  cleanups.push(async () => {
    // playwright kills the browser's process group itself if close() cannot.
    await Promise.race([browser.close(), new Promise((r) => setTimeout(r, 10_000))]);
    log('chromium closed');
  });
  log(`chromium ${browser.version()} started`);
  return browser;
}

// ---------------------------------------------------------------------------------------------
// The workbench.

function userSettings() {
  return {
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'workbench.welcomePage.walkthroughs.openOnInstall': false,
    'workbench.enableExperiments': false,
    'telemetry.telemetryLevel': 'off',
    'extensions.autoUpdate': false,
    'extensions.autoCheckUpdates': false,
    'extensions.ignoreRecommendations': true,
    'update.mode': 'none',
    'security.workspace.trust.enabled': false,
    'git.enabled': false,
    'editor.minimap.enabled': false,
    'files.autoSave': 'off',
    'window.commandCenter': false,
    'chat.commandCenter.enabled': false,
    'workbench.colorTheme': 'Default Light Modern',
    // The Go version the engine models: fixed, so the panel and the CLI see the same one.
    'mapscope.goVersion': GO_VERSION,
  };
}
const GO_VERSION = '1.26';

class Workbench {
  constructor(page, workspace) {
    this.page = page;
    this.workspace = workspace;
    this.shot = 0;
  }

  async screenshot(name) {
    const path = join(ARTIFACTS, `${name}.png`);
    await this.page.screenshot({ path });
    log(`screenshot ${relative(ROOT, path)}`);
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
      const row = page.locator('.quick-input-list .monaco-list-row', { hasText: base }).first();
      await row.waitFor({ state: 'visible', timeout: 5_000 });
      await page.keyboard.press('Enter');
      return true;
    }, 60_000, 200);
    await page.locator(`.tabs-container .tab.active[data-resource-name="${base}"]`).waitFor({ timeout: 30_000 });
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

  /** Runs a command from the Command Palette by its title. */
  async command(title) {
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
    await input.waitFor({ state: 'hidden' });
  }

  /** Hides the bottom panel (Problems) if it is open, to leave the height to the editor and side bar. */
  async hideBottomPanel() {
    const panel = this.page.locator('.part.panel.basepanel');
    if (!(await panel.isVisible())) return;
    await this.command('View: Toggle Panel Visibility');
    await panel.waitFor({ state: 'hidden', timeout: 10_000 });
  }

  /** Drags the sash on the side bar's right edge until the side bar is `width` pixels wide. */
  async widenSideBar(width) {
    const page = this.page;
    const sidebar = page.locator('.part.sidebar');
    const box = await sidebar.boundingBox();
    if (!box || box.width >= width) return;
    const x = box.x + box.width;
    const y = box.y + box.height / 2;
    await page.mouse.move(x - 1, y);
    await page.mouse.down();
    await page.mouse.move(box.x + width, y, { steps: 8 });
    await page.mouse.up();
    await poll(`the side bar to be ${width}px wide`, async () => ((await sidebar.boundingBox())?.width ?? 0) >= width - 20, 5_000);
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

/** Waits until `path` on disk holds exactly `expected`; on a timeout shows the difference. */
async function expectFile(path, expected, what) {
  try {
    await poll(`${what} on disk`, () => readFileSync(path, 'utf8') === expected, 15_000);
  } catch (e) {
    throw new Error(`${e.message}\n--- expected ${path}\n${expected}\n--- actual\n${readFileSync(path, 'utf8')}`);
  }
}

/** The pids of processes whose command line contains `needle` (from /proc). */
function processesRunning(needle) {
  const pids = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').some((a) => a.includes(needle))) pids.push(Number(pid));
    } catch {
      /* exited meanwhile */
    }
  }
  return pids;
}

// ---------------------------------------------------------------------------------------------
// The checks.

async function checkDiagnostics(wb, installed) {
  const page = wb.page;
  await wb.openFile('wordstats/wordstats.go');
  await page.locator('.editor-instance .squiggly-error').first().waitFor({ timeout: 90_000 }).catch((e) => {
    throw new Error(`no nil-map-write squiggle (.squiggly-error) in wordstats.go: the extension or its server did not start? ${e.message.split('\n')[0]}`);
  });
  // The server that answers is the installed copy's bundle, not the checkout's.
  const servers = processesRunning(join(installed, 'dist', 'server.js'));
  if (servers.length === 0) throw new Error(`no process runs ${join(installed, 'dist', 'server.js')}`);
  log(`language server running from the installed extension (pid ${servers.join(', ')})`);

  await page.keyboard.press('Control+Shift+M');
  const row = page.locator('.markers-panel .monaco-list-row', { hasText: 'write to nil map freq panics' });
  await row.first().waitFor({ timeout: 30_000 });
  const text = (await row.first().textContent()) ?? '';
  for (const want of ['nil-map-write', 'mapscope', '[Ln 9, Col 3]']) {
    if (!text.includes(want)) throw new Error(`Problems entry lacks "${want}": ${text}`);
  }
  const seen = page.locator('.markers-panel .monaco-list-row', { hasText: 'write to nil map seen panics' });
  await seen.first().waitFor({ timeout: 10_000 });
  log('nil-map-write: squiggle and Problems entries for freq (9:3) and seen (20:4)');
  await wb.screenshot('01-diagnostics');
}

async function checkQuickFix(wb, workspace) {
  const page = wb.page;
  const file = join(workspace, 'fill', 'fill.go');
  const before = readFileSync(file, 'utf8');
  const after = before.replace('byName := make(map[string]User)', 'byName := make(map[string]User, len(users))');
  if (after === before) throw new Error('test/e2e/workspace/fill/fill.go does not have the expected make(map[string]User)');

  await wb.openFile('fill/fill.go');
  await page.locator('.editor-instance .squiggly-info').first().waitFor({ timeout: 60_000 }).catch((e) => {
    throw new Error(`no map-without-hint squiggle (.squiggly-info) in fill.go: ${e.message.split('\n')[0]}`);
  });
  await wb.screenshot('02-map-without-hint');
  await wb.goTo(13, 12);
  const action = page.locator('.action-widget .monaco-list-row.action', { hasText: 'Add capacity hint len(users)' });
  await poll('the quick fix menu to offer "Add capacity hint len(users)"', async () => {
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+.');
    await action.first().waitFor({ timeout: 5_000 });
    return true;
  }, 30_000, 200);
  // The menu blocks the mouse (a pointer-block overlay); pick the entry with the keyboard as users do.
  for (let i = 0; !(await action.first().getAttribute('class'))?.split(' ').includes('focused'); i++) {
    if (i > 10) throw new Error('could not focus "Add capacity hint len(users)" in the quick fix menu');
    await page.keyboard.press('ArrowDown');
  }
  await wb.screenshot('03-quick-fix');
  await page.keyboard.press('Enter');
  await poll('the hint to appear in the editor', async () => (await wb.visibleText()).includes('make(map[string]User, len(users))'), 10_000);
  await wb.save();
  await expectFile(file, after, 'fill.go with the capacity hint');
  await page.locator('.editor-instance .squiggly-info').first().waitFor({ state: 'detached', timeout: 30_000 });
  log('map-without-hint: quick fix "Add capacity hint len(users)" applied, saved, finding gone');
  await wb.screenshot('04-quick-fix-applied');
}

/** `mapscope predict FILE:LINE --format json` from the checkout, for the one site on that line. */
function cliPredict(file, line, entries) {
  const args = [join(ROOT, 'bin', 'mapscope.js'), 'predict', `${file}:${line}`, '--go', GO_VERSION, '--format', 'json'];
  if (entries !== undefined) args.push('--entries', String(entries));
  const out = JSON.parse(execFileSync(process.execPath, args, { encoding: 'utf8', cwd: dirname(file) }));
  const site = out.sites.find((x) => x.line === line);
  if (!site?.prediction) throw new Error(`mapscope predict ${file}:${line} has no prediction for line ${line}: ${JSON.stringify(out).slice(0, 300)}`);
  return site.prediction;
}

/** The map sites of a file as `mapscope predict FILE --format json` lists them: name and line. */
function cliSites(file) {
  const args = [join(ROOT, 'bin', 'mapscope.js'), 'predict', file, '--go', GO_VERSION, '--format', 'json'];
  const out = JSON.parse(execFileSync(process.execPath, args, { encoding: 'utf8', cwd: dirname(file) }));
  return out.sites.map((x) => ({ name: x.name ?? '(unnamed)', line: x.line }));
}

/** What the panel shows: the events table rows, the totals table and the chart's growth marks. */
function readPanel(frame) {
  return frame.locator('#content').evaluate(() => ({
    caption: document.getElementById('events-caption').textContent,
    goVersion: document.getElementById('go-version').textContent,
    entries: Number(document.getElementById('entries').value),
    events: [...document.querySelectorAll('#events tbody tr')].map((tr) => ({
      insert: Number(tr.dataset.insert),
      kind: tr.dataset.kind,
      bytes: Number.parseInt(tr.cells[2].title, 10),
      capacity: (tr.cells[3].textContent ?? '').replace(/\s+/g, ''),
    })),
    totals: Object.fromEntries([...document.querySelectorAll('#totals tbody tr[data-row]')].map((tr) => [
      tr.dataset.row,
      Object.fromEntries([...tr.querySelectorAll('td[data-col]')].map((td) => [td.dataset.col, Number(td.title)])),
    ])),
    marks: [...document.querySelectorAll('#chart circle.mark[data-variant="asIs"]')].map((c) => Number(c.dataset.insert)),
    lines: [...document.querySelectorAll('#chart path.line-asis, #chart path.line-hint')].map((p) => (p.getAttribute('d') ?? '').length),
  }));
}

/** The same numbers, as the CLI prints them, in the panel's shape. */
function expectedPanel(p) {
  const events = p.asIs.events.map((e) => ({ insert: e.insert, kind: e.kind, bytes: e.bytes, capacity: `${e.capacityBefore}→${e.capacityAfter}` }));
  const row = (k) => ({ asIs: p.asIs[k], withHint: p.withHint[k], saved: p.savings[k] });
  return {
    events,
    totals: { growths: row('growths'), allocated: row('totalBytes'), peak: row('peakBytes'), final: row('liveBytes') },
  };
}

function assertPanelMatches(shown, p, what) {
  const want = expectedPanel(p);
  const got = { events: shown.events, totals: shown.totals };
  if (JSON.stringify(got) !== JSON.stringify(want)) {
    throw new Error(`${what}: the panel differs from mapscope predict --format json\n--- panel\n${JSON.stringify(got)}\n--- cli\n${JSON.stringify(want)}`);
  }
  // The chart: both lines drawn, and its growth marks sit on growth events (it leaves out marks
  // too close to draw apart, so not every event has one).
  if (shown.lines.length !== 2 || shown.lines.some((n) => n < 10)) throw new Error(`${what}: the chart has no as-is/with-hint lines: ${JSON.stringify(shown.lines)}`);
  const inserts = new Set(p.asIs.events.map((e) => e.insert));
  if (shown.marks.length === 0 || shown.marks.some((m) => !inserts.has(m))) {
    throw new Error(`${what}: the chart's growth marks ${JSON.stringify(shown.marks)} are not at growth events ${JSON.stringify([...inserts])}`);
  }
}

async function checkPanel(wb, workspace) {
  const page = wb.page;
  const file = join(workspace, 'growth', 'growth.go');
  const before = readFileSync(file, 'utf8');
  const after = before.replace('labels := make(map[int]string)', 'labels := make(map[int]string, 5000)');
  if (after === before) throw new Error('test/e2e/workspace/growth/growth.go does not have the expected make(map[int]string)');
  const line = before.split('\n').findIndex((l) => l.includes('make(map[int]string)')) + 1;

  await wb.openFile('growth/growth.go');
  await page.locator('.editor-instance .squiggly-info').first().waitFor({ timeout: 60_000 });
  await wb.goTo(line, 12);
  await wb.hideBottomPanel();
  await wb.command('MapScope: Show Map Growth Panel');
  await wb.widenSideBar(720);
  const { publisher, name } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const frame = page.frameLocator(`iframe.webview.ready[src*="extensionId=${publisher}.${name}"]`).frameLocator('iframe#active-frame');
  await frame.locator('#content').waitFor({ state: 'visible', timeout: 60_000 }).catch(async (e) => {
    const empty = await frame.locator('#empty-message').textContent({ timeout: 1_000 }).catch(() => null);
    throw new Error(`the growth panel shows no map sites${empty ? ` ("${empty}")` : ''}: ${e.message.split('\n')[0]}`);
  });
  // The cursor is on labels' make: that site is the selected one, among all the file's sites.
  await frame.locator('#site-list button[data-site][aria-pressed="true"]', { hasText: 'labels' }).waitFor({ timeout: 30_000 });
  const listed = await frame.locator('#site-list button[data-site]').evaluateAll((buttons) => buttons.map((b) => ({
    name: b.querySelector('.site-name')?.textContent,
    line: Number(/line (\d+)/.exec(b.querySelector('.site-meta')?.textContent ?? '')?.[1]),
  })));
  const sites = cliSites(file);
  if (JSON.stringify(listed) !== JSON.stringify(sites)) {
    throw new Error(`the panel lists ${JSON.stringify(listed)}, mapscope predict ${JSON.stringify(sites)}`);
  }
  log(`panel: lists ${listed.map((x) => `${x.name} (line ${x.line})`).join(', ')}, as mapscope predict does`);

  // As the file's size inference has it: 5000 entries, the loop's trip count.
  await poll('the panel\'s events table for 5000 entries', async () => (await readPanel(frame)).caption?.includes('5000 entries'), 30_000);
  let shown = await readPanel(frame);
  if (!shown.goVersion.includes(`Go ${GO_VERSION}`)) throw new Error(`the panel predicts for "${shown.goVersion}", expected Go ${GO_VERSION}`);
  assertPanelMatches(shown, cliPredict(file, line), '5000 entries');
  log(`panel: ${shown.events.length} growth events for 5000 entries, equal to mapscope predict ${relative(workspace, file)}:${line}`);
  await wb.screenshot('05-panel-5000');

  // Another size: the table follows the entries input.
  const entries = 100_000;
  await frame.locator('#entries').fill(String(entries));
  await poll(`the panel's events table for ${entries} entries`, async () => (await readPanel(frame)).caption?.includes(`${entries} entries`), 30_000);
  const changed = await readPanel(frame);
  if (JSON.stringify(changed.events) === JSON.stringify(shown.events)) throw new Error('the events table did not change with the entries input');
  assertPanelMatches(changed, cliPredict(file, line, entries), `${entries} entries`);
  log(`panel: ${changed.events.length} growth events for ${entries} entries, equal to mapscope predict --entries ${entries}`);
  await wb.screenshot('06-panel');
  shown = changed;

  // "Add hint" applies the quick fix's edit; save and read the file.
  const add = frame.locator('#add-hint');
  await add.waitFor({ state: 'visible' });
  const label = (await add.textContent()) ?? '';
  if (!label.includes('5000')) throw new Error(`the Add hint button says "${label}", expected the hint 5000`);
  await add.click();
  await frame.locator('#status', { hasText: 'Hint added.' }).waitFor({ timeout: 30_000 });
  await poll('the hint to appear in the editor', async () => (await wb.visibleText()).includes('make(map[int]string, 5000)'), 10_000);
  await wb.focusEditor();
  await wb.save();
  await expectFile(file, after, 'growth.go with the capacity hint');
  // The panel follows the edit: the site now has its hint and no suggestion.
  await frame.locator('#site-list button[data-site]', { hasText: 'make(map[int]string, 5000)' }).first().waitFor({ timeout: 30_000 });
  await add.waitFor({ state: 'hidden', timeout: 30_000 });
  log('panel: Add hint inserted ", 5000", saved; the panel shows the hinted site');
  await wb.screenshot('07-panel-hint-added');
}

// ---------------------------------------------------------------------------------------------

async function main() {
  rmSync(ARTIFACTS, { recursive: true, force: true });
  mkdirSync(ARTIFACTS, { recursive: true });
  checkTools();
  ensureCodeServer();
  const vsix = buildVsix();

  const base = mkdtempSync(join(tmpdir(), 'mapscope-e2e-'));
  const dirs = { base, home: join(base, 'home'), userData: join(base, 'user-data'), extensions: join(base, 'extensions') };
  for (const d of [dirs.home, dirs.userData, dirs.extensions]) mkdirSync(d, { recursive: true });
  let failed = true;
  cleanups.push(() => {
    // Keep the logs of a failed run next to its screenshots.
    if (failed) {
      try {
        cpSync(join(base, 'code-server.log'), join(ARTIFACTS, 'code-server.log'));
        cpSync(join(dirs.userData, 'logs'), join(ARTIFACTS, 'logs'), { recursive: true });
      } catch {
        /* not there yet */
      }
    }
    if (KEEP) log(`kept ${base}`);
    else rmSync(base, { recursive: true, force: true });
  });

  const workspace = join(base, 'workspace');
  cpSync(join(ROOT, 'examples'), workspace, { recursive: true });
  cpSync(join(E2E, 'workspace'), workspace, { recursive: true });
  mkdirSync(join(dirs.userData, 'User'), { recursive: true });
  writeFileSync(join(dirs.userData, 'User', 'settings.json'), JSON.stringify(userSettings(), null, 2));

  const installed = installExtension(dirs, vsix);
  const server = await startCodeServer(dirs, workspace);
  const browser = await launchChromium();
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  const wb = new Workbench(page, workspace);
  const step = async (name, fn) => {
    log(`— ${name}`);
    try {
      await fn();
    } catch (e) {
      await page.screenshot({ path: join(ARTIFACTS, `failed-${name.replace(/\W+/g, '-')}.png`) }).catch(() => {});
      e.message = `${name}: ${e.message}`;
      throw e;
    }
  };

  await step('workbench', async () => {
    await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}`);
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'wordstats' }).first().waitFor({ timeout: 60_000 });
  });
  await step('diagnostics', () => checkDiagnostics(wb, installed));
  await step('quick fix', () => checkQuickFix(wb, workspace));
  await step('growth panel', () => checkPanel(wb, workspace));
  await step('profile', () => checkProfile(page, { workspace, artifacts: ARTIFACTS }));

  if (UPDATE_SCREENSHOTS) {
    mkdirSync(join(ROOT, 'docs', 'images'), { recursive: true });
    for (const [from, to] of Object.entries(README_IMAGES)) {
      if (!existsSync(join(ARTIFACTS, from))) continue;
      copyFileSync(join(ARTIFACTS, from), join(ROOT, 'docs', 'images', to));
      log(`docs/images/${to} updated`);
    }
  }
  failed = false;
}

let code = 0;
try {
  await main();
  log('PASS');
} catch (e) {
  code = e instanceof EnvironmentError ? 2 : 1;
  // Playwright appends its whole call log to messages; the first lines say what failed.
  const message = e.message.split('\n').filter((l) => !/^\s*\x1b\[2m/.test(l)).slice(0, 40).join('\n');
  console.error(`e2e: FAIL ${e instanceof EnvironmentError ? '(environment) ' : ''}${message}`);
  if (!(e instanceof EnvironmentError) && e.stack) console.error(e.stack.split('\n').slice(1, 6).join('\n'));
  console.error(`e2e: screenshots and logs in ${relative(process.cwd(), ARTIFACTS) || ARTIFACTS}`);
} finally {
  await cleanup();
}
process.exit(code);
