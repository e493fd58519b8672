// `mapscope check --fix`: writes each file's fix-all edits (core/fix-all.ts) back to disk. A file
// whose bytes changed since it was analysed (its sha256 differs) is left alone and reported: the
// edits were computed for other text. Writes are atomic: the new content goes to a temporary file
// in the same directory, with the original's mode, which is then renamed over the original (the
// target of a symbolic link, not the link).
import { chmodSync, readFileSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { FilePlan } from '../node/check-package';
import { sha256 } from '../node/files';

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** Plans count bytes after a leading BOM, as the analysis read the text. */
export const bomLength = (bytes: Buffer) => (bytes.subarray(0, 3).equals(BOM) ? 3 : 0);

/** The file's bytes with the plan's edits applied. */
export function applyPlan(bytes: Buffer, plan: FilePlan): Buffer {
  const skip = bomLength(bytes);
  const parts: Buffer[] = [];
  let at = 0;
  for (const e of plan.edits) {
    parts.push(bytes.subarray(at, skip + e.start), Buffer.from(e.newText, 'utf8'));
    at = skip + e.end;
  }
  parts.push(bytes.subarray(at));
  return Buffer.concat(parts);
}

export interface FixOutcome {
  written: FilePlan[];
  /** Changed on disk since the analysis: not written. */
  changed: FilePlan[];
  /** Could not be read or written: the reason, one line. */
  failed: { plan: FilePlan; reason: string }[];
}

export interface FixHooks {
  /** Runs after the analysis and before a file is read back for writing (tests change the file here). */
  beforeWrite?: (file: string) => void;
}

/** The file's current bytes if they are still the ones analysed; else why not. */
export function readPlanned(plan: FilePlan): { bytes: Buffer } | { changed: true } | { error: string } {
  let bytes: Buffer;
  try {
    bytes = readFileSync(plan.file);
  } catch (e) {
    return { error: `cannot read (${(e as NodeJS.ErrnoException).code ?? 'error'})` };
  }
  return sha256(bytes) === plan.sha256 ? { bytes } : { changed: true };
}

export function writePlans(plans: readonly FilePlan[], hooks: FixHooks = {}): FixOutcome {
  const out: FixOutcome = { written: [], changed: [], failed: [] };
  for (const plan of plans) {
    hooks.beforeWrite?.(plan.file);
    const read = readPlanned(plan);
    if ('error' in read) out.failed.push({ plan, reason: read.error });
    else if ('changed' in read) out.changed.push(plan);
    else {
      try {
        writeAtomically(plan.file, applyPlan(read.bytes, plan));
        out.written.push(plan);
      } catch (e) {
        out.failed.push({ plan, reason: `cannot write (${(e as NodeJS.ErrnoException).code ?? 'error'})` });
      }
    }
  }
  return out;
}

function writeAtomically(file: string, content: Buffer): void {
  const target = realpathSync(file);
  const { mode } = statSync(target);
  const tmp = join(dirname(target), `.${basename(target)}.mapscope-${process.pid}-${Math.random().toString(36).slice(2)}.tmp`);
  try {
    writeFileSync(tmp, content, { mode, flag: 'wx' });
    chmodSync(tmp, mode & 0o7777); // the umask may have cleared bits the original has
    renameSync(tmp, target);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}
