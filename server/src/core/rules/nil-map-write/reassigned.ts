// A map variable set to nil (`m = nil`) and written with no assignment in between on any path:
// every definition of the variable that reaches the write is a `= nil` (or its `var m map[K]V`
// declaration). Asked of the control-flow graph's reaching definitions, once per variable. A
// variable whose address is taken, or that a closure assigns, may change behind the graph's back.
import type { Node } from 'web-tree-sitter';
import { ONLY_FOLLOWED, type FlowGraph } from '../../analyses/control-flow';
import type { Binding, FunctionSyntax, Reference } from '../../analyses/syntax';
import { assignsNil, mayReassign } from './map-vars';

export interface NilAssignments {
  /** The state of the variable at each node's start (FlowGraph.reachingDefinitions). */
  states: Uint8Array;
  /** The nodes that set the variable (to nil or not). */
  defs: ReadonlyMap<number, boolean>;
  /** The `m = nil` statements. */
  nils: Node[];
}

/** The variable's definitions, when it is ever set to nil and only its own body sets it; else undefined. */
export function nilAssignments(b: Binding, syntax: FunctionSyntax, graph: FlowGraph): NilAssignments | undefined {
  const defs = new Map<number, boolean>();
  const nils: Node[] = [];
  const parent = (n: Node) => syntax.parent(n);
  const set = (node: number, isNil: boolean) => defs.set(node, isNil && defs.get(node) !== false);
  for (const r of b.refs) {
    if (!mayReassign(r)) continue;
    if (r.context === 'address' || r.owner.id !== b.owner.id) return undefined;
    const node = graph.nodeOf(r.id);
    if (node < 0) return undefined;
    const isNil = assignsNil(r, parent);
    if (isNil) nils.push(syntax.ancestor(r.id, STATEMENT)!);
    set(node, isNil);
  }
  if (nils.length === 0) return undefined;
  // The declaration sets it too: `var m map[K]V` (or `= nil`) to nil, anything else to a value.
  if (b.kind === 'var') {
    const decl = graph.nodeOf(b.decl);
    if (decl >= 0) set(decl, b.decl.type === 'var_spec' && (!b.decl.childForFieldName('value') || b.decl.childForFieldName('value')!.namedChildren.every((v) => v?.type === 'nil')));
  }
  return { states: graph.reachingDefinitions(defs, b.kind === 'result'), defs, nils };
}

const STATEMENT = new Set(['assignment_statement']);

/** A `m = nil` reaching the write when every definition reaching it is one; else undefined. */
export function reassignedNil(a: NilAssignments, write: Reference, graph: FlowGraph): Node | undefined {
  const node = graph.nodeOf(write.id);
  if (node < 0 || a.defs.has(node) || a.states[node] !== ONLY_FOLLOWED) return undefined;
  // For the message: the nearest `= nil` before it in the text (a loop may bring a later one round).
  let lo = 0;
  let hi = a.nils.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (a.nils[mid].startIndex < write.id.startIndex) lo = mid + 1;
    else hi = mid;
  }
  return a.nils[Math.max(0, lo - 1)];
}
