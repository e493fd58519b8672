// The statement-level control-flow graph of a function and of each closure in it, and the questions
// every rule asks of it: may one statement run after another, where does a `break` or `continue`
// go, which statements leave a loop or the function. One graph per body (the function's, or a
// func literal's: a closure runs whenever it is called, so its body is a graph of its own).
//
// Nodes are statements; an `if`, `for`, `switch` or `select` is a head node (its condition or
// clause) with edges into its branches, a three-clause `for` has its init and post statements as
// nodes of their own, and every case is a node. `return` and calls that never return (`panic`,
// `os.Exit`, `log.Fatal…`) lead to the exit; `goto` to its label. Built without recursion (bodies
// nest thousands deep): a statement's nodes are allocated when its list is, and its edges are
// filled in by a task from an explicit stack.
import type { Node } from 'web-tree-sitter';
import type { FunctionAnalysis } from '../analysis/analysis';
import { functionSyntax, type FunctionSyntax } from './syntax';

/** Calls after which the function never goes on: a statement that is one of these leads to the exit. */
const NO_RETURN = /^(?:panic|os\.Exit|log\.Fatal\w*|log\.Panic\w*|runtime\.Goexit)$/;

/** Whether a call never returns to its caller (`panic(…)`, `os.Exit(…)`, `log.Fatalf(…)`). */
export function isNoReturnCall(call: Node): boolean {
  return call.type === 'call_expression' && NO_RETURN.test(call.childForFieldName('function')?.text ?? '');
}

export type JumpKind = 'break' | 'continue' | 'return' | 'goto' | 'fallthrough' | 'no-return';

export interface Jump {
  /** The statement: `break`, `return`, the expression statement calling `panic`… */
  node: Node;
  kind: JumpKind;
  /** For break and continue: the loop, switch or select statement it leaves or continues. */
  target?: Node;
  /** It names a label (`break outer`, `continue outer`, `goto done`). */
  labeled: boolean;
}

const ENTRY = 0;
const EXIT = 1;

/** States of `FlowGraph.reachingDefinitions`, ordered: a node's state only rises. */
export const UNREACHED = 0;
export const ONLY_FOLLOWED = 1;
export const ANY = 2;

/** The graph of one body: a function declaration's or a func literal's. */
export class FlowGraph {
  /** The statement (or case, or head) each node stands for; null for entry and exit. */
  readonly nodes: (Node | null)[] = [null, null];
  readonly succ: number[][] = [[], []];
  /** Node index by the id of the statement it stands for. */
  readonly indexOf = new Map<number, number>();
  /** Every jump in the body (not in nested closures), in the order the builder met them. */
  readonly jumps: Jump[] = [];
  /** The body has labeled statements (named breaks, continues and gotos). */
  hasLabels = false;
  private readonly reach = new Map<number, Uint8Array>();
  private readonly reachers = new Map<number, Uint8Array>();
  private pred?: number[][];

  constructor(
    readonly owner: Node,
    private readonly syntax: FunctionSyntax,
  ) {}

  add(node: Node | null): number {
    const i = this.nodes.length;
    this.nodes.push(node);
    this.succ.push([]);
    if (node) this.indexOf.set(node.id, i);
    return i;
  }

  /** The graph node of the innermost statement (or case, or loop clause) holding `node`, or -1 if it is not in this body. */
  nodeOf(node: Node): number {
    for (let n: Node | null = node; n; n = this.syntax.parent(n)) {
      const i = this.indexOf.get(n.id);
      if (i !== undefined) return i;
      if (n.id === this.owner.id) return -1;
    }
    return -1;
  }

  /**
   * Whether control may go from (the end of) the statement holding `from` to the statement holding
   * `to`, along a path of one step or more: through a loop, the statement may reach itself.
   * Undefined when either is not in this body.
   */
  reaches(from: Node, to: Node): boolean | undefined {
    const a = this.nodeOf(from);
    const b = this.nodeOf(to);
    if (a < 0 || b < 0) return undefined;
    return this.reachableFrom(a)[b] === 1;
  }

  /**
   * Whether control may go from the statement holding `from` to the statement holding `to` (as
   * `reaches`), answered from the statements that can reach `to`, worked out once per target: for
   * many sources asked about one target.
   */
  reachesTarget(from: Node, to: Node): boolean | undefined {
    const a = this.nodeOf(from);
    const b = this.nodeOf(to);
    if (a < 0 || b < 0) return undefined;
    return this.reachersOf(b)[a] === 1;
  }

  /** Nodes from which node `i` is reachable in one step or more. */
  private reachersOf(i: number): Uint8Array {
    let seen = this.reachers.get(i);
    if (seen) return seen;
    if (!this.pred) {
      const pred: number[][] = this.nodes.map(() => []);
      this.succ.forEach((ss, from) => {
        for (const s of ss) pred[s].push(from);
      });
      this.pred = pred;
    }
    seen = closureOf(this.pred, i);
    this.reachers.set(i, seen);
    return seen;
  }

  /** Whether the statement holding `node` can be reached from the body's entry. */
  live(node: Node): boolean {
    const i = this.nodeOf(node);
    return i >= 0 && (i === ENTRY || this.reachableFrom(ENTRY)[i] === 1);
  }

  /** Nodes reachable in one step or more from node `i` (1 = reachable), worked out once per source. */
  private reachableFrom(i: number): Uint8Array {
    let seen = this.reach.get(i);
    if (seen) return seen;
    seen = closureOf(this.succ, i);
    this.reach.set(i, seen);
    return seen;
  }

  /**
   * Nodes reachable in one step or more from any of the statements holding `sources`, in one pass
   * (linear in the graph, however many sources and targets are asked about). With `within`, paths
   * stay inside that statement or block: a path that leaves it is not followed.
   */
  reachableFromAny(sources: readonly Node[], within?: Node): Uint8Array {
    const seen = new Uint8Array(this.nodes.length);
    const inside = (i: number) => {
      const n = this.nodes[i];
      return !within || (n !== null && n.startIndex >= within.startIndex && n.endIndex <= within.endIndex);
    };
    const stack: number[] = [];
    for (const s of sources) {
      const i = this.nodeOf(s);
      if (i >= 0) for (const n of this.succ[i]) stack.push(n);
    }
    while (stack.length > 0) {
      const n = stack.pop()!;
      if (seen[n] || !inside(n)) continue;
      seen[n] = 1;
      for (const s of this.succ[n]) if (!seen[s]) stack.push(s);
    }
    return seen;
  }

  /**
   * For one variable, which definitions reach each statement: `defs` maps the node of each
   * statement that sets it to whether it sets the value the caller follows (`m = nil`: true) or
   * anything else (false); `atEntry` is what the variable holds when the body starts. The answer,
   * per node, at the node's start: UNREACHED, ONLY_FOLLOWED (every path brings the followed value)
   * or ANY. One forward pass to a fixed point: a node's state only rises, so each changes at most
   * twice and the cost is linear in the graph.
   */
  reachingDefinitions(defs: ReadonlyMap<number, boolean>, atEntry: boolean): Uint8Array {
    const n = this.nodes.length;
    const at = new Uint8Array(n);
    const out = (i: number): number => {
      const d = defs.get(i);
      if (d !== undefined) return d ? ONLY_FOLLOWED : ANY;
      return i === ENTRY ? (atEntry ? ONLY_FOLLOWED : ANY) : at[i];
    };
    const work: number[] = [ENTRY];
    while (work.length > 0) {
      const i = work.pop()!;
      const v = out(i);
      for (const s of this.succ[i]) {
        if (v > at[s]) {
          at[s] = v;
          work.push(s);
        }
      }
    }
    return at;
  }

  edge(from: number, to: number): void {
    this.succ[from].push(to);
  }
}

/** The flow graphs of one top-level function: its own body's and, on demand, each closure's. */
export class FlowGraphs {
  private readonly graphs = new Map<number, FlowGraph>();

  constructor(readonly syntax: FunctionSyntax) {}

  /** The graph of a function declaration, method declaration or func literal in this function. */
  of(owner: Node): FlowGraph {
    let g = this.graphs.get(owner.id);
    if (!g) {
      g = build(owner, this.syntax);
      this.graphs.set(owner.id, g);
    }
    return g;
  }

  /** The graph of the body a node is in (its innermost function or closure). */
  around(node: Node): FlowGraph | undefined {
    const owner = this.syntax.ownerOf(node);
    return owner ? this.of(owner) : undefined;
  }

  /** Whether the statement holding `node` may run: reached in its body, and each closure around it made where control reaches. */
  mayRun(node: Node): boolean {
    for (let n: Node | null = node; n; ) {
      const owner = this.syntax.ownerOf(n);
      if (!owner || !this.of(owner).live(n)) return false;
      if (owner.type !== 'func_literal') return true;
      n = owner;
    }
    return false;
  }
}

export const controlFlow: FunctionAnalysis<FlowGraphs> = {
  id: 'control-flow',
  kind: 'function',
  requires: [functionSyntax],
  run: (pass, fn) => new FlowGraphs(pass.resultFor(functionSyntax, fn)),
};

/** Where `break`, `continue` and `fallthrough` go from inside a statement; a persistent list, shared by the tasks below it. */
interface Context {
  /** Node to go to on `break`, and the statement broken out of. */
  brk?: { to: number; stmt: Node };
  /** Node to go to on `continue`, and the loop. */
  cont?: { to: number; stmt: Node };
  /** The first node of the next case's body, for `fallthrough`. */
  fall?: number;
  /** Labeled enclosing statements: their break and continue targets. */
  labels?: LabelScope;
}

interface LabelScope {
  name: string;
  brk: { to: number; stmt: Node };
  cont?: { to: number; stmt: Node };
  outer?: LabelScope;
}

interface Task {
  stmt: Node;
  /** The statement's first node (its init statement, when it has one) and its own node. */
  entry: number;
  self: number;
  next: number;
  ctx: Context;
  /** For a labeled statement's inner statement: the label, so a `continue label` finds its loop. */
  label?: string;
}

const COMPOUND_HEAD = new Set(['if_statement', 'for_statement', 'expression_switch_statement', 'type_switch_statement']);

function build(owner: Node, syntax: FunctionSyntax): FlowGraph {
  const g = new FlowGraph(owner, syntax);
  const tasks: Task[] = [];
  const labels = new Map<string, number>();
  const gotos: { from: number; label: string }[] = [];

  /** Allocates the nodes of a statement: its init statement (if, for, switch) and itself. */
  const allocate = (stmt: Node): { entry: number; self: number } => {
    if (COMPOUND_HEAD.has(stmt.type)) {
      const init = stmt.type === 'for_statement' ? forClause(stmt)?.childForFieldName('initializer') : stmt.childForFieldName('initializer');
      if (init) {
        const entry = g.add(init);
        const self = g.add(stmt);
        g.edge(entry, self);
        return { entry, self };
      }
    }
    const self = g.add(stmt);
    return { entry: self, self };
  };

  /** Allocates a statement list's statements, queues their edges, and returns its first node (or `next` when empty). */
  const list = (container: Node | null | undefined, next: number, ctx: Context): number => {
    const stmts = statementsOf(container);
    if (stmts.length === 0) return next;
    const allocated = stmts.map(allocate);
    for (let i = stmts.length - 1; i >= 0; i--) {
      const after = i + 1 < stmts.length ? allocated[i + 1].entry : next;
      tasks.push({ stmt: stmts[i], entry: allocated[i].entry, self: allocated[i].self, next: after, ctx });
    }
    return allocated[0].entry;
  };

  const body = owner.childForFieldName('body');
  g.edge(ENTRY, list(body, EXIT, {}));

  while (tasks.length > 0) {
    const t = tasks.pop()!;
    const { stmt, self, next, ctx } = t;
    switch (stmt.type) {
      case 'return_statement':
        g.edge(self, EXIT);
        g.jumps.push({ node: stmt, kind: 'return', labeled: false });
        break;
      case 'expression_statement': {
        const call = stmt.namedChild(0);
        if (call && isNoReturnCall(call)) {
          g.edge(self, EXIT);
          g.jumps.push({ node: stmt, kind: 'no-return', labeled: false });
        } else g.edge(self, next);
        break;
      }
      case 'block':
        g.edge(self, list(stmt, next, ctx));
        break;
      case 'if_statement': {
        // `if false {` (code switched off by hand) never runs its body, `if true {` never skips it:
        // the branch not taken gets its nodes but no edge, so what is only there is dead.
        const known = constantCondition(stmt.childForFieldName('condition'));
        const then = list(stmt.childForFieldName('consequence'), next, ctx);
        if (known !== false) g.edge(self, then);
        const alt = stmt.childForFieldName('alternative');
        if (!alt) {
          if (known !== true) g.edge(self, next);
        } else if (alt.type === 'block') {
          const a = list(alt, next, ctx);
          if (known !== true) g.edge(self, a);
        } else {
          const a = allocate(alt);
          if (known !== true) g.edge(self, a.entry);
          tasks.push({ stmt: alt, entry: a.entry, self: a.self, next, ctx });
        }
        break;
      }
      case 'for_statement': {
        const clause = forClause(stmt);
        const update = clause?.childForFieldName('update');
        const post = update ? g.add(update) : self;
        if (update) g.edge(post, self);
        const infinite = !stmt.namedChildren.some((c) => c !== null && c.type !== 'block' && c.type !== 'comment') ||
          (clause !== undefined && !clause.childForFieldName('condition'));
        const inner: Context = { ...ctx, brk: { to: next, stmt }, cont: { to: post, stmt }, fall: undefined, labels: labelFor(t, ctx, next, post) };
        g.edge(self, list(stmt.childForFieldName('body'), post, inner));
        if (!infinite) g.edge(self, next);
        break;
      }
      case 'expression_switch_statement':
      case 'type_switch_statement':
      case 'select_statement': {
        const cases = stmt.namedChildren.filter((c): c is Node => c !== null && /case$/.test(c.type));
        const inner: Context = { ...ctx, brk: { to: next, stmt }, labels: labelFor(t, ctx, next, undefined) };
        const caseNodes = cases.map((c) => g.add(c));
        // Bodies from the last case back, so that each knows where a `fallthrough` goes.
        let following = next;
        for (let i = cases.length - 1; i >= 0; i--) {
          g.edge(self, caseNodes[i]);
          const entry = list(statementListOf(cases[i]), next, { ...inner, fall: following });
          g.edge(caseNodes[i], entry);
          following = entry;
        }
        // A switch without a default may match no case; a select without cases blocks forever.
        if (stmt.type !== 'select_statement' && !cases.some((c) => c.type === 'default_case')) g.edge(self, next);
        break;
      }
      case 'labeled_statement': {
        g.hasLabels = true;
        const name = stmt.childForFieldName('label')?.text ?? '';
        labels.set(name, self);
        const inner = stmt.namedChildren.find((c) => c !== null && c.type !== 'label_name' && c.type !== 'comment');
        if (!inner) {
          g.edge(self, next);
          break;
        }
        const a = allocate(inner);
        g.edge(self, a.entry);
        tasks.push({ stmt: inner, entry: a.entry, self: a.self, next, ctx, label: name });
        break;
      }
      case 'break_statement':
      case 'continue_statement': {
        const label = stmt.namedChildren.find((c) => c?.type === 'label_name')?.text;
        const brk = stmt.type === 'break_statement';
        let target: { to: number; stmt: Node } | undefined;
        if (label !== undefined) {
          for (let l = ctx.labels; l; l = l.outer) {
            if (l.name === label) {
              target = brk ? l.brk : l.cont;
              break;
            }
          }
        } else target = brk ? ctx.brk : ctx.cont;
        if (target) g.edge(self, target.to);
        g.jumps.push({ node: stmt, kind: brk ? 'break' : 'continue', labeled: label !== undefined, ...(target ? { target: target.stmt } : {}) });
        break;
      }
      case 'goto_statement': {
        const label = stmt.namedChildren.find((c) => c?.type === 'label_name')?.text ?? '';
        gotos.push({ from: self, label });
        g.jumps.push({ node: stmt, kind: 'goto', labeled: true });
        break;
      }
      case 'fallthrough_statement':
        if (ctx.fall !== undefined) g.edge(self, ctx.fall);
        g.jumps.push({ node: stmt, kind: 'fallthrough', labeled: false });
        break;
      default:
        g.edge(self, next);
    }
  }
  for (const { from, label } of gotos) {
    const to = labels.get(label);
    if (to !== undefined) g.edge(from, to);
  }
  return g;
}

/** The label scope a statement under `label:` adds: its break and (for a loop) continue targets. */
function labelFor(t: Task, ctx: Context, next: number, cont: number | undefined): LabelScope | undefined {
  if (t.label === undefined) return ctx.labels;
  return { name: t.label, brk: { to: next, stmt: t.stmt }, ...(cont !== undefined ? { cont: { to: cont, stmt: t.stmt } } : {}), outer: ctx.labels };
}

/** The value of a condition written as the literal `true` or `false` (parenthesized, negated), else undefined. */
function constantCondition(cond: Node | null): boolean | undefined {
  if (!cond) return undefined;
  switch (cond.type) {
    case 'true':
      return true;
    case 'false':
      return false;
    case 'parenthesized_expression':
      return constantCondition(cond.namedChild(0));
    case 'unary_expression': {
      if (cond.childForFieldName('operator')?.type !== '!') return undefined;
      const v = constantCondition(cond.childForFieldName('operand'));
      return v === undefined ? undefined : !v;
    }
    default:
      return undefined;
  }
}

function forClause(stmt: Node): Node | undefined {
  return stmt.namedChildren.find((c) => c?.type === 'for_clause') ?? undefined;
}

/** The statement list of a block or a case. */
function statementListOf(container: Node): Node | undefined {
  return container.namedChildren.find((c) => c?.type === 'statement_list') ?? undefined;
}

/** The statements of a block, a case or a statement list, comments aside. */
function statementsOf(container: Node | null | undefined): Node[] {
  if (!container) return [];
  const list = container.type === 'statement_list' ? container : statementListOf(container);
  return list?.namedChildren.filter((c): c is Node => c !== null && c.type !== 'comment') ?? [];
}

/** The nodes reachable from node `i` in one step or more along `edges` (1 = reachable): successors forward, predecessors backward. */
function closureOf(edges: readonly (readonly number[])[], i: number): Uint8Array {
  const seen = new Uint8Array(edges.length);
  const stack = [...edges[i]];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (seen[n]) continue;
    seen[n] = 1;
    for (const e of edges[n]) if (!seen[e]) stack.push(e);
  }
  return seen;
}
