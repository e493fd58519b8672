// The VS Code side: starts the language server over IPC for Go files, passes it the workspace's
// trust and settings, restarts it if it dies, hosts the growth panel (panel/provider.ts) and asks
// for profiles to load (profile.ts). Everything else happens in the server.
import * as path from 'node:path';
import { commands, window, workspace, type ExtensionContext } from 'vscode';
import {
  CloseAction,
  ErrorAction,
  LanguageClient,
  TransportKind,
  type ErrorHandler,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import { GROWTH_VIEW_ID, GrowthPanel } from './panel/provider';
import { loadProfile } from './profile';

let client: LanguageClient | undefined;

/** Restart after every crash, but give up on a server that keeps dying right after it starts. */
function restartingHandler(): ErrorHandler {
  const crashes: number[] = [];
  return {
    error: () => ({ action: ErrorAction.Continue }),
    closed: () => {
      const now = Date.now();
      crashes.push(now);
      while (crashes.length > 0 && now - crashes[0] > 3 * 60_000) crashes.shift();
      return crashes.length <= 5
        ? { action: CloseAction.Restart }
        : { action: CloseAction.DoNotRestart, message: 'The MapScope server crashed 5 times in 3 minutes; it will not be restarted. Run "MapScope: Restart Server" to try again.' };
    },
  };
}

export async function activate(context: ExtensionContext): Promise<void> {
  const module = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ scheme: 'file', language: 'go' }],
    synchronize: {
      configurationSection: 'mapscope',
      fileEvents: workspace.createFileSystemWatcher('**/{*.go,go.mod}'),
    },
    initializationOptions: {
      trusted: workspace.isTrusted,
      settings: workspace.getConfiguration('mapscope'),
    },
    errorHandler: restartingHandler(),
  };
  client = new LanguageClient('mapscope', 'MapScope', serverOptions, clientOptions);
  const panel = new GrowthPanel(context.extensionUri);
  panel.setClient(client);
  context.subscriptions.push(
    panel,
    window.registerWebviewViewProvider(GROWTH_VIEW_ID, panel),
    commands.registerCommand('mapscope.showGrowthPanel', async () => {
      await commands.executeCommand(`${GROWTH_VIEW_ID}.focus`);
    }),
    commands.registerCommand('mapscope.loadProfile', () => loadProfile(client)),
    commands.registerCommand('mapscope.restartServer', async () => {
      await client?.restart();
    }),
    workspace.onDidGrantWorkspaceTrust(async () => {
      // The server decides once at start whether it may run `go env`; restart it with trust.
      await client?.stop();
      client = new LanguageClient('mapscope', 'MapScope', serverOptions, {
        ...clientOptions,
        initializationOptions: { ...clientOptions.initializationOptions, trusted: true },
      });
      panel.setClient(client);
      await client.start();
    }),
  );
  await client.start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
