// What one function does with its func parameters, read from its own declaration alone: where it
// calls one (in a goroutine it starts and does not wait for, or in its caller's goroutine) or
// hands one on to another function (`safeGo(f)`, `go h(f)`), which then decides. The file's
// analysis (analyses/param-runs.ts) follows the hand-overs through the file's declarations; the
// summary records the same facts without their nodes, so that a call of a helper declared in
// another file of the package is followed through that file's summary (PackageIndex.paramRun).
//
// Only what nothing can order counts: no channel operation, wait or lock (barriers.ts) in the
// function outside the goroutine it starts, nor before the parameter's call, and the parameter is
// never reassigned or address-taken; a generic function, or one that takes a lock anywhere, says
// nothing.
import type { Node } from 'web-tree-sitter';
import type { Binding, FunctionSyntax } from '../analyses/syntax';

/** One way a function may run its parameter `param`, without the nodes (what a summary keeps). */
export interface ParamRunFact {
  /** The parameter's position among the function's parameter names (`f` of `(a, b int, f func())` is 2). */
  param: number;
  /** In a goroutine the function starts: directly (`go f()`, `go func(){ f() }()`) or by handing it over in that goroutine. */
  goroutine: boolean;
  /**
   * Handed to another function of the package at argument `arg`: that one must run it too. For
   * `x.m(…)` with `x` no local name, `qualifier` is `x`: if the file imports a package by that
   * name, the callee is that package's function, not a method.
   */
  via?: { callee: string; method: boolean; arg: number; qualifier?: string };
  /** For a hand-over in the caller's goroutine: something after it may wait for a goroutine the callee starts. */
  waitsAfter?: boolean;
}

/** A fact with the nodes the file's analysis cites: the go statement that starts the goroutine, or the call. */
export interface ParamUse extends ParamRunFact {
  at: Node;
  /** For a hand-over: the call that makes it. */
  call?: Node;
}

/** Where a pattern occurs in the file's text, by UTF-16 offsets of the tree. */
export type Occurs = (from: number, to: number) => boolean;

/**
 * The uses of each func parameter that may run it, per parameter in the order they are written
 * (the first one that runs it decides). `barrier` and `lock` say whether BARRIER or GOTO_OR_LOCK
 * (barriers.ts) occur between two offsets.
 */
export function paramUses(fn: Node, syntax: FunctionSyntax, barrier: Occurs, lock: Occurs): ParamUse[] {
  const found = fn.childForFieldName('body');
  if (!found || fn.childForFieldName('type_parameters') || !hasFuncParam(fn)) return [];
  const body: Node = found;
  const params = paramBindings(fn, syntax.bindings);
  const out: ParamUse[] = [];
  // A lock anywhere in the function may serialise what it runs.
  if (params.length === 0 || lock(body.startIndex, body.endIndex)) return out;
  const parent = (n: Node) => syntax.parent(n);
  const quietAround = (goStmt: Node) => !barrier(body.startIndex, goStmt.startIndex) && !barrier(goStmt.endIndex, body.endIndex);
  params.forEach((p, index) => {
    if (!p || p.refs.some((r) => r.context === 'assign' || r.context === 'address')) return;
    for (const r of p.refs) {
      const use = useOf(r.id, r.owner);
      if (use) out.push(use);
    }

    function useOf(id: Node, owner: Node): ParamUse | undefined {
      const up = parent(id);
      let call: Node | null = null;
      let via: ParamRunFact['via'];
      if (up?.type === 'call_expression' && up.childForFieldName('function')?.id === id.id) call = up;
      else if (up?.type === 'argument_list') {
        const args = up.namedChildren.filter((n): n is Node => n !== null && n.type !== 'comment');
        const arg = args.findIndex((a) => a.id === id.id);
        const c = parent(up);
        const callee = c?.type === 'call_expression' ? c.childForFieldName('function') : null;
        if (arg < 0 || !c || !callee) return undefined;
        if (callee.type === 'identifier') {
          // A local of the same name (a closure variable) shadows the function.
          if (syntax.bindingAt(callee)) return undefined;
          via = { callee: callee.text, method: false, arg };
        } else if (callee.type === 'selector_expression') {
          const field = callee.childForFieldName('field')?.text;
          const operand = callee.childForFieldName('operand');
          if (!field) return undefined;
          const qualifier = operand?.type === 'identifier' && !syntax.bindingAt(operand) ? operand.text : undefined;
          via = { callee: field, method: true, arg, ...(qualifier !== undefined ? { qualifier } : {}) };
        } else return undefined;
        call = c;
      }
      if (!call) return undefined;
      const handed = via ? { via, call } : {};
      const stmt = parent(call);
      if (owner.id === fn.id) {
        // `go f()` or `go h(f)`: a goroutine whatever h does with f.
        if (stmt?.type === 'go_statement') return quietAround(stmt) ? { param: index, goroutine: true, at: stmt, ...handed } : undefined;
        if (barrier(body.startIndex, call.startIndex) || inDefer(call, fn, parent)) return undefined;
        return { param: index, goroutine: false, at: call, ...handed, ...(via ? { waitsAfter: barrier(call.endIndex, body.endIndex) } : {}) };
      }
      // `go func() { …; f() }()`: the literal the go statement runs, its own body.
      const go = owner.type === 'func_literal' ? parent(owner) : null;
      const goStmt = go?.type === 'call_expression' && go.childForFieldName('function')?.id === owner.id ? parent(go) : null;
      const litBody = owner.childForFieldName('body');
      if (goStmt?.type !== 'go_statement' || !litBody || !quietAround(goStmt)) return undefined;
      if (ownerOf(goStmt, parent)?.id !== fn.id) return undefined;
      if (barrier(litBody.startIndex, call.startIndex) || inDefer(call, owner, parent)) return undefined;
      return { param: index, goroutine: true, at: goStmt, ...handed };
    }
  });
  return out;
}

/** The facts of paramUses without their nodes, for a summary: a fact the same as an earlier one says nothing more (the first that resolves decides). */
export function paramRunFacts(uses: readonly ParamUse[]): ParamRunFact[] {
  const out: ParamRunFact[] = [];
  const seen = new Set<string>();
  for (const u of uses) {
    const fact: ParamRunFact = { param: u.param, goroutine: u.goroutine, ...(u.via ? { via: u.via } : {}), ...(u.waitsAfter ? { waitsAfter: true } : {}) };
    const key = JSON.stringify(fact);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(fact);
  }
  return out;
}

/** A parameter of func type: without one there is nothing to run (and no scope walk to pay for). */
export function hasFuncParam(fn: Node): boolean {
  const params = fn.childForFieldName('parameters');
  // The list's text first: most functions take no func, and reading their parameters' nodes costs more.
  if (!params || !/\bfunc\b/.test(params.text)) return false;
  return params.namedChildren.some((p) => p?.type === 'parameter_declaration' && p.childForFieldName('type')?.type === 'function_type');
}

/** The bindings of a function's parameters in order of their names (undefined for an unnamed, variadic or non-func one). */
function paramBindings(fn: Node, bindings: readonly Binding[]): (Binding | undefined)[] {
  const out: (Binding | undefined)[] = [];
  for (const p of fn.childForFieldName('parameters')?.namedChildren ?? []) {
    if (p?.type !== 'parameter_declaration' && p?.type !== 'variadic_parameter_declaration') continue;
    const names = p.childrenForFieldName('name').filter((n): n is Node => n?.type === 'identifier');
    const funcType = p.type === 'parameter_declaration' && p.childForFieldName('type')?.type === 'function_type';
    if (names.length === 0) out.push(undefined);
    for (const n of names) out.push(funcType ? bindings.find((b) => b.kind === 'param' && b.id.id === n.id) : undefined);
  }
  return out;
}

function ownerOf(node: Node, parent: (n: Node) => Node | null): Node | undefined {
  for (let p = parent(node); p; p = parent(p)) if (p.type === 'function_declaration' || p.type === 'method_declaration' || p.type === 'func_literal') return p;
  return undefined;
}

/** The call is deferred (`defer f()`) in `owner`: it runs when `owner` returns, after whatever came before. */
function inDefer(call: Node, owner: Node, parent: (n: Node) => Node | null): boolean {
  for (let p = parent(call); p && p.id !== owner.id; p = parent(p)) if (p.type === 'defer_statement') return true;
  return false;
}
