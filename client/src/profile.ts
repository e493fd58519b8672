// "MapScope: Load Profile…": pick pprof files (heap, CPU) and hand them to the server, which reads,
// attributes and watches them (mapscope/loadProfile); then say in one line what they show.
import { Uri, window, workspace } from 'vscode';
import { State, type LanguageClient } from 'vscode-languageclient/node';
import { LOAD_PROFILE_METHOD, type LoadProfileResult } from '../../common/protocol';
import { formatBytes } from '../../common/format';

export async function loadProfile(client: LanguageClient | undefined): Promise<void> {
  if (!client || client.state !== State.Running) {
    void window.showWarningMessage('MapScope: the language server is not running yet; try again in a moment.');
    return;
  }
  const picked = await window.showOpenDialog({
    canSelectMany: true,
    openLabel: 'Load Profile',
    title: 'MapScope: Load Go heap or CPU profiles (pprof)',
    ...(workspace.workspaceFolders?.[0] ? { defaultUri: workspace.workspaceFolders[0].uri } : {}),
    filters: { 'pprof profiles': ['pb.gz', 'pprof', 'prof', 'out', 'gz'], 'All files': ['*'] },
  });
  if (!picked || picked.length === 0) return;
  let r: LoadProfileResult;
  try {
    r = await client.sendRequest<LoadProfileResult>(LOAD_PROFILE_METHOD, { paths: picked.map((u) => u.fsPath) });
  } catch (e) {
    void window.showErrorMessage(`MapScope could not load the profile: ${e instanceof Error ? e.message : String(e)}`);
    return;
  }
  for (const e of r.errors) void window.showErrorMessage(`MapScope: ${workspace.asRelativePath(e.path)}: ${e.message}`);
  if (r.profiles.length === 0) return;
  const kinds = [...new Set(r.profiles.map((p) => (p.kind === 'heap' ? 'heap' : 'CPU')))].join(' and ');
  const top = r.top;
  const where = top ? ` The costliest: ${top.name ?? 'a map'} at ${workspace.asRelativePath(Uri.parse(top.uri))}:${top.range.start.line + 1}${top.growth.allocBytes > 0 ? ` (growth ${formatBytes(top.growth.allocBytes)})` : ''}.` : '';
  void window.showInformationMessage(`MapScope loaded the ${kinds} profile: ${r.sites} map site${r.sites === 1 ? '' : 's'} with costs, ${r.hot} hot.${where}`);
}
