// The messages between the language server's main thread and its analysis worker (analysis.ts).
// The main thread speaks LSP and never parses; the worker holds the open documents' trees, the
// loaded profiles and the parser the workspace check uses. Every message is plain data. Documents
// are named by URI; `rev` is the server's own revision number of a document (one per change the
// client sent), never the client's version, which clients may repeat.
import type { CodeLens, Diagnostic, Hover, TextEdit } from 'vscode-languageserver';
import type { LoadProfileResult, MapSiteInfo, Position, ProfileResult } from '../../../common/protocol';
import type { RuleError, RuleSettings } from '../core/analyze';
import type { BuildConfig } from '../core/build/config';
import type { Severity } from '../core/findings';
import type { GoVersion } from '../core/go-version';
import type { OffsetEdit } from '../core/parse/document';
import type { MapSite } from '../core/sites';
import type { GoPaths } from '../node/import-resolver';

/** What the worker needs to know of the server's state; sent first, and again when it changes. */
export interface WorkerConfig {
  /** The build configuration of the workspace's packages (GOOS, GOARCH, tags). */
  build: BuildConfig;
  /** The workspace folders: the first is the code loaded profiles are of. */
  folders: string[];
  /** The toolchain of the first folder: the one profiles are attributed with. */
  profileGo: GoVersion;
  /** A measured site with at least this share of a profile's map cost is hot. */
  profileHotShare: number;
  /** The severity a hot site's map-without-hint finding rises to; undefined keeps its own. */
  profileHotSeverity?: Severity;
  /** Where imported packages are (GOROOT, the module cache), and whether the disk cache is used. */
  imports: { paths: GoPaths; cache: boolean };
}

/** Document events, applied in the order sent; no answer. */
export type DocEvent =
  | { op: 'configure'; config: WorkerConfig }
  /** `path` for a file; absent for a document that is not one (it stands alone). */
  | { op: 'open'; uri: string; path?: string; text: string; rev: number }
  | { op: 'change'; uri: string; edits: OffsetEdit[]; rev: number }
  | { op: 'close'; uri: string }
  /** A file changed on disk: forget its summary. */
  | { op: 'invalidate'; path: string };

/** The two Go versions code is analysed for: the toolchain (map implementation) and the language (loop semantics). */
export interface Target {
  uri: string;
  go: GoVersion;
  language: GoVersion;
}

export type Call =
  | ({ op: 'analyse'; rules: RuleSettings } & Target)
  | ({ op: 'sites'; defaultMapSize?: number } & Target)
  | ({ op: 'siteAt'; defaultMapSize?: number; position: Position } & Target)
  | ({ op: 'hintEdit'; defaultMapSize?: number; siteId: string } & Target)
  | ({ op: 'hover'; defaultMapSize?: number; position: Position } & Target)
  | ({ op: 'lenses'; defaultMapSize?: number } & Target)
  /** The packages under the folders, as `mapscope check ./...` reads them (`uri`: unused, ''). */
  | { op: 'checkTargets'; uri: ''; folders: string[] }
  /** Files of one package that are not open, analysed from disk (`uri`: unused, ''). */
  | { op: 'checkFiles'; uri: ''; files: string[]; siblings: string[]; go: GoVersion; language: GoVersion; rules: RuleSettings }
  /** The package's files of a directory under the workspace's configuration (`uri`: unused, ''). */
  | { op: 'siblingsOf'; uri: ''; dir: string }
  | { op: 'loadProfiles'; uri: ''; paths: string[] }
  | { op: 'profileSetting'; uri: ''; path: string | undefined }
  /** The loaded profiles' attribution, for one document or all (`uri`: '' for all). */
  | { op: 'profile'; uri: string };

export interface FixAction {
  title: string;
  isPreferred: boolean;
  edits: TextEdit[];
}

export interface AnalysisResult {
  rev: number;
  diagnostics: Diagnostic[];
  /** The fixes of diagnostics[i]: its own, then the directive that silences it. */
  fixes: FixAction[][];
  /** The edits of every fix safe to apply in bulk, none overlapping. */
  fixAll: TextEdit[];
  /** Failures of single rules (the rest of the file was analysed). */
  errors: RuleError[];
  /** How much the incremental analysis checked again, and how long it took. */
  checked: number | 'all';
  ms: number;
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

export interface HoverResult {
  rev: number;
  hover: Hover | null;
}

export interface LensesResult {
  rev: number;
  lenses: CodeLens[];
}

export interface CheckTargetsResult {
  targets: { dir: string; files: string[]; siblings: string[] }[];
  warnings: string[];
}

export interface CheckFilesResult {
  /** One publication per file analysed. */
  published: { uri: string; diagnostics: Diagnostic[] }[];
  warnings: string[];
  /** Files that could not be read: what an earlier check said of them is cleared. */
  skipped: string[];
}

/** What each call answers; `undefined` when the document is not open in the worker. */
export interface Answers {
  analyse: AnalysisResult | undefined;
  sites: SitesResult | undefined;
  siteAt: SiteAtResult | undefined;
  hintEdit: HintEditResult | undefined;
  hover: HoverResult | undefined;
  lenses: LensesResult | undefined;
  checkTargets: CheckTargetsResult;
  checkFiles: CheckFilesResult;
  siblingsOf: string[];
  loadProfiles: Omit<LoadProfileResult, 'sites' | 'hot' | 'top'>;
  profileSetting: Record<string, never>;
  profile: ProfileResult;
}

/** Worker → main. */
export type WorkerMessage =
  | { type: 'ready' }
  | { type: 'answer'; id: number; result: unknown }
  | { type: 'failed'; id: number; message: string; stack?: string }
  /** A document event failed (logged by the main thread); the document is left as it was. */
  | { type: 'eventFailed'; uri?: string; message: string; stack?: string }
  /** The wasm runtime aborted: the worker exits after this, and its documents must be replayed. */
  | { type: 'fatal'; uri?: string; message: string; stack?: string }
  /** The loaded profiles or their attribution changed (a file on disk, an edit): diagnostics and lenses follow. */
  | { type: 'profileChanged' }
  /** A file that open documents' imports read changed (an edit, or on disk): analyse them again. */
  | { type: 'dependentsChanged'; uris: string[] }
  /** Something for the log (a profile that cannot be read). */
  | { type: 'log'; level: 'warning' | 'info'; message: string };

/** Main → worker. */
export type MainMessage = { type: 'event'; event: DocEvent } | { type: 'call'; id: number; call: Call };

