// The edits "fix all" applies to one file, for the editor's source.fixAll.mapscope and the CLI's
// --fix: every fix marked safeForFixAll, in finding order. Two findings may carry the same fix
// (two writes into one nil map both initialise it at its declaration): an identical edit is kept
// once. A fix whose edits overlap an edit already taken is left out whole, so the result is
// always a set of disjoint edits that a client can apply in any order.
import type { Edit, Finding, Fix } from './findings';

export interface FixAll {
  /** Disjoint edits, sorted by position. */
  edits: Edit[];
  /** The findings whose safe fix is fully applied by `edits`. */
  fixed: Finding[];
}

export function fixAll(findings: readonly Finding[]): FixAll {
  const taken: Edit[] = [];
  const fixed: Finding[] = [];
  for (const f of findings) {
    const fix = f.fixes.find((x) => x.safeForFixAll);
    if (!fix) continue;
    if (fits(fix, taken)) {
      for (const e of fix.edits) if (!taken.some((t) => same(t, e))) taken.push(e);
      fixed.push(f);
    }
  }
  taken.sort((a, b) => a.range.start - b.range.start || a.range.end - b.range.end);
  return { edits: taken, fixed };
}

/** Whether every edit of the fix is already taken or touches nothing taken. */
function fits(fix: Fix, taken: readonly Edit[]): boolean {
  return fix.edits.every((e) => taken.some((t) => same(t, e)) || taken.every((t) => disjoint(t, e)));
}

const same = (a: Edit, b: Edit) => a.range.start === b.range.start && a.range.end === b.range.end && a.newText === b.newText;

/** Disjoint ranges; two insertions at one offset conflict (their order would be arbitrary). */
function disjoint(a: Edit, b: Edit): boolean {
  if (a.range.start === a.range.end && b.range.start === b.range.end) return a.range.start !== b.range.start;
  return a.range.end <= b.range.start || b.range.end <= a.range.start;
}
