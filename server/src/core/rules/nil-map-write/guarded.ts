// A write under a guard that says the map is nil: `if m == nil { m[k] = v }`, the `else` of
// `if m != nil`, `if m == nil && …`. The guard holds where its block starts; the write panics when
// nothing in the block can assign the variable before it. Anything outside the block can only run
// in between through a pointer or a closure, so a variable whose address is taken, or that another
// function body assigns, keeps the rule silent. Parameters count: the guard is what makes them nil.
import type { Node } from 'web-tree-sitter';
import type { FlowGraph } from '../../analyses/control-flow';
import type { Guard } from '../../analyses/nil-conditions';
import type { Binding, Reference } from '../../analyses/syntax';
import { mayReassign } from './map-vars';

/** The guard that makes the write panic, or undefined. `guards` are the write's, innermost first. */
export function nilGuardOf(b: Binding, write: Reference, guards: readonly Guard[], graph: FlowGraph): Guard | undefined {
  const guard = guards.find((g) => g.fact === 'nil');
  if (!guard || guards.some((g) => g.fact === 'non-nil')) return undefined;
  const own = write.id.startIndex;
  const writeNode = graph.nodeOf(write.id);
  for (const r of b.refs) {
    if (r.id.startIndex === own || !mayReassign(r)) continue;
    if (r.context === 'address' || r.owner.id !== write.owner.id) return undefined;
    if (!inside(r.id, guard.block)) continue;
    if (graph.nodeOf(r.id) === writeNode ? r.id.startIndex < own : graph.reachesTarget(r.id, write.id) !== false) return undefined;
  }
  return guard;
}

function inside(n: Node, block: Node): boolean {
  return n.startIndex >= block.startIndex && n.endIndex <= block.endIndex;
}
