// Every place a file creates a map with its type written out: `make(map[K]V)`, `make(map[K]V, n)`
// and the composite literal `map[K]V{…}`, in functions and at package level, and which of them have
// no capacity hint (`make(map[K]V)`, `make(map[K]V, 0)`, `map[K]V{}`). The growth panel, `mapscope
// predict FILE` and map-without-hint all start from here. Found by a scan of the text for `map[`,
// asking the tree only about those places (ARCHITECTURE.md: no whole-tree pass that a text scan can
// replace); a `map[` right after `]` or `*` is a type inside another type, never a creation, and is
// not looked up (a type nested 20,000 deep would otherwise cost that many descents from the root).
import type { Node } from 'web-tree-sitter';
import type { FileAnalysis } from '../analysis/analysis';

export interface MapCreation {
  /** The `make(…)` call or the composite literal. */
  node: Node;
  kind: 'make' | 'literal';
  /** The `map[K]V` type node. */
  mapType: Node;
  /** `make`'s second argument, when given. */
  hintArg?: Node;
  /** A literal's number of elements. */
  elements?: number;
  /** No capacity hint: `make(map[K]V)`, `make(map[K]V, 0)` or the empty literal. */
  hintless: boolean;
  /** The top-level function or method it is in; undefined at package level. */
  fn?: Node;
}

const MAP_OPEN = /\bmap[ \t]*\[/g;

/** Every map creation with a written `map[K]V` type, in source order (in the pass's scope, when it has one). */
export const mapCreations: FileAnalysis<readonly MapCreation[]> = {
  id: 'map-creations',
  kind: 'file',
  requires: [],
  run(pass) {
    const sites: MapCreation[] = [];
    const text = pass.unit.text;
    const root = pass.unit.tree.rootNode;
    for (const m of pass.matchesOf(MAP_OPEN)) {
      let before = m.index - 1;
      while (before >= 0 && (text[before] === ' ' || text[before] === '\t')) before--;
      if (text[before] === ']' || text[before] === '*') continue;
      // The map_type node that starts exactly here (a `map[` in a comment or string has none).
      let type: Node | null = root.descendantForIndex(m.index, m.index + 3);
      while (type && type.type !== 'map_type' && type.startIndex === m.index) type = type.parent;
      if (!type || type.type !== 'map_type' || type.startIndex !== m.index) continue;
      const parent = type.parent;
      if (!parent) continue;
      const fn = pass.functionAt(m.index);
      if (parent.type === 'argument_list' && parent.namedChild(0)?.id === type.id) {
        const call = parent.parent;
        if (call?.type !== 'call_expression' || call.childForFieldName('function')?.text !== 'make') continue;
        const args = parent.namedChildren.filter((n): n is Node => n !== null && n.type !== 'comment');
        if (args.length > 2) continue;
        const hint = args[1];
        const hintless = !hint || (hint.type === 'int_literal' && /^0+$/.test(hint.text.replace(/_/g, '')));
        sites.push({ node: call, kind: 'make', mapType: type, ...(hint ? { hintArg: hint } : {}), hintless, ...(fn ? { fn } : {}) });
      } else if (parent.type === 'composite_literal' && parent.childForFieldName('type')?.id === type.id) {
        const body = parent.childForFieldName('body');
        const elements = body?.namedChildren.filter((n) => n !== null && n.type !== 'comment').length ?? 0;
        sites.push({ node: parent, kind: 'literal', mapType: type, elements, hintless: elements === 0, ...(fn ? { fn } : {}) });
      }
    }
    return sites;
  },
};
