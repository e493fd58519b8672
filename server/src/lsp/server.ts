// The language server's main thread: the protocol, and nothing slow. It keeps a copy of the open
// documents (documents.ts), debounces analysis, publishes diagnostics and answers code actions
// from what it recorded, resolves the Go each folder targets and says so (mapscope/status, the
// log), and runs the workspace check and the profile commands; parsing, analysis, map sites,
// hovers, lenses and profile attribution run in the analysis worker (analysis.ts), and the
// engine's predictions in the engine worker (engine-host.ts), so that no document and no request
// can keep the others waiting.
// Invariants:
//  - Document notifications are applied in the order they arrive, whenever they arrive: before or
//    after `initialized`, while settings load. Nothing waits on startup but analysis itself.
//  - Each revision of a document is analysed at most once per settings generation; a result is
//    published only if its revision is still the newest (a stale result is dropped, never shown).
//    Revisions are the server's own, one per change, so a client that repeats a version number
//    still gets its new text analysed.
//  - The fixes offered for a diagnostic are the ones recorded when that diagnostic was computed
//    (as vscode-eslint does), so a code action never applies to a text it was not made for.
//  - An analysis that throws is logged with its stack, and the document keeps its last diagnostics.
import { homedir } from 'node:os';
import { dirname } from 'node:path';
import {
  CodeActionKind,
  DiagnosticSeverity,
  DidChangeConfigurationNotification,
  ErrorCodes,
  FileChangeType,
  LSPErrorCodes,
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
  type TextDocumentContentChangeEvent,
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
import { DEFAULT_MAP_SIZE } from '../core/analysis/pass';
import { resolveBuildConfig } from '../node/build-config';
import { MAX_ENTRIES } from '../core/engine';
import { mapImplementation, NEWEST_GO } from '../core/go-version';
import type { EditorGoSettings } from '../node/go-binary';
import { forgetGoEnv } from '../node/go-command';
import { describeResolution, GoResolver, statusOf, type GoResolution } from '../node/go-env';
import type { GoPaths } from '../node/import-resolver';
import type { AnalysisHost, HostEvents } from './analysis-host';
import type { AnalysisResult, DocEvent, FixAction, Target, WorkerConfig } from './analysis-protocol';
import { diagnosticKey } from './convert';
import { Documents, type OpenDoc } from './documents';
import { EngineStop, type EngineHost } from './engine-host';
import { Log } from './log';
import { describeSettings, readEditorGoSettings, readSettings, type Settings } from './settings';
import { goLabel } from './sites';
import { WorkspaceCheck } from './workspace-check';

declare const __MAPSCOPE_VERSION__: string | undefined;
const VERSION = typeof __MAPSCOPE_VERSION__ === 'string' ? __MAPSCOPE_VERSION__ : 'dev';

export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.mapscope`;
/** Typing pauses shorter than this are not worth an analysis. */
const DEBOUNCE_MS = 120;
/** How long analysis waits at startup for the client's settings before it goes ahead with what it has. */
const SETTINGS_WAIT_MS = 2000;
/** A request whose document keeps changing under it gives up after this many tries (ContentModified). */
const TRIES = 3;

interface Analysed {
  rev: number;
  /** Bumped when settings or files on disk change: the same revision must then be analysed again. */
  generation: number;
  /** Quick fixes by diagnostic key. */
  fixes: Map<string, FixAction[]>;
  fixAll: AnalysisResult['fixAll'];
}

/** The workers, made by the caller (main.ts knows where their scripts are). */
export interface Workers {
  analysis(events: HostEvents): AnalysisHost;
  engine(log: (message: string) => void): EngineHost;
}

export class MapScopeServer {
  private settings: Settings = readSettings(undefined);
  private trusted = false;
  private canPullConfiguration = false;
  private versionedEdits = false;
  private canRefreshLenses = false;
  /** The workspace folders the client named at initialize (paths). */
  private folders: string[] = [];
  private editorGo: EditorGoSettings = {};
  private readonly docs = new Documents();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly results = new Map<string, Analysed>();
  /** The revision and generation being analysed now, per document: the same one is not asked for twice. */
  private readonly inFlight = new Map<string, string>();
  private generation = 0;
  private readonly analysis: AnalysisHost;
  private readonly engine: EngineHost;
  private readonly log: Log;
  /** The settings line last logged. */
  private loggedSettings?: string;
  /** Resolves both Go versions per directory; replaced when settings or go.mod/go.work change. */
  private resolver?: GoResolver;
  /** The last choice logged per folder, so that each package of a module does not log it again. */
  private readonly logged = new Map<string, string>();
  /** The configuration the analysis worker was last given. */
  private workerConfig?: string;
  private check?: WorkspaceCheck;
  /** Resolves when analysis may start: settings pulled (or given up on). */
  private started: Promise<void> = Promise.resolve();
  private settingsPulled?: () => void;

  constructor(
    private readonly connection: Connection,
    workers: Workers,
    /** Called when the server cannot go on (the analysis worker keeps dying). */
    private readonly exit: (reason: string) => void,
  ) {
    this.log = new Log(connection);
    this.analysis = workers.analysis({
      log: (m, level) => (level === 'info' ? this.log.info(m) : level === 'warning' ? this.log.warn(m) : this.log.error(m)),
      onRestart: (reason, uri) => this.workerRestarted(reason, uri),
      onGiveUp: (reason) => this.exit(reason),
      onDependentsChanged: (uris) => {
        // Same revision, new imports: what was published for it no longer stands.
        for (const uri of uris) {
          this.results.delete(uri);
          this.schedule(uri, DEBOUNCE_MS);
        }
      },
      onProfileChanged: () => {
        this.reanalyseAll();
        this.refreshLenses();
        void connection.sendNotification(PROFILE_CHANGED_NOTIFICATION);
      },
    });
    this.engine = workers.engine((m) => this.log.error(m));
  }

  listen(): void {
    const c = this.connection;
    c.onInitialize((p) => this.initialize(p));
    c.onInitialized(() => void this.initialized());
    c.onDidOpenTextDocument(({ textDocument: d }) => {
      if (typeof d?.uri !== 'string' || typeof d.text !== 'string') return this.log.warn('ignored a didOpen without uri and text');
      this.send(this.docs.open(d.uri, d.text, d.version));
      this.schedule(d.uri, 0);
    });
    c.onDidChangeTextDocument(({ textDocument: d, contentChanges }) => {
      if (typeof d?.uri !== 'string' || !Array.isArray(contentChanges) || !contentChanges.every(validChange)) {
        return this.log.warn(`ignored a malformed didChange${typeof d?.uri === 'string' ? ` of ${d.uri}` : ''}`);
      }
      const events = this.docs.change(d.uri, contentChanges, d.version);
      if (!events) return;
      this.send(events);
      this.schedule(d.uri, DEBOUNCE_MS);
    });
    c.onDidCloseTextDocument(({ textDocument: d }) => {
      if (typeof d?.uri !== 'string') return;
      this.send(this.docs.close(d.uri));
      clearTimeout(this.timers.get(d.uri));
      this.timers.delete(d.uri);
      this.results.delete(d.uri);
      // A file the workspace check covers goes back to its diagnostics from disk; others are cleared.
      const path = pathOf(d.uri);
      if (this.check?.covers(path)) void this.check.recheck(path);
      else void c.sendDiagnostics({ uri: d.uri, diagnostics: [] });
    });
    c.onDidChangeWatchedFiles(({ changes }) => {
      for (const ch of changes ?? []) {
        const uri = URI.parse(ch.uri);
        if (uri.scheme !== 'file') continue;
        const path = uri.fsPath;
        this.analysis.send({ op: 'invalidate', path });
        if (path.endsWith('go.mod') || path.endsWith('go.work') || ch.type !== FileChangeType.Changed) this.resolver = undefined;
        if (ch.type === FileChangeType.Deleted) this.check?.forget(path);
        else void this.check?.recheck(path);
      }
      this.reanalyseAll();
    });
    c.onDidChangeConfiguration(async (p) => {
      await this.loadSettings(p?.settings?.mapscope);
      // A Go may have been installed meanwhile: ask `go env` again.
      forgetGoEnv();
      this.resolver = undefined;
      this.configureWorker();
      this.reanalyseAll();
      this.refreshLenses();
    });
    c.onCodeAction((p) => this.codeActions(p));
    c.onHover((p) => this.hover(p));
    c.onCodeLens((p) => this.codeLenses(p));
    c.onRequest(MAP_SITES_METHOD, (p: MapSitesParams) => this.mapSites(p));
    c.onRequest(PREDICT_METHOD, (p: PredictParams, token: CancellationToken) => this.predict(p, token));
    c.onRequest(CHECK_WORKSPACE_METHOD, (p: CheckWorkspaceParams, token: CancellationToken) => this.checkWorkspace(p, token));
    c.onRequest(LOAD_PROFILE_METHOD, (p: LoadProfileParams) => this.loadProfile(p));
    c.onRequest(PROFILE_METHOD, (p: ProfileParams) => this.profile(p));
    c.onExecuteCommand((p) => this.executeCommand(p));
    c.onShutdown(() => {
      this.engine.dispose();
      this.analysis.dispose();
    });
    c.listen();
  }

  private send(events: DocEvent[]): void {
    for (const e of events) this.analysis.send(e);
  }

  private initialize(p: InitializeParams): InitializeResult {
    const opts = (p?.initializationOptions ?? {}) as { trusted?: boolean; settings?: unknown; go?: unknown };
    // Running `go env` executes workspace-controlled code paths (GOTOOLCHAIN, go.work, a go.goroot
    // in workspace settings): only when trusted.
    this.trusted = opts.trusted === true;
    this.editorGo = readEditorGoSettings(opts.go);
    this.canPullConfiguration = p?.capabilities?.workspace?.configuration === true;
    this.versionedEdits = p?.capabilities?.workspace?.workspaceEdit?.documentChanges === true;
    this.canRefreshLenses = p?.capabilities?.workspace?.codeLens?.refreshSupport === true;
    this.setFolders(p);
    const client = p?.clientInfo ? `${p.clientInfo.name}${p.clientInfo.version ? ` ${p.clientInfo.version}` : ''}` : 'an unnamed client';
    this.log.info(
      `MapScope ${VERSION} language server started (Node ${process.versions.node}, pid ${process.pid}) for ${client}; ` +
        `workspace ${this.trusted ? 'trusted' : 'not trusted: go env is not run'}; folders: ${this.folders.join(', ') || 'none'}`,
    );
    this.applySettings(readSettings(opts.settings as never));
    this.configureWorker();
    void this.analysis.call({ op: 'profileSetting', uri: '', path: this.settings.profile });
    // Analysis waits for the client's settings (asked for in `initialized`), but not forever.
    this.started = this.canPullConfiguration
      ? new Promise<void>((resolve) => {
          this.settingsPulled = resolve;
          setTimeout(resolve, SETTINGS_WAIT_MS).unref();
        })
      : Promise.resolve();
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
    if (!this.canPullConfiguration) return;
    void this.connection.client.register(DidChangeConfigurationNotification.type, { section: 'mapscope' }).catch(() => undefined);
    try {
      await this.loadSettings(undefined);
    } catch (e) {
      this.log.warn(`could not read the settings: ${e instanceof Error ? e.message : String(e)}`);
    }
    this.settingsPulled?.();
    this.configureWorker();
    // Anything analysed before the settings arrived (the wait timed out) is analysed again.
    this.reanalyseAll();
  }

  private setFolders(p: InitializeParams): void {
    const uris = p?.workspaceFolders?.map((f) => f.uri) ?? (p?.rootUri ? [p.rootUri] : []);
    this.folders = uris.flatMap((u) => {
      const uri = URI.parse(u);
      return uri.scheme === 'file' ? [uri.fsPath] : [];
    });
    if (this.folders.length === 0 && typeof p?.rootPath === 'string') this.folders = [p.rootPath];
  }

  private async loadSettings(pushed: unknown): Promise<void> {
    let raw = pushed;
    if (raw === undefined && this.canPullConfiguration) {
      raw = await this.connection.workspace.getConfiguration('mapscope');
    }
    // A client with no `mapscope` section answers null: keep what initializationOptions said.
    if (raw !== undefined && raw !== null) this.applySettings(readSettings(raw as never));
    await this.analysis.call({ op: 'profileSetting', uri: '', path: this.settings.profile });
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

  /** What the analysis worker needs of the server's state; sent when it changes (and to a restarted worker). */
  private workerConfigEvent(): DocEvent {
    const profileGo = this.folders[0] ? this.goForDir(this.folders[0], false).toolchain : NEWEST_GO;
    const config: WorkerConfig = {
      build: resolveBuildConfig({}, { mayRunGo: this.trusted, fallbackGo: NEWEST_GO }).config,
      folders: this.folders,
      profileGo,
      profileHotShare: this.settings.profileHotShare,
      imports: { paths: this.goPaths(), cache: true },
      ...(this.settings.profileHotSeverity ? { profileHotSeverity: this.settings.profileHotSeverity } : {}),
    };
    return { op: 'configure', config };
  }

  private configureWorker(force = false): void {
    const event = this.workerConfigEvent();
    const text = JSON.stringify(event);
    if (!force && text === this.workerConfig) return;
    this.workerConfig = text;
    this.analysis.send(event);
  }

  private refreshLenses(): void {
    if (this.canRefreshLenses) void this.connection.sendRequest('workspace/codeLens/refresh').catch(() => undefined);
  }

  private reanalyseAll(): void {
    this.generation++;
    for (const d of this.docs.all()) this.schedule(d.uri, 0);
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

  /** Analyses the document's current revision unless that is done, and publishes the result if it is still current. */
  private async analyse(uri: string): Promise<void> {
    await this.started;
    const d = this.docs.get(uri);
    if (!d) return;
    const previous = this.results.get(uri);
    const generation = this.generation;
    if (previous?.rev === d.rev && (previous.generation === generation || d.skipped)) return;
    if (d.skipped) {
      this.results.set(uri, { rev: d.rev, generation, fixes: new Map(), fixAll: [] });
      void this.connection.sendDiagnostics({ uri, version: d.version, diagnostics: [skippedDiagnostic(d.skipped.reason)] });
      return;
    }
    const job = `${d.rev}/${generation}`;
    if (this.inFlight.get(uri) === job) return;
    this.inFlight.set(uri, job);
    let r: AnalysisResult | undefined;
    try {
      r = await this.analysis.call({ op: 'analyse', ...this.target(d), rules: this.settings.rules });
    } catch (e) {
      // The document keeps the diagnostics it has; a restarted worker analyses everything again.
      this.log.error(`analysis of ${uri} failed: ${e instanceof Error ? e.stack : String(e)}`);
      return;
    } finally {
      if (this.inFlight.get(uri) === job) this.inFlight.delete(uri);
    }
    if (!r) return;
    for (const e of r.errors) this.log.error(`internal error in ${e.rule} on ${e.file}: ${e.stack ?? e.message}`);
    if (this.log.debugEnabled) {
      const checked = r.checked === 'all' ? 'the whole file' : `${r.checked} function${r.checked === 1 ? '' : 's'}`;
      this.log.debug(`analysed ${uri} r${r.rev} in ${r.ms.toFixed(1)} ms (${checked}): ${r.diagnostics.length} finding${r.diagnostics.length === 1 ? '' : 's'}`);
    }
    const now = this.docs.get(uri);
    // Stale: the document changed or closed, or the settings moved on (a newer analysis is scheduled).
    if (!now || now.rev !== r.rev || generation !== this.generation) return;
    const fixes = new Map<string, FixAction[]>();
    r.diagnostics.forEach((diag, i) => fixes.set(diagnosticKey(diag), r.fixes[i]));
    this.results.set(uri, { rev: r.rev, generation, fixes, fixAll: r.fixAll });
    void this.connection.sendDiagnostics({ uri, version: now.version, diagnostics: r.diagnostics });
  }

  private workerRestarted(reason: string, uri: string | undefined): DocEvent[] {
    const d = uri ? this.docs.get(uri) : undefined;
    if (d && ++d.crashes >= 2) {
      this.log.error(`${uri} stopped the analysis twice; it is no longer analysed until it is reopened`);
      this.docs.quarantine(d.uri, `MapScope stopped analysing this file: it stopped the analysis twice (${reason}). Close and reopen it to try again.`);
    }
    this.log.warn(`restarted the analysis worker (${reason})`);
    // The new worker first learns the configuration, then gets every document again.
    const events: DocEvent[] = [this.workerConfigEvent()];
    for (const e of this.docs.reopenAll()) events.push(e);
    // Everything is analysed again in the new worker.
    this.results.clear();
    this.reanalyseAll();
    return events;
  }

  /** What the worker needs to analyse a document: its URI and both Go versions. */
  private target(d: OpenDoc): Target {
    const r = this.goFor(d);
    return { uri: d.uri, go: r.toolchain, language: r.language };
  }

  /**
   * The toolchain and language version for a document's directory (a document that is not a file
   * takes the first workspace folder's, never the server's working directory's).
   */
  private goFor(d: Pick<OpenDoc, 'path'>): GoResolution {
    // Outside any folder: no go.mod applies, so the home directory (never the server's working
    // directory) stands in, and the status says "files outside a folder" (folder '').
    const outside = d.path === undefined && this.folders.length === 0;
    const dir = d.path !== undefined ? dirname(d.path) : (this.folders[0] ?? homedir());
    return this.goForDir(dir, outside);
  }

  /**
   * Both versions for a directory. Every fresh resolution is announced with `mapscope/status` and,
   * when it differs from the last for its folder, logged with its sources.
   */
  /** GOROOT and the module cache of the Go the first folder uses: where imported packages are read from. */
  private goPaths(): GoPaths {
    return this.goResolver().goPaths(this.folders[0] ?? process.cwd());
  }

  private goResolver(): GoResolver {
    this.resolver ??= new GoResolver({
      ...(this.settings.go ? { go: { value: this.settings.go, from: 'setting mapscope.goVersion' } } : {}),
      ...(this.settings.goExperiment ? { goexperiment: { value: this.settings.goExperiment, from: 'setting mapscope.goExperiment' } } : {}),
      mayRunGo: this.trusted,
      editor: this.editorGo,
      roots: this.folders,
    });
    return this.resolver;
  }

  private goForDir(dir: string, outside: boolean): GoResolution {
    this.goResolver();
    const fresh = !this.resolver!.has(dir);
    const r = this.resolver!.resolve(dir);
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

  private codeActions(p: CodeActionParams): CodeAction[] {
    const uri = p?.textDocument?.uri;
    if (typeof uri !== 'string') throw new ResponseError(ErrorCodes.InvalidParams, 'textDocument/codeAction needs textDocument.uri');
    const d = this.docs.get(uri);
    const result = this.results.get(uri);
    if (!d || !result || result.rev !== d.rev) return [];
    // The context is required by the protocol; a client that leaves it out asks for everything.
    const only = Array.isArray(p.context?.only) ? p.context.only : undefined;
    const diagnostics = Array.isArray(p.context?.diagnostics) ? p.context.diagnostics : [];
    const wants = (kind: string) => !only || only.some((k) => kind === k || kind.startsWith(`${k}.`));
    const actions: CodeAction[] = [];
    if (wants(CodeActionKind.QuickFix)) {
      for (const diag of diagnostics) {
        if (diag?.source !== 'mapscope' || !diag.range) continue;
        for (const fix of result.fixes.get(diagnosticKey(diag)) ?? []) {
          actions.push({ title: fix.title, kind: CodeActionKind.QuickFix, isPreferred: fix.isPreferred, diagnostics: [diag], edit: { changes: { [uri]: fix.edits } } });
        }
      }
    }
    if (wants(FIX_ALL_KIND) && result.fixAll.length > 0) {
      actions.push({ title: 'Apply every safe MapScope fix', kind: FIX_ALL_KIND, isPreferred: false, edit: { changes: { [uri]: result.fixAll } } });
    }
    return actions;
  }

  /**
   * Runs `ask` on the document's current revision: if the document changes while the worker
   * answers, asks again, and past TRIES says ContentModified (the client retries or moves on).
   */
  private async onCurrent<T extends { rev: number }>(uri: string, ask: (d: OpenDoc) => Promise<T | undefined>): Promise<{ d: OpenDoc; answer: T }> {
    for (let i = 0; i < TRIES; i++) {
      const d = this.docs.get(uri);
      if (!d) throw new ResponseError(ErrorCodes.InvalidParams, `${uri} is not an open document`);
      if (d.skipped) throw new ResponseError(ErrorCodes.InvalidParams, `${uri}: ${d.skipped.reason}`);
      const answer = await ask(d);
      const now = this.docs.get(uri);
      if (answer && now === d && answer.rev === d.rev) return { d, answer };
    }
    throw new ResponseError(LSPErrorCodes.ContentModified, `${uri} changed while MapScope answered`);
  }

  private defaultMapSize(): number | undefined {
    return this.settings.rules.defaultMapSize;
  }

  private async hover(p: HoverParams): Promise<Hover | null> {
    const uri = p?.textDocument?.uri;
    const d = typeof uri === 'string' ? this.docs.get(uri) : undefined;
    if (!d || d.skipped || !validPosition(p.position)) return null;
    const { answer } = await this.onCurrent(d.uri, (doc) => this.analysis.call({ op: 'hover', ...this.target(doc), defaultMapSize: this.defaultMapSize(), position: p.position }));
    return answer.hover;
  }

  private async codeLenses(p: CodeLensParams): Promise<CodeLens[]> {
    if (!this.settings.codeLens) return [];
    const uri = p?.textDocument?.uri;
    const d = typeof uri === 'string' ? this.docs.get(uri) : undefined;
    if (!d || d.skipped) return [];
    const { answer } = await this.onCurrent(d.uri, (doc) => this.analysis.call({ op: 'lenses', ...this.target(doc), defaultMapSize: this.defaultMapSize() }));
    return answer.lenses;
  }

  private async mapSites(p: MapSitesParams): Promise<MapSitesResult> {
    const uri = p?.textDocument?.uri;
    if (typeof uri !== 'string') throw new ResponseError(ErrorCodes.InvalidParams, 'mapscope/mapSites needs textDocument.uri');
    let target: Target | undefined;
    const { d, answer } = await this.onCurrent(uri, (doc) => {
      target = this.target(doc);
      return this.analysis.call({ op: 'sites', ...target, defaultMapSize: this.defaultMapSize() });
    });
    const go = target!.go;
    return {
      uri,
      version: d.version,
      go: goLabel(go),
      impl: mapImplementation(go),
      defaultMapSize: this.defaultMapSize() ?? DEFAULT_MAP_SIZE,
      sites: answer.sites,
    };
  }

  private async predict(p: PredictParams, token: CancellationToken): Promise<PredictResult> {
    const uri = p?.textDocument?.uri;
    const pos = p?.position;
    if (typeof uri !== 'string' || !validPosition(pos)) {
      throw new ResponseError(ErrorCodes.InvalidParams, 'mapscope/predict needs textDocument.uri and position');
    }
    const count = (v: unknown, name: string) => {
      if (v === undefined || v === null) return undefined;
      if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0 || v > MAX_ENTRIES) {
        throw new ResponseError(ErrorCodes.InvalidParams, `${name} must be an integer from 0 to ${MAX_ENTRIES}`);
      }
      return v;
    };
    const entries = count(p.entries, 'entries');
    const hint = count(p.hint, 'hint');
    if (p.impl !== undefined && p.impl !== null && p.impl !== 'classic' && p.impl !== 'swiss') {
      throw new ResponseError(ErrorCodes.InvalidParams, 'impl must be classic or swiss');
    }
    let target: Target | undefined;
    const { d, answer } = await this.onCurrent(uri, (doc) => {
      target = this.target(doc);
      return this.analysis.call({ op: 'siteAt', ...target, defaultMapSize: this.defaultMapSize(), position: { line: pos.line, character: pos.character } });
    });
    if (!answer.found) return null;
    if (token?.isCancellationRequested) throw new ResponseError(LSPErrorCodes.RequestCancelled, 'cancelled');
    const { site, info } = answer.found;
    try {
      const t = await this.engine.run(
        `${uri}#${site.id}`,
        site,
        {
          go: target!.go,
          ...(p.impl ? { impl: p.impl } : {}),
          ...(entries !== undefined ? { entries } : {}),
          ...(hint !== undefined ? { hint } : {}),
          defaultMapSize: this.defaultMapSize(),
        },
        (cancel) => token?.onCancellationRequested(cancel),
      );
      return { ...t, uri, version: d.version, site: info };
    } catch (e) {
      if (!(e instanceof EngineStop)) throw e;
      if (e.kind === 'cancelled') throw new ResponseError(LSPErrorCodes.RequestCancelled, e.message);
      if (e.kind === 'invalid') throw new ResponseError(ErrorCodes.InvalidParams, e.message);
      throw new ResponseError(ErrorCodes.InternalError, e.message);
    }
  }

  private async checkWorkspace(p: CheckWorkspaceParams, token: CancellationToken): Promise<CheckWorkspaceResult> {
    const folders = p?.folders?.map((u) => URI.parse(u)).filter((u) => u.scheme === 'file').map((u) => u.fsPath) ?? this.folders;
    this.check ??= new WorkspaceCheck(this.connection, {
      isOpen: (path) => this.docs.get(URI.file(path).toString()) !== undefined,
      targets: (fs) => this.analysis.call({ op: 'checkTargets', uri: '', folders: fs }),
      siblingsOf: (dir) => this.analysis.call({ op: 'siblingsOf', uri: '', dir }),
      checkFiles: (files, siblings) => {
        const r = this.goFor({ path: files[0] });
        return this.analysis.call({ op: 'checkFiles', uri: '', files, siblings, go: r.toolchain, language: r.language, rules: this.settings.rules });
      },
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

  private async loadProfile(p: LoadProfileParams): Promise<LoadProfileResult> {
    const paths = p?.paths;
    if (!Array.isArray(paths) || paths.some((x) => typeof x !== 'string')) {
      throw new ResponseError(ErrorCodes.InvalidParams, `${LOAD_PROFILE_METHOD} needs paths: string[]`);
    }
    this.configureWorker();
    const loaded = await this.analysis.call({ op: 'loadProfiles', uri: '', paths });
    const all = await this.profile({});
    return { ...loaded, sites: all?.sites.length ?? 0, hot: all?.sites.filter((s) => s.hot).length ?? 0, ...(all?.sites[0] ? { top: all.sites[0] } : {}) };
  }

  private async profile(p: ProfileParams): Promise<ProfileResult> {
    const uri = p?.textDocument?.uri;
    if (uri !== undefined && typeof uri !== 'string') throw new ResponseError(ErrorCodes.InvalidParams, `${PROFILE_METHOD}: textDocument.uri must be a string`);
    return this.analysis.call({ op: 'profile', uri: uri ?? '' });
  }

  private async executeCommand(p: ExecuteCommandParams): Promise<ApplyHintResult> {
    if (p?.command !== APPLY_HINT_COMMAND) throw new ResponseError(ErrorCodes.InvalidParams, `unknown command ${p?.command}`);
    const args = p.arguments?.[0] as Partial<ApplyHintArgs> | undefined;
    if (typeof args?.uri !== 'string' || typeof args.version !== 'number' || typeof args.siteId !== 'string') {
      throw new ResponseError(ErrorCodes.InvalidParams, `${APPLY_HINT_COMMAND} takes one argument {uri, version, siteId}`);
    }
    const uri = args.uri;
    const siteId = args.siteId;
    const open = this.docs.get(uri);
    if (!open) return { applied: false, reason: 'the document is not open' };
    if (open.version !== args.version) {
      return { applied: false, reason: `the document changed since the panel listed its maps (version ${args.version}, now ${open.version})` };
    }
    const { d, answer } = await this.onCurrent(uri, (doc) => this.analysis.call({ op: 'hintEdit', ...this.target(doc), defaultMapSize: this.defaultMapSize(), siteId }));
    if (d.version !== args.version) return { applied: false, reason: `the document changed since the panel listed its maps (version ${args.version}, now ${d.version})` };
    if (!answer.edit) return { applied: false, reason: answer.reason ?? 'no hint to add' };
    // Exactly the quick fix's edits; with a version when the client can check it.
    const edits = answer.edit.edits;
    const edit: WorkspaceEdit = this.versionedEdits
      ? { documentChanges: [{ textDocument: { uri, version: d.version }, edits }] }
      : { changes: { [uri]: edits } };
    const applied = await this.connection.workspace.applyEdit({ label: answer.edit.title, edit });
    return { applied: applied.applied, ...(applied.failureReason ? { reason: applied.failureReason } : {}) };
  }
}

/** A file's path; another document (an untitled buffer) is known by its URI, which names no directory. */
function pathOf(uri: string): string {
  const u = URI.parse(uri);
  return u.scheme === 'file' ? u.fsPath : uri;
}

/** A position the protocol allows: non-negative integer line and character. */
function validPosition(p: unknown): p is { line: number; character: number } {
  const q = p as { line?: unknown; character?: unknown } | null | undefined;
  return !!q && Number.isSafeInteger(q.line) && Number.isSafeInteger(q.character) && (q.line as number) >= 0 && (q.character as number) >= 0;
}

/** A change event the protocol allows: text, and a range of non-negative integer positions if any. */
function validChange(c: unknown): c is TextDocumentContentChangeEvent {
  if (!c || typeof c !== 'object' || typeof (c as { text?: unknown }).text !== 'string') return false;
  const range = (c as { range?: unknown }).range;
  if (range === undefined) return true;
  return !!range && typeof range === 'object' && validPosition((range as { start?: unknown }).start) && validPosition((range as { end?: unknown }).end);
}

/** The one diagnostic of a document MapScope does not analyse (too large, or it broke the analysis). */
function skippedDiagnostic(reason: string): Diagnostic {
  return {
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    severity: DiagnosticSeverity.Warning,
    source: 'mapscope',
    message: reason.startsWith('MapScope') ? reason : `MapScope skips this file: ${reason}`,
  };
}
