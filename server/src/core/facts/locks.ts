// Which mutexes are held at a place in a function, read off the statements before it: `X.Lock()`
// and `X.RLock()` in the same block or an enclosing one (up to the function or closure), minus the
// `X.Unlock()` / `X.RUnlock()` that follow them; a `defer X.Unlock()` keeps the lock to the end.
// Lock calls we cannot place (inside a branch, a helper named `lock`, `TryLock`) make the answer
// `unsure`, which rules treat as "maybe guarded": silence beats a false alarm.
//
// The state before each statement of a block is computed once per parse, from the state before the
// previous one (and, for the first, from the enclosing block's state before the statement holding
// it), so asking about many places in one long function costs one pass over its statements, not
// one per place.
import type { Node } from 'web-tree-sitter';
import type { FileFacts } from './file-facts';
import { isFunctionNode } from './scopes';

export type LockMode = 'write' | 'read';

/** Shared between places and cached: read it, never change it. */
export interface LockState {
  /** Lock expression text (`mu`, `s.mu`) → how it is held. */
  held: ReadonlyMap<string, LockMode>;
  /** Some lock operation before the place could not be interpreted. */
  unsure: boolean;
}

const LOCK_CALL = /^(.+)\.(Lock|RLock|Unlock|RUnlock)\(\)$/s;
const LOCKISH = /[Ll]ock\w*\(/g;
const EMPTY: LockState = { held: new Map(), unsure: false };

/** The lock operation a statement is, when it is exactly `X.Lock()` and the like. */
function lockOp(stmt: Node): { target: string; op: string } | undefined {
  if (stmt.type !== 'expression_statement') return undefined;
  const call = stmt.namedChild(0);
  if (call?.type !== 'call_expression') return undefined;
  const m = LOCK_CALL.exec(call.text);
  if (!m) return undefined;
  return { target: m[1].replace(/\s+/g, ''), op: m[2] };
}

/** True when the statement leaves its block early on every path through it (`if … { …; return }`). */
function exitsEarly(stmt: Node): boolean {
  if (stmt.type !== 'if_statement' || stmt.childForFieldName('alternative')) return false;
  const list = stmt.childForFieldName('consequence')?.namedChild(0);
  const last = list?.namedChildren.filter((n): n is Node => n !== null && n.type !== 'comment').pop();
  return last !== undefined && /^(return_statement|break_statement|continue_statement|goto_statement)$/.test(last.type);
}

interface Block {
  /** The statement list's named children (statements and comments). */
  stmts: (Node | null)[];
  starts: number[];
  /** states[i]: the locks held before stmts[i]; states[0] is the state the block starts in. Filled on demand. */
  states: LockState[];
}

class LockIndex {
  private readonly blocks = new Map<number, Block>();
  /** Starts and ends of every `[Ll]ock…(` in the text, in order. */
  private lockish?: { starts: number[]; ends: number[] };

  constructor(private readonly text: string) {}

  at(node: Node): LockState {
    // The innermost statement list on the way up, and the index of the statement holding the node.
    let child: Node = node;
    let parent = node.parent;
    while (parent && !isFunctionNode(child)) {
      if (parent.type === 'statement_list') return this.before(parent, this.indexIn(parent, child));
      child = parent;
      parent = parent.parent;
    }
    return EMPTY;
  }

  /** The state before statement `index` of `list`. */
  private before(list: Node, index: number): LockState {
    this.ensureStart(list);
    const block = this.block(list);
    const { stmts, states } = block;
    while (states.length <= index) {
      const i = states.length - 1;
      states.push(this.apply(stmts[i], states[i]));
    }
    return states[index];
  }

  /** Works out the start state of `list` and of the enclosing lists it depends on, outermost first, without recursion. */
  private ensureStart(list: Node): void {
    const pending: { block: Block; outer: Node; index: number }[] = [];
    for (let cur: Node | undefined = list; cur; ) {
      const block = this.block(cur);
      if (block.states.length > 0) break;
      let child: Node = cur;
      let parent = cur.parent;
      let outer: Node | undefined;
      while (parent && !isFunctionNode(child)) {
        if (parent.type === 'statement_list') {
          outer = parent;
          break;
        }
        child = parent;
        parent = parent.parent;
      }
      if (!outer) {
        block.states.push(EMPTY);
        break;
      }
      pending.push({ block, outer, index: this.indexIn(outer, child) });
      cur = outer;
    }
    for (let k = pending.length - 1; k >= 0; k--) {
      const { block, outer, index } = pending[k];
      block.states.push(this.before(outer, index));
    }
  }

  private apply(s: Node | null, state: LockState): LockState {
    if (!s || s.type === 'comment' || s.type === 'go_statement' || s.type === 'defer_statement') return state;
    const op = lockOp(s);
    if (op) {
      const held = new Map(state.held);
      if (op.op === 'Lock') held.set(op.target, 'write');
      else if (op.op === 'RLock') {
        if (held.get(op.target) !== 'write') held.set(op.target, 'read');
      } else held.delete(op.target);
      return { held, unsure: state.unsure };
    }
    if (!state.unsure && this.hasLockish(s.startIndex, s.endIndex) && !exitsEarly(s)) return { held: state.held, unsure: true };
    return state;
  }

  /** Whether a `[Ll]ock…(` lies within [from, to). Matches are short tokens that never span two statements. */
  private hasLockish(from: number, to: number): boolean {
    if (!this.lockish) {
      const starts: number[] = [];
      const ends: number[] = [];
      for (const m of this.text.matchAll(LOCKISH)) {
        starts.push(m.index);
        ends.push(m.index + m[0].length);
      }
      this.lockish = { starts, ends };
    }
    const { starts, ends } = this.lockish;
    const i = lowerBound(starts, from);
    return i < starts.length && ends[i] <= to;
  }

  private block(list: Node): Block {
    let b = this.blocks.get(list.id);
    if (!b) {
      const stmts = list.namedChildren;
      b = { stmts, starts: stmts.map((s) => s?.startIndex ?? -1), states: [] };
      this.blocks.set(list.id, b);
    }
    return b;
  }

  /** The index of `child` among the list's named children (the number of them before it). */
  private indexIn(list: Node, child: Node): number {
    const { stmts, starts } = this.block(list);
    // Named children are in source order; zero-width ones (error recovery) may share a start.
    let i = lowerBound(starts, child.startIndex);
    for (let j = i; j < stmts.length && starts[j] === child.startIndex; j++) if (stmts[j]?.equals(child)) return j;
    // Not found among them (should not happen): as the old scan did, count them all.
    i = stmts.findIndex((s) => s?.equals(child));
    return i < 0 ? stmts.length : i;
  }
}

/** The first index whose value is at least `x` in a non-decreasing array. */
function lowerBound(xs: readonly number[], x: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (xs[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const indexes = new WeakMap<FileFacts, LockIndex>();

/** Locks held when `node` runs, looking no further out than the innermost function containing it. */
export function locksAt(facts: FileFacts, node: Node): LockState {
  let index = indexes.get(facts);
  if (!index) indexes.set(facts, (index = new LockIndex(facts.unit.text)));
  return index.at(node);
}

/** The lock expression's base identifier (`s` of `s.mu`, `mu` of `mu`). */
export function lockRoot(target: string): string {
  return /^\w+/.exec(target)?.[0] ?? target;
}
