// --diff: prints each planned file's unified diff, against the file as it is now; a file that
// changed since it was analysed gets a warning instead, as --fix would skip it.
import type { FilePlan } from '../node/check-package';
import type { CliIO } from './check';
import { unifiedDiff } from './diff';
import { bomLength, readPlanned } from './fix';
import { rel } from './format';

/** Returns true when a file could not be read (exit 2). */
export function printDiffs(plans: readonly FilePlan[], io: CliIO): boolean {
  let failed = false;
  for (const plan of [...plans].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0))) {
    const read = readPlanned(plan);
    if ('error' in read) {
      io.err(`mapscope: ${rel(plan.file)}: ${read.error}\n`);
      failed = true;
      continue;
    }
    if ('changed' in read) {
      io.err(`mapscope: warning: ${rel(plan.file)}: changed on disk since it was analysed; no diff\n`);
      continue;
    }
    const { bytes } = read;
    // Plans count UTF-8 bytes after a BOM; the diff works on the decoded text, BOM included.
    const skip = bomLength(bytes);
    const at = (byte: number) => bytes.subarray(0, skip + byte).toString('utf8').length;
    const edits = plan.edits.map((e) => ({ start: at(e.start), end: at(e.end), newText: e.newText }));
    io.out(unifiedDiff(rel(plan.file).split('\\').join('/'), bytes.toString('utf8'), edits));
  }
  return failed;
}
