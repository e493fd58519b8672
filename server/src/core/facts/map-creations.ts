// Every place a file creates a map with its type written out: `make(map[K]V)`, `make(map[K]V, n)`
// and the composite literal `map[K]V{…}`, in functions and at package level. The growth panel and
// `mapscope predict FILE` list them. Found by a scan of the text for `map[`, asking the tree only
// about those places (ARCHITECTURE.md: no whole-tree pass that a text scan can replace); computed
// once per parse and cached on the file's facts. `hintlessMaps` (map-sites.ts) is the subset the
// map-without-hint rule starts from.
import type { Node } from 'web-tree-sitter';
import type { FileFacts } from './file-facts';

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
  /** The top-level function or method it is in; undefined at package level. */
  fn?: Node;
}

const MAP_OPEN = /\bmap[ \t]*\[/g;
const cache = new WeakMap<FileFacts, MapCreation[]>();

/** Every map creation with a written `map[K]V` type, in source order. */
export function mapCreations(facts: FileFacts): MapCreation[] {
  let sites = cache.get(facts);
  if (sites) return sites;
  sites = [];
  const text = facts.unit.text;
  const root = facts.unit.tree.rootNode;
  for (const m of text.matchAll(MAP_OPEN)) {
    // The map_type node that starts exactly here (a `map[` in a comment or string has none).
    let type: Node | null = root.descendantForIndex(m.index, m.index + 3);
    while (type && type.type !== 'map_type' && type.startIndex === m.index) type = type.parent;
    if (!type || type.type !== 'map_type' || type.startIndex !== m.index) continue;
    const parent = type.parent;
    if (!parent) continue;
    const fn = facts.functionAt(m.index);
    if (parent.type === 'argument_list' && parent.namedChild(0)?.equals(type)) {
      const call = parent.parent;
      if (call?.type !== 'call_expression' || call.childForFieldName('function')?.text !== 'make') continue;
      const args = parent.namedChildren.filter((n): n is Node => n !== null && n.type !== 'comment');
      if (args.length > 2) continue;
      sites.push({ node: call, kind: 'make', mapType: type, ...(args[1] ? { hintArg: args[1] } : {}), ...(fn ? { fn } : {}) });
    } else if (parent.type === 'composite_literal' && parent.childForFieldName('type')?.equals(type)) {
      const body = parent.childForFieldName('body');
      const elements = body?.namedChildren.filter((n) => n !== null && n.type !== 'comment').length ?? 0;
      sites.push({ node: parent, kind: 'literal', mapType: type, elements, ...(fn ? { fn } : {}) });
    }
  }
  cache.set(facts, sites);
  return sites;
}
