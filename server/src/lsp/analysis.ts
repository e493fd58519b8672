// The analysis side of the language server, run in a worker thread (analysis-worker.ts): the open
// documents and their trees (node/workspace.ts), analysis into LSP diagnostics with their fixes
// recorded, the map sites with their hover and code lens, the workspace check's reading of
// unopened packages, and the loaded profiles. It answers in LSP terms with the revision it
// analysed, so the main thread can drop an answer for a text that has moved on.
import type { CodeLens, Diagnostic } from 'vscode-languageserver';
import { dirname } from 'node:path';
import { URI } from 'vscode-uri';
import type { RuleError } from '../core/analyze';
import { fixAll } from '../core/fix-all';
import type { GoVersion } from '../core/go-version';
import { ignoreFix } from '../core/ignore-fix';
import { markHotFindings } from '../core/profile/hot-findings';
import type { GoParser } from '../core/parse/parser';
import { LineIndex } from '../core/parse/positions';
import { siteAt, type MapSite } from '../core/sites';
import { filesUnder } from '../node/build-files';
import { defaultCacheDir } from '../node/disk-cache';
import { analyzeDirectory } from '../node/check-package';
import { readGoSource, UsageError } from '../node/files';
import { expandPatterns, folderPatterns } from '../node/patterns';
import { Workspace } from '../node/workspace';
import type {
  AnalysisResult,
  Answers,
  Call,
  CheckFilesResult,
  CheckTargetsResult,
  DocEvent,
  FixAction,
  HintEditResult,
  SiteAtResult,
  SitesResult,
  WorkerConfig,
  WorkerMessage,
} from './analysis-protocol';
import { siteLenses } from './code-lens';
import { toDiagnostic, toRange } from './convert';
import { siteHover } from './hover';
import { ProfileStore } from './profile-store';
import { measuredHover, measuredLens, measuredSiteAt, profileResult } from './profile-view';
import { toSiteInfo } from './sites';

/** What the map sites of a document depend on besides its text. */
interface SiteOptions {
  uri: string;
  go: GoVersion;
  language: GoVersion;
  defaultMapSize?: number;
}

export class Analysis {
  private ws?: Workspace;
  private config?: WorkerConfig;
  /** URI → the workspace's key for it (its path, or the URI itself for a document that is not a file). */
  private readonly keys = new Map<string, string>();
  /** The map sites of a document's revision, computed when first asked for. */
  private readonly sites = new Map<string, { rev: number; options: string; sites: MapSite[] }>();
  private readonly profiles: ProfileStore;

  constructor(
    private readonly parser: GoParser,
    /** Messages for the main thread that answer no call. */
    private readonly post: (m: WorkerMessage) => void,
    /** The bundled standard-library snapshot, for a machine without Go. */
    private readonly snapshot?: string,
  ) {
    this.profiles = new ProfileStore({
      parser: Promise.resolve(parser),
      root: () => this.config?.folders[0],
      go: () => this.config!.profileGo,
      openText: (path) => this.ws?.document(path)?.text,
      hotShare: () => this.config?.profileHotShare ?? 0.01,
      changed: () => this.post({ type: 'profileChanged' }),
      log: (message) => this.post({ type: 'log', level: 'warning', message }),
    });
  }

  apply(e: DocEvent): void {
    if (e.op === 'configure') {
      const rebuild = !this.ws || JSON.stringify([this.config?.build, this.config?.imports]) !== JSON.stringify([e.config.build, e.config.imports]);
      const profileChanged = JSON.stringify([this.config?.folders, this.config?.profileGo, this.config?.profileHotShare]) !== JSON.stringify([e.config.folders, e.config.profileGo, e.config.profileHotShare]);
      this.config = e.config;
      if (rebuild) this.rebuild(e.config);
      if (profileChanged) this.profiles.recomputeSoon();
      return;
    }
    const ws = this.workspace();
    switch (e.op) {
      case 'open': {
        const key = e.path ?? e.uri;
        this.close(e.uri);
        this.keys.set(e.uri, key);
        ws.openDocument(key, e.text, e.rev, e.path === undefined);
        this.profiles.recomputeSoon();
        return;
      }
      case 'change': {
        const key = this.keys.get(e.uri);
        if (key !== undefined) this.dependentsChanged(ws.changeDocument(key, { offsets: e.edits }, e.rev));
        this.profiles.recomputeSoon();
        return;
      }
      case 'close':
        this.close(e.uri);
        return;
      case 'invalidate':
        // The main thread analyses every open document again after a change on disk.
        ws.invalidate(e.path);
        this.profiles.recomputeSoon();
        return;
    }
  }

  async call<C extends Call>(c: C): Promise<Answers[C['op']]> {
    switch (c.op) {
      case 'checkTargets':
        return this.checkTargets(c.folders) as Answers[C['op']];
      case 'checkFiles':
        return this.checkFiles(c) as Answers[C['op']];
      case 'siblingsOf':
        return filesUnder(c.dir, this.workspace().build).files as Answers[C['op']];
      case 'loadProfiles':
        return (await this.profiles.load(c.paths)) as Answers[C['op']];
      case 'profileSetting':
        await this.profiles.setSettingPath(c.path);
        return {} as Answers[C['op']];
      case 'profile': {
        const report = await this.profiles.fresh();
        if (!report) return null as Answers[C['op']];
        const path = c.uri === '' ? undefined : this.keys.get(c.uri) ?? pathOf(c.uri);
        return profileResult(report, this.profiles.paths, path, (file) => this.linesOf(file)) as Answers[C['op']];
      }
    }
    // The rest ask about one open document, at the revision the worker has.
    const key = this.keys.get(c.uri);
    const ws = this.workspace();
    const doc = key === undefined ? undefined : ws.document(key);
    const rev = key === undefined ? undefined : ws.version(key);
    if (key === undefined || !doc || rev === undefined) return undefined as Answers[C['op']];
    switch (c.op) {
      case 'analyse':
        return this.analyse(key, rev, c) as Answers[C['op']];
      case 'sites':
        return { rev, sites: this.sitesOf(key, rev, c).map((s) => toSiteInfo(s, doc.lines)) } satisfies SitesResult as Answers[C['op']];
      case 'siteAt': {
        const site = siteAt(this.sitesOf(key, rev, c), doc.lines.byteOffsetAt(c.position));
        return { rev, found: site ? { site, info: toSiteInfo(site, doc.lines) } : null } satisfies SiteAtResult as Answers[C['op']];
      }
      case 'hintEdit':
        return this.hintEdit(key, rev, c) as Answers[C['op']];
      case 'hover':
        return { rev, hover: this.hover(key, c) } as Answers[C['op']];
      case 'lenses':
        return { rev, lenses: this.lenses(key, c) } as Answers[C['op']];
    }
    return undefined as Answers[C['op']];
  }

  dispose(): void {
    this.profiles.dispose();
    this.ws?.dispose();
  }

  private workspace(): Workspace {
    if (!this.ws) throw new Error('the analysis worker got a document event before its configuration');
    return this.ws;
  }

  /** Open documents whose imports changed under them: the main thread schedules their analysis. */
  private dependentsChanged(keys: string[]): void {
    if (keys.length === 0) return;
    const uris: string[] = [];
    for (const [uri, key] of this.keys) if (keys.includes(key)) uris.push(uri);
    this.sites.clear();
    this.post({ type: 'dependentsChanged', uris });
  }

  /** A new build configuration: a fresh workspace with the same documents. */
  private rebuild(config: WorkerConfig): void {
    const old = this.ws;
    const cacheDir = config.imports.cache ? defaultCacheDir() : undefined;
    this.ws = new Workspace(this.parser, config.build, {
      build: config.build,
      paths: config.imports.paths,
      ...(cacheDir ? { cacheDir } : {}),
      ...(this.snapshot ? { snapshot: this.snapshot } : {}),
    });
    this.sites.clear();
    if (!old) return;
    for (const [uri, key] of this.keys) {
      const doc = old.document(key);
      const rev = old.version(key);
      if (doc && rev !== undefined) this.ws.openDocument(key, doc.text, rev, pathOf(uri) === uri);
    }
    old.dispose();
  }

  private close(uri: string): void {
    const key = this.keys.get(uri);
    if (key === undefined) return;
    this.keys.delete(uri);
    this.sites.delete(uri);
    this.workspace().closeDocument(key);
  }

  /** An open document's lines, else the file's on disk. */
  private linesOf(file: string): LineIndex | undefined {
    const open = this.ws?.document(file);
    if (open) return open.lines;
    const read = readGoSource(file);
    return read.ok ? new LineIndex(read.text) : undefined;
  }

  private analyse(key: string, rev: number, c: Extract<Call, { op: 'analyse' }>): AnalysisResult {
    const ws = this.workspace();
    const doc = ws.document(key)!;
    injectFault(doc.text);
    const errors: RuleError[] = [];
    const started = performance.now();
    const raw = ws.analyze(key, { go: c.go, language: c.language }, c.rules, errors);
    const checked = ws.lastChecked;
    // A site the loaded profile finds hot raises its finding (mapscope.profileHotSeverity).
    const findings = markHotFindings(raw, this.profiles.measuredIn(key), { severity: this.config?.profileHotSeverity });
    const ms = performance.now() - started;
    const lines = doc.lines;
    const result: AnalysisResult = { rev, diagnostics: [], fixes: [], fixAll: [], errors, checked, ms };
    for (const f of findings) {
      const diagnostic: Diagnostic = toDiagnostic(f, c.uri, lines, (file) => this.linesOf(file));
      result.diagnostics.push(diagnostic);
      const actions: FixAction[] = [];
      for (const x of [...f.fixes, ignoreFix(f, lines)]) {
        actions.push({ title: x.title, isPreferred: x.isPreferred, edits: x.edits.map((e) => ({ range: toRange(e.range, lines), newText: e.newText })) });
      }
      result.fixes.push(actions);
    }
    for (const e of fixAll(findings).edits) result.fixAll.push({ range: toRange(e.range, lines), newText: e.newText });
    return result;
  }

  private sitesOf(key: string, rev: number, c: SiteOptions): MapSite[] {
    const options = JSON.stringify([c.go, c.language, c.defaultMapSize]);
    const cached = this.sites.get(c.uri);
    if (cached?.rev === rev && cached.options === options) return cached.sites;
    const sites = this.workspace().mapSites(key, { go: c.go, language: c.language, defaultMapSize: c.defaultMapSize });
    this.sites.set(c.uri, { rev, options, sites });
    return sites;
  }

  private hintEdit(key: string, rev: number, c: Extract<Call, { op: 'hintEdit' }>): HintEditResult {
    const site = this.sitesOf(key, rev, c).find((s) => s.id === c.siteId);
    if (!site) return { rev, reason: `no map site ${c.siteId} in this version` };
    if (!site.fix) return { rev, reason: 'MapScope has no hint to add here (map-without-hint offers no fix for this map)' };
    const lines = this.workspace().document(key)!.lines;
    return { rev, edit: { title: site.fix.title, edits: site.fix.edits.map((e) => ({ range: toRange(e.range, lines), newText: e.newText })) } };
  }

  private hover(key: string, c: Extract<Call, { op: 'hover' }>) {
    const ws = this.workspace();
    const lines = ws.document(key)!.lines;
    const offset = lines.byteOffsetAt(c.position);
    const predicted = siteHover(this.sitesOf(key, ws.version(key)!, c), offset, lines, c.go, c.defaultMapSize);
    // With a profile loaded, what it measured for the site comes first: evidence before prediction.
    const report = this.profiles.current;
    const measured = report ? measuredSiteAt(this.profiles.measuredIn(key), offset) : undefined;
    if (!measured || !report) return predicted;
    const text = measuredHover(measured, report);
    const before = predicted && typeof predicted.contents === 'object' && 'value' in predicted.contents ? `\n\n---\n\n${predicted.contents.value}` : '';
    return { contents: { kind: 'markdown' as const, value: text + before }, range: predicted?.range ?? toRange(measured.range, lines) };
  }

  private lenses(key: string, c: Extract<Call, { op: 'lenses' }>): CodeLens[] {
    const ws = this.workspace();
    const lines = ws.document(key)!.lines;
    const lenses = siteLenses(c.uri, this.sitesOf(key, ws.version(key)!, c), lines, c.go, c.defaultMapSize);
    // A measured site's lens says what the profile recorded; it replaces the predicted one there.
    const measured = this.profiles.current ? this.profiles.measuredIn(key) : [];
    if (measured.length === 0) return lenses;
    const at = (line: number) => measured.find((m) => lines.lspPosition(m.range.start).line === line);
    const out = lenses.filter((l) => !at(l.range.start.line));
    for (const m of measured) {
      const lens = measuredLens(m);
      out.push({ range: toRange(m.range, lines), command: { title: lens.title, tooltip: lens.tooltip, command: lens.command } });
    }
    return out.sort((a, b) => a.range.start.line - b.range.start.line);
  }

  private checkTargets(folders: readonly string[]): CheckTargetsResult {
    const result: CheckTargetsResult = { targets: [], warnings: [] };
    const seen = new Set<string>();
    for (const folder of folders) {
      try {
        const expansion = expandPatterns(folderPatterns(folder), folder, this.workspace().build);
        for (const t of expansion.targets) {
          if (seen.has(t.dir)) continue;
          seen.add(t.dir);
          result.targets.push({ dir: t.dir, files: t.files, siblings: t.siblings });
        }
        for (const w of expansion.warnings) result.warnings.push(w);
      } catch (e) {
        if (!(e instanceof UsageError)) throw e;
        result.warnings.push(e.message);
      }
    }
    return result;
  }

  private checkFiles(c: Extract<Call, { op: 'checkFiles' }>): CheckFilesResult {
    const result: CheckFilesResult = { published: [], warnings: [], skipped: [] };
    const report = analyzeDirectory(this.parser, { files: c.files, siblings: c.siblings }, { go: c.go, language: c.language, rules: c.rules }, (unit, findings, linesOf) => {
      const uri = URI.file(unit.path).toString();
      result.published.push({ uri, diagnostics: findings.map((f) => toDiagnostic(f, uri, unit.lines, linesOf)) });
    }, undefined, c.files.length > 0 ? this.workspace().importsFor(dirname(c.files[0])) : undefined);
    for (const w of report.warnings) {
      result.warnings.push(`${w.file}${w.at ? `:${w.at.line}:${w.at.column}` : ''}: ${w.message}`);
      if (w.message.startsWith('skipped')) result.skipped.push(w.file);
    }
    for (const e of report.errors) result.warnings.push(`${e.file}: internal error in ${e.rule}: ${e.message}`);
    return result;
  }
}

/** A file's path; another document (an untitled buffer) is known by its URI, which names no directory. */
function pathOf(uri: string): string {
  const u = URI.parse(uri);
  return u.scheme === 'file' ? u.fsPath : uri;
}

/**
 * Fault injection for the tests of the server's recovery (test/lsp-recovery.test.ts):
 * MAPSCOPE_FAULT=throw:MARKER makes the analysis of a text containing MARKER throw, and
 * abort:MARKER makes it fail as a wasm abort does. Unset in every real run.
 */
const FAULT = /^(throw|abort):(.+)$/.exec(process.env.MAPSCOPE_FAULT ?? '');

function injectFault(text: string): void {
  if (!FAULT || !text.includes(FAULT[2])) return;
  if (FAULT[1] === 'abort') throw new WebAssembly.RuntimeError('Aborted(injected fault)');
  throw new Error('injected fault');
}
