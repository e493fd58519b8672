// Where a file starts goroutines: `go …` statements, `g.Go(func…)` on an errgroup.Group and
// `wg.Go(func…)` on a sync.WaitGroup (from Go 1.25, by the language version). Found from a scan of
// the text for `go` and `.Go(` with a tree lookup at each hit, so a file without them costs one
// regular-expression pass. A `.Go(` call is kept only when its receiver is declared in the function
// as one of those two types.
import type { Node } from 'web-tree-sitter';
import type { FileAnalysis } from '../analysis/analysis';
import type { Pass } from '../analysis/pass';
import { importNames } from './imports';
import { functionSyntax, initialValue, type Binding } from './syntax';

export type SpawnKind = 'go' | 'errgroup' | 'waitgroup';

export interface Spawn {
  kind: SpawnKind;
  /** The statement that starts the goroutine (`go_statement`, or the statement holding `g.Go(…)`). */
  stmt: Node;
  /** The call the goroutine runs (`go f(x)`), or the `g.Go(…)` call. */
  call: Node;
  /** The function literal the goroutine runs, when it is one. */
  literal?: Node;
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
  requires: [functionSyntax, importNames],
  // A goroutine running a declared function or method runs that body: its text is read too.
  dependsOn: ['goroutine-callees'],
  run(pass) {
    const root = pass.unit.tree.rootNode;
    const spawns: Spawn[] = [];
    let declared: ReturnType<typeof declarations> | undefined;
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
      if (callee?.type === 'identifier') {
        // `go f(…)` where f is a local variable holding one func literal (a crawler's `crawl`).
        const b = pass.resultFor(functionSyntax, fn).bindingAt(callee);
        if (b) {
          const lit = closureOf(b);
          if (lit) spawns.push({ kind: 'go', stmt, call, literal: lit, limited: false, fn });
          continue;
        }
      }
      declared ??= declarations(pass);
      const name = callee?.type === 'identifier' ? callee.text : callee?.type === 'selector_expression' ? callee.childForFieldName('field')?.text : undefined;
      const found = name === undefined ? undefined : callee?.type === 'identifier' ? declared.functions.get(name) : declared.methods.get(name);
      const callees = found === undefined ? [] : Array.isArray(found) ? found : [found];
      spawns.push({ kind: 'go', stmt, call, limited: false, fn, callees });
    }
    for (const m of pass.matchesOf(GO_METHOD)) {
      const field = root.descendantForIndex(m.index + 1, m.index + 3);
      const sel = field?.parent;
      const call = sel?.parent;
      if (field?.type !== 'field_identifier' || sel?.type !== 'selector_expression' || call?.type !== 'call_expression') continue;
      if (call.childForFieldName('function')?.id !== sel.id) continue;
      const args = call.childForFieldName('arguments')?.namedChildren.filter((n): n is Node => n !== null && n.type !== 'comment') ?? [];
      if (args.length !== 1 || args[0].type !== 'func_literal') continue;
      const stmt = call.parent;
      const fn = stmt ? pass.functionAt(stmt.startIndex) : undefined;
      const operand = sel.childForFieldName('operand');
      if (stmt?.type !== 'expression_statement' || !fn || operand?.type !== 'identifier') continue;
      const group = groupOf(operand, fn, pass);
      if (group) spawns.push({ kind: group.kind, stmt, call, literal: args[0], limited: group.limited, fn });
    }
    return spawns.sort((a, b) => a.stmt.startIndex - b.stmt.startIndex);
  },
};

/**
 * The func literal a local variable holds for its whole life: `f := func(…){…}`, or `var f func(…)`
 * assigned once `f = func(…){…}` (so the literal may call itself), never otherwise assigned or
 * address-taken.
 */
function closureOf(b: Binding): Node | undefined {
  if (b.kind !== 'var' || b.refs.some((r) => r.context === 'address')) return undefined;
  const assigns = b.refs.filter((r) => r.context === 'assign');
  const init = initialValue(b);
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

/** The file's functions by name (the first of each, as a search in source order finds) and its methods by name. */
function declarations(pass: Pass): { functions: Map<string, Node>; methods: Map<string, Node[]> } {
  const functions = new Map<string, Node>();
  const methods = new Map<string, Node[]>();
  for (const f of pass.functions) {
    const name = f.childForFieldName('name')?.text;
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
