// The growth panel's host side: a webview view in MapScope's activity-bar container. It follows the
// active Go editor and its cursor, asks the language server for the file's map sites and for
// predictions (common/protocol.ts), and relays the panel's "Add hint" to the server's
// mapscope.applyHint command, which applies the quick fix's edit. The webview never talks to the
// server itself; the view's state lives in the webview (setState), so nothing here is kept but
// the last site list. When a non-Go editor takes focus (Settings, Output, a README) the panel keeps
// the last Go file's maps until that file is closed. Strict CSP: one nonce'd script and stylesheet
// from dist/, nothing inline.
import { randomBytes } from 'node:crypto';
import {
  CancellationTokenSource,
  Disposable,
  Position as VsPosition,
  Range as VsRange,
  Selection,
  TextEditorRevealType,
  Uri,
  window,
  workspace,
  type Position,
  type TextDocument,
  type TextEditor,
  type Webview,
  type WebviewView,
  type WebviewViewProvider,
} from 'vscode';
import { State, type LanguageClient } from 'vscode-languageclient/node';
import {
  APPLY_HINT_COMMAND,
  MAP_SITES_METHOD,
  PREDICT_METHOD,
  PROFILE_CHANGED_NOTIFICATION,
  PROFILE_METHOD,
  type ApplyHintResult,
  type HostToView,
  type MapSitesResult,
  type MeasuredSiteInfo,
  type PredictParams,
  type PredictResult,
  type ProfileResult,
  type ViewToHost,
} from '../../../common/protocol';
import { siteNear } from './select';

export const GROWTH_VIEW_ID = 'mapscope.growth';
/** Re-list sites this long after the last keystroke (the server's own debounce is 120 ms). */
const EDIT_DELAY_MS = 300;
const CURSOR_DELAY_MS = 80;

export class GrowthPanel implements WebviewViewProvider, Disposable {
  private view?: WebviewView;
  private client?: LanguageClient;
  private clientState?: Disposable;
  private profileChanged?: Disposable;
  private readonly subscriptions: Disposable[] = [];
  /** The sites last sent to the view, and the document they belong to. */
  private shown?: { document: TextDocument; result: MapSitesResult; selectedId?: string };
  private refreshTimer?: ReturnType<typeof setTimeout>;
  private cursorTimer?: ReturnType<typeof setTimeout>;
  private refreshSeq = 0;
  /** The prediction in flight: a newer one cancels it ($/cancelRequest), so the server stops simulating it. */
  private predicting?: CancellationTokenSource;

  constructor(private readonly extensionUri: Uri) {
    this.subscriptions.push(
      window.onDidChangeActiveTextEditor(() => this.scheduleRefresh(0)),
      window.onDidChangeTextEditorSelection((e) => {
        if (e.textEditor === window.activeTextEditor) this.scheduleCursor();
      }),
      workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length > 0 && e.document === this.target()?.document) this.scheduleRefresh(EDIT_DELAY_MS);
      }),
      workspace.onDidCloseTextDocument((d) => {
        if (d === this.shown?.document) this.scheduleRefresh(0);
      }),
    );
  }

  /** The language client to ask (it is replaced when the workspace becomes trusted). */
  setClient(client: LanguageClient | undefined): void {
    this.clientState?.dispose();
    this.profileChanged?.dispose();
    this.client = client;
    this.clientState = client?.onDidChangeState(() => this.scheduleRefresh(0));
    // A profile loaded, rewritten or attributed again: its figures are shown beside the prediction.
    this.profileChanged = client?.onNotification(PROFILE_CHANGED_NOTIFICATION, () => this.scheduleRefresh(0));
    this.scheduleRefresh(0);
  }

  resolveWebviewView(view: WebviewView): void {
    this.view = view;
    view.webview.options = { enableScripts: true, localResourceRoots: [Uri.joinPath(this.extensionUri, 'dist')] };
    view.webview.html = this.html(view.webview);
    view.webview.onDidReceiveMessage((m: ViewToHost) => void this.onMessage(m));
    view.onDidChangeVisibility(() => {
      if (view.visible) this.scheduleRefresh(0);
    });
    view.onDidDispose(() => {
      if (this.view === view) this.view = undefined;
    });
  }

  dispose(): void {
    clearTimeout(this.refreshTimer);
    clearTimeout(this.cursorTimer);
    this.clientState?.dispose();
    this.profileChanged?.dispose();
    for (const d of this.subscriptions) d.dispose();
  }

  private post(m: HostToView): void {
    void this.view?.webview.postMessage(m);
  }

  private scheduleRefresh(delay: number): void {
    clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => void this.refresh(), delay);
  }

  private scheduleCursor(): void {
    clearTimeout(this.cursorTimer);
    this.cursorTimer = setTimeout(() => this.followCursor(), CURSOR_DELAY_MS);
  }

  /**
   * The document the panel follows: the active Go editor's, with its cursor; else the Go file it
   * showed last, while that is open (no cursor: the selection stays).
   */
  private target(): { document: TextDocument; cursor?: Position } | undefined {
    const editor = window.activeTextEditor;
    if (editor && isGo(editor)) return { document: editor.document, cursor: editor.selection.active };
    const last = this.shown?.document;
    return last && !last.isClosed ? { document: last } : undefined;
  }

  private async refresh(): Promise<void> {
    const view = this.view;
    if (!view?.visible) return;
    const seq = ++this.refreshSeq;
    const target = this.target();
    if (!target) {
      this.shown = undefined;
      return window.activeTextEditor
        ? this.post({ type: 'empty', reason: 'not-go', message: 'The active editor is not a Go file. Open one to see how its maps grow.' })
        : this.post({ type: 'empty', reason: 'no-editor', message: 'Open a Go file to see how its maps grow.' });
    }
    const doc = target.document;
    const client = this.client;
    if (!client || client.state !== State.Running) {
      return this.post({ type: 'empty', reason: 'unavailable', message: 'The MapScope server is starting…' });
    }
    let result: MapSitesResult;
    try {
      result = await client.sendRequest<MapSitesResult>(MAP_SITES_METHOD, { textDocument: { uri: doc.uri.toString() } });
    } catch (e) {
      if (seq === this.refreshSeq) this.post({ type: 'empty', reason: 'unavailable', message: `MapScope could not list the maps: ${messageOf(e)}` });
      return;
    }
    const measured = await this.measured(client, doc.uri.toString());
    if (seq !== this.refreshSeq || this.view !== view) return;
    const kept = this.shown?.document === doc && result.sites.some((x) => x.id === this.shown?.selectedId) ? this.shown.selectedId : undefined;
    const selectedId = target.cursor && result.version === doc.version ? siteNear(result.sites, target.cursor)?.id : kept;
    this.shown = { document: doc, result, ...(selectedId ? { selectedId } : {}) };
    view.description = workspace.asRelativePath(doc.uri, false);
    this.post({ type: 'sites', file: workspace.asRelativePath(doc.uri, false), result, ...(selectedId ? { selectedId } : {}), ...(measured ? { measured } : {}) });
  }

  /** What the loaded profiles say about the document's sites, by site id; undefined without a profile. */
  private async measured(client: LanguageClient, uri: string): Promise<Record<string, MeasuredSiteInfo> | undefined> {
    try {
      const r = await client.sendRequest<ProfileResult>(PROFILE_METHOD, { textDocument: { uri } });
      return r ? Object.fromEntries(r.sites.map((s) => [s.siteId, s])) : undefined;
    } catch {
      return undefined; // the figures are extra: the panel works without them
    }
  }

  /** The cursor moved: select the site under or nearest it, if the list is for this text. */
  private followCursor(): void {
    const shown = this.shown;
    const editor = window.activeTextEditor;
    if (!shown || !editor || editor.document !== shown.document || editor.document.version !== shown.result.version) return;
    const site = siteNear(shown.result.sites, editor.selection.active);
    if (!site || site.id === shown.selectedId) return;
    shown.selectedId = site.id;
    this.post({ type: 'select', uri: shown.result.uri, siteId: site.id });
  }

  private async onMessage(m: ViewToHost): Promise<void> {
    switch (m.type) {
      case 'ready':
        this.scheduleRefresh(0);
        return;
      case 'predict': {
        const params: PredictParams = {
          textDocument: { uri: m.uri },
          position: m.position,
          ...(m.entries !== undefined ? { entries: m.entries } : {}),
          ...(m.hint !== undefined ? { hint: m.hint } : {}),
          ...(m.impl ? { impl: m.impl } : {}),
        };
        this.predicting?.cancel();
        const cancel = (this.predicting = new CancellationTokenSource());
        try {
          if (!this.client || this.client.state !== State.Running) throw new Error('the MapScope server is not running');
          const result = await this.client.sendRequest<PredictResult>(PREDICT_METHOD, params, cancel.token);
          this.post({ type: 'prediction', seq: m.seq, result });
        } catch (e) {
          this.post({ type: 'prediction', seq: m.seq, result: null, error: messageOf(e) });
        } finally {
          cancel.dispose();
          if (this.predicting === cancel) this.predicting = undefined;
        }
        return;
      }
      case 'reveal': {
        const uri = Uri.parse(m.uri);
        const range = new VsRange(m.range.start.line, m.range.start.character, m.range.end.line, m.range.end.character);
        const editor = window.visibleTextEditors.find((e) => e.document.uri.toString() === m.uri);
        if (editor) {
          const at = new VsPosition(m.range.start.line, m.range.start.character);
          editor.selection = new Selection(at, at);
          editor.revealRange(range, TextEditorRevealType.InCenterIfOutsideViewport);
        } else {
          await window.showTextDocument(uri, { preserveFocus: true, selection: new VsRange(range.start, range.start) });
        }
        return;
      }
      case 'applyHint': {
        let result: ApplyHintResult;
        try {
          if (!this.client || this.client.state !== State.Running) throw new Error('the MapScope server is not running');
          result = await this.client.sendRequest<ApplyHintResult>('workspace/executeCommand', { command: APPLY_HINT_COMMAND, arguments: [m.args] });
        } catch (e) {
          result = { applied: false, reason: messageOf(e) };
        }
        this.post({ type: 'applied', siteId: m.args.siteId, result });
        return;
      }
    }
  }

  private html(webview: Webview): string {
    const nonce = randomBytes(16).toString('base64');
    const asset = (name: string) => webview.asWebviewUri(Uri.joinPath(this.extensionUri, 'dist', name)).toString();
    const csp = [
      "default-src 'none'",
      `script-src 'nonce-${nonce}'`,
      `style-src ${webview.cspSource} 'nonce-${nonce}'`,
      `img-src ${webview.cspSource}`,
      `font-src ${webview.cspSource}`,
    ].join('; ');
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" nonce="${nonce}" href="${asset('panel.css')}">
<title>Map growth</title>
</head>
<body>
<div id="app"></div>
<script nonce="${nonce}" src="${asset('panel.js')}"></script>
</body>
</html>`;
  }
}

/** A Go editor the server analyses: a file on disk or an untitled buffer. */
function isGo(editor: TextEditor): boolean {
  const d = editor.document;
  return d.languageId === 'go' && (d.uri.scheme === 'file' || d.uri.scheme === 'untitled');
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
