// The language server's main thread: the protocol, and nothing slow. It keeps a copy of the open
// documents (documents.ts), debounces analysis, publishes diagnostics and answers code actions
// from what it recorded; parsing and analysis run in the analysis worker (analysis.ts), and the
// engine's predictions in the engine worker (engine-host.ts), so that no document and no request
// can keep the others waiting.
// Invariants:
//  - Document notifications are applied in the order they arrive, whenever they arrive: before or
//    after `initialized`, while settings load or `go env` runs. Nothing waits on startup but
//    analysis itself.
//  - Each revision of a document is analysed at most once per settings generation; a result is
//    published only if its revision is still the newest (a stale result is dropped, never shown).
//    Revisions are the server's own, one per change, so a client that repeats a version number
//    still gets its new text analysed.
//  - The fixes offered for a diagnostic are the ones recorded when that diagnostic was computed
//    (as vscode-eslint does), so a code action never applies to a text it was not made for.
//  - An analysis that throws is logged with its stack, and the document keeps its last diagnostics.
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
  type Connection,
  type Diagnostic,
  type ExecuteCommandParams,
  type InitializeParams,
  type InitializeResult,
  type TextDocumentContentChangeEvent,
  type WorkspaceEdit,
} from 'vscode-languageserver/node';
import { URI } from 'vscode-uri';
import {
  APPLY_HINT_COMMAND,
  MAP_SITES_METHOD,
  PREDICT_METHOD,
  type ApplyHintArgs,
  type ApplyHintResult,
  type MapSitesParams,
  type MapSitesResult,
  type PredictParams,
  type PredictResult,
} from '../../../common/protocol';
import { MAX_ENTRIES } from '../core/engine';
import { mapImplementation, NEWEST_GO, type GoVersion } from '../core/go-version';
import { DEFAULT_MAP_SIZE } from '../core/timelines';
import { detectToolchainGoVersion, goModVersion, isWithin, toolchainGoVersion } from '../node/go-env';
import type { AnalysisHost, HostEvents } from './analysis-host';
import type { AnalysisResult, DocEvent, FixAction } from './analysis-protocol';
import { diagnosticKey } from './convert';
import { Documents, type OpenDoc } from './documents';
import { EngineStop, type EngineHost } from './engine-host';
import { readSettings, type Settings } from './settings';
import { goLabel } from './sites';

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
  private folders: string[] = [];
  private readonly docs = new Documents();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly results = new Map<string, Analysed>();
  /** The revision and generation being analysed now, per document: the same one is not asked for twice. */
  private readonly inFlight = new Map<string, string>();
  private readonly versions = new Map<string, GoVersion>();
  private generation = 0;
  private readonly analysis: AnalysisHost;
  private readonly engine: EngineHost;
  /** Resolves when analysis may start: settings pulled (or given up on) and `go env` answered. */
  private started: Promise<void> = Promise.resolve();
  private settingsPulled?: () => void;

  constructor(
    private readonly connection: Connection,
    workers: Workers,
    /** Called when the server cannot go on (the analysis worker keeps dying). */
    private readonly exit: (reason: string) => void,
  ) {
    const log = (m: string) => this.log(m);
    this.analysis = workers.analysis({
      log,
      onRestart: (reason, uri) => this.workerRestarted(reason, uri),
      onGiveUp: (reason) => this.exit(reason),
    });
    this.engine = workers.engine(log);
  }

  listen(): void {
    const c = this.connection;
    c.onInitialize((p) => this.initialize(p));
    c.onInitialized(() => void this.initialized());
    c.onDidOpenTextDocument(({ textDocument: d }) => {
      if (typeof d?.uri !== 'string' || typeof d.text !== 'string') return this.log('mapscope: ignored a didOpen without uri and text');
      this.send(this.docs.open(d.uri, d.text, d.version));
      this.schedule(d.uri, 0);
    });
    c.onDidChangeTextDocument(({ textDocument: d, contentChanges }) => {
      if (typeof d?.uri !== 'string' || !Array.isArray(contentChanges) || !contentChanges.every(validChange)) {
        return this.log(`mapscope: ignored a malformed didChange${typeof d?.uri === 'string' ? ` of ${d.uri}` : ''}`);
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
      void c.sendDiagnostics({ uri: d.uri, diagnostics: [] });
    });
    c.onDidChangeWatchedFiles(({ changes }) => {
      for (const ch of changes ?? []) {
        const uri = URI.parse(ch.uri);
        if (uri.scheme !== 'file') continue;
        this.analysis.send({ op: 'invalidate', path: uri.fsPath });
        if (uri.fsPath.endsWith('go.mod') || ch.type !== FileChangeType.Changed) this.versions.clear();
      }
      this.reanalyseAll();
    });
    c.onDidChangeConfiguration(async (p) => {
      await this.loadSettings(p?.settings?.mapscope);
      this.versions.clear();
      this.reanalyseAll();
    });
    c.onCodeAction((p) => this.codeActions(p));
    c.onRequest(MAP_SITES_METHOD, (p: MapSitesParams) => this.mapSites(p));
    c.onRequest(PREDICT_METHOD, (p: PredictParams, token: CancellationToken) => this.predict(p, token));
    c.onExecuteCommand((p) => this.executeCommand(p));
    c.onShutdown(() => {
      this.engine.dispose();
      this.analysis.dispose();
    });
    c.listen();
  }

  private log(message: string): void {
    this.connection.console.error(message);
  }

  private send(events: DocEvent[]): void {
    for (const e of events) this.analysis.send(e);
  }

  private initialize(p: InitializeParams): InitializeResult {
    const opts = (p.initializationOptions ?? {}) as { trusted?: boolean; settings?: unknown };
    // Running `go env` executes workspace-controlled code paths (GOTOOLCHAIN, go.work): only when trusted.
    this.trusted = opts.trusted === true;
    this.settings = readSettings(opts.settings as never);
    this.canPullConfiguration = p.capabilities?.workspace?.configuration === true;
    this.versionedEdits = p.capabilities?.workspace?.workspaceEdit?.documentChanges === true;
    this.setFolders(p);
    const goEnv = this.trusted ? detectToolchainGoVersion().then(() => undefined) : Promise.resolve();
    // Analysis waits for the client's settings (asked for in `initialized`), but not forever.
    const settings = this.canPullConfiguration
      ? new Promise<void>((resolve) => {
          this.settingsPulled = resolve;
          setTimeout(resolve, SETTINGS_WAIT_MS).unref();
        })
      : Promise.resolve();
    this.started = Promise.all([goEnv, settings]).then(() => undefined);
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND] },
        executeCommandProvider: { commands: [APPLY_HINT_COMMAND] },
      },
      serverInfo: { name: 'mapscope' },
    };
  }

  private async initialized(): Promise<void> {
    if (!this.canPullConfiguration) return;
    void this.connection.client.register(DidChangeConfigurationNotification.type, { section: 'mapscope' }).catch(() => undefined);
    try {
      await this.loadSettings(undefined);
    } catch (e) {
      this.log(`mapscope: could not read the settings: ${e instanceof Error ? e.message : String(e)}`);
    }
    this.settingsPulled?.();
    // Anything analysed before the settings arrived (the wait timed out) is analysed again.
    this.reanalyseAll();
  }

  private setFolders(p: InitializeParams): void {
    const uris = p.workspaceFolders?.map((f) => f.uri) ?? (p.rootUri ? [p.rootUri] : []);
    this.folders = uris.flatMap((u) => {
      const uri = URI.parse(u);
      return uri.scheme === 'file' ? [uri.fsPath] : [];
    });
    if (this.folders.length === 0 && typeof p.rootPath === 'string') this.folders = [p.rootPath];
  }

  private async loadSettings(pushed: unknown): Promise<void> {
    let raw = pushed;
    if (raw === undefined && this.canPullConfiguration) {
      raw = await this.connection.workspace.getConfiguration('mapscope');
    }
    if (raw !== undefined) this.settings = readSettings(raw as never);
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
      r = await this.analysis.call({ op: 'analyse', uri, go: this.goVersionFor(d), rules: this.settings.rules });
    } catch (e) {
      // The document keeps the diagnostics it has; a restarted worker analyses everything again.
      this.log(`mapscope: analysis of ${uri} failed: ${e instanceof Error ? e.stack : String(e)}`);
      return;
    } finally {
      if (this.inFlight.get(uri) === job) this.inFlight.delete(uri);
    }
    const now = this.docs.get(uri);
    // Stale: the document changed or closed, or the settings moved on (a newer analysis is scheduled).
    if (!r || !now || now.rev !== r.rev || generation !== this.generation) return;
    const fixes = new Map<string, FixAction[]>();
    r.diagnostics.forEach((diag, i) => fixes.set(diagnosticKey(diag), r.fixes[i]));
    this.results.set(uri, { rev: r.rev, generation, fixes, fixAll: r.fixAll });
    void this.connection.sendDiagnostics({ uri, version: now.version, diagnostics: r.diagnostics });
  }

  private workerRestarted(reason: string, uri: string | undefined): DocEvent[] {
    const events: DocEvent[] = [];
    const d = uri ? this.docs.get(uri) : undefined;
    if (d && ++d.crashes >= 2) {
      this.log(`mapscope: ${uri} stopped the analysis twice; it is no longer analysed until it is reopened`);
      this.docs.quarantine(d.uri, `MapScope stopped analysing this file: it stopped the analysis twice (${reason}). Close and reopen it to try again.`);
    }
    this.log(`mapscope: restarted the analysis worker (${reason})`);
    for (const e of this.docs.reopenAll()) events.push(e);
    // Everything is analysed again in the new worker.
    this.results.clear();
    this.reanalyseAll();
    return events;
  }

  private goVersionFor(d: OpenDoc): GoVersion {
    if (this.settings.go) return this.settings.go;
    const toolchain = this.trusted ? toolchainGoVersion() : null;
    if (toolchain) return toolchain;
    // A document that is not a file has no go.mod.
    if (d.path === undefined) return NEWEST_GO;
    const dir = dirname(d.path);
    let v = this.versions.get(dir);
    if (!v) {
      // The innermost workspace folder holding the file bounds the search; a file outside every folder is searched as go would.
      const root = this.folders.filter((f) => isWithin(dir, f)).sort((a, b) => b.length - a.length)[0];
      v = goModVersion(dir, root) ?? NEWEST_GO;
      this.versions.set(dir, v);
    }
    return v;
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

  private async mapSites(p: MapSitesParams): Promise<MapSitesResult> {
    const uri = p?.textDocument?.uri;
    if (typeof uri !== 'string') throw new ResponseError(ErrorCodes.InvalidParams, 'mapscope/mapSites needs textDocument.uri');
    let go: GoVersion = NEWEST_GO;
    const { d, answer } = await this.onCurrent(uri, (doc) => {
      go = this.goVersionFor(doc);
      return this.analysis.call({ op: 'sites', uri, go, defaultMapSize: this.defaultMapSize() });
    });
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
    if (typeof uri !== 'string' || !pos || !Number.isInteger(pos.line) || !Number.isInteger(pos.character) || pos.line < 0 || pos.character < 0) {
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
    let go: GoVersion = NEWEST_GO;
    const { d, answer } = await this.onCurrent(uri, (doc) => {
      go = this.goVersionFor(doc);
      return this.analysis.call({ op: 'siteAt', uri, go, defaultMapSize: this.defaultMapSize(), position: { line: pos.line, character: pos.character } });
    });
    if (!answer.found) return null;
    if (token?.isCancellationRequested) throw new ResponseError(LSPErrorCodes.RequestCancelled, 'cancelled');
    const { site, info } = answer.found;
    try {
      const t = await this.engine.run(
        `${uri}#${site.id}`,
        site,
        {
          go,
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
    const { d, answer } = await this.onCurrent(uri, (doc) =>
      this.analysis.call({ op: 'hintEdit', uri, go: this.goVersionFor(doc), defaultMapSize: this.defaultMapSize(), siteId }),
    );
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

/** A change event the protocol allows: text, and a range of non-negative integer positions if any. */
function validChange(c: unknown): c is TextDocumentContentChangeEvent {
  if (!c || typeof c !== 'object' || typeof (c as { text?: unknown }).text !== 'string') return false;
  const range = (c as { range?: unknown }).range;
  if (range === undefined) return true;
  const ok = (p: unknown) => {
    const q = p as { line?: unknown; character?: unknown } | null;
    return !!q && Number.isSafeInteger(q.line) && Number.isSafeInteger(q.character) && (q.line as number) >= 0 && (q.character as number) >= 0;
  };
  return !!range && typeof range === 'object' && ok((range as { start?: unknown }).start) && ok((range as { end?: unknown }).end);
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
