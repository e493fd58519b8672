// Where a file writes through an index (`x[k] = v`, `x[k] op= v`, `x[k]++`), grouped by top-level
// function: the entry points of the rules about map writes. Found by a scan of the text for a `]`
// before an assignment operator, asking the tree only about those places, so a function without
// one costs nothing (ARCHITECTURE.md: no whole-tree pass that a text scan can replace). A test
// checks on real code that the scan misses no write the tree has.
import type { Node } from 'web-tree-sitter';
import type { FileAnalysis } from '../analysis/analysis';
import { isWriteTarget } from './map-accesses';

export interface IndexWrite {
  /** The `x[k]` being assigned, incremented or decremented. */
  index: Node;
  /** The top-level function (or method) it is in. */
  fn: Node;
}

/** A `]` followed by an assignment operator or `++`/`--`: where an index write can end. */
export const WRITE_AFTER_INDEX = /\](?=\s*(?:=(?!=)|\+\+|--|(?:[-+*/%&|^]|<<|>>|&\^)=))/g;

/** The tree's own parents: a scan hit is asked two steps up, once. */
const TREE = { parent: (n: Node) => n.parent };

export interface IndexWrites {
  all: readonly IndexWrite[];
  /** The writes in one top-level function, in source order. */
  in(fn: Node): readonly IndexWrite[];
}

export const indexWrites: FileAnalysis<IndexWrites> = {
  id: 'index-writes',
  kind: 'file',
  requires: [],
  run(pass) {
    const all: IndexWrite[] = [];
    const byFn = new Map<number, IndexWrite[]>();
    const root = pass.unit.tree.rootNode;
    for (const m of pass.matchesOf(WRITE_AFTER_INDEX)) {
      const index = root.descendantForIndex(m.index, m.index + 1)?.parent;
      if (index?.type !== 'index_expression' || index.endIndex !== m.index + 1 || !isWriteTarget(index, TREE)) continue;
      const fn = pass.functionAt(index.startIndex);
      if (!fn) continue;
      const w = { index, fn };
      all.push(w);
      const list = byFn.get(fn.id);
      if (list) list.push(w);
      else byFn.set(fn.id, [w]);
    }
    return { all, in: (fn) => byFn.get(fn.id) ?? [] };
  },
};
