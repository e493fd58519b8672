// The messages between the language server's main thread and its analysis worker (analysis.ts).
// The main thread speaks LSP and never parses; the worker holds the open documents' trees. Every
// message is plain data. Documents are named by URI; `rev` is the server's own revision number of
// a document (one per change the client sent), never the client's version, which clients may
// repeat.
import type { Diagnostic, TextEdit } from 'vscode-languageserver';
import type { MapSiteInfo, Position } from '../../../common/protocol';
import type { RuleSettings } from '../core/analyze';
import type { GoVersion } from '../core/go-version';
import type { OffsetEdit } from '../core/parse/document';
import type { MapSite } from '../core/sites';

/** Document events, applied in the order sent; no answer. */
export type DocEvent =
  /** `path` for a file; absent for a document that is not one (it stands alone). */
  | { op: 'open'; uri: string; path?: string; text: string; rev: number }
  | { op: 'change'; uri: string; edits: OffsetEdit[]; rev: number }
  | { op: 'close'; uri: string }
  /** A file changed on disk: forget its summary. */
  | { op: 'invalidate'; path: string };

export interface Target {
  uri: string;
  go: GoVersion;
}

export type Call =
  | ({ op: 'analyse'; rules: RuleSettings } & Target)
  | ({ op: 'sites'; defaultMapSize?: number } & Target)
  | ({ op: 'siteAt'; defaultMapSize?: number; position: Position } & Target)
  | ({ op: 'hintEdit'; defaultMapSize?: number; siteId: string } & Target);

export interface FixAction {
  title: string;
  isPreferred: boolean;
  edits: TextEdit[];
}

export interface AnalysisResult {
  rev: number;
  diagnostics: Diagnostic[];
  /** The fixes of diagnostics[i]. */
  fixes: FixAction[][];
  /** The edits of every fix safe to apply in bulk. */
  fixAll: TextEdit[];
}

export interface SitesResult {
  rev: number;
  sites: MapSiteInfo[];
}

export interface SiteAtResult {
  rev: number;
  /** The site for the engine (byte ranges) and as the client sees it (LSP ranges); null: no site. */
  found: { site: MapSite; info: MapSiteInfo } | null;
}

export interface HintEditResult {
  rev: number;
  edit?: { title: string; edits: TextEdit[] };
  reason?: string;
}

/** What each call answers; `undefined` when the document is not open in the worker. */
export interface Answers {
  analyse: AnalysisResult | undefined;
  sites: SitesResult | undefined;
  siteAt: SiteAtResult | undefined;
  hintEdit: HintEditResult | undefined;
}

/** Worker → main. */
export type WorkerMessage =
  | { type: 'ready' }
  | { type: 'answer'; id: number; result: unknown }
  | { type: 'failed'; id: number; message: string; stack?: string }
  /** A document event failed (logged by the main thread); the document is left as it was. */
  | { type: 'eventFailed'; uri?: string; message: string; stack?: string }
  /** The wasm runtime aborted: the worker exits after this, and its documents must be replayed. */
  | { type: 'fatal'; uri?: string; message: string; stack?: string };

/** Main → worker. */
export type MainMessage = { type: 'event'; event: DocEvent } | { type: 'call'; id: number; call: Call };
