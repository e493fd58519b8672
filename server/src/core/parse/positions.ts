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
  /** UTF-16 offset of the start of each line. */
  private readonly lineStarts16: number[] = [0];
  /** UTF-8 byte offset of the start of each line. */
  private readonly lineStarts8: number[] = [0];
  /** Whether a line holds any non-ASCII character (then offsets differ within it). */
  private readonly wide: boolean[] = [];

  constructor(readonly text: string) {
    let bytes = 0;
    let wide = false;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c < 0x80) {
        bytes += 1;
        if (c === 10) {
          this.wide.push(wide);
          wide = false;
          this.lineStarts16.push(i + 1);
          this.lineStarts8.push(bytes);
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
    this.wide.push(wide);
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

function lineOf(starts: number[], offset: number): number {
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
