// One Go file as the analysis sees it: its text, its tree and its line index, kept in step on edits.
// Edits go through tree.edit() before the reparse so that tree-sitter reuses every unchanged subtree
// (about 0.5 ms for a one-character edit in net/http/server.go, design.md §2). The reparse waits
// until the tree is asked for: a burst of keystrokes costs one reparse, not one each (a reparse
// through a syntax error costs about 100 ms, so per-keystroke reparses fell minutes behind a fast
// typist).
import { Edit, type Point, type Tree } from 'web-tree-sitter';
import type { GoParser } from './parser';
import { LineIndex, type LspPosition } from './positions';

export interface TextChange {
  /** Absent: the change replaces the whole text. */
  range?: { start: LspPosition; end: LspPosition };
  text: string;
}

/** A change as UTF-16 offsets into the text it applies to; without offsets it replaces the whole text. */
export type OffsetEdit = { start16: number; end16: number; text: string } | { start16?: undefined; end16?: undefined; text: string };

export class GoDocument {
  /** Edited since the last parse (tree.edit() was called): reparse before use. */
  private stale = false;

  private constructor(
    readonly path: string,
    private parser: GoParser,
    private _text: string,
    /** Undefined after a whole-text change, until the tree is asked for. */
    private _tree: Tree | undefined,
    private _lines: LineIndex,
  ) {}

  static parse(parser: GoParser, path: string, text: string): GoDocument {
    return new GoDocument(path, parser, text, parser.parse(text), new LineIndex(text));
  }

  get text(): string {
    return this._text;
  }
  /** The tree of the current text, reparsed now if edits are pending. */
  get tree(): Tree {
    if (!this._tree) {
      this._tree = this.parser.parse(this._text);
    } else if (this.stale) {
      const old = this._tree;
      this._tree = this.parser.parse(this._text, old);
      old.delete();
    }
    this.stale = false;
    return this._tree;
  }
  get lines(): LineIndex {
    return this._lines;
  }

  /** Applies LSP content changes in order; the next use of the tree reparses once, incrementally. */
  applyChanges(changes: readonly TextChange[]): void {
    this.applyEdits(
      changes.map((c) => () => {
        if (!c.range) return { text: c.text };
        const start16 = this.offset16(c.range.start);
        return { start16, end16: Math.max(start16, this.offset16(c.range.end)), text: c.text };
      }),
    );
  }

  /**
   * Applies edits given as UTF-16 offsets into the text as it is when each applies (the language
   * server computes them from the client's positions with the client library's rules). An edit
   * without offsets replaces the whole text.
   */
  applyOffsetEdits(edits: readonly OffsetEdit[]): void {
    this.applyEdits(edits.map((e) => () => e));
  }

  private applyEdits(edits: readonly (() => OffsetEdit)[]): void {
    for (const next of edits) {
      const edit = next();
      if (edit.start16 === undefined) {
        // Nothing of the old tree is reused: free it now, so that a large file never has two
        // trees in the wasm heap at once.
        this._tree?.delete();
        this._tree = undefined;
        this._text = edit.text;
        this._lines = new LineIndex(this._text);
        continue;
      }
      const start16 = Math.min(edit.start16, this._text.length);
      const oldEnd16 = Math.min(Math.max(start16, edit.end16), this._text.length);
      const newText = this._text.slice(0, start16) + edit.text + this._text.slice(oldEnd16);
      if (this._tree) {
        this._tree.edit(
          new Edit({
            startIndex: start16,
            oldEndIndex: oldEnd16,
            newEndIndex: start16 + edit.text.length,
            startPosition: this.point(start16),
            oldEndPosition: this.point(oldEnd16),
            newEndPosition: endPosition(this.point(start16), edit.text),
          }),
        );
        this.stale = true;
      }
      this._text = newText;
      this._lines = this._lines.edited(newText, start16, oldEnd16, start16 + edit.text.length);
    }
  }

  /** Frees the tree's wasm memory; the document must not be used afterwards. */
  dispose(): void {
    this._tree?.delete();
    this._tree = undefined;
  }

  private offset16(pos: LspPosition): number {
    return this._lines.utf16Offset(this._lines.byteOffsetAt(pos));
  }

  /** Tree-sitter's point for a UTF-16 offset of the current text: its line and UTF-16 column. */
  private point(offset16: number): Point {
    const pos = this._lines.lspPosition(this._lines.byteOffset(offset16));
    return { row: pos.line, column: pos.character };
  }
}

function endPosition(start: Point, inserted: string): Point {
  const lastBreak = inserted.lastIndexOf('\n');
  if (lastBreak < 0) return { row: start.row, column: start.column + inserted.length };
  let rows = 0;
  for (let i = 0; i <= lastBreak; i++) if (inserted.charCodeAt(i) === 10) rows++;
  return { row: start.row + rows, column: inserted.length - lastBreak - 1 };
}
