// Document sync, debounced analysis and diagnostics, code actions, hover and code lenses on map
// sites, the workspace check, settings and the log.
// Invariants: each document version is analysed at most once; a result is published only if its
// version is still the newest (a stale result is dropped, never shown); the fixes offered for a
// diagnostic are the ones recorded when that diagnostic was computed (as vscode-eslint does), so
// a code action never recomputes analysis or applies to a text it was not made for.
import { homedir } from 'node:os';
import { dirname } from 'node:path';
import {
  CodeActionKind,
  DidChangeConfigurationNotification,
  ErrorCodes,
  FileChangeType,
  ResponseError,
  TextDocumentSyncKind,
  type CancellationToken,
  type CodeAction,
  type CodeActionParams,
  type CodeLens,
  type CodeLensParams,
  type Connection,
  type Diagnostic,
  type ExecuteCommandParams,
  type Hover,
  type HoverParams,
  type InitializeParams,
  type InitializeResult,
  type WorkspaceEdit,
} from 'vscode-languageserver/node';
import { URI } from 'vscode-uri';
import {
  APPLY_HINT_COMMAND,
  CHECK_WORKSPACE_METHOD,
  LOAD_PROFILE_METHOD,
  MAP_SITES_METHOD,
  PREDICT_METHOD,
  PROFILE_CHANGED_NOTIFICATION,
  PROFILE_METHOD,
  STATUS_NOTIFICATION,
  type ApplyHintArgs,
  type ApplyHintResult,
  type CheckWorkspaceParams,
  type CheckWorkspaceResult,
  type LoadProfileParams,
  type LoadProfileResult,
  type MapSitesParams,
  type MapSitesResult,
  type PredictParams,
  type PredictResult,
  type ProfileParams,
  type ProfileResult,
} from '../../../common/protocol';
import type { RuleError } from '../core/analyze';
import { fixAll } from '../core/fix-all';
import type { Finding } from '../core/findings';
import { mapImplementation, NEWEST_GO, type GoVersion } from '../core/go-version';
import { ignoreFix } from '../core/ignore-fix';
import { markHotFindings } from '../core/profile/hot-findings';
import type { GoParser } from '../core/parse/parser';
import { LineIndex } from '../core/parse/positions';
import { siteAt, type MapSite } from '../core/sites';
import { DEFAULT_MAP_SIZE } from '../core/analysis/pass';
import { siteTimelines, TimelineError } from '../core/timelines';
import { resolveBuildConfig } from '../node/build-config';
import { readGoSource } from '../node/files';
import type { EditorGoSettings } from '../node/go-binary';
import { forgetGoEnv } from '../node/go-command';
import { describeResolution, GoResolver, statusOf, type GoResolution } from '../node/go-env';
import { Workspace } from '../node/workspace';
import { siteLenses } from './code-lens';
import { diagnosticKey, toCodeAction, toDiagnostic, toRange } from './convert';
import { siteHover } from './hover';
import { Log } from './log';
import { ProfileStore } from './profile-store';
import { measuredHover, measuredLens, measuredSiteAt, profileResult } from './profile-view';
import { describeSettings, readEditorGoSettings, readSettings, type Settings } from './settings';
import { goLabel, toSiteInfo } from './sites';
import { WorkspaceCheck } from './workspace-check';

declare const __MAPSCOPE_VERSION__: string | undefined;
const VERSION = typeof __MAPSCOPE_VERSION__ === 'string' ? __MAPSCOPE_VERSION__ : 'dev';

export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.mapscope`;
/** Typing pauses shorter than this are not worth an analysis. */
const DEBOUNCE_MS = 120;

interface Analysed {
  version: number;
  /** Bumped when settings or files on disk change: the same version must then be analysed again. */
  generation: number;
  lines: LineIndex;
  findings: Finding[];
  byKey: Map<string, Finding>;
  /** The toolchain (map implementation) and the language version the findings were computed for. */
  go: GoVersion;
  language: GoVersion;
  /** The map sites of this version, computed when the panel first asks. */
  sites?: MapSite[];
}

export class MapScopeServer {
  private workspace?: Workspace;
  private workspaceReady?: Promise<Workspace>;
  private check?: WorkspaceCheck;
  private settings: Settings = readSettings(undefined);
  private trusted = false;
  private canPullConfiguration = false;
  private versionedEdits = false;
  private canRefreshLenses = false;
  /** The workspace folders the client named at initialize (paths). */
  private folders: string[] = [];
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly results = new Map<string, Analysed>();
  private editorGo: EditorGoSettings = {};
  /** Resolves both Go versions per directory; replaced when settings or go.mod/go.work change. */
  private resolver?: GoResolver;
  /** The last choice logged per folder, so that each package of a module does not log it again. */
  private readonly logged = new Map<string, string>();
  private generation = 0;
  private readonly log: Log;
  /** The settings line last logged. */
  private loggedSettings?: string;
  private readonly profiles: ProfileStore;

  constructor(
    private readonly connection: Connection,
    private readonly parser: Promise<GoParser>,
  ) {
    this.log = new Log(connection);
    this.profiles = new ProfileStore({
      parser,
      // The code the profiles are of: the first workspace folder.
      root: () => this.folders[0],
      go: (dir) => this.goFor(URI.file(`${dir}/go.mod`).toString()).toolchain,
      openText: (path) => this.workspace?.document(path)?.text,
      hotShare: () => this.settings.profileHotShare,
      changed: () => {
        this.reanalyseAll();
        void connection.sendNotification(PROFILE_CHANGED_NOTIFICATION);
      },
      log: (m) => this.log.warn(m),
    });
  }

  listen(): void {
    const c = this.connection;
    c.onInitialize((p) => this.initialize(p));
    c.onInitialized(() => this.initialized());
    c.onDidOpenTextDocument(async ({ textDocument: d }) => {
      (await this.ready()).openDocument(pathOf(d.uri), d.text, d.version, !isFile(d.uri));
      this.schedule(d.uri, 0);
    });
    c.onDidChangeTextDocument(async ({ textDocument: d, contentChanges }) => {
      (await this.ready()).changeDocument(pathOf(d.uri), contentChanges, d.version);
      this.schedule(d.uri, DEBOUNCE_MS);
      this.profiles.recomputeSoon();
    });
    c.onDidCloseTextDocument(async ({ textDocument: d }) => {
      const path = pathOf(d.uri);
      (await this.ready()).closeDocument(path);
      clearTimeout(this.timers.get(d.uri));
      this.timers.delete(d.uri);
      this.results.delete(d.uri);
      // A file the workspace check covers goes back to its diagnostics from disk; others are cleared.
      if (this.check?.covers(path)) this.check.recheck(path);
      else void c.sendDiagnostics({ uri: d.uri, diagnostics: [] });
    });
    c.onDidChangeWatchedFiles(async ({ changes }) => {
      const ws = await this.ready();
      for (const ch of changes) {
        const path = pathOf(ch.uri);
        ws.invalidate(path);
        if (path.endsWith('go.mod') || path.endsWith('go.work') || ch.type !== FileChangeType.Changed) this.resolver = undefined;
        if (ch.type === FileChangeType.Deleted) this.check?.forget(path);
        else this.check?.recheck(path);
      }
      this.reanalyseAll();
      this.profiles.recomputeSoon();
    });
    c.onDidChangeConfiguration(async (p) => {
      await this.loadSettings(p.settings?.mapscope);
      this.resolver = undefined;
      // A Go may have been installed meanwhile: ask `go env` again.
      forgetGoEnv();
      this.reanalyseAll();
      if (this.canRefreshLenses) void c.sendRequest('workspace/codeLens/refresh');
      this.profiles.recomputeSoon();
    });
    c.onCodeAction((p) => this.codeActions(p));
    c.onHover((p) => this.hover(p));
    c.onCodeLens((p) => this.codeLenses(p));
    c.onRequest(MAP_SITES_METHOD, (p: MapSitesParams) => this.mapSites(p));
    c.onRequest(PREDICT_METHOD, (p: PredictParams) => this.predict(p));
    c.onRequest(CHECK_WORKSPACE_METHOD, (p: CheckWorkspaceParams, token: CancellationToken) => this.checkWorkspace(p, token));
    c.onRequest(LOAD_PROFILE_METHOD, (p: LoadProfileParams) => this.loadProfile(p));
    c.onRequest(PROFILE_METHOD, (p: ProfileParams) => this.profile(p));
    c.onShutdown(() => this.profiles.dispose());
    c.onExecuteCommand((p) => this.executeCommand(p));
    c.listen();
  }

  private initialize(p: InitializeParams): InitializeResult {
    const opts = (p.initializationOptions ?? {}) as { trusted?: boolean; settings?: unknown; go?: unknown };
    // Running `go env` executes workspace-controlled code paths (GOTOOLCHAIN, go.work, a go.goroot
    // in workspace settings): only when trusted.
    this.trusted = opts.trusted === true;
    this.editorGo = readEditorGoSettings(opts.go);
    this.canPullConfiguration = p.capabilities.workspace?.configuration === true;
    this.versionedEdits = p.capabilities.workspace?.workspaceEdit?.documentChanges === true;
    this.canRefreshLenses = p.capabilities.workspace?.codeLens?.refreshSupport === true;
    this.folders = (p.workspaceFolders ?? []).map((f) => URI.parse(f.uri)).filter((u) => u.scheme === 'file').map((u) => u.fsPath);
    if (this.folders.length === 0 && p.rootUri) this.folders = [URI.parse(p.rootUri).fsPath];
    const client = p.clientInfo ? `${p.clientInfo.name}${p.clientInfo.version ? ` ${p.clientInfo.version}` : ''}` : 'an unnamed client';
    this.log.info(
      `MapScope ${VERSION} language server started (Node ${process.versions.node}, pid ${process.pid}) for ${client}; ` +
        `workspace ${this.trusted ? 'trusted' : 'not trusted: go env is not run'}; folders: ${this.folders.join(', ') || 'none'}`,
    );
    this.applySettings(readSettings(opts.settings as never));
    void this.profiles.setSettingPath(this.settings.profile);
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND] },
        executeCommandProvider: { commands: [APPLY_HINT_COMMAND] },
        hoverProvider: true,
        codeLensProvider: { resolveProvider: false },
      },
      serverInfo: { name: 'mapscope', version: VERSION },
    };
  }

  private async initialized(): Promise<void> {
    if (this.canPullConfiguration) {
      void this.connection.client.register(DidChangeConfigurationNotification.type, { section: 'mapscope' });
      await this.loadSettings(undefined);
    }
  }

  private async loadSettings(pushed: unknown): Promise<void> {
    let raw = pushed;
    if (raw === undefined && this.canPullConfiguration) {
      raw = await this.connection.workspace.getConfiguration('mapscope');
    }
    // A client with no `mapscope` section answers null: keep what initializationOptions said.
    if (raw !== undefined && raw !== null) this.applySettings(readSettings(raw as never));
    await this.profiles.setSettingPath(this.settings.profile);
  }

  /** Takes new settings; logs them the first time and when they change, and what is wrong with them (shown once). */
  private applySettings(s: Settings): void {
    this.settings = s;
    this.resolver = undefined;
    this.log.level = s.logLevel;
    const line = describeSettings(s);
    if (line !== this.loggedSettings) this.log.info(`settings: ${line}`);
    this.loggedSettings = line;
    for (const problem of s.problems) this.log.warnOnce(problem);
  }

  /** One workspace, however many requests wait for the parser at once (`??=` across an await would make two). */
  private ready(): Promise<Workspace> {
    this.workspaceReady ??= this.parser.then(
      (parser) => (this.workspace = new Workspace(parser, resolveBuildConfig({}, { mayRunGo: this.trusted, fallbackGo: NEWEST_GO }).config)),
    );
    return this.workspaceReady;
  }

  private reanalyseAll(): void {
    this.generation++;
    if (!this.workspace) return;
    for (const path of this.workspace.openPaths) this.schedule(URI.file(path).toString(), 0);
  }

  private schedule(uri: string, delay: number): void {
    clearTimeout(this.timers.get(uri));
    this.timers.set(
      uri,
      setTimeout(() => {
        this.timers.delete(uri);
        void this.analyse(uri);
      }, delay),
    );
  }

  private async analyse(uri: string): Promise<void> {
    const ws = await this.ready();
    const path = pathOf(uri);
    const doc = ws.document(path);
    const version = ws.version(path);
    if (!doc || version === undefined) return;
    const previous = this.results.get(uri);
    if (previous?.version === version && previous.generation === this.generation) return;
    const { toolchain: go, language } = this.goFor(uri);
    let findings: Finding[];
    const started = performance.now();
    try {
      const errors: RuleError[] = [];
      findings = markHotFindings(ws.analyze(path, { go, language }, this.settings.rules, errors), this.profiles.measuredIn(path), { severity: this.settings.profileHotSeverity });
      for (const e of errors) this.log.error(`internal error in ${e.rule} on ${e.file}: ${e.stack ?? e.message}`);
    } catch (e) {
      this.log.error(`analysis of ${path} failed: ${e instanceof Error ? e.stack : String(e)}`);
      return;
    }
    if (this.log.debugEnabled) {
      const checked = ws.lastChecked === 'all' ? 'the whole file' : `${ws.lastChecked} function${ws.lastChecked === 1 ? '' : 's'}`;
      this.log.debug(`analysed ${path} v${version} in ${(performance.now() - started).toFixed(1)} ms (${checked}): ${findings.length} finding${findings.length === 1 ? '' : 's'}`);
    }
    // Analysis is synchronous, so the text cannot have moved under it; the version check guards
    // against a newer analysis having been published while this one waited for the parser.
    if (ws.version(path) !== version) return;
    const lines = doc.lines;
    const otherLines = (file: string) => {
      const open = ws.document(file);
      if (open) return open.lines;
      const read = readGoSource(file);
      return read.ok ? new LineIndex(read.text) : undefined;
    };
    const diagnostics: Diagnostic[] = [];
    const byKey = new Map<string, Finding>();
    for (const f of findings) {
      const d = toDiagnostic(f, uri, lines, otherLines);
      diagnostics.push(d);
      byKey.set(diagnosticKey(d), f);
    }
    this.results.set(uri, { version, generation: this.generation, lines, findings, byKey, go, language });
    void this.connection.sendDiagnostics({ uri, version, diagnostics });
  }

  /**
   * The toolchain and language version for a document's directory (an untitled buffer takes the
   * first workspace folder's, never the server's working directory's). Every fresh resolution is
   * announced with `mapscope/status` and, when it differs from the last for its folder, logged with
   * its sources.
   */
  private goFor(uri: string): GoResolution {
    this.resolver ??= new GoResolver({
      ...(this.settings.go ? { go: { value: this.settings.go, from: 'setting mapscope.goVersion' } } : {}),
      ...(this.settings.goExperiment ? { goexperiment: { value: this.settings.goExperiment, from: 'setting mapscope.goExperiment' } } : {}),
      mayRunGo: this.trusted,
      editor: this.editorGo,
      roots: this.folders,
    });
    // Outside any folder: no go.mod applies, so the home directory (never the server's working
    // directory) stands in, and the status says "files outside a folder" (folder '').
    const outside = !isFile(uri) && this.folders.length === 0;
    const dir = isFile(uri) ? dirname(pathOf(uri)) : (this.folders[0] ?? homedir());
    const fresh = !this.resolver.has(dir);
    const r = this.resolver.resolve(dir);
    if (fresh) {
      void this.connection.sendNotification(STATUS_NOTIFICATION, { ...statusOf(r), ...(outside ? { folder: '' } : {}) });
      const line = describeResolution(r);
      if (this.logged.get(r.folder) !== line) {
        this.logged.set(r.folder, line);
        this.log.info(`Go for ${line}`);
      }
    }
    return r;
  }

  private get defaultMapSize(): number | undefined {
    return this.settings.rules.defaultMapSize;
  }

  private codeActions(p: CodeActionParams): CodeAction[] {
    const uri = p.textDocument.uri;
    const result = this.results.get(uri);
    const current = this.workspace?.version(pathOf(uri));
    if (!result || result.version !== current) return [];
    const only = p.context.only;
    const wants = (kind: string) => !only || only.some((k) => kind === k || kind.startsWith(`${k}.`));
    const actions: CodeAction[] = [];
    if (wants(CodeActionKind.QuickFix)) {
      for (const d of p.context.diagnostics) {
        if (d.source !== 'mapscope') continue;
        const f = result.byKey.get(diagnosticKey(d));
        if (!f) continue;
        for (const fix of f.fixes) actions.push(toCodeAction(fix, uri, result.lines, d));
        actions.push(toCodeAction(ignoreFix(f, result.lines), uri, result.lines, d));
      }
    }
    if (wants(FIX_ALL_KIND)) {
      const { edits } = fixAll(result.findings);
      if (edits.length > 0) {
        actions.push(
          toCodeAction(
            { title: 'Apply every safe MapScope fix', isPreferred: false, edits },
            uri,
            result.lines,
            undefined,
            FIX_ALL_KIND,
          ),
        );
      }
    }
    return actions;
  }

  /**
   * The analysis of the document's current version, running it now if it is still debounced: the
   * panel's requests answer from the same text version as the diagnostics.
   */
  private async current(uri: string): Promise<{ path: string; result: Analysed } | undefined> {
    const ws = await this.ready();
    const path = pathOf(uri);
    let result = this.results.get(uri);
    if (result?.version !== ws.version(path) || result?.generation !== this.generation) {
      if (ws.version(path) === undefined) return undefined;
      clearTimeout(this.timers.get(uri));
      this.timers.delete(uri);
      await this.analyse(uri);
      result = this.results.get(uri);
    }
    if (!result || result.version !== ws.version(path)) return undefined;
    return { path, result };
  }

  private sitesOf(path: string, result: Analysed): MapSite[] {
    result.sites ??= this.workspace!.mapSites(path, { go: result.go, language: result.language, defaultMapSize: this.defaultMapSize });
    return result.sites;
  }

  private async hover(p: HoverParams): Promise<Hover | null> {
    const cur = await this.current(p.textDocument.uri);
    if (!cur) return null;
    const { path, result } = cur;
    const offset = result.lines.byteOffsetAt(p.position);
    const predicted = siteHover(this.sitesOf(path, result), offset, result.lines, result.go, this.defaultMapSize);
    // With a profile loaded, what it measured for the site comes first: evidence before prediction.
    const report = this.profiles.current;
    const measured = report ? measuredSiteAt(this.profiles.measuredIn(path), offset) : undefined;
    if (!measured || !report) return predicted;
    const text = measuredHover(measured, report);
    const before = predicted && typeof predicted.contents === 'object' && 'value' in predicted.contents ? `\n\n---\n\n${predicted.contents.value}` : '';
    return { contents: { kind: 'markdown', value: text + before }, range: predicted?.range ?? toRange(measured.range, result.lines) };
  }

  private async codeLenses(p: CodeLensParams): Promise<CodeLens[]> {
    if (!this.settings.codeLens) return [];
    const uri = p.textDocument.uri;
    const cur = await this.current(uri);
    if (!cur) return [];
    const { path, result } = cur;
    const lenses = siteLenses(uri, this.sitesOf(path, result), result.lines, result.go, this.defaultMapSize);
    // A measured site's lens says what the profile recorded; it replaces the predicted one there.
    const measured = this.profiles.current ? this.profiles.measuredIn(path) : [];
    if (measured.length === 0) return lenses;
    const at = (line: number) => measured.find((m) => result.lines.lspPosition(m.range.start).line === line);
    const out = lenses.filter((l) => !at(l.range.start.line));
    for (const m of measured) {
      const lens = measuredLens(m);
      const range = toRange(m.range, result.lines);
      out.push({ range, command: { title: lens.title, tooltip: lens.tooltip, command: lens.command } });
    }
    return out.sort((a, b) => a.range.start.line - b.range.start.line);
  }

  private async checkWorkspace(p: CheckWorkspaceParams, token: CancellationToken): Promise<CheckWorkspaceResult> {
    const folders = p?.folders?.map((u) => URI.parse(u)).filter((u) => u.scheme === 'file').map((u) => u.fsPath) ?? this.folders;
    const ws = await this.ready();
    this.check ??= new WorkspaceCheck(this.connection, await this.parser, {
      isOpen: (path) => ws.version(path) !== undefined,
      goFor: (path) => this.goFor(URI.file(path).toString()),
      rules: () => this.settings.rules,
      build: () => ws.build,
    });
    const progress = this.connection.window.attachWorkDoneProgress(p?.workDoneToken);
    const started = performance.now();
    this.log.info(`checking the workspace: ${folders.join(', ') || 'no folder'}`);
    const r = await this.check.run(folders, token, progress);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    this.log.info(
      `workspace check ${r.cancelled ? 'cancelled' : 'done'} in ${seconds} s: ${r.files} unopened file${r.files === 1 ? '' : 's'}, ` +
        `${r.findings} finding${r.findings === 1 ? '' : 's'} in ${r.filesWithFindings}`,
    );
    for (const w of r.warnings) this.log.warn(w);
    return r;
  }

  private async mapSites(p: MapSitesParams): Promise<MapSitesResult> {
    const uri = p?.textDocument?.uri;
    if (typeof uri !== 'string') throw new ResponseError(ErrorCodes.InvalidParams, 'mapscope/mapSites needs textDocument.uri');
    const cur = await this.current(uri);
    if (!cur) throw new ResponseError(ErrorCodes.InvalidParams, `${uri} is not an open document`);
    const { path, result } = cur;
    return {
      uri,
      version: result.version,
      go: goLabel(result.go),
      impl: mapImplementation(result.go),
      defaultMapSize: this.defaultMapSize ?? DEFAULT_MAP_SIZE,
      sites: this.sitesOf(path, result).map((s) => toSiteInfo(s, result.lines)),
    };
  }

  private async predict(p: PredictParams): Promise<PredictResult> {
    const uri = p?.textDocument?.uri;
    const pos = p?.position;
    if (typeof uri !== 'string' || !pos || !Number.isInteger(pos.line) || !Number.isInteger(pos.character)) {
      throw new ResponseError(ErrorCodes.InvalidParams, 'mapscope/predict needs textDocument.uri and position');
    }
    const count = (v: unknown, name: string) => {
      if (v === undefined || v === null) return undefined;
      if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0 || v > 50_000_000) {
        throw new ResponseError(ErrorCodes.InvalidParams, `${name} must be an integer from 0 to 50000000`);
      }
      return v;
    };
    const entries = count(p.entries, 'entries');
    const hint = count(p.hint, 'hint');
    if (p.impl !== undefined && p.impl !== null && p.impl !== 'classic' && p.impl !== 'swiss') {
      throw new ResponseError(ErrorCodes.InvalidParams, 'impl must be classic or swiss');
    }
    const cur = await this.current(uri);
    if (!cur) throw new ResponseError(ErrorCodes.InvalidParams, `${uri} is not an open document`);
    const { path, result } = cur;
    const site = siteAt(this.sitesOf(path, result), result.lines.byteOffsetAt(pos));
    if (!site) return null;
    try {
      const t = siteTimelines(site, {
        go: result.go,
        ...(p.impl ? { impl: p.impl } : {}),
        ...(entries !== undefined ? { entries } : {}),
        ...(hint !== undefined ? { hint } : {}),
        defaultMapSize: this.defaultMapSize,
      });
      return { ...t, uri, version: result.version, site: toSiteInfo(site, result.lines) };
    } catch (e) {
      if (e instanceof TimelineError) throw new ResponseError(ErrorCodes.InvalidParams, e.message);
      throw e;
    }
  }

  private async loadProfile(p: LoadProfileParams): Promise<LoadProfileResult> {
    const paths = p?.paths;
    if (!Array.isArray(paths) || paths.some((x) => typeof x !== 'string')) {
      throw new ResponseError(ErrorCodes.InvalidParams, `${LOAD_PROFILE_METHOD} needs paths: string[]`);
    }
    const loaded = await this.profiles.load(paths);
    const all = await this.profile({});
    return { ...loaded, sites: all?.sites.length ?? 0, hot: all?.sites.filter((s) => s.hot).length ?? 0, ...(all?.sites[0] ? { top: all.sites[0] } : {}) };
  }

  private async profile(p: ProfileParams): Promise<ProfileResult> {
    const uri = p?.textDocument?.uri;
    if (uri !== undefined && typeof uri !== 'string') throw new ResponseError(ErrorCodes.InvalidParams, `${PROFILE_METHOD}: textDocument.uri must be a string`);
    const report = await this.profiles.fresh();
    if (!report) return null;
    const ws = await this.ready();
    return profileResult(report, this.profiles.paths, uri !== undefined ? pathOf(uri) : undefined, (file) => {
      const open = ws.document(file);
      if (open) return open.lines;
      const read = readGoSource(file);
      return read.ok ? new LineIndex(read.text) : undefined;
    });
  }

  private async executeCommand(p: ExecuteCommandParams): Promise<ApplyHintResult> {
    if (p.command !== APPLY_HINT_COMMAND) throw new ResponseError(ErrorCodes.InvalidParams, `unknown command ${p.command}`);
    const args = p.arguments?.[0] as Partial<ApplyHintArgs> | undefined;
    if (typeof args?.uri !== 'string' || typeof args.version !== 'number' || typeof args.siteId !== 'string') {
      throw new ResponseError(ErrorCodes.InvalidParams, `${APPLY_HINT_COMMAND} takes one argument {uri, version, siteId}`);
    }
    const cur = await this.current(args.uri);
    if (!cur) return { applied: false, reason: 'the document is not open' };
    const { path, result } = cur;
    if (result.version !== args.version) {
      return { applied: false, reason: `the document changed since the panel listed its maps (version ${args.version}, now ${result.version})` };
    }
    const site = this.sitesOf(path, result).find((s) => s.id === args.siteId);
    if (!site) return { applied: false, reason: `no map site ${args.siteId} in this version` };
    if (!site.fix) return { applied: false, reason: 'MapScope has no hint to add here (map-without-hint offers no fix for this map)' };
    // Exactly the quick fix's edits; with a version when the client can check it.
    const edits = site.fix.edits.map((e) => ({ range: toRange(e.range, result.lines), newText: e.newText }));
    const edit: WorkspaceEdit = this.versionedEdits
      ? { documentChanges: [{ textDocument: { uri: args.uri, version: result.version }, edits }] }
      : { changes: { [args.uri]: edits } };
    const applied = await this.connection.workspace.applyEdit({ label: site.fix.title, edit });
    return { applied: applied.applied, ...(applied.failureReason ? { reason: applied.failureReason } : {}) };
  }
}

const isFile = (uri: string) => URI.parse(uri).scheme === 'file';

/** A file's path; another document (an untitled buffer) is known by its URI, which names no directory. */
function pathOf(uri: string): string {
  const u = URI.parse(uri);
  return u.scheme === 'file' ? u.fsPath : uri;
}
