// Which folder's `mapscope/status` describes a file: the longest folder that contains it. Pure,
// for the status bar item (status.ts) and its test.
import type { StatusParams } from '../../common/protocol';

/** The status of the longest folder containing `path`; without a path, the status of folder '' (files outside any folder). */
export function statusFor(statuses: ReadonlyMap<string, StatusParams>, path: string | undefined): StatusParams | undefined {
  let best: StatusParams | undefined;
  for (const s of statuses.values()) {
    const inside = path === undefined ? s.folder === '' : s.folder !== '' && path.startsWith(s.folder) && (path.length === s.folder.length || /[\\/]/.test(path[s.folder.length]));
    if (inside && (!best || s.folder.length > best.folder.length)) best = s;
  }
  return best;
}
