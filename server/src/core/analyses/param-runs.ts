// Which func parameters a function of this file runs, and how: in a goroutine it starts and does
// not wait for (`func safeGo(f func()) { go f() }`, `func (g *Group) Go(f func()) { go func() {
// defer g.wg.Done(); f() }() }`), or itself, in its caller's goroutine (`func Until(f func(), stop
// <-chan struct{}) { for { f(); … } }`, which `go Until(p.flush, stop)` runs in a new goroutine).
// Passing a parameter on to another function of the file that runs it counts too, up to
// HELPER_DEPTH calls deep. A func literal or method value given to such a parameter runs
// concurrently with the code after the call: the goroutine analysis reads these facts.
//
// Only what nothing can order counts: no channel operation, wait or lock (barriers.ts) in the
// function outside the goroutine it starts, nor before the parameter's call, and the parameter is
// never reassigned or address-taken. A function that takes a semaphore, waits for the goroutine
// or calls the parameter under a lock says nothing. Lazy: a function is read when a call to it is
// asked about, so a file pays only for the functions its calls name.
import type { Node } from 'web-tree-sitter';
import type { FileAnalysis, FunctionAnalysis } from '../analysis/analysis';
import type { Pass } from '../analysis/pass';
import { TextMatches } from '../analysis/text-matches';
import { BARRIER, GOTO_OR_LOCK } from './barriers';
import { functionSyntax, type Binding } from './syntax';

/** How many calls deep a parameter is followed into the functions it is passed to. */
export const HELPER_DEPTH = 3;

export interface ParamRun {
  /** The parameter's position among the function's parameter names (`f` of `(a, b int, f func())` is 2). */
  index: number;
  /** Run in a goroutine the function starts (and may return before it ends); else called in the caller's goroutine. */
  goroutine: boolean;
  /** Where it finally runs: the `go` statement that starts it, or the call `f(…)`. */
  at: Node;
  /** The function whose body holds `at`. */
  runner: Node;
}

/** The file's functions by name (the first of each) and its methods by name. */
export interface Declarations {
  functions: ReadonlyMap<string, Node>;
  methods: ReadonlyMap<string, readonly Node[]>;
}

/** A function's name and whether it takes a func parameter: read for every function of the file on every keystroke, so from its text once (carried). */
export const functionHead: FunctionAnalysis<{ name?: string; takesFunc: boolean }> = {
  id: 'function-head',
  kind: 'function',
  carried: true,
  requires: [],
  run(_pass, fn) {
    const name = fn.childForFieldName('name')?.text;
    return { ...(name !== undefined ? { name } : {}), takesFunc: hasFuncParam(fn) };
  },
};

export const declarations: FileAnalysis<Declarations> = {
  id: 'declarations',
  kind: 'file',
  requires: [functionHead],
  run(pass) {
    const functions = new Map<string, Node>();
    const methods = new Map<string, Node[]>();
    for (const f of pass.functions) {
      const name = pass.resultFor(functionHead, f).name;
      if (name === undefined) continue;
      if (f.type === 'function_declaration') {
        if (!functions.has(name)) functions.set(name, f);
      } else {
        const list = methods.get(name);
        if (list) list.push(f);
        else methods.set(name, [f]);
      }
    }
    return { functions, methods };
  },
};

/**
 * Functions of other packages known to call a func argument themselves, over and over, in the
 * caller's goroutine (k8s.io/apimachinery's wait loops: `go wait.Until(c.worker, time.Second,
 * stop)` runs c.worker in the new goroutine): the argument's position.
 */
const WAIT_PATH = /^[ \t]*(?:import[ \t]+)?(?:(\w+)[ \t]+)?"k8s\.io\/apimachinery\/pkg\/util\/wait"/m;
const WAIT_LOOPS: ReadonlyMap<string, number> = new Map([
  ['Until', 0],
  ['Forever', 0],
  ['NonSlidingUntil', 0],
  ['JitterUntil', 0],
  ['UntilWithContext', 1],
  ['NonSlidingUntilWithContext', 1],
  ['JitterUntilWithContext', 1],
]);

export class ParamRuns {
  private readonly memo = new Map<string, readonly ParamRun[]>();
  private barriers?: TextMatches;
  private lockish?: TextMatches;
  private waitName?: string | null;
  private names?: Set<string>;

  constructor(private readonly pass: Pass) {}

  /** The runs of a call's callee at argument `index`: `f(…)` of a function of the file, or `x.m(…)` when every method `m` of the file agrees. */
  ofCall(call: Node, index: number, depth = HELPER_DEPTH): ParamRun | undefined {
    const callee = call.childForFieldName('function');
    const decls = this.pass.result(declarations);
    let fns: readonly Node[] | undefined;
    if (callee?.type === 'identifier') {
      const f = decls.functions.get(callee.text);
      fns = f ? [f] : undefined;
      // A local of the same name (a closure variable) shadows the function.
      const owner = this.pass.functionAt(call.startIndex);
      if (owner && this.pass.resultFor(functionSyntax, owner).bindingAt(callee)) return undefined;
    } else if (callee?.type === 'selector_expression') {
      fns = decls.methods.get(callee.childForFieldName('field')?.text ?? '');
    }
    if (!fns || fns.length === 0) return undefined;
    let found: ParamRun | undefined;
    for (const f of fns) {
      const r = this.of(f, depth).find((x) => x.index === index);
      if (!r || (found && found.goroutine !== r.goroutine)) return undefined;
      found ??= r;
    }
    return found;
  }

  /** The names of the file's functions and methods that take a func parameter: the only callees that may run one. */
  runnerNames(): ReadonlySet<string> {
    if (!this.names) {
      const decls = this.pass.result(declarations);
      this.names = new Set<string>();
      const takesFunc = (f: Node) => this.pass.resultFor(functionHead, f).takesFunc;
      for (const [name, f] of decls.functions) if (takesFunc(f)) this.names.add(name);
      for (const [name, ms] of decls.methods) if (ms.some(takesFunc)) this.names.add(name);
    }
    return this.names;
  }

  /** For `wait.Until(f, …)` of k8s.io/apimachinery (by its import in this file): the position of the func it calls. */
  libraryRun(call: Node): number | undefined {
    const callee = call.childForFieldName('function');
    const pkg = callee?.type === 'selector_expression' ? callee.childForFieldName('operand') : null;
    const index = WAIT_LOOPS.get(callee?.childForFieldName('field')?.text ?? '');
    if (pkg?.type !== 'identifier' || index === undefined) return undefined;
    if (this.waitName === undefined) {
      const m = WAIT_PATH.exec(this.pass.unit.text);
      this.waitName = m ? (m[1] ?? 'wait') : null;
    }
    if (pkg.text !== this.waitName) return undefined;
    // A local variable of that name shadows the package.
    const owner = this.pass.functionAt(call.startIndex);
    return owner && this.pass.resultFor(functionSyntax, owner).bindingAt(pkg) ? undefined : index;
  }

  /** The runs of one function's func parameters, following them `depth` calls deep (each step one less: no cycle). */
  of(fn: Node, depth: number): readonly ParamRun[] {
    const key = `${fn.id}:${depth}`;
    const known = this.memo.get(key);
    if (known) return known;
    const out = this.compute(fn, depth);
    this.memo.set(key, out);
    return out;
  }

  private compute(fn: Node, depth: number): ParamRun[] {
    const body = fn.childForFieldName('body');
    if (!body || fn.childForFieldName('type_parameters') || !hasFuncParam(fn)) return [];
    const syntax = this.pass.resultFor(functionSyntax, fn);
    const params = paramBindings(fn, syntax.bindings);
    const out: ParamRun[] = [];
    // A lock anywhere in the function may serialise what it runs.
    if (params.length === 0 || this.lockBetween(body.startIndex, body.endIndex)) return out;
    params.forEach((p, index) => {
      if (!p || p.refs.some((r) => r.context === 'assign' || r.context === 'address')) return;
      for (const r of p.refs) {
        const run = this.runOf(fn, body, r.id, r.owner, index, depth, syntax.parent.bind(syntax));
        if (run) {
          out.push(run);
          return;
        }
      }
    });
    return out;
  }

  /** What one reference of a parameter does with it: a call, a `go`, or a pass to another runner. */
  private runOf(fn: Node, body: Node, id: Node, owner: Node, index: number, depth: number, parent: (n: Node) => Node | null): ParamRun | undefined {
    const up = parent(id);
    let call: Node | null = null;
    let argIndex = -1;
    if (up?.type === 'call_expression' && up.childForFieldName('function')?.id === id.id) call = up;
    else if (up?.type === 'argument_list') {
      const args = up.namedChildren.filter((n): n is Node => n !== null && n.type !== 'comment');
      argIndex = args.findIndex((a) => a.id === id.id);
      const c = parent(up);
      if (c?.type === 'call_expression' && argIndex >= 0 && depth > 0) call = c;
    }
    if (!call) return undefined;
    const inner = argIndex >= 0 ? this.ofCall(call, argIndex, depth - 1) : undefined;
    if (argIndex >= 0 && (!inner || inner.index !== argIndex)) return undefined;
    const viaGoroutine = inner?.goroutine ?? false;
    const stmt = parent(call);
    if (owner.id === fn.id) {
      if (stmt?.type === 'go_statement') {
        // `go f()` or `go h(f)`: a goroutine whatever h does with f.
        return this.quietAround(body, stmt) ? { index, goroutine: true, at: inner?.at ?? stmt, runner: inner?.runner ?? fn } : undefined;
      }
      if (this.barrierBetween(body.startIndex, call.startIndex) || inDefer(call, fn, parent)) return undefined;
      if (viaGoroutine && this.barrierBetween(call.endIndex, body.endIndex)) return undefined;
      return { index, goroutine: viaGoroutine, at: inner?.at ?? call, runner: inner?.runner ?? fn };
    }
    // `go func() { …; f() }()`: the literal the go statement runs, its own body.
    const go = owner.type === 'func_literal' ? parent(owner) : null;
    const goStmt = go?.type === 'call_expression' && go.childForFieldName('function')?.id === owner.id ? parent(go) : null;
    const litBody = owner.childForFieldName('body');
    if (goStmt?.type !== 'go_statement' || !litBody || !this.quietAround(body, goStmt)) return undefined;
    if (ownerOf(goStmt, parent)?.id !== fn.id) return undefined;
    if (this.barrierBetween(litBody.startIndex, call.startIndex) || inDefer(call, owner, parent)) return undefined;
    return { index, goroutine: true, at: inner?.at ?? goStmt, runner: inner?.runner ?? fn };
  }

  /** Nothing in the function outside the go statement may wait for the goroutine or limit how many run. */
  private quietAround(body: Node, goStmt: Node): boolean {
    return !this.barrierBetween(body.startIndex, goStmt.startIndex) && !this.barrierBetween(goStmt.endIndex, body.endIndex);
  }

  private barrierBetween(from: number, to: number): boolean {
    this.barriers ??= new TextMatches(this.pass.unit.text, BARRIER);
    return this.barriers.within(from, to);
  }

  private lockBetween(from: number, to: number): boolean {
    this.lockish ??= new TextMatches(this.pass.unit.text, GOTO_OR_LOCK);
    return this.lockish.within(from, to);
  }
}

export const paramRuns: FileAnalysis<ParamRuns> = {
  id: 'param-runs',
  kind: 'file',
  requires: [functionSyntax, declarations, functionHead],
  // A call's spawn depends on the body of the function it calls, and of those that one calls.
  dependsOn: ['param-runs'],
  run: (pass) => new ParamRuns(pass),
};

/** The bindings of a function's parameters in order of their names (undefined for an unnamed or variadic one). */
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

/** A parameter of func type: without one there is nothing to run (and no scope walk to pay for). */
function hasFuncParam(fn: Node): boolean {
  const params = fn.childForFieldName('parameters');
  // The list's text first: most functions take no func, and reading their parameters' nodes costs more.
  if (!params || !/\bfunc\b/.test(params.text)) return false;
  return params.namedChildren.some((p) => p?.type === 'parameter_declaration' && p.childForFieldName('type')?.type === 'function_type');
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
