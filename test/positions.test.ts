// LineIndex: UTF-16 (tree-sitter, LSP) ⇄ UTF-8 bytes (findings, Go tools) ⇄ 1-based line/byte column
// (the CLI). Every expected value below is counted by hand (see the comments), never computed by
// the code under test; the round-trip test derives its expectations from Node's own UTF-8 encoder.
import { describe, expect, it } from 'vitest';
import { spanOf } from '../server/src/node/check-package';
import { LineIndex } from '../server/src/core/parse/positions';
import { analyzeSources } from './helpers/core';
import { rng } from './helpers/random';

describe('LineIndex on ASCII', () => {
  // "ab\ncd\n": line 0 = "ab" (bytes 0-1, '\n' at 2), line 1 = "cd" (3-4, '\n' at 5), line 2 = "" at 6.
  const idx = new LineIndex('ab\ncd\n');

  it('counts lines and bytes', () => {
    expect(idx.lineCount).toBe(3);
    expect(idx.byteLength).toBe(6);
  });

  it('maps offsets one to one', () => {
    for (let i = 0; i <= 6; i++) {
      expect(idx.byteOffset(i)).toBe(i);
      expect(idx.utf16Offset(i)).toBe(i);
    }
  });

  it('gives LSP positions and 1-based line/columns, at line ends and at EOF', () => {
    expect(idx.lspPosition(0)).toEqual({ line: 0, character: 0 });
    expect(idx.lspPosition(2)).toEqual({ line: 0, character: 2 }); // the '\n' of line 0
    expect(idx.lspPosition(3)).toEqual({ line: 1, character: 0 });
    expect(idx.lspPosition(5)).toEqual({ line: 1, character: 2 });
    expect(idx.lspPosition(6)).toEqual({ line: 2, character: 0 }); // EOF, after the trailing newline
    expect(idx.lineColumn(0)).toEqual({ line: 1, column: 1 });
    expect(idx.lineColumn(2)).toEqual({ line: 1, column: 3 });
    expect(idx.lineColumn(4)).toEqual({ line: 2, column: 2 });
    expect(idx.lineColumn(6)).toEqual({ line: 3, column: 1 });
  });

  it('gives line starts, clamping past the last line', () => {
    expect(idx.lineStartByte(0)).toBe(0);
    expect(idx.lineStartByte(1)).toBe(3);
    expect(idx.lineStartByte(2)).toBe(6);
    expect(idx.lineStartByte(99)).toBe(6);
  });

  it('byteOffsetAt clamps a character past the line end to the line end, and a line past the end to EOF', () => {
    expect(idx.byteOffsetAt({ line: 0, character: 1 })).toBe(1);
    expect(idx.byteOffsetAt({ line: 0, character: 2 })).toBe(2);
    expect(idx.byteOffsetAt({ line: 0, character: 50 })).toBe(2); // not into line 1
    expect(idx.byteOffsetAt({ line: 1, character: 50 })).toBe(5);
    expect(idx.byteOffsetAt({ line: 2, character: 50 })).toBe(6);
    expect(idx.byteOffsetAt({ line: 7, character: 0 })).toBe(6);
  });
});

describe('LineIndex on an empty text', () => {
  const idx = new LineIndex('');
  it('has one empty line', () => {
    expect(idx.lineCount).toBe(1);
    expect(idx.byteLength).toBe(0);
    expect(idx.byteOffset(0)).toBe(0);
    expect(idx.utf16Offset(0)).toBe(0);
    expect(idx.lspPosition(0)).toEqual({ line: 0, character: 0 });
    expect(idx.lineColumn(0)).toEqual({ line: 1, column: 1 });
    expect(idx.lineStartByte(0)).toBe(0);
    expect(idx.byteOffsetAt({ line: 0, character: 0 })).toBe(0);
    expect(idx.byteOffsetAt({ line: 0, character: 9 })).toBe(0);
    expect(idx.byteOffsetAt({ line: 3, character: 9 })).toBe(0);
  });
});

describe('LineIndex on a text without a trailing newline', () => {
  // "ab\ncd": two lines, EOF at 5 on line 1, character 2.
  const idx = new LineIndex('ab\ncd');
  it('puts EOF at the end of the last line', () => {
    expect(idx.lineCount).toBe(2);
    expect(idx.byteLength).toBe(5);
    expect(idx.lspPosition(5)).toEqual({ line: 1, character: 2 });
    expect(idx.lineColumn(5)).toEqual({ line: 2, column: 3 });
    expect(idx.byteOffsetAt({ line: 1, character: 99 })).toBe(5);
    expect(idx.byteOffsetAt({ line: 2, character: 0 })).toBe(5);
  });
});

describe('LineIndex on 2-byte characters (é, U+00E9)', () => {
  // "é=1\nxé": UTF-16 units é0 =1 12 \n3 x4 é5 (6 units); UTF-8 bytes é0-1 =2 13 \n4 x5 é6-7 (8 bytes).
  const idx = new LineIndex('é=1\nxé');
  it('converts offsets', () => {
    expect(idx.byteLength).toBe(8);
    expect(idx.byteOffset(0)).toBe(0);
    expect(idx.byteOffset(1)).toBe(2); // after é
    expect(idx.byteOffset(3)).toBe(4); // the '\n'
    expect(idx.byteOffset(4)).toBe(5); // x
    expect(idx.byteOffset(5)).toBe(6);
    expect(idx.byteOffset(6)).toBe(8); // EOF
    expect(idx.utf16Offset(2)).toBe(1);
    expect(idx.utf16Offset(1)).toBe(0); // inside é: rounds to its start
    expect(idx.utf16Offset(7)).toBe(5); // inside the second é
    expect(idx.utf16Offset(8)).toBe(6);
  });
  it('gives positions', () => {
    expect(idx.lspPosition(2)).toEqual({ line: 0, character: 1 });
    expect(idx.lineColumn(2)).toEqual({ line: 1, column: 3 });
    expect(idx.lspPosition(8)).toEqual({ line: 1, character: 2 });
    expect(idx.lineColumn(8)).toEqual({ line: 2, column: 4 });
    expect(idx.byteOffsetAt({ line: 0, character: 1 })).toBe(2);
    expect(idx.byteOffsetAt({ line: 1, character: 1 })).toBe(6);
    expect(idx.byteOffsetAt({ line: 0, character: 9 })).toBe(4); // clamps to the '\n' at byte 4
  });
});

describe('LineIndex on CJK (3-byte characters)', () => {
  // "日本\n語x": UTF-16 日0 本1 \n2 語3 x4 (5 units); bytes 日0-2 本3-5 \n6 語7-9 x10 (11 bytes).
  const idx = new LineIndex('日本\n語x');
  it('converts offsets', () => {
    expect(idx.lineCount).toBe(2);
    expect(idx.byteLength).toBe(11);
    expect([0, 1, 2, 3, 4, 5].map((i) => idx.byteOffset(i))).toEqual([0, 3, 6, 7, 10, 11]);
    expect(idx.utf16Offset(3)).toBe(1);
    expect(idx.utf16Offset(4)).toBe(1); // inside 本
    expect(idx.utf16Offset(5)).toBe(1); // inside 本
    expect(idx.utf16Offset(6)).toBe(2);
    expect(idx.utf16Offset(7)).toBe(3);
    expect(idx.utf16Offset(10)).toBe(4);
    expect(idx.utf16Offset(11)).toBe(5);
  });
  it('gives positions', () => {
    expect(idx.lspPosition(6)).toEqual({ line: 0, character: 2 }); // the '\n' of line 0
    expect(idx.lineColumn(6)).toEqual({ line: 1, column: 7 });
    expect(idx.lspPosition(10)).toEqual({ line: 1, character: 1 }); // x
    expect(idx.lineColumn(10)).toEqual({ line: 2, column: 4 });
    expect(idx.lspPosition(11)).toEqual({ line: 1, character: 2 }); // EOF
    expect(idx.lineColumn(11)).toEqual({ line: 2, column: 5 });
    expect(idx.byteOffsetAt({ line: 1, character: 1 })).toBe(10);
    expect(idx.byteOffsetAt({ line: 0, character: 2 })).toBe(6);
    expect(idx.byteOffsetAt({ line: 0, character: 3 })).toBe(6); // past the end of line 0
  });
});

describe('LineIndex on emoji (surrogate pairs, 4 bytes)', () => {
  // "😀x\n😀😀": UTF-16 😀0-1 x2 \n3 😀4-5 😀6-7 (8 units); bytes 😀0-3 x4 \n5 😀6-9 😀10-13 (14 bytes).
  const idx = new LineIndex('😀x\n😀😀');
  it('converts offsets', () => {
    expect(idx.lineCount).toBe(2);
    expect(idx.byteLength).toBe(14);
    expect(idx.byteOffset(2)).toBe(4);
    expect(idx.byteOffset(3)).toBe(5);
    expect(idx.byteOffset(4)).toBe(6);
    expect(idx.byteOffset(6)).toBe(10);
    expect(idx.byteOffset(8)).toBe(14);
    expect(idx.utf16Offset(4)).toBe(2);
    expect(idx.utf16Offset(1)).toBe(0); // inside 😀: rounds to its start
    expect(idx.utf16Offset(3)).toBe(0);
    expect(idx.utf16Offset(10)).toBe(6);
    expect(idx.utf16Offset(12)).toBe(6);
    expect(idx.utf16Offset(14)).toBe(8);
  });
  it('gives positions', () => {
    expect(idx.lspPosition(4)).toEqual({ line: 0, character: 2 });
    expect(idx.lineColumn(4)).toEqual({ line: 1, column: 5 });
    expect(idx.lspPosition(10)).toEqual({ line: 1, character: 2 });
    expect(idx.lineColumn(10)).toEqual({ line: 2, column: 5 });
    expect(idx.lspPosition(14)).toEqual({ line: 1, character: 4 });
    expect(idx.lineColumn(14)).toEqual({ line: 2, column: 9 });
    expect(idx.byteOffsetAt({ line: 1, character: 2 })).toBe(10);
    expect(idx.byteOffsetAt({ line: 1, character: 4 })).toBe(14);
    expect(idx.byteOffsetAt({ line: 1, character: 40 })).toBe(14);
  });
});

describe('LineIndex on CRLF line endings', () => {
  // "a\r\nb日\r\nc": UTF-16 a0 \r1 \n2 b3 日4 \r5 \n6 c7 (8 units);
  // bytes a0 \r1 \n2 b3 日4-6 \r7 \n8 c9 (10 bytes). Lines start at bytes 0, 3, 9.
  const idx = new LineIndex('a\r\nb日\r\nc');
  it('splits lines at \\n, the \\r belonging to the line before', () => {
    expect(idx.lineCount).toBe(3);
    expect(idx.byteLength).toBe(10);
    expect(idx.lineStartByte(1)).toBe(3);
    expect(idx.lineStartByte(2)).toBe(9);
    expect(idx.lspPosition(3)).toEqual({ line: 1, character: 0 });
    expect(idx.lspPosition(4)).toEqual({ line: 1, character: 1 }); // 日
    expect(idx.lspPosition(7)).toEqual({ line: 1, character: 2 }); // the '\r'
    expect(idx.lineColumn(7)).toEqual({ line: 2, column: 5 });
    expect(idx.lspPosition(9)).toEqual({ line: 2, character: 0 });
    expect(idx.lineColumn(10)).toEqual({ line: 3, column: 2 });
    expect(idx.byteOffset(5)).toBe(7);
    expect(idx.utf16Offset(9)).toBe(7);
    expect(idx.byteOffsetAt({ line: 1, character: 2 })).toBe(7);
  });

  it('byteOffsetAt clamps a character past the line end to before the CR, not between CR and LF', () => {
    expect(idx.byteOffsetAt({ line: 0, character: 1 })).toBe(1); // the '\r' of line 0 at byte 1
    expect(idx.byteOffsetAt({ line: 0, character: 2 })).toBe(1); // would be the '\n' at byte 2
    expect(idx.byteOffsetAt({ line: 0, character: 9 })).toBe(1);
    expect(idx.byteOffsetAt({ line: 1, character: 3 })).toBe(7); // would be the '\n' at byte 8
    expect(idx.byteOffsetAt({ line: 1, character: 50 })).toBe(7);
    expect(idx.byteOffsetAt({ line: 2, character: 50 })).toBe(10); // the last line has no line end
  });

  it('byteOffsetAt clamps on an empty CRLF line to its start', () => {
    // "\r\n\r\nx": lines start at bytes 0, 2, 4; lines 0 and 1 hold only their "\r\n".
    const empty = new LineIndex('\r\n\r\nx');
    expect(empty.byteOffsetAt({ line: 0, character: 5 })).toBe(0);
    expect(empty.byteOffsetAt({ line: 1, character: 1 })).toBe(2);
    expect(empty.byteOffsetAt({ line: 2, character: 5 })).toBe(5);
  });
});

describe('LineIndex on lone surrogates (an editor buffer can hold them; UTF-8 writes each as U+FFFD, 3 bytes)', () => {
  it('keeps the line when a lone high surrogate ends it', () => {
    // "a\uD800\nb": UTF-16 a0 \uD800 1 \n2 b3 (4 units); bytes a0 lone 1-3 \n4 b5 (6 bytes).
    const idx = new LineIndex('a\uD800\nb');
    expect(idx.lineCount).toBe(2);
    expect(idx.byteLength).toBe(6);
    expect(Buffer.byteLength('a\uD800\nb', 'utf8')).toBe(6);
    expect(idx.lineStartByte(1)).toBe(5);
    expect([0, 1, 2, 3, 4].map((i) => idx.byteOffset(i))).toEqual([0, 1, 4, 5, 6]);
    expect(idx.utf16Offset(4)).toBe(2); // the '\n'
    expect(idx.utf16Offset(5)).toBe(3); // b
    expect(idx.lspPosition(5)).toEqual({ line: 1, character: 0 });
    expect(idx.lineColumn(5)).toEqual({ line: 2, column: 1 });
    expect(idx.byteOffsetAt({ line: 0, character: 9 })).toBe(4);
    expect(idx.byteOffsetAt({ line: 1, character: 1 })).toBe(6);
  });

  it('does not take the character after a lone high surrogate as its pair', () => {
    // "\uD800bc\uDC00😀": UTF-16 lone0 b1 c2 lone3 😀4-5 (6 units); bytes lone0-2 b3 c4 lone5-7 😀8-11 (12).
    const text = '\uD800bc\uDC00😀';
    const idx = new LineIndex(text);
    expect(idx.byteLength).toBe(12);
    expect(Buffer.byteLength(text, 'utf8')).toBe(12);
    expect([0, 1, 2, 3, 4, 6].map((i) => idx.byteOffset(i))).toEqual([0, 3, 4, 5, 8, 12]);
    expect([0, 3, 4, 5, 8, 12].map((b) => idx.utf16Offset(b))).toEqual([0, 1, 2, 3, 4, 6]);
    expect(idx.utf16Offset(2)).toBe(0); // inside the first U+FFFD
    expect(idx.lspPosition(8)).toEqual({ line: 0, character: 4 });
  });
});

describe('LineIndex round trips', () => {
  // Every code point of a string mixing 1-, 2-, 3- and 4-byte characters, CRLF and LF.
  const text = 'package é\r\n\tx := "日本😀" // ü𝄞\n\n€a😀😀\r\nend';
  const idx = new LineIndex(text);

  // Expected boundaries from Node's own UTF-8 encoder, walking code points.
  const boundaries: { u16: number; u8: number; line: number; col16: number; col8: number }[] = [];
  let u16 = 0;
  let u8 = 0;
  let line = 0;
  let lineStart16 = 0;
  let lineStart8 = 0;
  for (const ch of text) {
    boundaries.push({ u16, u8, line, col16: u16 - lineStart16, col8: u8 - lineStart8 });
    u16 += ch.length;
    u8 += Buffer.byteLength(ch, 'utf8');
    if (ch === '\n') {
      line++;
      lineStart16 = u16;
      lineStart8 = u8;
    }
  }
  boundaries.push({ u16, u8, line, col16: u16 - lineStart16, col8: u8 - lineStart8 });

  it('agrees with Buffer on the byte length and line count', () => {
    expect(idx.byteLength).toBe(Buffer.byteLength(text, 'utf8'));
    expect(idx.lineCount).toBe(text.split('\n').length);
  });

  it('maps every code-point boundary byte → UTF-16 → byte, and to positions', () => {
    for (const b of boundaries) {
      expect(idx.utf16Offset(b.u8), `utf16Offset(${b.u8})`).toBe(b.u16);
      expect(idx.byteOffset(b.u16), `byteOffset(${b.u16})`).toBe(b.u8);
      expect(idx.byteOffset(idx.utf16Offset(b.u8))).toBe(b.u8);
      expect(idx.lspPosition(b.u8)).toEqual({ line: b.line, character: b.col16 });
      expect(idx.lineColumn(b.u8)).toEqual({ line: b.line + 1, column: b.col8 + 1 });
      // Between a CRLF's '\r' and '\n' is past the line's end for the LSP: it clamps to before the '\r'.
      const insideCrlf = text[b.u16] === '\n' && text[b.u16 - 1] === '\r';
      expect(idx.byteOffsetAt({ line: b.line, character: b.col16 }), `byteOffsetAt(${b.line}:${b.col16})`).toBe(insideCrlf ? b.u8 - 1 : b.u8);
    }
  });

  it('rounds a byte offset inside a multi-byte character down to its start', () => {
    let checked = 0;
    for (let i = 0; i + 1 < boundaries.length; i++) {
      const b = boundaries[i];
      for (let inside = b.u8 + 1; inside < boundaries[i + 1].u8; inside++) {
        expect(idx.utf16Offset(inside), `utf16Offset(${inside})`).toBe(b.u16);
        checked++;
      }
    }
    // é 1 + 日本 2×2 + 😀 3 + ü 1 + 𝄞 3 + € 2 + 😀😀 2×3 = 20 inner bytes.
    expect(checked).toBe(20);
  });
});

describe('a nil-map-write finding after CJK and an emoji on the same line', () => {
  const text = 'package main\n\nfunc main() {\n\tvar m map[string]int\n\ts := "日本😀"; m["k"] = 1\n\t_ = s\n}\n';
  // Line starts in bytes (all ASCII before line 4):
  //   line 0 "package main\n"            bytes  0..12 (13)
  //   line 1 "\n"                         byte  13
  //   line 2 "func main() {\n"            bytes 14..27 (14)
  //   line 3 "\tvar m map[string]int\n"   bytes 28..49 (22)
  //   line 4 starts at byte 50.
  // On line 4: \t s ␠ : = ␠ " = 7 bytes, 日 3 + 本 3 + 😀 4 = 10, " ; ␠ = 3  →  `m` is 20 bytes in,
  // at byte 70; `m["k"]` is 6 bytes, ending at byte 76.
  // In UTF-16: 7 units, 日 1 + 本 1 + 😀 2 = 4, then 3  →  `m` at character 14, `m["k"]` ends at 20.
  const LINE4 = 50;

  it('reports the index expression with the right byte range, line/byte column and LSP position', async () => {
    expect(text.indexOf('\ts :=')).toBe(LINE4); // plain ASCII before it: UTF-16 index = byte offset
    const findings = (await analyzeSources({ 'main.go': text })).get('main.go')!.filter((f) => f.rule === 'nil-map-write');
    expect(findings).toHaveLength(1);
    const f = findings[0];
    expect(f.range).toEqual({ start: 70, end: 76 });
    expect(Buffer.from(text, 'utf8').subarray(f.range.start, f.range.end).toString('utf8')).toBe('m["k"]');

    const idx = new LineIndex(text);
    // As the CLI prints it: 1-based line 5, 1-based byte columns 21..27.
    expect(idx.lineColumn(f.range.start)).toEqual({ line: 5, column: 21 });
    expect(idx.lineColumn(f.range.end)).toEqual({ line: 5, column: 27 });
    // As the LSP wants it: 0-based line 4, UTF-16 characters 14..20.
    expect(idx.lspPosition(f.range.start)).toEqual({ line: 4, character: 14 });
    expect(idx.lspPosition(f.range.end)).toEqual({ line: 4, character: 20 });
    expect(text.slice(LINE4 + 14, LINE4 + 20)).toBe('m["k"]');
    // The CLI's span: SARIF's 1-based UTF-16 column is 15..21.
    expect(spanOf(f.range, idx)).toEqual({
      start: { line: 5, column: 21, column16: 15 },
      end: { line: 5, column: 27, column16: 21 },
    });
    // And back from the LSP position.
    expect(idx.byteOffsetAt({ line: 4, character: 14 })).toBe(70);
    expect(idx.byteOffsetAt({ line: 4, character: 20 })).toBe(76);
  });
});

describe('LineIndex.edited (an edit re-reads only the lines it touched)', () => {
  const PIECES = ['a', 'xyz', '\n', '\r\n', 'é', '日本', '😀', '\uD83D', '\uDE00', '\t', ''];
  const internals = (x: LineIndex) => {
    const o = x as unknown as { lineStarts16: number[]; lineStarts8: number[]; wide: boolean[] };
    return { starts16: o.lineStarts16, starts8: o.lineStarts8, wide: o.wide };
  };

  it('equals a fresh index after 3,000 random edits of text with CJK, emoji, lone surrogates and CRLF', () => {
    const random = rng(11);
    const piece = (n: number) => Array.from({ length: n }, () => PIECES[Math.floor(random() * PIECES.length)]).join('');
    let text = piece(40);
    let index = new LineIndex(text);
    for (let step = 0; step < 3000; step++) {
      const start = Math.floor(random() * (text.length + 1));
      const end = Math.min(text.length, start + Math.floor(random() * 6));
      const inserted = piece(Math.floor(random() * 4));
      const next = text.slice(0, start) + inserted + text.slice(end);
      index = index.edited(next, start, end, start + inserted.length);
      text = next;
      expect(internals(index), `edit ${step}`).toEqual(internals(new LineIndex(text)));
      if (text.length > 400) {
        text = piece(40);
        index = new LineIndex(text);
      }
    }
  });
});
