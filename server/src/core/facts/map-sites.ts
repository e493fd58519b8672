// Where a file creates maps without a capacity hint: `make(map[K]V)`, `make(map[K]V, 0)` and the
// empty literal `map[K]V{}`. Found by a scan of the text for `map[`; the tree is asked only about
// those places (ARCHITECTURE.md: no whole-tree pass that a text scan can replace). Computed once
// per parse and cached on the file's facts.
import type { Node } from 'web-tree-sitter';
import type { FileFacts } from './file-facts';

export interface HintlessMap {
  /** The `make(…)` call or the composite literal. */
  node: Node;
  kind: 'make' | 'literal';
  /** The `map[K]V` type node. */
  mapType: Node;
  /** `make(map[K]V, 0)`: the literal `0` a fix replaces. */
  zeroHint?: Node;
  /** The top-level function it is in. */
  fn: Node;
}

const MAP_OPEN = /\bmap[ \t]*\[/g;
const cache = new WeakMap<FileFacts, HintlessMap[]>();

/** Every map created without a (non-zero) hint inside a top-level function, in source order. */
export function hintlessMaps(facts: FileFacts): HintlessMap[] {
  let sites = cache.get(facts);
  if (sites) return sites;
  sites = [];
  const text = facts.unit.text;
  const root = facts.unit.tree.rootNode;
  for (const m of facts.matchesOf(MAP_OPEN)) {
    // Only a `map[` that opens a make argument or a literal's type: `make(map[` or `…}{`-style
    // literals are told apart by the tree below; skip the obvious others (types in signatures,
    // fields) cheaply by looking at what precedes it.
    const before = text.slice(Math.max(0, m.index - 6), m.index);
    const afterMake = /make\([ \t]*$/.test(before);
    const fn = facts.functionAt(m.index);
    if (!fn) continue;
    let type: Node | null = root.descendantForIndex(m.index, m.index + 3);
    while (type && type.type !== 'map_type') {
      if (type.startIndex !== m.index) {
        type = null;
        break;
      }
      type = type.parent;
    }
    if (!type || type.startIndex !== m.index) continue;
    const parent = type.parent;
    if (!parent) continue;
    if (afterMake && parent.type === 'argument_list' && parent.namedChild(0)?.equals(type)) {
      const call = parent.parent;
      if (call?.type !== 'call_expression' || call.childForFieldName('function')?.text !== 'make') continue;
      const args = parent.namedChildren.filter((n): n is Node => n !== null && n.type !== 'comment');
      if (args.length === 1) sites.push({ node: call, kind: 'make', mapType: type, fn });
      else if (args.length === 2 && args[1].type === 'int_literal' && /^0+$/.test(args[1].text.replace(/_/g, ''))) {
        sites.push({ node: call, kind: 'make', mapType: type, zeroHint: args[1], fn });
      }
    } else if (parent.type === 'composite_literal' && parent.childForFieldName('type')?.equals(type)) {
      const body = parent.childForFieldName('body');
      if (body && body.namedChildCount === 0) sites.push({ node: parent, kind: 'literal', mapType: type, fn });
    }
  }
  cache.set(facts, sites);
  return sites;
}
