// The status bar item: "MapScope: Go 1.26 · swiss" for the active Go editor's folder, from the
// server's `mapscope/status` notifications (the longest folder that contains the file), with both
// sources in the tooltip; "MapScope: starting…" and an error state when the server is not running.
// A click offers the log, the growth panel, the workspace check and a restart.
import { MarkdownString, StatusBarAlignment, ThemeColor, window, workspace, type Disposable, type TextEditor } from 'vscode';
import { State, type LanguageClient } from 'vscode-languageclient/node';
import { STATUS_NOTIFICATION, type StatusParams } from '../../common/protocol';
import { statusFor } from './status-for';

export const STATUS_MENU_COMMAND = 'mapscope.statusMenu';

export class StatusItem implements Disposable {
  private readonly item = window.createStatusBarItem('mapscope.status', StatusBarAlignment.Right, 100);
  private readonly statuses = new Map<string, StatusParams>();
  private client?: LanguageClient;
  /** Whether this client has been started: before that it reports Stopped, which is no failure. */
  private started = false;
  private readonly subscriptions: Disposable[] = [];
  private clientSubscriptions: Disposable[] = [];

  constructor() {
    this.item.name = 'MapScope';
    this.item.command = STATUS_MENU_COMMAND;
    this.subscriptions.push(this.item, window.onDidChangeActiveTextEditor(() => this.render()));
    this.render();
  }

  /** Follows a (new) language client: its state and its status notifications. */
  setClient(client: LanguageClient): void {
    for (const d of this.clientSubscriptions) d.dispose();
    this.client = client;
    this.started = client.state !== State.Stopped;
    this.statuses.clear();
    this.clientSubscriptions = [
      client.onDidChangeState((e) => {
        if (e.newState === State.Starting) {
          this.started = true;
          this.statuses.clear();
        }
        this.render();
      }),
      client.onNotification(STATUS_NOTIFICATION, (s: StatusParams) => {
        this.statuses.set(s.folder, s);
        this.render();
      }),
    ];
    this.render();
  }

  dispose(): void {
    for (const d of [...this.clientSubscriptions, ...this.subscriptions]) d.dispose();
  }

  private render(): void {
    const item = this.item;
    const editor = window.activeTextEditor;
    const state = this.client?.state;
    item.backgroundColor = undefined;
    if (state === State.Stopped && this.started) {
      item.text = '$(error) MapScope: not running';
      item.tooltip = 'The MapScope language server is not running. Click for the log or to restart it.';
      item.backgroundColor = new ThemeColor('statusBarItem.errorBackground');
      item.show();
      return;
    }
    if (!isGo(editor)) {
      item.hide();
      return;
    }
    if (state !== State.Running) {
      item.text = '$(sync~spin) MapScope: starting…';
      item.tooltip = 'The MapScope language server is starting.';
      item.show();
      return;
    }
    // An untitled buffer takes the first workspace folder's Go, as the server does.
    const uri = editor!.document.uri;
    const folder = workspace.workspaceFolders?.find((f) => f.uri.scheme === 'file')?.uri.fsPath;
    const status = statusFor(this.statuses, uri.scheme === 'file' ? uri.fsPath : folder);
    if (!status) {
      item.text = 'MapScope';
      item.tooltip = 'MapScope has not analysed a file of this folder yet.';
      item.show();
      return;
    }
    item.text = `MapScope: Go ${shortVersion(status.toolchain.version)} · ${status.toolchain.impl}`;
    item.tooltip = tooltip(status);
    item.show();
  }
}

function isGo(editor: TextEditor | undefined): boolean {
  return editor?.document.languageId === 'go' && (editor.document.uri.scheme === 'file' || editor.document.uri.scheme === 'untitled');
}

/** "1.26.1" → "1.26": the status bar shows the release; the tooltip the full version. */
function shortVersion(v: string): string {
  return /^1\.\d+/.exec(v)?.[0] ?? v;
}

function tooltip(s: StatusParams): MarkdownString {
  const t = s.toolchain;
  const md = new MarkdownString(undefined, true);
  md.appendMarkdown(`**MapScope** · ${s.folder ? `\`${s.folder}\`` : 'files outside a folder'}\n\n`);
  md.appendMarkdown(`- Map implementation: **${t.impl}** (Go ${t.version}${t.experiments.length > 0 ? `, GOEXPERIMENT=${t.experiments.join(',')}` : ''}), from ${t.source}\n`);
  md.appendMarkdown(`- Language version: **Go ${s.language.version}**, from ${s.language.source}\n\n`);
  md.appendMarkdown('Click for the log, the growth panel or the workspace check.');
  return md;
}
