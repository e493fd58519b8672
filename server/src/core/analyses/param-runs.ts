// Which func parameters a function of this file runs, and how: in a goroutine it starts and does
// not wait for (`func safeGo(f func()) { go f() }`, `func (g *Group) Go(f func()) { go func() {
// defer g.wg.Done(); f() }() }`), or itself, in its caller's goroutine (`func Until(f func(), stop
// <-chan struct{}) { for { f(); … } }`, which `go Until(p.flush, stop)` runs in a new goroutine).
// Passing a parameter on to another function of the package that runs it counts too, up to
// HELPER_DEPTH calls deep; a function of another file is known by the facts its summary records
// (index/param-facts.ts, which reads a function's own uses for both). A func literal or method
// value given to such a parameter runs concurrently with the code after the call: the goroutine
// analysis reads these facts.
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
import { hasFuncParam, paramUses } from '../index/param-facts';
import type { FuncInfo, MethodInfo } from '../index/types';
import { BARRIER, GOTO_OR_LOCK } from './barriers';
import { exprTypes } from './expr-types';
import { receiverTypeName } from './receiver-effects';
import { functionSyntax } from './syntax';

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
  /** `at` hands it to a function of another file of the package, which runs it: that function and its file. */
  elsewhere?: { name: string; file: string };
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
    for (const f of pass.funcs) {
      const name = pass.resultFor(functionHead, f).name;
      if (name !== undefined && !functions.has(name)) functions.set(name, f);
    }
    for (const f of pass.methods) {
      const name = pass.resultFor(functionHead, f).name;
      if (name === undefined) continue;
      const list = methods.get(name);
      if (list) list.push(f);
      else methods.set(name, [f]);
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

  /**
   * The runs of a call's callee at argument `index`: `f(…)` of a function of the package, or
   * `x.m(…)`: the methods `m` of x's type when it is known (a type of another package: none), else
   * every method `m` of the file, which must agree. A callee declared in another file is known by
   * its summary (PackageIndex.paramRun): the run is then at the call.
   */
  ofCall(call: Node, index: number, depth = HELPER_DEPTH): ParamRun | undefined {
    const callee = call.childForFieldName('function');
    const decls = this.pass.result(declarations);
    const pkg = this.pass.pkg;
    const path = this.pass.unit.path;
    const owner = this.pass.functionAt(call.startIndex);
    let fns: readonly Node[] = [];
    let others: readonly (FuncInfo | MethodInfo)[] = [];
    if (callee?.type === 'identifier') {
      // A local of the same name (a closure variable) shadows the function.
      if (owner && this.pass.resultFor(functionSyntax, owner).bindingAt(callee)) return undefined;
      const f = decls.functions.get(callee.text);
      const g = f ? undefined : pkg.funcs.get(callee.text);
      if (f) fns = [f];
      else if (g && g.file !== path) others = [g];
    } else if (callee?.type === 'selector_expression') {
      // `q.F(f)` of a package the file imports (no local of that name) calls no method of this one.
      const operand = callee.childForFieldName('operand');
      if (operand?.type === 'identifier' && owner && !this.pass.resultFor(functionSyntax, owner).bindingAt(operand) && pkg.importsName(path, operand.text)) return undefined;
      const name = callee.childForFieldName('field')?.text ?? '';
      // Cheap first: without a method of that name that may run a func, the operand's type does not matter.
      const local = decls.methods.get(name) ?? [];
      const away = pkg.methodsNamed(name).filter((m) => m.file !== path);
      if (!local.some((m) => this.pass.resultFor(functionHead, m).takesFunc) && !away.some((m) => m.runs)) return undefined;
      const recv = owner && operand ? this.receiverType(owner, operand) : undefined;
      if (recv === null) return undefined;
      if (recv !== undefined) {
        // The operand's type is known: its methods of that name, in whichever file.
        fns = local.filter((m) => receiverTypeName(m) === recv);
        others = pkg.methodsOf(recv).filter((m) => m.name === name && m.file !== path);
      } else {
        // Unknown: every method of that name the file declares must agree; another file's are not guessed at.
        fns = local;
      }
    }
    if (fns.length === 0 && others.length === 0) return undefined;
    let found: ParamRun | undefined;
    const agree = (r: ParamRun | undefined) => {
      if (!r || (found && found.goroutine !== r.goroutine)) return false;
      found ??= r;
      return true;
    };
    for (const f of fns) if (!agree(this.of(f, depth).find((x) => x.index === index))) return undefined;
    for (const info of others) {
      const r = owner ? pkg.paramRunOf(info, index, depth) : undefined;
      if (!agree(r && owner && { index, goroutine: r.goroutine, at: call, runner: owner, elsewhere: { name: r.name, file: r.file } })) return undefined;
    }
    return found;
  }

  /** The type of `x` in `x.m(…)`: a named type of this package (through a pointer), null for any other known type, undefined when unknown. */
  private receiverType(owner: Node, operand: Node): string | null | undefined {
    let t = this.pass.resultFor(exprTypes, owner).typeOf(operand);
    if (t?.k === 'pointer') t = t.elem;
    if (!t) return undefined;
    return t.k === 'named' && t.pkg === this.pass.pkg ? t.name : null;
  }

  /**
   * The names of the file's functions and methods that take a func parameter, and of those of the
   * package's other files whose summaries say they may run one: the only callees that may.
   */
  runnerNames(): ReadonlySet<string> {
    if (!this.names) {
      const decls = this.pass.result(declarations);
      this.names = new Set<string>();
      const takesFunc = (f: Node) => this.pass.resultFor(functionHead, f).takesFunc;
      for (const [name, f] of decls.functions) if (takesFunc(f)) this.names.add(name);
      for (const [name, ms] of decls.methods) if (ms.some(takesFunc)) this.names.add(name);
      // Of another file, those that may run it in a goroutine: one that only calls it matters to
      // `go F(f)` alone, which ofCall answers without the name.
      for (const n of this.pass.pkg.spawnersOutside(this.pass.unit.path)) this.names.add(n);
    }
    return this.names;
  }

  /**
   * Whether the file calls a function or method of another file of the package that may run a
   * func parameter (its summary says so): a file without a `go` statement may start goroutines so.
   */
  callsRunnerElsewhere(): boolean {
    const names = this.pass.pkg.spawnersOutside(this.pass.unit.path);
    return names.size > 0 && new RegExp(`\\b(?:${[...names].join('|')})\\s*\\(`).test(this.pass.unit.text);
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
    if (!this.pass.resultFor(functionHead, fn).takesFunc) return [];
    const uses = paramUses(
      fn,
      this.pass.resultFor(functionSyntax, fn),
      (from, to) => (this.barriers ??= new TextMatches(this.pass.unit.text, BARRIER)).within(from, to),
      (from, to) => (this.lockish ??= new TextMatches(this.pass.unit.text, GOTO_OR_LOCK)).within(from, to),
    );
    const out: ParamRun[] = [];
    for (const u of uses) {
      if (out.some((r) => r.index === u.param)) continue;
      if (!u.via) {
        out.push({ index: u.param, goroutine: u.goroutine, at: u.at, runner: fn });
        continue;
      }
      // Handed on: the callee must run it, and a goroutine it starts must not be waited for here.
      const inner = depth > 0 && u.call ? this.ofCall(u.call, u.via.arg, depth - 1) : undefined;
      if (!inner || (!u.goroutine && inner.goroutine && u.waitsAfter)) continue;
      out.push({ index: u.param, goroutine: u.goroutine || inner.goroutine, at: inner.at, runner: inner.runner, ...(inner.elsewhere ? { elsewhere: inner.elsewhere } : {}) });
    }
    return out;
  }
}

export const paramRuns: FileAnalysis<ParamRuns> = {
  id: 'param-runs',
  kind: 'file',
  requires: [functionSyntax, declarations, functionHead, exprTypes],
  // A call's spawn depends on the body of the function it calls, and of those that one calls.
  dependsOn: ['param-runs'],
  run: (pass) => new ParamRuns(pass),
};
