// Which mutexes are held at a place in a function, read off the statements before it: `X.Lock()`
// and `X.RLock()` in the same block or an enclosing one (up to the function or closure), minus the
// `X.Unlock()` / `X.RUnlock()` that follow them; a `defer X.Unlock()` keeps the lock to the end.
// Lock calls we cannot place (inside a branch, a helper named `lock`, `TryLock`) make the answer
// `unsure`, which rules treat as "maybe guarded": silence beats a false alarm.
import type { Node } from 'web-tree-sitter';
import { isFunctionNode } from './scopes';

export type LockMode = 'write' | 'read';

export interface LockState {
  /** Lock expression text (`mu`, `s.mu`) → how it is held. */
  held: Map<string, LockMode>;
  /** Some lock operation before the place could not be interpreted. */
  unsure: boolean;
}

const LOCK_CALL = /^(.+)\.(Lock|RLock|Unlock|RUnlock)\(\)$/s;
const LOCKISH = /[Ll]ock\w*\(/;

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

/** Locks held when `node` runs, looking no further out than the innermost function containing it. */
export function locksAt(node: Node): LockState {
  // The chain of (statement list, index of the statement on the path), innermost first.
  const chain: { list: Node; index: number }[] = [];
  let child: Node = node;
  let parent = node.parent;
  while (parent && !isFunctionNode(child)) {
    if (parent.type === 'statement_list') {
      let i = 0;
      for (const c of parent.namedChildren) {
        if (c?.equals(child)) break;
        i++;
      }
      chain.push({ list: parent, index: i });
    }
    child = parent;
    parent = parent.parent;
  }
  const state: LockState = { held: new Map(), unsure: false };
  for (let k = chain.length - 1; k >= 0; k--) {
    const { list, index } = chain[k];
    const stmts = list.namedChildren;
    for (let i = 0; i < index; i++) {
      const s = stmts[i];
      if (!s || s.type === 'comment' || s.type === 'go_statement' || s.type === 'defer_statement') continue;
      const op = lockOp(s);
      if (op) {
        if (op.op === 'Lock') state.held.set(op.target, 'write');
        else if (op.op === 'RLock') {
          if (state.held.get(op.target) !== 'write') state.held.set(op.target, 'read');
        } else state.held.delete(op.target);
        continue;
      }
      if (LOCKISH.test(s.text) && !exitsEarly(s)) state.unsure = true;
    }
  }
  return state;
}

/** The lock expression's base identifier (`s` of `s.mu`, `mu` of `mu`). */
export function lockRoot(target: string): string {
  return /^\w+/.exec(target)?.[0] ?? target;
}
