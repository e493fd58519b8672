// Which `go` binary the workspace uses, looked up where vscode-go looks for it
// (extension/src/utils/pathUtils.ts, getBinPathWithPreferredGopathGorootWithExplanation, with
// util.ts getBinPathWithExplanation's settings), so that MapScope asks the same Go as the Go
// extension even when the editor's PATH lacks `go`:
//   1. `go.alternateTools.go` when it is an absolute path to an executable;
//   2. $GOBIN/<name>;
//   3. <go.goroot, else $GOROOT>/bin/<name>;
//   4. PATH (`/snap/bin/go` → `/snap/go/current/bin/go`, vscode-go#166);
//   5. /usr/local/go/bin/go, /usr/local/bin/go (Windows: C:\Program Files\Go\bin\go.exe, …(x86)…).
// <name> is `go.alternateTools.go` when it is a bare name (`go1.27.3`), else `go`. vscode-go's
// "Go: Choose Go Environment" choice lives in its workspace state, out of reach of other extensions.
// The CLI uses the same list without the editor settings, so both pick the same binary.
import { accessSync, constants, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, isAbsolute, join } from 'node:path';

/** vscode-go's settings that choose the Go binary (the VS Code client passes them in initializationOptions.go). */
export interface EditorGoSettings {
  /** `go.goroot`. */
  goroot?: string;
  /** `go.alternateTools.go`. */
  alternateGo?: string;
}

export interface GoBinary {
  path: string;
  /** Why this one, in words: `PATH`, `go.goroot setting`, … */
  why: string;
}

const exe = (name: string) => (process.platform === 'win32' ? `${name}.exe` : name);

export function isExecutable(p: string): boolean {
  try {
    if (!statSync(p).isFile()) return false;
    accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** vscode-go's resolvePath and substituteEnv: `~`, `${env:NAME}`, `${workspaceFolder}`. */
export function expandSettingPath(p: string, env: NodeJS.ProcessEnv, workspaceFolder?: string): string {
  let out = p.replace(/\$\{env:([^}]+)\}/g, (_, name: string) => env[name.trim()] ?? '');
  if (workspaceFolder) out = out.replace(/\$\{workspaceFolder\}|\$\{workspaceRoot\}/g, workspaceFolder);
  return out.startsWith('~') ? join(homedir(), out.slice(1)) : out;
}

/** The first executable `name` in the directories of a PATH-like list. */
export function lookPath(name: string, list: string | undefined): string | undefined {
  for (const dir of (list ?? '').split(delimiter)) {
    if (dir === '') continue;
    const p = join(dir, exe(name));
    if (isExecutable(p)) return p;
  }
  return undefined;
}

export function findGoBinary(editor: EditorGoSettings = {}, env: NodeJS.ProcessEnv = process.env, workspaceFolder?: string): GoBinary | undefined {
  const alternate = editor.alternateGo?.trim() ? expandSettingPath(editor.alternateGo.trim(), env, workspaceFolder) : undefined;
  if (alternate && isAbsolute(alternate) && isExecutable(alternate)) return { path: alternate, why: 'go.alternateTools setting' };
  const name = alternate && !isAbsolute(alternate) ? alternate : 'go';
  const via = (why: string) => (name === 'go' ? why : `go.alternateTools setting (${name}) in ${why}`);

  const fromGobin = lookPath(name, env.GOBIN);
  if (fromGobin) return { path: fromGobin, why: via('GOBIN') };
  const gorootSetting = editor.goroot?.trim() ? expandSettingPath(editor.goroot.trim(), env, workspaceFolder) : undefined;
  const goroot = gorootSetting ?? env.GOROOT;
  const fromGoroot = goroot ? lookPath(name, join(goroot, 'bin')) : undefined;
  if (fromGoroot) return { path: fromGoroot, why: via(gorootSetting ? 'go.goroot setting' : 'GOROOT') };
  let fromPath = lookPath(name, env.PATH ?? env.Path);
  if (fromPath === '/snap/bin/go') fromPath = '/snap/go/current/bin/go';
  if (fromPath) return { path: fromPath, why: via('PATH') };
  if (name !== 'go') return undefined;
  const defaults = process.platform === 'win32'
    ? ['C:\\Program Files\\Go\\bin\\go.exe', 'C:\\Program Files (x86)\\Go\\bin\\go.exe']
    : ['/usr/local/go/bin/go', '/usr/local/bin/go'];
  const found = defaults.find(isExecutable);
  return found ? { path: found, why: 'a default install location' } : undefined;
}
