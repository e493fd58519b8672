// Document sync, debounced analysis and diagnostics, code actions and settings.
// Invariants: each document version is analysed at most once; a result is published only if its
// version is still the newest (a stale result is dropped, never shown); the fixes offered for a
// diagnostic are the ones recorded when that diagnostic was computed (as vscode-eslint does), so
// a code action never recomputes analysis or applies to a text it was not made for.
import { dirname } from 'node:path';
import {
  CodeActionKind,
  DidChangeConfigurationNotification,
  FileChangeType,
  TextDocumentSyncKind,
  type CodeAction,
  type CodeActionParams,
  type Connection,
  type Diagnostic,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { URI } from 'vscode-uri';
import type { Finding } from '../core/findings';
import type { GoVersion } from '../core/go-version';
import type { GoParser } from '../core/parse/parser';
import { LineIndex } from '../core/parse/positions';
import { readGoSource } from '../node/files';
import { resolveGoVersion } from '../node/go-env';
import { Workspace } from '../node/workspace';
import { diagnosticKey, toCodeAction, toDiagnostic } from './convert';
import { readSettings, type Settings } from './settings';

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
}

export class MapScopeServer {
  private workspace?: Workspace;
  private settings: Settings = readSettings(undefined);
  private trusted = false;
  private canPullConfiguration = false;
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly results = new Map<string, Analysed>();
  private readonly versions = new Map<string, GoVersion>();
  private generation = 0;

  constructor(
    private readonly connection: Connection,
    private readonly parser: Promise<GoParser>,
  ) {}

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
    });
    c.onDidChangeConfiguration(async (p) => {
      await this.loadSettings(p.settings?.mapscope);
      this.versions.clear();
      this.reanalyseAll();
    });
    c.onCodeAction((p) => this.codeActions(p));
    c.listen();
  }

  private initialize(p: InitializeParams): InitializeResult {
    const opts = (p.initializationOptions ?? {}) as { trusted?: boolean; settings?: unknown };
    // Running `go env` executes workspace-controlled code paths (GOTOOLCHAIN, go.work): only when trusted.
    this.trusted = opts.trusted === true;
    this.settings = readSettings(opts.settings as never);
    this.canPullConfiguration = p.capabilities.workspace?.configuration === true;
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND] },
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
      findings = ws.analyze(path, go, this.settings.rules);
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
    this.results.set(uri, { version, generation: this.generation, lines, findings, byKey });
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
}

function pathOf(uri: string): string {
  return URI.parse(uri).fsPath;
}
