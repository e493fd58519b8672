// The `mapscope` task type: `mapscope check` from the CLI bundled in the extension, run on a
// workspace folder with the `$mapscope` problem matcher (package.json), so Run Task offers
// "mapscope: check <folder>" without installing anything. tasks.json can name paths and extra
// arguments: { "type": "mapscope", "paths": ["./..."], "args": ["--rules", "nil-map-write"] }.
import * as path from 'node:path';
import { ProcessExecution, Task, TaskScope, workspace, type ExtensionContext, type TaskDefinition, type TaskProvider, type WorkspaceFolder } from 'vscode';

export const TASK_TYPE = 'mapscope';

interface MapScopeTaskDefinition extends TaskDefinition {
  paths?: string[];
  args?: string[];
}

export function taskProvider(context: ExtensionContext): TaskProvider {
  const cli = context.asAbsolutePath(path.join('bin', 'mapscope.js'));
  const make = (definition: MapScopeTaskDefinition, folder: WorkspaceFolder): Task => {
    const paths = definition.paths && definition.paths.length > 0 ? definition.paths : ['.'];
    // The editor's own runtime runs the CLI (Electron as Node in VS Code, Node in code-server).
    const execution = new ProcessExecution(process.execPath, [cli, 'check', ...(definition.args ?? []), ...paths], {
      cwd: folder.uri.fsPath,
      env: { ELECTRON_RUN_AS_NODE: '1' },
    });
    const task = new Task(definition, folder, `check ${folder.name}`, TASK_TYPE, execution, ['$mapscope']);
    task.detail = `mapscope check ${[...(definition.args ?? []), ...paths].join(' ')}`;
    return task;
  };
  return {
    provideTasks: () => (workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => make({ type: TASK_TYPE }, f)),
    resolveTask: (task) => {
      const scope = task.scope;
      const folder = typeof scope === 'object' ? scope : scope === TaskScope.Workspace ? workspace.workspaceFolders?.[0] : undefined;
      return folder ? make(task.definition as MapScopeTaskDefinition, folder) : undefined;
    },
  };
}
