// The analysis side of the language server, run in a worker thread (analysis-worker.ts): the open
// documents and their trees (node/workspace.ts), analysis into LSP diagnostics with their fixes
// recorded, and the growth panel's map sites. It answers in LSP terms with the revision it
// analysed, so the main thread can drop an answer for a text that has moved on.
import { readGoSource } from '../node/files';
import { Workspace } from '../node/workspace';
import { LineIndex } from '../core/parse/positions';
import type { GoParser } from '../core/parse/parser';
import { siteAt, type MapSite } from '../core/sites';
import type { AnalysisResult, Answers, Call, DocEvent, FixAction, HintEditResult, SiteAtResult, SitesResult } from './analysis-protocol';
import { toDiagnostic, toRange } from './convert';
import { toSiteInfo } from './sites';

export class Analysis {
  private readonly ws: Workspace;
  /** URI → the workspace's key for it (its path, or the URI itself for a document that is not a file). */
  private readonly keys = new Map<string, string>();
  /** The map sites of a document's revision, computed when the panel first asks. */
  private readonly sites = new Map<string, { rev: number; options: string; sites: MapSite[] }>();

  constructor(parser: GoParser) {
    this.ws = new Workspace(parser);
  }

  apply(e: DocEvent): void {
    switch (e.op) {
      case 'open': {
        const key = e.path ?? e.uri;
        this.close(e.uri);
        this.keys.set(e.uri, key);
        this.ws.openDocument(key, e.text, e.rev, e.path === undefined);
        return;
      }
      case 'change': {
        const key = this.keys.get(e.uri);
        if (key !== undefined) this.ws.changeDocument(key, { offsets: e.edits }, e.rev);
        return;
      }
      case 'close':
        this.close(e.uri);
        return;
      case 'invalidate':
        this.ws.invalidate(e.path);
        return;
    }
  }

  call<C extends Call>(c: C): Answers[C['op']] {
    const key = this.keys.get(c.uri);
    const doc = key === undefined ? undefined : this.ws.document(key);
    const rev = key === undefined ? undefined : this.ws.version(key);
    if (key === undefined || !doc || rev === undefined) return undefined;
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
    }
    return undefined;
  }

  private close(uri: string): void {
    const key = this.keys.get(uri);
    if (key === undefined) return;
    this.keys.delete(uri);
    this.sites.delete(uri);
    this.ws.closeDocument(key);
  }

  private analyse(key: string, rev: number, c: Extract<Call, { op: 'analyse' }>): AnalysisResult {
    const doc = this.ws.document(key)!;
    injectFault(doc.text);
    const findings = this.ws.analyze(key, c.go, c.rules);
    const lines = doc.lines;
    const otherLines = (file: string) => {
      const open = this.ws.document(file);
      if (open) return open.lines;
      const read = readGoSource(file);
      return read.ok ? new LineIndex(read.text) : undefined;
    };
    const result: AnalysisResult = { rev, diagnostics: [], fixes: [], fixAll: [] };
    for (const f of findings) {
      result.diagnostics.push(toDiagnostic(f, key, lines, otherLines));
      result.fixes.push(f.fixes.map((x): FixAction => ({ title: x.title, isPreferred: x.isPreferred, edits: x.edits.map((e) => ({ range: toRange(e.range, lines), newText: e.newText })) })));
      for (const x of f.fixes) if (x.safeForFixAll) for (const e of x.edits) result.fixAll.push({ range: toRange(e.range, lines), newText: e.newText });
    }
    return result;
  }

  private sitesOf(key: string, rev: number, c: { uri: string; go: Call['go']; defaultMapSize?: number }): MapSite[] {
    const options = JSON.stringify([c.go, c.defaultMapSize]);
    const cached = this.sites.get(c.uri);
    if (cached?.rev === rev && cached.options === options) return cached.sites;
    const sites = this.ws.mapSites(key, { go: c.go, defaultMapSize: c.defaultMapSize });
    this.sites.set(c.uri, { rev, options, sites });
    return sites;
  }

  private hintEdit(key: string, rev: number, c: Extract<Call, { op: 'hintEdit' }>): HintEditResult {
    const site = this.sitesOf(key, rev, c).find((s) => s.id === c.siteId);
    if (!site) return { rev, reason: `no map site ${c.siteId} in this version` };
    if (!site.fix) return { rev, reason: 'MapScope has no hint to add here (map-without-hint offers no fix for this map)' };
    const lines = this.ws.document(key)!.lines;
    return { rev, edit: { title: site.fix.title, edits: site.fix.edits.map((e) => ({ range: toRange(e.range, lines), newText: e.newText })) } };
  }
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
