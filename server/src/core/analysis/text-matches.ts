// "Does this pattern occur between these two offsets?" asked many times about one file. Testing
// the pattern on a slice of the text each time costs the length of the slice, which made rules
// quadratic on long functions (every access re-read the text from the `go` statement to it); here
// the file is scanned once per pattern and each question is a binary search.
//
// Equivalent to `pattern.test(text.slice(from, to))` for the patterns the rules use (short tokens:
// `<-`, `.Wait(`, `\bselect\b`, `\brange\b`, `Lock(`) when `from` and `to` sit at token boundaries,
// where no match can straddle them.

export class TextMatches {
  readonly starts: number[] = [];
  readonly ends: number[] = [];

  constructor(text: string, pattern: RegExp) {
    const global = pattern.global ? pattern : new RegExp(pattern.source, pattern.flags + 'g');
    for (const m of text.matchAll(global)) {
      this.starts.push(m.index);
      this.ends.push(m.index + m[0].length);
      if (m[0].length === 0) break; // an empty match would repeat forever; the rules' patterns have none
    }
  }

  /** Whether a match lies entirely within [from, to). */
  within(from: number, to: number): boolean {
    const i = this.first(from);
    return i < this.starts.length && this.ends[i] <= to;
  }

  /** The index of the first match starting at or after `from`. */
  first(from: number): number {
    return lowerBound(this.starts, from);
  }
}

/** The index of the first of the ascending `xs` at or after `x` (`xs.length` when there is none). */
export function lowerBound(xs: readonly number[], x: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (xs[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
