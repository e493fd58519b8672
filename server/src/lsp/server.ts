// Document sync, debounced analysis and diagnostics, code actions and settings.
// Invariants: each document version is analysed at most once; a result is published only if its
// version is still the newest (a stale result is dropped, never shown); the fixes offered for a
// diagnostic are the ones recorded when that diagnostic was computed (as vscode-eslint does), so
// a code action never recomputes analysis or applies to a text it was not made for.
import { dirname } from 'node:path';
import {
  CodeActionKind,
  DidChangeConfigurationNotification,
  ErrorCodes,
  FileChangeType,
  ResponseError,
  TextDocumentSyncKind,
  type CodeAction,
  type CodeActionParams,
  type Connection,
  type Diagnostic,
  type ExecuteCommandParams,
  type InitializeParams,
  type InitializeResult,
  type WorkspaceEdit,
} from 'vscode-languageserver/node';
import { URI } from 'vscode-uri';
import {
  APPLY_HINT_COMMAND,
  LOAD_PROFILE_METHOD,
  MAP_SITES_METHOD,
  PREDICT_METHOD,
  PROFILE_CHANGED_NOTIFICATION,
  PROFILE_METHOD,
  type ApplyHintArgs,
  type ApplyHintResult,
  type LoadProfileParams,
  type LoadProfileResult,
  type MapSitesParams,
  type MapSitesResult,
  type PredictParams,
  type PredictResult,
  type ProfileParams,
  type ProfileResult,
} from '../../../common/protocol';
import type { Finding } from '../core/findings';
import { markHotFindings } from '../core/profile/hot-findings';
import { mapImplementation, type GoVersion } from '../core/go-version';
import type { GoParser } from '../core/parse/parser';
import { LineIndex } from '../core/parse/positions';
import { siteAt, type MapSite } from '../core/sites';
import { DEFAULT_MAP_SIZE, siteTimelines, TimelineError } from '../core/timelines';
import { readGoSource } from '../node/files';
import { resolveGoVersion } from '../node/go-env';
import { Workspace } from '../node/workspace';
import { diagnosticKey, toCodeAction, toDiagnostic, toRange } from './convert';
import { ProfileStore } from './profile-store';
import { profileResult } from './profile-view';
import { readSettings, type Settings } from './settings';
import { goLabel, toSiteInfo } from './sites';

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
  go: GoVersion;
  /** The map sites of this version, computed when the panel first asks. */
  sites?: MapSite[];
}

export class MapScopeServer {
  private workspace?: Workspace;
  private settings: Settings = readSettings(undefined);
  private trusted = false;
  private canPullConfiguration = false;
  private versionedEdits = false;
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly results = new Map<string, Analysed>();
  private readonly versions = new Map<string, GoVersion>();
  private generation = 0;
  /** The first workspace folder: the code the profiles are of. */
  private root?: string;
  private readonly profiles: ProfileStore;

  constructor(
    private readonly connection: Connection,
    private readonly parser: Promise<GoParser>,
  ) {
    this.profiles = new ProfileStore({
      parser,
      root: () => this.root,
      go: (dir) => this.goVersionFor(`${dir}/go.mod`),
      openText: (path) => this.workspace?.document(path)?.text,
      hotShare: () => this.settings.profileHotShare,
      changed: () => {
        this.reanalyseAll();
        void connection.sendNotification(PROFILE_CHANGED_NOTIFICATION);
      },
      log: (m) => connection.console.warn(m),
    });
  }

  listen(): void {
    const c = this.connection;
    c.onInitialize((p) => this.initialize(p));
    c.onInitialized(() => this.initialized());
    c.onDidOpenTextDocument(async ({ textDocument: d }) => {
      (await this.ready()).openDocument(pathOf(d.uri), d.text, d.version);
      this.schedule(d.uri, 0);
    });
    c.onDidChangeTextDocument(async ({ textDocument: d, contentChanges }) => {
      (await this.ready()).changeDocument(pathOf(d.uri), contentChanges, d.version);
      this.schedule(d.uri, DEBOUNCE_MS);
      this.profiles.recomputeSoon();
    });
    c.onDidCloseTextDocument(async ({ textDocument: d }) => {
      (await this.ready()).closeDocument(pathOf(d.uri));
      clearTimeout(this.timers.get(d.uri));
      this.timers.delete(d.uri);
      this.results.delete(d.uri);
      void c.sendDiagnostics({ uri: d.uri, diagnostics: [] });
    });
    c.onDidChangeWatchedFiles(async ({ changes }) => {
      const ws = await this.ready();
      for (const ch of changes) {
        const path = pathOf(ch.uri);
        ws.invalidate(path);
        if (path.endsWith('go.mod') || ch.type !== FileChangeType.Changed) this.versions.clear();
      }
      this.reanalyseAll();
      this.profiles.recomputeSoon();
    });
    c.onDidChangeConfiguration(async (p) => {
      await this.loadSettings(p.settings?.mapscope);
      this.versions.clear();
      this.reanalyseAll();
      this.profiles.recomputeSoon();
    });
    c.onCodeAction((p) => this.codeActions(p));
    c.onRequest(MAP_SITES_METHOD, (p: MapSitesParams) => this.mapSites(p));
    c.onRequest(PREDICT_METHOD, (p: PredictParams) => this.predict(p));
    c.onRequest(LOAD_PROFILE_METHOD, (p: LoadProfileParams) => this.loadProfile(p));
    c.onRequest(PROFILE_METHOD, (p: ProfileParams) => this.profile(p));
    c.onShutdown(() => this.profiles.dispose());
    c.onExecuteCommand((p) => this.executeCommand(p));
    c.listen();
  }

  private initialize(p: InitializeParams): InitializeResult {
    const opts = (p.initializationOptions ?? {}) as { trusted?: boolean; settings?: unknown };
    // Running `go env` executes workspace-controlled code paths (GOTOOLCHAIN, go.work): only when trusted.
    this.trusted = opts.trusted === true;
    this.settings = readSettings(opts.settings as never);
    const folder = p.workspaceFolders?.[0]?.uri ?? p.rootUri;
    if (folder) this.root = pathOf(folder);
    void this.profiles.setSettingPath(this.settings.profile);
    this.canPullConfiguration = p.capabilities.workspace?.configuration === true;
    this.versionedEdits = p.capabilities.workspace?.workspaceEdit?.documentChanges === true;
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
    if (raw !== undefined) this.settings = readSettings(raw as never);
    await this.profiles.setSettingPath(this.settings.profile);
  }

  private async ready(): Promise<Workspace> {
    this.workspace ??= new Workspace(await this.parser);
    return this.workspace;
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
    const go = this.goVersionFor(path);
    let findings: Finding[];
    try {
      findings = markHotFindings(ws.analyze(path, go, this.settings.rules), this.profiles.measuredIn(path), { severity: this.settings.profileHotSeverity });
    } catch (e) {
      this.connection.console.error(`mapscope: analysis of ${path} failed: ${e instanceof Error ? e.stack : String(e)}`);
      return;
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
      const d = toDiagnostic(f, path, lines, otherLines);
      diagnostics.push(d);
      byKey.set(diagnosticKey(d), f);
    }
    this.results.set(uri, { version, generation: this.generation, lines, findings, byKey, go });
    void this.connection.sendDiagnostics({ uri, version, diagnostics });
  }

  private goVersionFor(path: string): GoVersion {
    if (this.settings.go) return this.settings.go;
    const dir = dirname(path);
    let v = this.versions.get(dir);
    if (!v) {
      v = resolveGoVersion(dir, { mayRunGo: this.trusted });
      this.versions.set(dir, v);
    }
    return v;
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
        for (const fix of f?.fixes ?? []) actions.push(toCodeAction(fix, uri, result.lines, d));
      }
    }
    if (wants(FIX_ALL_KIND)) {
      const safe = result.findings.flatMap((f) => f.fixes.filter((x) => x.safeForFixAll));
      if (safe.length > 0) {
        actions.push(
          toCodeAction(
            { title: 'Apply every safe MapScope fix', isPreferred: false, edits: safe.flatMap((x) => x.edits) },
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
    result.sites ??= this.workspace!.mapSites(path, { go: result.go, defaultMapSize: this.settings.rules.defaultMapSize });
    return result.sites;
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
      defaultMapSize: this.settings.rules.defaultMapSize ?? DEFAULT_MAP_SIZE,
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
        defaultMapSize: this.settings.rules.defaultMapSize,
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

function pathOf(uri: string): string {
  return URI.parse(uri).fsPath;
}
