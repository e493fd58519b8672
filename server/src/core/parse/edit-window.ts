// Where a document's new text differs from the one before: its common prefix and suffix left out.
// The editor's caches (declaration summaries, carried facts, the incremental plan) each find
// what they kept outside this span at the same or a moved place, without reading its text again.

/** [start, oldEnd) of the text before became [start, newEnd) of the text after; UTF-16 offsets. */
export interface EditWindow {
  readonly start: number;
  readonly oldEnd: number;
  readonly newEnd: number;
}

/** The span two texts differ in, never splitting a surrogate pair. */
export function editWindow(before: string, after: string): EditWindow {
  // The summaries, the carried facts and the planner each ask it of the same two texts per keystroke.
  if (last && last.before === before && last.after === after) return last.window;
  const window = compare(before, after);
  last = { before, after, window };
  return window;
}

let last: { before: string; after: string; window: EditWindow } | undefined;

function compare(before: string, after: string): EditWindow {
  const max = Math.min(before.length, after.length);
  let p = commonLength(before, after, false, max);
  if (p > 0 && isHighSurrogate(after.charCodeAt(p - 1))) p--;
  let s = commonLength(before, after, true, max - p);
  if (s > 0 && isLowSurrogate(after.charCodeAt(after.length - s))) s--;
  return { start: p, oldEnd: before.length - s, newEnd: after.length - s };
}

/**
 * Where the span [start, end) of the text after the edit stood in the text before: the same place
 * before the window, moved by the edit's change of length after it; undefined when it overlaps the
 * window (its text may differ).
 */
export function startBefore(w: EditWindow, start: number, end: number): number | undefined {
  if (end <= w.start) return start;
  return start >= w.newEnd ? start - (w.newEnd - w.oldEnd) : undefined;
}

/** Where the span [start, end) of the text before the edit stands in the text after (see startBefore). */
export function startAfter(w: EditWindow, start: number, end: number): number | undefined {
  if (end <= w.start) return start;
  return start >= w.oldEnd ? start + (w.newEnd - w.oldEnd) : undefined;
}

/**
 * The length of the longest common prefix (or suffix) of a and b, at most max: a binary search
 * over native comparisons of slices, which costs far less than a character loop over a big file.
 */
function commonLength(a: string, b: string, fromEnd: boolean, max: number): number {
  const part = (x: string, from: number, to: number) => (fromEnd ? x.slice(x.length - to, x.length - from) : x.slice(from, to));
  let lo = 0;
  let hi = max;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (part(a, lo, mid) === part(b, lo, mid)) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

function isHighSurrogate(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}

function isLowSurrogate(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}
