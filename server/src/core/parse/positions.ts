// Three ways of naming a place in a file meet here:
//  - tree-sitter (web) indexes the JavaScript string: UTF-16 code units;
//  - findings carry UTF-8 byte offsets (design.md §3.1), which is what Go tools count;
//  - the LSP wants 0-based line + UTF-16 character, the CLI 1-based line + 1-based UTF-8 byte column.
// A LineIndex is built once per text and answers all conversions; ASCII-only lines take a fast path.

export interface LspPosition {
  line: number;
  character: number;
}

export interface LineColumn {
  /** 1-based line. */
  line: number;
  /** 1-based column counted in UTF-8 bytes, as `go vet` and gopls print it. */
  column: number;
}

export class LineIndex {
  // Typed arrays: an editor's keystroke makes a new index of every line of the file, and plain
  // arrays of numbers that size, grown by push, were the largest share of what each keystroke
  // allocated on the JavaScript heap.
  /** UTF-16 offset of the start of each line. */
  private readonly lineStarts16: Int32Array;
  /** UTF-8 byte offset of the start of each line. */
  private readonly lineStarts8: Int32Array;
  /** Whether a line holds any non-ASCII character (then offsets differ within it): 1 or 0. */
  private readonly wide: Uint8Array;

  constructor(
    readonly text: string,
    lines?: { starts16: Int32Array; starts8: Int32Array; wide: Uint8Array },
  ) {
    if (lines) {
      this.lineStarts16 = lines.starts16;
      this.lineStarts8 = lines.starts8;
      this.wide = lines.wide;
      return;
    }
    const starts16 = [0];
    const starts8 = [0];
    const wide: boolean[] = [];
    readLines(text, 0, 0, Infinity, starts16, starts8, wide);
    this.lineStarts16 = Int32Array.from(starts16);
    this.lineStarts8 = Int32Array.from(starts8);
    this.wide = Uint8Array.from(wide, Number);
  }

  /**
   * The index of `text`, which is this index's text with [start16, oldEnd16) replaced by what now
   * ends at newEnd16. Only the lines the edit touched are read; the later ones move by the edit's
   * length. An editor's keystroke costs microseconds instead of a pass over the file.
   */
  edited(text: string, start16: number, oldEnd16: number, newEnd16: number): LineIndex {
    const first = lineOf(this.lineStarts16, start16);
    const last = lineOf(this.lineStarts16, oldEnd16);
    // The lines the edit touched, read again from the start of the first.
    const read16 = [this.lineStarts16[first]];
    const read8 = [this.lineStarts8[first]];
    const readWide: boolean[] = [];
    const more = readLines(text, read16[0], read8[0], newEnd16, read16, read8, readWide);
    // Then, unless the text ended, the line after the edit's last line is this index's line
    // last + 1, moved: the lines from last + 2 on follow, moved as much.
    const tail = more ? this.lineStarts16.length - (last + 2) : 0;
    const count = first + read16.length + tail;
    const starts16 = new Int32Array(count);
    const starts8 = new Int32Array(count);
    starts16.set(this.lineStarts16.subarray(0, first));
    starts8.set(this.lineStarts8.subarray(0, first));
    starts16.set(read16, first);
    starts8.set(read8, first);
    const wideTail = more ? this.wide.length - (last + 1) : 0;
    const wide = new Uint8Array(first + readWide.length + wideTail);
    wide.set(this.wide.subarray(0, first));
    for (let i = 0; i < readWide.length; i++) wide[first + i] = readWide[i] ? 1 : 0;
    if (more) {
      const by16 = read16[read16.length - 1] - this.lineStarts16[last + 1];
      const by8 = read8[read8.length - 1] - this.lineStarts8[last + 1];
      let at = first + read16.length;
      for (let l = last + 2; l < this.lineStarts16.length; l++, at++) {
        starts16[at] = this.lineStarts16[l] + by16;
        starts8[at] = this.lineStarts8[l] + by8;
      }
      wide.set(this.wide.subarray(last + 1), first + readWide.length);
    }
    return new LineIndex(text, { starts16, starts8, wide });
  }

  get lineCount(): number {
    return this.lineStarts16.length;
  }

  /** Byte length of the whole text. */
  get byteLength(): number {
    return this.byteOffset(this.text.length);
  }

  /** UTF-16 offset (tree-sitter's index) → UTF-8 byte offset. */
  byteOffset(offset16: number): number {
    const line = lineOf(this.lineStarts16, offset16);
    const start16 = this.lineStarts16[line];
    if (!this.wide[line]) return this.lineStarts8[line] + (offset16 - start16);
    return this.lineStarts8[line] + utf8Length(this.text, start16, offset16);
  }

  /** UTF-8 byte offset → UTF-16 offset. Inside a multi-byte character it rounds to its start. */
  utf16Offset(byteOffset: number): number {
    const line = lineOf(this.lineStarts8, byteOffset);
    const start16 = this.lineStarts16[line];
    let rest = byteOffset - this.lineStarts8[line];
    if (!this.wide[line]) return start16 + rest;
    let i = start16;
    while (rest > 0 && i < this.text.length) {
      const c = this.text.charCodeAt(i);
      const width = c < 0x80 ? 1 : c < 0x800 ? 2 : isPairStart(this.text, i) ? 4 : 3;
      if (width > rest) break;
      rest -= width;
      i += width === 4 ? 2 : 1;
    }
    return i;
  }

  /** UTF-8 byte offset → LSP position (0-based line, UTF-16 character). */
  lspPosition(byteOffset: number): LspPosition {
    const line = lineOf(this.lineStarts8, byteOffset);
    return { line, character: this.utf16Offset(byteOffset) - this.lineStarts16[line] };
  }

  /** LSP position → UTF-8 byte offset; a character past the line's end clamps to it (before a CRLF's '\r'). */
  byteOffsetAt(pos: LspPosition): number {
    if (pos.line >= this.lineCount) return this.byteLength;
    const start16 = this.lineStarts16[pos.line];
    let end16 = pos.line + 1 < this.lineCount ? this.lineStarts16[pos.line + 1] - 1 : this.text.length;
    if (end16 > start16 && end16 < this.text.length && this.text.charCodeAt(end16 - 1) === 13) end16--;
    return this.byteOffset(Math.min(start16 + pos.character, end16));
  }

  /** UTF-8 byte offset → 1-based line and 1-based byte column. */
  lineColumn(byteOffset: number): LineColumn {
    const line = lineOf(this.lineStarts8, byteOffset);
    return { line: line + 1, column: byteOffset - this.lineStarts8[line] + 1 };
  }

  /** 0-based line → UTF-8 byte offset of its first character. */
  lineStartByte(line: number): number {
    return this.lineStarts8[Math.min(line, this.lineCount - 1)];
  }
}

/**
 * Reads the lines of `text` from `from16`, a line start at byte `from8`: pushes the start of every
 * line that follows and whether each line read is wide. Stops after the first line break at or
 * after `until16` (true), or at the end of the text, the last line's flag pushed (false).
 */
function readLines(text: string, from16: number, from8: number, until16: number, starts16: number[], starts8: number[], wides: boolean[]): boolean {
  let bytes = from8;
  let wide = false;
  for (let i = from16; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) {
      bytes += 1;
      if (c === 10) {
        wides.push(wide);
        wide = false;
        starts16.push(i + 1);
        starts8.push(bytes);
        if (i >= until16) return true;
      }
    } else {
      wide = true;
      if (c < 0x800) bytes += 2;
      else if (isPairStart(text, i)) {
        // A surrogate pair is one code point of four UTF-8 bytes.
        bytes += 4;
        i++;
      } else bytes += 3; // BMP, or a lone surrogate (written as U+FFFD, three bytes)
    }
  }
  wides.push(wide);
  return false;
}

/** The index of the line holding `offset`, given the sorted offsets at which lines start (the first 0). */
export function lineOf(starts: ArrayLike<number>, offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

function utf8Length(text: string, from: number, to: number): number {
  let bytes = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (isPairStart(text, i)) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

/**
 * Whether a high surrogate at i is followed by a low one: only then are the two one code point.
 * A lone surrogate is one unit of three bytes (U+FFFD); taking the next unit with it would swallow
 * a '\n' at the end of a line, or the first character of the next code point.
 */
function isPairStart(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  if (c < 0xd800 || c > 0xdbff) return false;
  const d = text.charCodeAt(i + 1); // NaN past the end
  return d >= 0xdc00 && d <= 0xdfff;
}
