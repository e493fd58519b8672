// `mapscope check --diff`: the unified diff of what --fix would write, in git's form (`--- a/path`,
// `+++ b/path`, three lines of context), so `git apply` or `patch -p1` can apply it. The changed
// lines come straight from the edits (no diff search): each group of edits that touches the same
// or adjacent lines is one change, trimmed of the lines it leaves as they were.
import { lineOf } from '../core/parse/positions';

const CONTEXT = 3;

interface Change {
  /** 0-based index of the first old line replaced, and how many. */
  oldStart: number;
  oldLines: string[];
  newLines: string[];
}

/** Lines with their terminators kept, so a last line without `\n` is told apart. */
function splitLines(text: string): string[] {
  const lines = text.split(/(?<=\n)/);
  return lines.length === 1 && lines[0] === '' ? [] : lines;
}

/**
 * `oldText` and the edits in UTF-16 string offsets of it (disjoint, sorted). Returns '' when the
 * edits change nothing.
 */
export function unifiedDiff(path: string, oldText: string, edits: readonly { start: number; end: number; newText: string }[]): string {
  const old = splitLines(oldText);
  const lineStarts: number[] = [];
  let at = 0;
  for (const l of old) {
    lineStarts.push(at);
    at += l.length;
  }
  // Group edits by the old lines they touch; an edit ending at a line's start does not touch that line.
  const groups: { first: number; last: number; edits: typeof edits[number][] }[] = [];
  for (const e of edits) {
    const first = old.length === 0 ? 0 : lineOf(lineStarts, e.start);
    const last = old.length === 0 ? -1 : Math.max(first, lineOf(lineStarts, e.end > e.start ? e.end - 1 : e.end));
    const g = groups[groups.length - 1];
    if (g && first <= g.last) {
      g.last = Math.max(g.last, last);
      g.edits.push(e);
    } else groups.push({ first, last, edits: [e] });
  }
  const changes: Change[] = [];
  for (const g of groups) {
    const from = g.first < old.length ? lineStarts[g.first] : oldText.length;
    const to = g.last >= 0 && g.last < old.length ? lineStarts[g.last] + old[g.last].length : from;
    let text = '';
    let pos = from;
    for (const e of g.edits) {
      text += oldText.slice(pos, e.start) + e.newText;
      pos = e.end;
    }
    text += oldText.slice(pos, to);
    let oldLines = old.slice(g.first, g.last + 1);
    let newLines = splitLines(text);
    let start = g.first;
    while (oldLines.length > 0 && newLines.length > 0 && oldLines[0] === newLines[0]) {
      oldLines = oldLines.slice(1);
      newLines = newLines.slice(1);
      start++;
    }
    while (oldLines.length > 0 && newLines.length > 0 && oldLines[oldLines.length - 1] === newLines[newLines.length - 1]) {
      oldLines = oldLines.slice(0, -1);
      newLines = newLines.slice(0, -1);
    }
    if (oldLines.length > 0 || newLines.length > 0) changes.push({ oldStart: start, oldLines, newLines });
  }
  if (changes.length === 0) return '';
  const out = [`--- a/${path}\n`, `+++ b/${path}\n`];
  let delta = 0; // new line index minus old line index before the current hunk
  for (let i = 0; i < changes.length; ) {
    // A hunk: changes whose contexts touch.
    let j = i;
    while (j + 1 < changes.length && changes[j + 1].oldStart - (changes[j].oldStart + changes[j].oldLines.length) <= 2 * CONTEXT) j++;
    const begin = Math.max(0, changes[i].oldStart - CONTEXT);
    const end = Math.min(old.length, changes[j].oldStart + changes[j].oldLines.length + CONTEXT);
    const body: string[] = [];
    let oldCount = 0;
    let newCount = 0;
    let line = begin;
    const newBegin = begin + delta;
    for (let k = i; k <= j; k++) {
      const c = changes[k];
      for (; line < c.oldStart; line++, oldCount++, newCount++) body.push(` ${old[line]}`);
      for (const l of c.oldLines) body.push(`-${l}`);
      for (const l of c.newLines) body.push(`+${l}`);
      oldCount += c.oldLines.length;
      newCount += c.newLines.length;
      line += c.oldLines.length;
      delta += c.newLines.length - c.oldLines.length;
    }
    for (; line < end; line++, oldCount++, newCount++) body.push(` ${old[line]}`);
    const range = (start: number, count: number) => `${count === 0 ? start : start + 1},${count}`;
    out.push(`@@ -${range(begin, oldCount)} +${range(newBegin, newCount)} @@\n`);
    for (const l of body) out.push(l.endsWith('\n') ? l : `${l}\n\\ No newline at end of file\n`);
    i = j + 1;
  }
  return out.join('');
}
