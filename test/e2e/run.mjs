// `npm run test:e2e`: MapScope in a real VS Code. Installs code-server (VS Code 1.100 in the
// browser) into test/e2e/node_modules if it is missing, packages the extension with vsce,
// installs the .vsix into a fresh code-server, opens a copy of examples/ (plus
// test/e2e/workspace/) in Debian's chromium driven by playwright-core, and checks what a user
// sees: the nil-map-write squiggle and its Problems entry, the map-without-hint quick fix (the
// file on disk after Ctrl+S), the status bar item and the MapScope Output channel, the hover and
// the code lens on a map, the workspace check filling Problems for a file never opened, and the
// growth panel (its numbers against `mapscope predict`, at 300 px with no sideways scrolling, the
// selected map scrolled into view, kept while Settings has the focus).
//
// Screenshots of every step go to test/e2e/artifacts/ (with the code-server and extension host
// logs on failure). `npm run test:e2e -- --update-screenshots` also copies the README
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
import { EnvironmentError, poll, Workbench } from './workbench.mjs';

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
const README_IMAGES = {
  '01-diagnostics.png': 'diagnostics.png', '05-quick-fix.png': 'quick-fix.png', '12-panel-5000.png': 'panel.png',
  '09-panel-300.png': 'panel-narrow.png', '08-hover.png': 'hover.png',
};

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
  const row = page.locator('.markers-panel .monaco-list-row', { hasText: 'write to nil map `freq` panics' });
  await row.first().waitFor({ timeout: 30_000 });
  const text = (await row.first().textContent()) ?? '';
  for (const want of ['nil-map-write', 'mapscope', '[Ln 9, Col 3]']) {
    if (!text.includes(want)) throw new Error(`Problems entry lacks "${want}": ${text}`);
  }
  const seen = page.locator('.markers-panel .monaco-list-row', { hasText: 'write to nil map `seen` panics' });
  await seen.first().waitFor({ timeout: 10_000 });
  log('nil-map-write: squiggle and Problems entries for freq (9:3) and seen (20:4)');
  await wb.screenshot('01-diagnostics');
}

/**
 * A workspace file, its text, and the text it should have once the editor adds the hint: `from`
 * replaced by `to`. Throws when the file no longer has `from`, so that a changed workspace fails
 * here rather than as a timeout in the editor.
 */
function hintEdit(workspace, rel, from, to) {
  const file = join(workspace, rel);
  const before = readFileSync(file, 'utf8');
  const after = before.replace(from, to);
  if (after === before) throw new Error(`test/e2e/workspace/${rel} does not have the expected ${from}`);
  return { file, before, after };
}

async function checkQuickFix(wb, workspace) {
  const page = wb.page;
  const { file, after } = hintEdit(workspace, 'fill/fill.go', 'byName := make(map[string]User)', 'byName := make(map[string]User, len(users))');

  await wb.openFile('fill/fill.go');
  await wb.hideBottomPanel();
  await page.locator('.editor-instance .squiggly-info').first().waitFor({ timeout: 60_000 }).catch((e) => {
    throw new Error(`no map-without-hint squiggle (.squiggly-info) in fill.go: ${e.message.split('\n')[0]}`);
  });
  await wb.screenshot('04-map-without-hint');
  await wb.goTo(13, 12);
  const action = page.locator('.action-widget .monaco-list-row.action', { hasText: 'Add capacity hint: make(map[string]User, len(users))' });
  await poll('the quick fix menu to offer "Add capacity hint: make(map[string]User, len(users))"', async () => {
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+.');
    await action.first().waitFor({ timeout: 5_000 });
    return true;
  }, 30_000, 200);
  // The menu blocks the mouse (a pointer-block overlay); pick the entry with the keyboard as users do.
  for (let i = 0; !(await action.first().getAttribute('class'))?.split(' ').includes('focused'); i++) {
    if (i > 10) throw new Error('could not focus "Add capacity hint: make(map[string]User, len(users))" in the quick fix menu');
    await page.keyboard.press('ArrowDown');
  }
  await wb.screenshot('05-quick-fix');
  await page.keyboard.press('Enter');
  await poll('the hint to appear in the editor', async () => (await wb.visibleText()).includes('make(map[string]User, len(users))'), 10_000);
  await wb.save();
  await expectFile(file, after, 'fill.go with the capacity hint');
  await page.locator('.editor-instance .squiggly-info').first().waitFor({ state: 'detached', timeout: 30_000 });
  log('map-without-hint: quick fix "Add capacity hint: make(map[string]User, len(users))" applied, saved, finding gone');
  await wb.screenshot('06-quick-fix-applied');
}

/** `mapscope predict FILE:LINE --format json` from the checkout, for the one site on that line. */
function cliPredict(file, line, entries, hint) {
  const args = [join(ROOT, 'bin', 'mapscope.js'), 'predict', `${file}:${line}`, '--go', GO_VERSION, '--format', 'json'];
  if (entries !== undefined) args.push('--entries', String(entries));
  if (hint !== undefined) args.push('--hint', String(hint));
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
      count: Number(tr.dataset.count),
      bytes: Number.parseInt(tr.cells[2].title, 10),
      capacity: (tr.cells[3].textContent ?? '').replace(/\s+/g, ''),
    })),
    totalsHint: document.getElementById('totals-hint').textContent,
    totals: Object.fromEntries([...document.querySelectorAll('#totals tbody tr[data-row]')].map((tr) => [
      tr.dataset.row,
      Object.fromEntries([...tr.querySelectorAll('td[data-col]')].map((td) => [td.dataset.col, Number(td.title)])),
    ])),
    marks: [...document.querySelectorAll('#chart circle.mark[data-variant="asIs"]')].map((c) => Number(c.dataset.insert)),
    lines: [...document.querySelectorAll('#chart path.line-asis, #chart path.line-hint')].map((p) => (p.getAttribute('d') ?? '').length),
  }));
}

/**
 * The CLI's events as the panel's table shows them: one row per event, except that a run of
 * swiss splits is one row, a new run starting at each split that doubles the directory (the
 * panel's rule, restated here from its description, not imported).
 */
function tableRows(events, fold) {
  const rows = [];
  for (const e of events) {
    const last = rows[rows.length - 1];
    if (fold && e.kind === 'split' && last?.kind === 'split' && !/directory/.test(e.detail)) {
      last.count++;
      last.bytes += e.bytes;
      last.capacity = `${last.capacity.split('→')[0]}→${e.capacityAfter}`;
      continue;
    }
    rows.push({ insert: e.insert, kind: e.kind, count: e.count ?? 1, bytes: e.bytes, capacity: `${e.capacityBefore}→${e.capacityAfter}` });
  }
  return rows;
}

/** The same numbers, as the CLI prints them, in the panel's shape. */
function expectedPanel(p, fold = true) {
  const events = tableRows(p.asIs.events, fold);
  const row = (k) => ({ asIs: p.asIs[k], withHint: p.withHint[k], saved: p.savings[k] });
  return {
    events,
    totals: { growths: row('growths'), allocated: row('totalBytes'), peak: row('peakBytes'), final: row('liveBytes') },
  };
}

function assertPanelMatches(shown, p, what, fold = true) {
  const want = expectedPanel(p, fold);
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

/** Waits for the growth panel to list a file's maps; says what it shows instead when it does not. */
async function panelContent(frame) {
  await frame.locator('#content').waitFor({ state: 'visible', timeout: 60_000 }).catch(async (e) => {
    const empty = await frame.locator('#empty-message').textContent({ timeout: 1_000 }).catch(() => null);
    throw new Error(`the growth panel shows no map sites${empty ? ` ("${empty}")` : ''}: ${e.message.split('\n')[0]}`);
  });
}

/** Page width against the view's, and whether the selected site shows in full inside the scrolled list. */
function panelGeometry(frame) {
  return frame.locator('#content').evaluate(() => {
    const root = document.documentElement;
    const list = document.getElementById('site-list');
    const selected = list.querySelector('button[aria-pressed="true"]');
    const l = list.getBoundingClientRect();
    const b = selected?.getBoundingClientRect();
    return {
      scrollWidth: root.scrollWidth,
      clientWidth: root.clientWidth,
      listScrollTop: list.scrollTop,
      selected: selected?.querySelector('.site-name')?.textContent,
      selectedInView: b ? b.top >= l.top - 1 && b.bottom <= l.bottom + 1 : false,
    };
  });
}

/** "grows 14× · 437 KB; a hint saves 218 KB" against the CLI's numbers (kB rounded as the lens prints them). */
function assertGrowthText(text, p, what) {
  const m = /grows (\d+)× · ([\d.]+) KB; a hint saves ([\d.]+) KB/.exec(text);
  if (!m) throw new Error(`${what} "${text}" does not say "grows N× · X KB; a hint saves Y KB"`);
  const near = (kb, bytes) => Math.abs(Number(kb) * 1000 - bytes) <= 500;
  if (Number(m[1]) !== p.asIs.growths || !near(m[2], p.asIs.totalBytes) || !near(m[3], p.savings.totalBytes)) {
    throw new Error(`${what} "${text}" disagrees with mapscope predict: ${p.asIs.growths} growths, ${p.asIs.totalBytes} B, saves ${p.savings.totalBytes} B`);
  }
}

async function checkStatusAndLog(wb, workspace) {
  const page = wb.page;
  // wordstats.go is open: its folder's Go, from the setting.
  const item = page.locator('.statusbar-item', { hasText: `MapScope: Go ${GO_VERSION} · swiss` });
  await item.waitFor({ timeout: 30_000 });
  await item.hover();
  await page.locator('.monaco-hover, .workbench-hover', { hasText: 'setting mapscope.goVersion' }).first().waitFor({ timeout: 10_000 });
  log(`status bar: "MapScope: Go ${GO_VERSION} · swiss", tooltip names the setting`);
  await wb.screenshot('02-status-tooltip');
  await page.mouse.move(700, 400);

  await wb.command('MapScope: Show Output');
  const wanted = [
    /\[info\] MapScope \d+\.\d+\.\d+ activated in VS Code 1\.100\./,
    /\[info\] starting the server \(/,
    /\[info\] MapScope \d+\.\d+\.\d+ language server started \(Node 20\./,
    new RegExp(`\\[info\\] settings: goVersion ${GO_VERSION.replace('.', '\\.')}; rules: nil-map-write error, map-without-hint information, concurrent-map-write warning`),
    // examples/go.mod is the module root: its go line is the language version.
    `[info] Go for ${workspace}: toolchain Go ${GO_VERSION} (swiss) from setting mapscope.goVersion; language Go 1.23 from go.mod go line (${join(workspace, 'go.mod')})`,
  ];
  const text = () => page.locator('.part.panel .monaco-editor .view-lines').first().textContent().then((t) => (t ?? '').replace(/\u00a0/g, ' '));
  await poll('the MapScope Output channel to show the start, the settings and the Go chosen', async () => {
    const t = await text();
    return wanted.every((w) => (typeof w === 'string' ? t.includes(w) : w.test(t)));
  }, 30_000).catch(async (e) => {
    throw new Error(`${e.message}\n--- the Output view shows\n${await text().catch(() => '?')}`);
  });
  log('Output channel: the extension\'s and the server\'s start, the settings, the Go chosen for the module and why');
  await wb.screenshot('03-output');
}

async function checkWorkspaceCheck(wb) {
  const page = wb.page;
  // report.go has two nil-map writes and is never opened in this test.
  await wb.command('MapScope: Check Workspace');
  await page.locator('.notifications-toasts .notification-toast', { hasText: 'MapScope checked the workspace' }).first().waitFor({ timeout: 60_000 });
  await wb.showProblems();
  const file = page.locator('.markers-panel .monaco-list-row', { hasText: 'report.go' });
  await file.first().waitFor({ timeout: 30_000 });
  const rows = page.locator('.markers-panel .monaco-list-row', { hasText: 'nil-map-write' });
  await poll('Problems to list report.go\'s two nil-map writes', async () => {
    const texts = await rows.allTextContents();
    return texts.filter((t) => /\[Ln (23|33), Col \d+\]/.test(t)).length === 2;
  }, 30_000).catch(async (e) => {
    throw new Error(`${e.message}\n--- Problems shows\n${(await page.locator('.markers-panel .monaco-list-row').allTextContents()).join('\n')}`);
  });
  if ((await page.locator('.tabs-container .tab[data-resource-name="report.go"]').count()) > 0) throw new Error('report.go was opened in an editor');
  log('workspace check: Problems lists report.go (never opened) with its two nil-map writes');
  await wb.screenshot('07-workspace-check');
  await wb.command('Notifications: Clear All Notifications');
}

async function checkHoverAndLens(wb, workspace) {
  const page = wb.page;
  const file = join(workspace, 'growth', 'growth.go');
  const line = readFileSync(file, 'utf8').split('\n').findIndex((l) => l.includes('make(map[int]string)')) + 1;
  const p = cliPredict(file, line);
  await wb.openFile('growth/growth.go');
  await page.locator('.editor-instance .squiggly-info').first().waitFor({ timeout: 60_000 });
  const lens = page.locator('.editor-instance .codelens-decoration', { hasText: 'grows' });
  await lens.first().waitFor({ timeout: 30_000 });
  assertGrowthText((await lens.first().textContent()) ?? '', p, 'the code lens');
  log(`code lens: "${await lens.first().textContent()}"`);

  await wb.hideBottomPanel();
  await wb.goTo(line, 15);
  await wb.command('Show or Focus Hover');
  // The diagnostic's part of the hover may show before MapScope's own: wait for the whole.
  const hover = page.locator('.monaco-editor .monaco-hover:visible').first();
  const wanted = [`Go ${GO_VERSION}, swiss map`, '5000 entries: the loop runs 5000 times', `grows ${p.asIs.growths}×`, 'A hint saves'];
  const hoverText = async () => ((await hover.textContent({ timeout: 1_000 })) ?? '').replace(/\s+/g, ' ');
  await poll('the hover to show what the engine predicts', async () => {
    const text = await hoverText();
    return wanted.every((w) => text.includes(w));
  }, 30_000).catch(async (e) => {
    throw new Error(`${e.message}: the hover shows "${await hoverText().catch(() => '')}"`);
  });
  log('hover: the engine\'s growths and bytes for labels, as is and with the hint');
  await wb.screenshot('08-hover');
  await page.keyboard.press('Escape');
}

async function checkPanel(wb, workspace) {
  const page = wb.page;
  const { file, before, after } = hintEdit(workspace, 'growth/growth.go', 'labels := make(map[int]string)', 'labels := make(map[int]string, 5000)');
  const line = before.split('\n').findIndex((l) => l.includes('make(map[int]string)')) + 1;
  const frame = wb.panelFrame();

  // The code lens opens the panel on its map.
  await wb.openFile('growth/growth.go');
  await wb.hideBottomPanel();
  await page.locator('.editor-instance .codelens-decoration a', { hasText: 'grows' }).first().click();
  await panelContent(frame);
  await frame.locator('#site-list button[data-site][aria-pressed="true"]', { hasText: 'labels' }).waitFor({ timeout: 30_000 });
  log('code lens: a click opens the growth panel on labels');

  // A 300 px side bar, VS Code's default: everything fits, nothing scrolls sideways.
  await wb.setSideBarWidth(300);
  await poll('the panel\'s events table for 5000 entries', async () => (await readPanel(frame)).caption?.includes('5000 entries'), 30_000);
  let g = await panelGeometry(frame);
  if (g.scrollWidth > g.clientWidth) throw new Error(`at 300 px the panel is ${g.scrollWidth} px wide in a ${g.clientWidth} px view: it scrolls sideways`);
  log(`panel at 300 px: ${g.scrollWidth} px wide in a ${g.clientWidth} px view, no horizontal scrollbar`);
  await wb.screenshot('09-panel-300');

  // A file with 28 maps: the list scrolls to the one under the cursor, the last.
  await wb.openFile('sites/sites.go');
  await wb.goTo(54, 10);
  await frame.locator('#site-list button[data-site][aria-pressed="true"]', { hasText: 'last' }).waitFor({ timeout: 30_000 });
  g = await poll('the selected site to be scrolled into view', async () => {
    const x = await panelGeometry(frame);
    return x.selectedInView && x.listScrollTop > 0 ? x : undefined;
  }, 10_000).catch(async (e) => {
    throw new Error(`${e.message}: ${JSON.stringify(await panelGeometry(frame))}`);
  });
  log(`panel: the list scrolled by ${g.listScrollTop} px to show "${g.selected}", the map under the cursor`);
  await wb.screenshot('10-panel-scrolled');
  // A counting loop says it is left alone on purpose; a literal with one write is said in words.
  await frame.locator('#site-list button[data-site]', { hasText: 'counts' }).click();
  await frame.locator('#inferred-size', { hasText: 'counting loops are left alone on purpose' }).waitFor({ timeout: 10_000 });
  await frame.locator('#site-list button[data-site]', { hasText: 'seen' }).click();
  await frame.locator('#small', { hasText: 'No entries inserted' }).waitFor({ timeout: 10_000 });
  if (await frame.locator('#chart-box').isVisible()) throw new Error('the panel draws a chart for a map with no entries');
  log('panel: a counting loop is left alone on purpose; an empty literal gets a sentence, not a 0–1 chart');

  // Settings takes the focus: the panel keeps sites.go.
  await wb.command('Preferences: Open Settings (UI)');
  await page.locator('.settings-editor').first().waitFor({ timeout: 30_000 });
  await poll('the panel to keep sites.go while Settings has the focus', async () => {
    const name = await frame.locator('#file-name').textContent();
    return name?.includes('sites.go') && (await frame.locator('#content').isVisible());
  }, 10_000);
  log('panel: keeps sites.go while the Settings editor has the focus');
  // The rules' severities are edited in the Settings UI itself, not in settings.json.
  await page.locator('.settings-editor .suggest-input-container textarea, .settings-editor .settings-header-widget textarea').first().fill('mapscope.rules');
  const rules = page.locator('.settings-editor .setting-item', { hasText: 'Each rule\'s severity' }).first();
  await rules.waitFor({ timeout: 10_000 });
  await poll('the Rules setting to list the three rules with their severities', async () => {
    const text = (await rules.textContent()) ?? '';
    return ['nil-map-write', 'map-without-hint', 'concurrent-map-write', 'information'].every((w) => text.includes(w)) && !text.includes('Edit in settings.json');
  }, 10_000).catch(async (e) => {
    throw new Error(`${e.message}: ${await rules.textContent()}`);
  });
  log('Settings UI: mapscope.rules lists each rule with its severity, editable there');
  await wb.screenshot('11-panel-settings-focused');
  const settingsTab = page.locator('.tabs-container .tab', { hasText: 'Settings' });
  await settingsTab.hover();
  await settingsTab.locator('.tab-actions .action-label').click();
  await settingsTab.waitFor({ state: 'detached', timeout: 10_000 });

  // Back to growth.go, wide: the numbers against the CLI.
  await wb.openFile('growth/growth.go');
  await wb.goTo(line, 12);
  await wb.setSideBarWidth(720);
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
  g = await panelGeometry(frame);
  if (g.scrollWidth > g.clientWidth) throw new Error(`at 720 px the panel scrolls sideways (${g.scrollWidth} > ${g.clientWidth})`);
  assertPanelMatches(shown, cliPredict(file, line), '5000 entries');
  log(`panel: ${shown.events.length} rows for 5000 entries, equal to mapscope predict ${relative(workspace, file)}:${line} with runs of splits folded`);
  await wb.screenshot('12-panel-5000');

  // Another size: the table follows the entries input; "with hint" stays the hint Add hint inserts.
  const entries = 100_000;
  await frame.locator('#entries').fill(String(entries));
  await poll(`the panel's events table for ${entries} entries`, async () => (await readPanel(frame)).caption?.includes(`${entries} entries`), 30_000);
  const changed = await readPanel(frame);
  if (JSON.stringify(changed.events) === JSON.stringify(shown.events)) throw new Error('the events table did not change with the entries input');
  const p100k = cliPredict(file, line, entries, 5000);
  assertPanelMatches(changed, p100k, `${entries} entries`);
  const add = frame.locator('#add-hint');
  const label = (await add.textContent()) ?? '';
  if (!label.includes('5000') || !changed.totalsHint.includes('5000')) {
    throw new Error(`"${label}" and the With hint column "${changed.totalsHint}" must both name the hint 5000`);
  }
  log(`panel: ${changed.events.length} rows for ${p100k.asIs.events.length} events at ${entries} entries, equal to mapscope predict --entries ${entries} --hint 5000; "With hint 5000" beside "${label}"`);
  await wb.screenshot('13-panel-100000');
  // Every event, unfolded.
  await frame.locator('#events-more').click();
  await poll('every event in the table', async () => (await readPanel(frame)).events.length === p100k.asIs.events.length, 10_000);
  assertPanelMatches(await readPanel(frame), p100k, `${entries} entries, every event`, false);
  await frame.locator('#events-more').click();
  log(`panel: "Show all" lists all ${p100k.asIs.events.length} events`);
  shown = changed;

  // "Add hint" applies the quick fix's edit; save and read the file.
  await add.waitFor({ state: 'visible' });
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
  // The code lens above the site goes too: a hinted map that never grows has nothing to say.
  await poll('the code lens to leave the hinted site', async () => !(await wb.visibleText()).includes('a hint saves 218 KB'), 15_000);
  await wb.screenshot('14-panel-hint-added');

  // Dark and high contrast: the webview takes the theme's colours and still fits.
  await wb.focusEditor();
  for (const [theme, body, shot] of [['Default Dark Modern', 'vscode-dark', '15-panel-dark'], ['Default High Contrast', 'vscode-high-contrast', '16-panel-high-contrast']]) {
    await wb.setTheme(theme);
    await poll(`the panel in ${theme}`, async () => (await frame.locator('body').getAttribute('class'))?.split(' ').includes(body), 15_000);
    g = await panelGeometry(frame);
    if (g.scrollWidth > g.clientWidth) throw new Error(`in ${theme} the panel scrolls sideways (${g.scrollWidth} > ${g.clientWidth})`);
    await wb.screenshot(shot);
  }
  log('panel: in the dark and high-contrast themes, with their colours');
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
  const wb = new Workbench(page, workspace, { artifacts: ARTIFACTS, log });
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
  await step('status and log', () => checkStatusAndLog(wb, workspace));
  await step('quick fix', () => checkQuickFix(wb, workspace));
  await step('workspace check', () => checkWorkspaceCheck(wb));
  await step('hover and code lens', () => checkHoverAndLens(wb, workspace));
  await step('growth panel', () => checkPanel(wb, workspace));
  await step('profile', () => checkProfile(wb));

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
