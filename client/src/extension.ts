// The VS Code side: starts the language server over IPC for Go files (on disk and untitled),
// passes it the workspace's trust and settings, restarts it if it dies, and hosts the growth
// panel (panel/provider.ts), the status bar item (status.ts), the Output channel (log.ts), the
// commands (commands.ts), the `mapscope` task (tasks.ts) and the profiles to load (profile.ts).
// Everything else happens in the server.
import * as path from 'node:path';
import {
  CodeAction,
  CodeActionKind,
  commands,
  extensions,
  Position,
  Selection,
  tasks,
  TextEditorRevealType,
  Uri,
  version as vscodeVersion,
  window,
  workspace,
  type ExtensionContext,
} from 'vscode';
import {
  CloseAction,
  ErrorAction,
  LanguageClient,
  State,
  TransportKind,
  type ErrorHandler,
  type LanguageClientOptions,
  type Middleware,
  type ServerOptions,
} from 'vscode-languageclient/node';
import { checkWorkspace, CHECK_WORKSPACE_COMMAND, OPEN_RULE_DOCS_COMMAND, openRuleDocs, SHOW_OUTPUT_COMMAND, statusMenu } from './commands';
import { MapScopeLog } from './log';
import { GROWTH_VIEW_ID, GrowthPanel } from './panel/provider';
import { STATUS_MENU_COMMAND, StatusItem } from './status';
import { TASK_TYPE, taskProvider } from './tasks';
import { loadProfile } from './profile';

let client: LanguageClient | undefined;

/** Restart after every crash, but give up on a server that keeps dying right after it starts. */
function restartingHandler(log: MapScopeLog): ErrorHandler {
  const crashes: number[] = [];
  return {
    error: (error) => {
      log.error(`the connection to the server failed: ${error.message}`);
      return { action: ErrorAction.Continue };
    },
    closed: () => {
      const now = Date.now();
      crashes.push(now);
      while (crashes.length > 0 && now - crashes[0] > 3 * 60_000) crashes.shift();
      if (crashes.length <= 5) {
        log.warn('the server stopped unexpectedly; restarting it');
        return { action: CloseAction.Restart };
      }
      return { action: CloseAction.DoNotRestart, message: 'The MapScope server crashed 5 times in 3 minutes; it will not be restarted. Run "MapScope: Restart Server" to try again.' };
    },
  };
}

/**
 * VS Code-only touches on what the server sends: each MapScope diagnostic's quick fixes end with
 * "Show documentation", and a code lens opens the growth panel on its map.
 */
const middleware: Middleware = {
  async provideCodeActions(document, range, context, token, next) {
    const actions = (await next(document, range, context, token)) ?? [];
    if (context.only && !context.only.contains(CodeActionKind.QuickFix)) return actions;
    const rules = new Set(context.diagnostics.filter((d) => d.source === 'mapscope').map((d) => ruleOf(d.code)));
    for (const rule of rules) {
      if (!rule) continue;
      const docs = new CodeAction(`Show documentation for ${rule}`, CodeActionKind.QuickFix);
      docs.command = { title: docs.title, command: OPEN_RULE_DOCS_COMMAND, arguments: [rule] };
      actions.push(docs);
    }
    return actions;
  },
  async provideCodeLenses(document, token, next) {
    const lenses = (await next(document, token)) ?? [];
    for (const lens of lenses) {
      if (lens.command && !lens.command.command) {
        lens.command = { ...lens.command, command: 'mapscope.showGrowthPanel', arguments: [document.uri.toString(), lens.range.start], tooltip: 'Show this map in the growth panel' };
      }
    }
    return lenses;
  },
};

function ruleOf(code: string | number | { value: string | number } | undefined): string | undefined {
  const v = typeof code === 'object' ? code.value : code;
  return typeof v === 'string' ? v : undefined;
}

export async function activate(context: ExtensionContext): Promise<void> {
  const log = new MapScopeLog();
  const version = (extensions.getExtension('mapscope.mapscope')?.packageJSON as { version?: string } | undefined)?.version ?? 'dev';
  log.info(`MapScope ${version} activated in VS Code ${vscodeVersion}`);
  const module = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'go' },
      { scheme: 'untitled', language: 'go' },
    ],
    synchronize: {
      configurationSection: 'mapscope',
      fileEvents: workspace.createFileSystemWatcher('**/{*.go,go.mod,go.work}'),
    },
    initializationOptions: {
      trusted: workspace.isTrusted,
      settings: workspace.getConfiguration('mapscope'),
      // vscode-go's choice of Go binary, so that `go env` asks the Go the Go extension uses.
      go: { goroot: workspace.getConfiguration('go').get('goroot'), alternateTools: workspace.getConfiguration('go').get('alternateTools') },
    },
    outputChannel: log,
    errorHandler: restartingHandler(log),
    middleware,
  };
  const panel = new GrowthPanel(context.extensionUri);
  const status = new StatusItem();
  const start = async (options: LanguageClientOptions) => {
    client = new LanguageClient('mapscope', 'MapScope', serverOptions, options);
    client.onDidChangeState((e) => {
      if (e.newState === State.Starting) log.info(`starting the server (${module})`);
      else if (e.newState === State.Stopped) log.info('the server stopped');
    });
    panel.setClient(client);
    status.setClient(client);
    await client.start();
  };

  context.subscriptions.push(
    log,
    panel,
    status,
    window.registerWebviewViewProvider(GROWTH_VIEW_ID, panel),
    tasks.registerTaskProvider(TASK_TYPE, taskProvider(context)),
    commands.registerCommand('mapscope.showGrowthPanel', async (uri?: string, at?: { line: number; character: number }) => {
      // From a code lens: put the cursor on its map first, so the panel selects it.
      const editor = uri ? window.visibleTextEditors.find((e) => e.document.uri.toString() === uri) : undefined;
      if (editor && at) {
        const p = new Position(at.line, at.character);
        editor.selection = new Selection(p, p);
        editor.revealRange(editor.selection, TextEditorRevealType.InCenterIfOutsideViewport);
      } else if (uri && at) {
        await window.showTextDocument(Uri.parse(uri), { selection: new Selection(at.line, at.character, at.line, at.character) });
      }
      await commands.executeCommand(`${GROWTH_VIEW_ID}.focus`);
    }),
    commands.registerCommand('mapscope.loadProfile', () => loadProfile(client)),
    commands.registerCommand('mapscope.restartServer', async () => {
      log.info('restarting the server');
      if (client?.state === State.Stopped) await client.start();
      else await client?.restart();
    }),
    commands.registerCommand(CHECK_WORKSPACE_COMMAND, () => checkWorkspace(client, log)),
    commands.registerCommand(SHOW_OUTPUT_COMMAND, () => log.show(true)),
    commands.registerCommand(OPEN_RULE_DOCS_COMMAND, (rule?: string) => openRuleDocs(context, rule)),
    commands.registerCommand(STATUS_MENU_COMMAND, statusMenu),
    workspace.onDidGrantWorkspaceTrust(async () => {
      // The server decides once at start whether it may run `go env`; restart it with trust.
      log.info('the workspace is now trusted: restarting the server so that it may run go env');
      await client?.stop();
      await start({ ...clientOptions, initializationOptions: { ...clientOptions.initializationOptions, trusted: true } });
    }),
  );
  await start(clientOptions);
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
