// Whether any of a variable's events (assignments, stores) may run before a write, for every write
// of a function at once: one reachability pass from all the events, so a function with thousands of
// writes costs one walk of its graph, not one per write. An event in the write's own statement runs
// first when it comes first in the text (`m[f(&m)] = 1`).
import type { Node } from 'web-tree-sitter';
import type { FlowGraph } from '../../analyses/control-flow';

export class RunsBefore {
  private readonly reach: Uint8Array;
  /** The earliest event in each statement node. */
  private readonly first = new Map<number, number>();

  constructor(
    private readonly graph: FlowGraph,
    events: readonly Node[],
    within?: Node,
  ) {
    this.reach = graph.reachableFromAny(events, within);
    for (const e of events) {
      const i = graph.nodeOf(e);
      const seen = this.first.get(i);
      if (seen === undefined || e.startIndex < seen) this.first.set(i, e.startIndex);
    }
  }

  /** Whether some event may run before `node` (an identifier of the write). */
  before(node: Node): boolean {
    const i = this.graph.nodeOf(node);
    if (i < 0) return true;
    return this.reach[i] === 1 || (this.first.get(i) ?? Infinity) < node.startIndex;
  }
}
