// GoDocument.applyChanges: LSP content changes applied in order and reparsed incrementally must give
// exactly the tree a fresh parse of the new text gives — same shape, same node positions — and
// the text, line index and error state must follow.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tree } from 'web-tree-sitter';
import { GoDocument, type TextChange } from '../server/src/core/parse/document';
import type { LspPosition } from '../server/src/core/parse/positions';
import type { GoParser } from '../server/src/core/parse/parser';
import { loadParser } from './helpers/core';

/** LSP position of a UTF-16 index, counted independently of LineIndex. */
function posAt(text: string, index: number): LspPosition {
  const before = text.slice(0, index);
  const line = before.split('\n').length - 1;
  return { line, character: index - (before.lastIndexOf('\n') + 1) };
}

/** A change replacing text[from, to) (UTF-16 indices) with `insert`, and the text it yields. */
function change(text: string, from: number, to: number, insert: string): { change: TextChange; after: string } {
  return {
    change: { range: { start: posAt(text, from), end: posAt(text, to) }, text: insert },
    after: text.slice(0, from) + insert + text.slice(to),
  };
}

/** Every node of a tree as type, index range and point range, walked with a cursor (no recursion). */
function nodes(tree: Tree): string[] {
  const out: string[] = [];
  const c = tree.walk();
  try {
    for (;;) {
      const s = c.startPosition;
      const e = c.endPosition;
      out.push(`${c.nodeType}${c.nodeIsMissing ? '(missing)' : ''} ${c.startIndex}-${c.endIndex} ${s.row}:${s.column}-${e.row}:${e.column}`);
      if (c.gotoFirstChild() || c.gotoNextSibling()) continue;
      let up = true;
      while (up && !c.gotoNextSibling()) up = c.gotoParent();
      if (!up) break;
    }
  } finally {
    c.delete();
  }
  return out;
}

const BASE = [
  'package main',
  '',
  'import "fmt"',
  '',
  'func main() {',
  '\tm := map[string]int{}',
  '\tm["日本"] = 1 // 😀 note',
  '\tfmt.Println(m)',
  '}',
  '',
].join('\n');

let parser: GoParser;
beforeAll(async () => {
  parser = await loadParser();
});

describe('GoDocument.applyChanges', () => {
  let doc: GoDocument;
  let text: string;
  afterAll(() => doc?.dispose());

  /** Applies the changes and checks the document against a fresh parse of `expected`. */
  function applyAndCheck(changes: TextChange[], expected: string, hasError: boolean): void {
    doc.applyChanges(changes);
    text = expected;
    expect(doc.text).toBe(expected);
    expect(doc.tree.rootNode.text).toBe(expected);
    expect(doc.lines.text).toBe(expected);
    expect(doc.lines.byteLength).toBe(Buffer.byteLength(expected, 'utf8'));
    expect(doc.lines.lineCount).toBe(expected.split('\n').length);
    const fresh = parser.parse(expected);
    try {
      expect(doc.tree.rootNode.toString()).toBe(fresh.rootNode.toString());
      expect(nodes(doc.tree)).toEqual(nodes(fresh));
      expect(fresh.rootNode.hasError).toBe(hasError);
      expect(doc.tree.rootNode.hasError).toBe(hasError);
    } finally {
      fresh.delete();
    }
  }

  it('starts from a clean parse', () => {
    doc = GoDocument.parse(parser, '/virtual/main.go', BASE);
    text = BASE;
    expect(doc.path).toBe('/virtual/main.go');
    expect(doc.tree.rootNode.text).toBe(BASE);
    expect(doc.tree.rootNode.hasError).toBe(false);
  });

  it('inserts a line', () => {
    const at = text.indexOf('\tfmt.Println');
    const { change: c, after } = change(text, at, at, '\tm["x"] = 2\n');
    applyAndCheck([c], after, false);
    expect(doc.tree.rootNode.descendantsOfType('assignment_statement')).toHaveLength(2);
  });

  it('deletes part of a line', () => {
    const from = text.indexOf(' = 2');
    const { change: c, after } = change(text, from, from + 4, '');
    applyAndCheck([c], after, false); // `m["x"]` alone is an expression statement
    expect(doc.text).toContain('\tm["x"]\n');
  });

  it('replaces an emoji in a comment after CJK with two other emoji', () => {
    const from = text.indexOf('😀');
    const { change: c, after } = change(text, from, from + 2, '🎉🎉');
    expect(c.range!.start).toEqual({ line: 6, character: 16 }); // \t m [ " 日 本 " ] ␠ = ␠ 1 ␠ / / ␠ = 16 UTF-16 units
    applyAndCheck([c], after, false);
  });

  it('inserts right after the CJK in a string, before the emoji', () => {
    const from = text.indexOf('本') + 1;
    const { change: c, after } = change(text, from, from, '語😀');
    applyAndCheck([c], after, false);
    expect(doc.tree.rootNode.descendantsOfType('interpreted_string_literal').map((n) => n.text)).toContain('"日本語😀"');
  });

  it('replaces a range spanning several lines with several lines holding CJK and emoji', () => {
    const from = text.indexOf(':= map');
    const to = text.indexOf('Println') + 3;
    const { change: c, after } = change(text, from, to, '= map[string]int{"é": 1}\n\tfor k := range 3 {\n\t\t_ = k // 😀日本\n\t}\n\tfmt.Pri');
    expect(c.range!.start.line).toBeLessThan(c.range!.end.line);
    applyAndCheck([c], after, false);
    expect(doc.text).toContain('\tm = map[string]int{"é": 1}\n\tfor k := range 3 {\n\t\t_ = k // 😀日本\n\t}\n\tfmt.Println(m)\n');
    expect(doc.tree.rootNode.descendantsOfType('for_statement')).toHaveLength(1);
  });

  it('introduces a syntax error and removes it again', () => {
    const at = text.indexOf('\tfor k');
    const broken = change(text, at, at, '\tif x {\n');
    applyAndCheck([broken.change], broken.after, true);
    const fixed = change(text, at, at + '\tif x {\n'.length, '');
    applyAndCheck([fixed.change], fixed.after, false);
  });

  it('applies several changes of one notification in order, each against the text the previous left', () => {
    // 1) the first line: `package main` → `package 日本`; 2) then, in the resulting text, delete the
    // import line; 3) then append a function at EOF.
    const a = change(text, 'package '.length, 'package main'.length, '日本');
    const importAt = a.after.indexOf('import "fmt"');
    const b = change(a.after, importAt, importAt + 'import "fmt"\n'.length, '');
    const c = change(b.after, b.after.length, b.after.length, 'func f() map[string]int {\n\treturn nil // 🎉\n}\n');
    applyAndCheck([a.change, b.change, c.change], c.after, false);
    expect(doc.text.startsWith('package 日本\n\n\nfunc main() {')).toBe(true);
    expect(doc.tree.rootNode.descendantsOfType('function_declaration')).toHaveLength(2);
  });

  it('inserts at the very start of the file', () => {
    const { change: c, after } = change(text, 0, 0, '// Package 日本 😀.\n');
    expect(c.range).toEqual({ start: { line: 0, character: 0 }, end: { line: 0, character: 0 } });
    applyAndCheck([c], after, false);
  });

  it('replaces the whole text', () => {
    const next = 'package other\n\nvar x = "😀"\n';
    applyAndCheck([{ text: next }], next, false);
    expect(doc.tree.rootNode.descendantsOfType('function_declaration')).toHaveLength(0);
  });

  it('applies range changes that follow a full replacement in the same notification', () => {
    const full = 'package p\n\nfunc g() {\n\tvar m map[string]int\n\tm["日"] = 1\n}\n';
    const at = full.indexOf('\tm["日"]');
    const then = change(full, at, at, '\tm = map[string]int{}\n');
    applyAndCheck([{ text: full }, then.change], then.after, false);
  });

  it('keeps working on CRLF text', () => {
    const crlf = 'package p\r\n\r\nfunc h() {\r\n\t_ = "日本😀"\r\n}\r\n';
    applyAndCheck([{ text: crlf }], crlf, false);
    const at = crlf.indexOf('\t_ =');
    const ins = change(crlf, at, at, '\tx := 1 // é\r\n\t_ = x\r\n');
    applyAndCheck([ins.change], ins.after, false);
    const from = ins.after.indexOf('"日本😀"') + 1;
    const rep = change(ins.after, from, from + 4, 'ü');
    applyAndCheck([rep.change], rep.after, false);
    expect(doc.text).toContain('\t_ = "ü"\r\n');
  });

  it('reparses tokens longer than what the parser is handed per call, pieces ending inside surrogate pairs', () => {
    // A comment and a string of 3,000 emoji (6,000 UTF-16 units) each: a reparse inside them reads
    // many pieces of the text, and the inserted letters move where in a pair each piece ends.
    const run = '😀'.repeat(3000);
    const long = `package p\n\n// ${run}\nfunc f() string {\n\treturn "${run}"\n}\n`;
    applyAndCheck([{ text: long }], long, false);
    for (const where of [run.length / 2, run.length / 2 + 1, 9, 3001, 5000]) {
      for (const token of ['// ', '\treturn "']) {
        // Before an emoji, never between the halves of one (no editor splits a character).
        const at = text.indexOf('😀', text.indexOf(token) + token.length + where);
        const ins = change(text, at, at, 'q');
        applyAndCheck([ins.change], ins.after, false);
      }
    }
    const at = text.indexOf('q');
    const back = change(text, at, at + 1, '');
    applyAndCheck([back.change], back.after, false);
  });
});
