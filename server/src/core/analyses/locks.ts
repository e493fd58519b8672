// Which mutexes are held when a statement runs: `X.Lock()` / `X.RLock()` and the `X.Unlock()` /
// `X.RUnlock()` that undo them, followed along the control-flow graph of the function or closure
// the statement is in (a `defer X.Unlock()` keeps the lock to the end). A lock counts as held when
// it is held on every path to the statement; one held on some paths only, or a lock call the
// analysis cannot read (`TryLock`, a helper called `lock`), makes the answer `unsure`, which rules
// treat as "maybe guarded": silence beats a false alarm. A closure starts with no lock held.
import type { Node } from 'web-tree-sitter';
import type { FunctionAnalysis } from '../analysis/analysis';
import { controlFlow, type FlowGraph, type FlowGraphs } from './control-flow';

export type LockMode = 'write' | 'read';

/** Shared between places: read it, never change it. */
export interface LockState {
  /** Lock expression text (`mu`, `s.mu`) → how it is held on every path. */
  held: ReadonlyMap<string, LockMode>;
  /** A lock is held on some paths only, or some lock operation on the way could not be read. */
  unsure: boolean;
}

const LOCK_CALL = /^(.+)\.(Lock|RLock|Unlock|RUnlock)\(\)$/s;
const LOCKISH = /[Ll]ock\w*\(/;
const EMPTY: LockState = { held: new Map(), unsure: false };

/** What flows along the graph: locks held on every path, on some path, and whether something was unreadable. */
interface Flow {
  must: ReadonlyMap<string, LockMode>;
  may: ReadonlySet<string>;
  unsure: boolean;
}

const START: Flow = { must: new Map(), may: new Set(), unsure: false };

export class LockSets {
  private readonly states = new Map<number, (LockState | undefined)[]>();

  constructor(private readonly flows: FlowGraphs) {}

  /** The locks held when the statement holding `node` starts. */
  at(node: Node): LockState {
    const g = this.flows.around(node);
    if (!g) return EMPTY;
    const i = g.nodeOf(node);
    if (i < 0) return EMPTY;
    let states = this.states.get(g.owner.id);
    if (!states) this.states.set(g.owner.id, (states = solve(g)));
    return states[i] ?? EMPTY;
  }
}

export const locks: FunctionAnalysis<LockSets> = {
  id: 'locks',
  kind: 'function',
  requires: [controlFlow],
  run: (pass, fn) => new LockSets(pass.resultFor(controlFlow, fn)),
};

/** The state before every node of the graph: a forward must/may analysis to a fixed point. */
function solve(g: FlowGraph): (LockState | undefined)[] {
  const n = g.nodes.length;
  const before: (Flow | undefined)[] = new Array(n).fill(undefined);
  before[0] = START;
  const work = [0];
  const queued = new Uint8Array(n);
  queued[0] = 1;
  while (work.length > 0) {
    const i = work.pop()!;
    queued[i] = 0;
    const out = transfer(g.nodes[i], before[i]!);
    for (const s of g.succ[i]) {
      const joined = before[s] ? join(before[s]!, out) : out;
      if (before[s] && same(before[s]!, joined)) continue;
      before[s] = joined;
      if (!queued[s]) {
        queued[s] = 1;
        work.push(s);
      }
    }
  }
  return before.map((f) => (f ? stateOf(f) : undefined));
}

function stateOf(f: Flow): LockState {
  if (f.must.size === 0 && f.may.size === 0 && !f.unsure) return EMPTY;
  let unsure = f.unsure;
  for (const x of f.may) if (!f.must.has(x)) unsure = true;
  return { held: f.must, unsure };
}

/** The lock operation a statement is, when it is exactly `X.Lock()` and the like. */
function lockOp(stmt: Node): { target: string; op: string } | undefined {
  if (stmt.type !== 'expression_statement') return undefined;
  const call = stmt.namedChild(0);
  if (call?.type !== 'call_expression') return undefined;
  const m = LOCK_CALL.exec(call.text);
  if (!m) return undefined;
  return { target: m[1].replace(/\s+/g, ''), op: m[2] };
}

/** The text of what a node runs itself: a compound statement's head only (its branches are nodes of their own). */
function ownText(node: Node): string {
  switch (node.type) {
    case 'if_statement':
      return node.childForFieldName('condition')?.text ?? '';
    case 'for_statement': {
      const head = node.namedChildren.find((c) => c !== null && c.type !== 'block' && c.type !== 'comment');
      if (!head) return '';
      return head.type === 'for_clause' ? (head.childForFieldName('condition')?.text ?? '') : head.text;
    }
    case 'expression_switch_statement':
    case 'type_switch_statement':
      return node.childForFieldName('value')?.text ?? '';
    case 'communication_case':
      return node.childForFieldName('communication')?.text ?? '';
    case 'expression_case':
      return node.childForFieldName('value')?.text ?? '';
    case 'select_statement':
    case 'default_case':
    case 'type_case':
    case 'block':
    case 'labeled_statement':
      return '';
    default:
      return node.text;
  }
}

function transfer(node: Node | null, f: Flow): Flow {
  // `go` and `defer` run their calls elsewhere or later: a deferred Unlock keeps the lock to the end.
  if (!node || node.type === 'go_statement' || node.type === 'defer_statement') return f;
  const op = lockOp(node);
  if (op) {
    const must = new Map(f.must);
    const may = new Set(f.may);
    if (op.op === 'Lock') {
      must.set(op.target, 'write');
      may.add(op.target);
    } else if (op.op === 'RLock') {
      if (must.get(op.target) !== 'write') must.set(op.target, 'read');
      may.add(op.target);
    } else {
      must.delete(op.target);
      may.delete(op.target);
    }
    return { must, may, unsure: f.unsure };
  }
  if (!f.unsure && LOCKISH.test(ownText(node))) return { ...f, unsure: true };
  return f;
}

function join(a: Flow, b: Flow): Flow {
  const must = new Map<string, LockMode>();
  for (const [x, m] of a.must) {
    const other = b.must.get(x);
    if (other) must.set(x, m === 'write' && other === 'write' ? 'write' : 'read');
  }
  const may = new Set(a.may);
  for (const x of b.may) may.add(x);
  return { must, may, unsure: a.unsure || b.unsure };
}

function same(a: Flow, b: Flow): boolean {
  if (a.unsure !== b.unsure || a.must.size !== b.must.size || a.may.size !== b.may.size) return false;
  for (const [x, m] of a.must) if (b.must.get(x) !== m) return false;
  for (const x of a.may) if (!b.may.has(x)) return false;
  return true;
}

/** The lock expression's base identifier (`s` of `s.mu`, `mu` of `mu`). */
export function lockRoot(target: string): string {
  return /^\w+/.exec(target)?.[0] ?? target;
}
