// Where a file starts goroutines: `go …` statements, `g.Go(func…)` on an errgroup.Group and
// `wg.Go(func…)` on a sync.WaitGroup (from Go 1.25, by the language version), and calls that give
// a func literal or a method value to a function of the package that runs it in a goroutine
// (`safeGo(func…)`, `g.Go(p.flush)`: param-runs.ts). Found from a scan of the text for `go`, `.Go(`
// and calls of the package's functions that take a func, with a tree lookup at each hit, so a file
// without them costs a few regular-expression passes. A `.Go(` call is kept only when its receiver
// is declared in the function as one of those two types. What the goroutine runs is a func
// literal, or a declared function or method: `go p.flush()`, `go Until(p.flush, stop)` where Until
// calls its parameter, `t := p.flush; go t()`.
import type { Node } from 'web-tree-sitter';
import type { FileAnalysis } from '../analysis/analysis';
import type { Pass } from '../analysis/pass';
import { importNames } from './imports';
import { declarations, paramRuns, type Declarations, type ParamRun } from './param-runs';
import { functionSyntax, initialValue, type Binding, type FunctionSyntax } from './syntax';

export type SpawnKind = 'go' | 'errgroup' | 'waitgroup' | 'helper';

export interface Spawn {
  kind: SpawnKind;
  /** The statement that starts the goroutine (`go_statement`, or the statement holding `g.Go(…)`). */
  stmt: Node;
  /** The call the goroutine runs (`go f(x)`), or the `g.Go(…)` call. */
  call: Node;
  /** The function literal the goroutine runs, when it is one. */
  literal?: Node;
  /** The method value the goroutine runs (`p.flush` of `go Until(p.flush, stop)`), when it is one; `callees` are the methods it may be. */
  target?: Node;
  /** For a literal or method value given to a function that runs it: the callee as written (`g.Go`) and where it runs it. */
  runner?: { name: string; run?: ParamRun };
  /** An errgroup with `SetLimit`: how many of its goroutines run at once is not for a rule to prove. */
  limited: boolean;
  /** The top-level function the statement is in. */
  fn: Node;
  /**
   * For `go f(…)` and `go x.m(…)`: the declarations in this file the call may run, the function `f`
   * or every method named `m` (which receiver type it is, is the reader's to settle).
   */
  callees?: readonly Node[];
}

const GO_KEYWORD = /\bgo\b(?=[ \t]*[\w(])/g;
const GO_METHOD = /\.Go\(/g;

export const goroutines: FileAnalysis<readonly Spawn[]> = {
  id: 'goroutines',
  kind: 'file',
  requires: [functionSyntax, importNames, declarations, paramRuns],
  // A goroutine running a declared function or method runs that body: its text is read too.
  dependsOn: ['goroutine-callees'],
  run(pass) {
    const root = pass.unit.tree.rootNode;
    const spawns: Spawn[] = [];
    let declared: Declarations | undefined;
    for (const m of pass.matchesOf(GO_KEYWORD)) {
      const kw = root.descendantForIndex(m.index, m.index + 2);
      const stmt = kw?.parent;
      if (kw?.type !== 'go' || stmt?.type !== 'go_statement') continue;
      const call = stmt.namedChildren.find((c) => c?.type === 'call_expression');
      const fn = pass.functionAt(stmt.startIndex);
      if (!call || !fn) continue;
      const callee = call.childForFieldName('function');
      if (callee?.type === 'func_literal') {
        spawns.push({ kind: 'go', stmt, call, literal: callee, limited: false, fn });
        continue;
      }
      const syntax = pass.resultFor(functionSyntax, fn);
      if (callee?.type === 'identifier') {
        // `go f(…)` where f is a local variable holding one func literal (a crawler's `crawl`), or one method value.
        const b = syntax.bindingAt(callee);
        if (b) {
          const held = heldFunc(b, syntax);
          if (held?.type === 'func_literal') spawns.push({ kind: 'go', stmt, call, literal: held, limited: false, fn });
          else if (held) spawns.push({ kind: 'go', stmt, call, target: held, limited: false, fn, callees: methodsNamed(pass, held) });
          continue;
        }
      }
      declared ??= pass.result(declarations);
      const name = callee?.type === 'identifier' ? callee.text : callee?.type === 'selector_expression' ? callee.childForFieldName('field')?.text : undefined;
      const found = name === undefined ? undefined : callee?.type === 'identifier' ? declared.functions.get(name) : declared.methods.get(name);
      const callees = found === undefined ? [] : Array.isArray(found) ? found : [found];
      spawns.push({ kind: 'go', stmt, call, limited: false, fn, callees });
      // `go Until(p.flush, stop)`: what Until (of this file or, by its summary, another of the
      // package) runs of its arguments runs in this goroutine too.
      let handed = false;
      if (name !== undefined) {
        argumentsOf(call).forEach((arg, i) => {
          if (!FUNC_VALUE.has(arg.type)) return;
          const run = pass.result(paramRuns).ofCall(call, i);
          handed ||= run !== undefined;
          const s = run && funcArgument(pass, arg, syntax, { kind: 'go', stmt, call, limited: false, fn, runner: { name, run } });
          if (s) spawns.push(s);
        });
      }
      if (callees.length === 0 && !handed && callee) {
        // `go wait.Until(c.worker, …)`: a library loop calling its argument.
        const i = pass.result(paramRuns).libraryRun(call);
        const arg = i === undefined ? undefined : argumentsOf(call)[i];
        const s = arg && funcArgument(pass, arg, syntax, { kind: 'go', stmt, call, limited: false, fn, runner: { name: callee.text } });
        if (s) spawns.push(s);
      }
    }
    // `safeGo(func(){…})`, `g.Go(p.flush)`: a call of a function of the file that takes a func
    // and runs it in a goroutine. Only the calls of those that take one are looked at.
    const runners = pass.result(paramRuns).runnerNames();
    if (runners.size > 0) {
      for (const m of pass.matchesOf(new RegExp(`\\b(?:${[...runners].join('|')})\\s*\\(`, 'g'))) {
        const name = root.descendantForIndex(m.index, m.index + 1);
        const sel = name?.type === 'field_identifier' ? name.parent : null;
        const callee = sel?.type === 'selector_expression' ? sel : name?.type === 'identifier' ? name : null;
        const call = callee?.parent;
        const stmt = call?.parent;
        if (!callee || call?.type !== 'call_expression' || call.childForFieldName('function')?.id !== callee.id || stmt?.type !== 'expression_statement') continue;
        const fn = pass.functionAt(m.index);
        if (!fn) continue;
        argumentsOf(call).forEach((arg, i) => {
          if (!FUNC_VALUE.has(arg.type)) return;
          const run = pass.result(paramRuns).ofCall(call, i);
          if (!run?.goroutine) return;
          const s = funcArgument(pass, arg, pass.resultFor(functionSyntax, fn), { kind: 'helper', stmt, call, limited: false, fn, runner: { name: callee.text, run } });
          if (s) spawns.push(s);
        });
      }
    }
    for (const m of pass.matchesOf(GO_METHOD)) {
      const field = root.descendantForIndex(m.index + 1, m.index + 3);
      const sel = field?.parent;
      const call = sel?.parent;
      if (field?.type !== 'field_identifier' || sel?.type !== 'selector_expression' || call?.type !== 'call_expression') continue;
      if (call.childForFieldName('function')?.id !== sel.id) continue;
      const args = call.childForFieldName('arguments')?.namedChildren.filter((n): n is Node => n !== null && n.type !== 'comment') ?? [];
      // `g.Go(func…)`, or `g.Go(c.run)`: a method value of one of the file's methods.
      const method = args[0]?.type === 'selector_expression' ? methodsNamed(pass, args[0]) : [];
      if (args.length !== 1 || (args[0].type !== 'func_literal' && method.length === 0)) continue;
      const stmt = call.parent;
      const fn = stmt ? pass.functionAt(stmt.startIndex) : undefined;
      const operand = sel.childForFieldName('operand');
      if (stmt?.type !== 'expression_statement' || !fn || operand?.type !== 'identifier') continue;
      const group = groupOf(operand, fn, pass);
      if (group && method.length > 0) spawns.push({ kind: group.kind, stmt, call, target: args[0], callees: method, limited: group.limited, fn });
      else if (group) spawns.push({ kind: group.kind, stmt, call, literal: args[0], limited: group.limited, fn });
    }
    // A `.Go(` of the file's own type and an errgroup's at once: the group's reading stands.
    const grouped = new Set(spawns.filter((s) => s.kind === 'errgroup' || s.kind === 'waitgroup').map((s) => s.call.id));
    return spawns.filter((s) => s.kind !== 'helper' || !grouped.has(s.call.id)).sort((a, b) => a.stmt.startIndex - b.stmt.startIndex);
  },
};

/**
 * The func literal a local variable holds for its whole life: `f := func(…){…}`, or `var f func(…)`
 * assigned once `f = func(…){…}` (so the literal may call itself), never otherwise assigned or
 * address-taken; or the method value `t := p.flush` (its receiver evaluated there: a receiver
 * variable assigned anywhere after that might be another value, so then nothing).
 */
function heldFunc(b: Binding, syntax: FunctionSyntax): Node | undefined {
  if (b.kind !== 'var' || b.refs.some((r) => r.context === 'address')) return undefined;
  const assigns = b.refs.filter((r) => r.context === 'assign');
  const init = initialValue(b);
  if (init?.type === 'selector_expression' && assigns.length === 0) {
    const recv = init.childForFieldName('operand');
    const rb = recv?.type === 'identifier' ? syntax.bindingAt(recv) : undefined;
    return rb && !rb.refs.some((r) => r.context === 'address' || (r.context === 'assign' && r.id.startIndex > init.startIndex)) ? init : undefined;
  }
  if (init) return init.type === 'func_literal' && assigns.length === 0 ? init : undefined;
  if (b.decl.type !== 'var_spec' || assigns.length !== 1) return undefined;
  const list = assigns[0].id.parent;
  const stmt = list?.parent;
  if (list?.type !== 'expression_list' || list.namedChildCount !== 1 || stmt?.type !== 'assignment_statement' || stmt.childForFieldName('left')?.id !== list.id) return undefined;
  if (stmt.childForFieldName('operator')?.text !== '=') return undefined;
  const right = stmt.childForFieldName('right');
  const value = right?.namedChildCount === 1 ? right.namedChild(0) : null;
  return value?.type === 'func_literal' ? value : undefined;
}

function argumentsOf(call: Node): Node[] {
  return call.childForFieldName('arguments')?.namedChildren.filter((n): n is Node => n !== null && n.type !== 'comment') ?? [];
}

/** What a func argument may be: a literal, a method value, a local holding one. */
const FUNC_VALUE = new Set(['func_literal', 'selector_expression', 'identifier']);

/** The spawn of a func argument that a runner runs: a func literal, a method value of the file's methods, or a local holding one of them. */
function funcArgument(pass: Pass, arg: Node, syntax: FunctionSyntax, base: Spawn): Spawn | undefined {
  let value: Node | undefined = arg;
  if (arg.type === 'identifier') {
    const b = syntax.bindingAt(arg);
    value = b ? heldFunc(b, syntax) : undefined;
  }
  if (value?.type === 'func_literal') return { ...base, literal: value };
  if (value?.type !== 'selector_expression' || value.childForFieldName('operand')?.type !== 'identifier') return undefined;
  const callees = methodsNamed(pass, value);
  return callees.length > 0 ? { ...base, target: value, callees } : undefined;
}

/** The file's methods named like the field of a selector. */
function methodsNamed(pass: Pass, sel: Node): readonly Node[] {
  return pass.result(declarations).methods.get(sel.childForFieldName('field')?.text ?? '') ?? [];
}

/** What `g` of `g.Go(…)` is: an errgroup.Group (and whether it has a limit) or a sync.WaitGroup declared in the function. */
function groupOf(operand: Node, fn: Node, pass: Pass): { kind: SpawnKind; limited: boolean } | undefined {
  const syntax = pass.resultFor(functionSyntax, fn);
  const b = syntax.bindingAt(operand);
  if (!b || b.kind !== 'var') return undefined;
  const text = b.decl.text.replace(/\s+/g, ' ');
  const imports = pass.result(importNames);
  if (imports.has('errgroup') && /errgroup\.(?:Group\b|WithContext\()/.test(text)) {
    // SetLimit(1) serialises the goroutines; any limit makes "they all run at once" unprovable.
    const limited = b.refs.some((r) => {
      const sel = syntax.parent(r.id);
      return sel?.type === 'selector_expression' && sel.childForFieldName('field')?.text === 'SetLimit';
    });
    return { kind: 'errgroup', limited };
  }
  if (imports.has('sync') && /sync\.WaitGroup\b/.test(text) && pass.language.minor >= 25) return { kind: 'waitgroup', limited: false };
  return undefined;
}
