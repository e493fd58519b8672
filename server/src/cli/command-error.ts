// How `mapscope predict` and `mapscope profile` end on an error (design.md §3.2): one line on
// stderr and exit code 2, whether the command line was wrong or the command itself failed.
import { UsageError } from '../node/files';

/** Reports `e` for `mapscope <command>`: a usage error's first line as it is, anything else as an internal error. */
export function commandFailed(command: string, e: unknown, err: (s: string) => void): number {
  const firstLine = (s: string) => s.split('\n')[0];
  if (e instanceof UsageError) err(`mapscope ${command}: ${firstLine(e.message)}\n`);
  else err(`mapscope ${command}: internal error: ${e instanceof Error ? firstLine(e.message) : String(e)}\n`);
  return 2;
}
