// MapScope's commands that are not the panel's: check the workspace into Problems (with progress,
// cancellable), show the log, open a rule's documentation (docs/rules.md, shipped in the
// extension), and the status bar item's menu.
import { randomUUID } from 'node:crypto';
import {
  commands,
  ProgressLocation,
  Range,
  Selection,
  TextEditorRevealType,
  Uri,
  window,
  workspace,
  type ExtensionContext,
  type QuickPickItem,
} from 'vscode';
import { State, WorkDoneProgress, type LanguageClient } from 'vscode-languageclient/node';
import { CHECK_WORKSPACE_METHOD, type CheckWorkspaceParams, type CheckWorkspaceResult } from '../../common/protocol';
import type { MapScopeLog } from './log';

export const CHECK_WORKSPACE_COMMAND = 'mapscope.checkWorkspace';
export const SHOW_OUTPUT_COMMAND = 'mapscope.showOutput';
export const OPEN_RULE_DOCS_COMMAND = 'mapscope.openRuleDocs';

/** Asks the server to check every .go file of the workspace folders; its diagnostics land in Problems. */
export async function checkWorkspace(client: LanguageClient | undefined, log: MapScopeLog): Promise<CheckWorkspaceResult | undefined> {
  if (!client || client.state !== State.Running) {
    void window.showWarningMessage('MapScope: the language server is not running, so the workspace cannot be checked.', 'Show Log').then((a) => {
      if (a) log.show(true);
    });
    return undefined;
  }
  const folders = (workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.toString());
  if (folders.length === 0) {
    void window.showInformationMessage('MapScope: open a folder to check its Go files.');
    return undefined;
  }
  return window.withProgress({ location: ProgressLocation.Notification, title: 'MapScope: checking the workspace', cancellable: true }, async (progress, token) => {
    const workDoneToken = randomUUID();
    let done = 0;
    const reports = client.onProgress(WorkDoneProgress.type, workDoneToken, (p) => {
      if (p.kind === 'end') return;
      const percentage = p.percentage ?? done;
      progress.report({ increment: percentage - done, ...(p.message ? { message: workspace.asRelativePath(p.message) } : {}) });
      done = percentage;
    });
    try {
      const params: CheckWorkspaceParams = { folders, workDoneToken };
      const r = await client.sendRequest<CheckWorkspaceResult>(CHECK_WORKSPACE_METHOD, params, token);
      const what = `${r.findings} finding${r.findings === 1 ? '' : 's'} in ${r.filesWithFindings} of ${r.files} unopened file${r.files === 1 ? '' : 's'}`;
      const warnings = r.warnings.length > 0 ? `; ${r.warnings.length} file${r.warnings.length === 1 ? '' : 's'} skipped (see the log)` : '';
      void window
        .showInformationMessage(`MapScope ${r.cancelled ? 'stopped the workspace check' : 'checked the workspace'}: ${what}${warnings}.`, 'Show Problems')
        .then((a) => {
          if (a) void commands.executeCommand('workbench.actions.view.problems');
        });
      return r;
    } finally {
      reports.dispose();
    }
  });
}

interface RuleItem extends QuickPickItem {
  line: number;
}

/** Opens docs/rules.md at a rule's section; asks which rule when none is given. */
export async function openRuleDocs(context: ExtensionContext, rule?: string): Promise<void> {
  const uri = Uri.joinPath(context.extensionUri, 'docs', 'rules.md');
  const doc = await workspace.openTextDocument(uri);
  const items: RuleItem[] = [];
  for (let line = 0; line < doc.lineCount; line++) {
    const m = /^## (\S+)\s*$/.exec(doc.lineAt(line).text);
    if (!m) continue;
    const summary = line + 2 < doc.lineCount ? doc.lineAt(line + 2).text : '';
    items.push({ label: m[1], detail: summary, line });
  }
  const picked = rule !== undefined ? items.find((i) => i.label === rule) : await window.showQuickPick(items, { placeHolder: 'Which MapScope rule?' });
  if (rule !== undefined && !picked) void window.showWarningMessage(`MapScope has no rule named ${rule}; showing all the rules.`);
  if (rule === undefined && !picked) return;
  const at = new Range(picked?.line ?? 0, 0, picked?.line ?? 0, 0);
  const editor = await window.showTextDocument(doc, { preview: true });
  editor.selection = new Selection(at.start, at.start);
  editor.revealRange(at, TextEditorRevealType.AtTop);
}

/** The status bar item's menu. */
export async function statusMenu(): Promise<void> {
  const choices: (QuickPickItem & { command: string })[] = [
    { label: '$(output) Show the MapScope log', command: SHOW_OUTPUT_COMMAND },
    { label: '$(graph-line) Show the map growth panel', command: 'mapscope.showGrowthPanel' },
    { label: '$(checklist) Check the workspace', command: CHECK_WORKSPACE_COMMAND },
    { label: '$(debug-restart) Restart the server', command: 'mapscope.restartServer' },
    { label: '$(book) Open the rules\' documentation', command: OPEN_RULE_DOCS_COMMAND },
  ];
  const picked = await window.showQuickPick(choices, { placeHolder: 'MapScope' });
  if (picked) await commands.executeCommand(picked.command);
}
