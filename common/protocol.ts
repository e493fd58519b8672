// MapScope's custom messages, declared once for the server, the VS Code client and the panel's
// webview (design.md §3.4). Two layers:
//  - LSP: `mapscope/mapSites`, `mapscope/predict`, `mapscope/loadProfile`, `mapscope/profile` and
//    the `mapscope.applyHint` command, which any LSP client can send; ranges are LSP ranges (0-based
//    lines, UTF-16 characters) of the exact text version the diagnostics were computed on.
//  - Webview: the messages between the extension host and the panel (HostToView / ViewToHost).
// Runtime content is string constants only, so that every bundle (the webview's too) can import
// this module without pulling in a library; the data types are the core's, with LSP ranges.
import type { MapImpl } from '../server/src/core/engine/go-version';
import type { AmbiguousLine, MeasuredSite, ProfileReport, ProfileSummary, UnlinkedLine } from '../server/src/core/profile/attribute';
import type { MapSite } from '../server/src/core/sites';
import type { SiteTimelines } from '../server/src/core/timelines';

export type { MapImpl };
export type { SiteShape, SiteSize, SiteType, SizeSource } from '../server/src/core/sites';
export type { Point, SiteTimelines, TimelineEvent, Totals, VariantTimeline } from '../server/src/core/timelines';

export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

export interface TextDocumentIdentifier {
  uri: string;
}

/** A map site with LSP ranges (see server/src/core/sites.ts for the fields). */
export type MapSiteInfo = MapSite<Range>;

// ---- LSP ----

export const MAP_SITES_METHOD = 'mapscope/mapSites';

export interface MapSitesParams {
  textDocument: TextDocumentIdentifier;
}

export interface MapSitesResult {
  uri: string;
  /** The document version the sites (and the diagnostics) were computed on. */
  version: number;
  /** The Go version the file targets (setting, `go env`, go.mod) and its map implementation. */
  go: string;
  impl: MapImpl;
  /** The `mapscope.defaultMapSize` setting: the entries assumed when a site's size is unknown. */
  defaultMapSize: number;
  sites: MapSiteInfo[];
}

export const PREDICT_METHOD = 'mapscope/predict';

export interface PredictParams {
  textDocument: TextDocumentIdentifier;
  /** A position in or near the site (the site under it, else the nearest in the same function, else the nearest). */
  position: Position;
  /** Default: the site's inferred size, else the `mapscope.defaultMapSize` setting. */
  entries?: number;
  /** The hint of the "with hint" timeline; default: the entries (what the suggested hint evaluates to). */
  hint?: number;
  /** Model the other map implementation than the file's Go version uses. */
  impl?: MapImpl;
}

/** Null when the file has no map sites. */
export type PredictResult = (SiteTimelines & { uri: string; version: number; site: MapSiteInfo }) | null;

/** `workspace/executeCommand` with one ApplyHintArgs: the server sends `workspace/applyEdit` with the site's quick fix. */
export const APPLY_HINT_COMMAND = 'mapscope.applyHint';

export interface ApplyHintArgs {
  uri: string;
  /** The version the site was listed for; the edit is refused if the document has moved on. */
  version: number;
  siteId: string;
}

export interface ApplyHintResult {
  applied: boolean;
  /** Why not, for people. */
  reason?: string;
}

/**
 * `mapscope/status` (server → client notification), agreed between branches: sent whenever the
 * server resolves (or re-resolves) the Go versions for a folder it analyses. The client keeps the
 * latest per folder and shows, for the active editor's file (the longest folder that contains
 * it), a status bar item `MapScope: Go 1.26 · swiss` (tooltip: both sources).
 */
export const STATUS_NOTIFICATION = 'mapscope/status';
export interface GoChoice {
  /** `1.26.8`, `1.27.3`, `1.20` — as precise as the source tells. */
  version: string;
  /** Where it came from, in words: `setting mapscope.goVersion`, `go env GOVERSION (/usr/local/go/bin/go)`,
   *  `go.mod toolchain line (/path/go.mod)`, `go.mod go line (/path/go.mod)`, `newest Go MapScope models`. */
  source: string;
}
export interface StatusParams {
  /** Absolute path of the folder (module root, or the file's directory) this describes. */
  folder: string;
  /** The toolchain: decides the map implementation. */
  toolchain: GoChoice & { impl: 'classic' | 'swiss'; experiments: string[] };
  /** The language version (go.mod `go` line): decides per-iteration loop vars, range over int, wg.Go. */
  language: GoChoice;
}

/**
 * `mapscope/checkWorkspace`, client → server: analyse every .go file under the folders (default:
 * the workspace folders) and publish diagnostics for those not open in the editor. Reports
 * `$/progress` on the request's workDoneToken; cancellable with `$/cancelRequest`.
 */
export const CHECK_WORKSPACE_METHOD = 'mapscope/checkWorkspace';

export interface CheckWorkspaceParams {
  /** Folder URIs; default: the workspace folders the client named at initialize. */
  folders?: string[];
  workDoneToken?: string | number;
}

export interface CheckWorkspaceResult {
  files: number;
  /** Files with at least one finding, and the findings in them (open documents not counted). */
  filesWithFindings: number;
  findings: number;
  cancelled: boolean;
  /** Files skipped (unreadable, not UTF-8), one line each. */
  warnings: string[];
}

// ---- Webview (panel) ----

/** Extension host → panel. */
export type HostToView =
  /** The active Go editor's sites; `selectedId` is the site under or nearest the cursor; `measured` what a loaded profile says about them, by site id. */
  | { type: 'sites'; file: string; result: MapSitesResult; selectedId?: string; measured?: Record<string, MeasuredSiteInfo> }
  /** The cursor moved to another site of the same file. */
  | { type: 'select'; uri: string; siteId: string }
  /** Nothing to show: no editor, not a Go file, the server is not ready, or an error. */
  | { type: 'empty'; reason: 'no-editor' | 'not-go' | 'unavailable'; message: string }
  | { type: 'prediction'; seq: number; result: PredictResult; error?: string }
  | { type: 'applied'; siteId: string; result: ApplyHintResult };

/** Panel → extension host. */
export type ViewToHost =
  /** The script is running: send the current state. */
  | { type: 'ready' }
  /** `hint`: the "with hint" variant's hint, when it is not the entries (the suggested hint's own value). */
  | { type: 'predict'; seq: number; uri: string; position: Position; entries?: number; hint?: number; impl?: MapImpl }
  /** Show the site in its editor (the panel keeps focus). */
  | { type: 'reveal'; uri: string; range: Range }
  | { type: 'applyHint'; args: ApplyHintArgs };

// ---- Profiles (design.md §3.7) ----

export type { HeapFigures, ProfileSummary } from '../server/src/core/profile/attribute';
export type { SizeRange } from '../server/src/core/profile/infer';

/** `mapscope/loadProfile`: load these pprof files (heap and CPU, gzipped protobuf) in place of the ones loaded before; none unloads. */
export const LOAD_PROFILE_METHOD = 'mapscope/loadProfile';

export interface LoadProfileParams {
  /** Absolute paths, or relative to the first workspace folder. */
  paths: string[];
}

export interface LoadProfileResult {
  /** The profiles now loaded (also the one the `mapscope.profile` setting names). */
  profiles: (ProfileSummary & { path: string })[];
  /** One line per file that could not be read as a Go heap or CPU profile. */
  errors: { path: string; message: string }[];
  /** Sites with map costs, and how many of them are hot. */
  sites: number;
  hot: number;
  /** The costliest site, for the client to name. */
  top?: MeasuredSiteInfo;
}

/** A measured site with its file as a URI and its LSP range in the text attributed (see core/profile/attribute.ts for the fields). */
export type MeasuredSiteInfo = Omit<MeasuredSite, 'range' | 'file'> & { uri: string; range: Range };

/**
 * `mapscope/profile`: what the loaded profiles say about the map sites: of one document (its sites
 * only, ranges in its current text), or of the whole workspace without `textDocument`. Null when
 * no profile is loaded.
 */
export const PROFILE_METHOD = 'mapscope/profile';

export interface ProfileParams {
  textDocument?: TextDocumentIdentifier;
}

export type ProfileResult =
  | (Omit<ProfileReport, 'sites' | 'ambiguous' | 'unlinked'> & {
      paths: string[];
      sites: MeasuredSiteInfo[];
      ambiguous: (Omit<AmbiguousLine, 'file'> & { uri: string })[];
      unlinked: (Omit<UnlinkedLine, 'file'> & { uri: string })[];
    })
  | null;

/** Server → client notification: the loaded profiles or their attribution changed (ask `mapscope/profile` again). */
export const PROFILE_CHANGED_NOTIFICATION = 'mapscope/profileChanged';

/** For exhaustive switches over message types. */
export function assertNever(x: never): never {
  throw new Error(`unexpected message ${JSON.stringify(x)}`);
}
