// Every place a function reads or writes a container through a variable: `x[k] = v`, `x[k] op= v`,
// `x[k]++` (writes), `x[k]`, `delete(x, k)`, `clear(x)`, `len(x)`, `range x`, also through fields
// (`s.a.m[k] = v`). Each access names what it goes through: the local binding or package-level
// name at its base and the field path after it. Whether that is a map is the reader's question
// (a slice is indexed the same way); rules answer it from declarations and the package index.
import type { Node } from 'web-tree-sitter';
import type { FunctionAnalysis } from '../analysis/analysis';
import { functionSyntax, push, type Binding, type FunctionSyntax } from './syntax';

export type AccessOp = 'index' | 'delete' | 'clear' | 'len' | 'range';

export interface MapAccess {
  /** What a finding points at: the index expression, the `delete`/`clear`/`len` call, or the ranged expression. */
  node: Node;
  /** The container expression: the identifier, or the selector chain `s.a.m`. */
  expr: Node;
  op: AccessOp;
  /** Assigns into the container (`x[k] = v`, `op=`, `++`/`--`, `delete`, `clear`). */
  write: boolean;
  /** The local binding at the base, when it is one. */
  binding?: Binding;
  /** The base identifier's name. */
  name: string;
  /** The selectors after the base (`['a', 'm']` for `s.a.m`). */
  path: readonly string[];
  /** The innermost function or closure the access is in. */
  owner: Node;
  /**
   * For `x[k]` whose element is itself used as a container (`x[k][j] = v`, `len(x[k])`,
   * `delete(x[k], j)`, `range x[k]`): the key and what is done to the element. Whether the element
   * is a map is the reader's question, as for the access itself.
   */
  element?: { key: Node; node: Node; op: AccessOp; write: boolean };
}

export class MapAccesses {
  private readonly byExpr = new Map<number, MapAccess>();
  private readonly byBinding = new Map<Binding, MapAccess[]>();
  private readonly byFree = new Map<string, MapAccess[]>();

  constructor(readonly all: readonly MapAccess[]) {
    for (const a of all) {
      this.byExpr.set(a.expr.id, a);
      if (a.binding) push(this.byBinding, a.binding, a);
      else push(this.byFree, a.name, a);
    }
  }

  /** The access a container expression makes (the identifier or selector chain as written), if any. */
  at(expr: Node): MapAccess | undefined {
    return this.byExpr.get(expr.id);
  }

  /** The accesses through a local binding (any field path), in source order. */
  of(binding: Binding): readonly MapAccess[] {
    return this.byBinding.get(binding) ?? [];
  }

  /** The accesses through a package-level name (any field path), in source order. */
  ofFree(name: string): readonly MapAccess[] {
    return this.byFree.get(name) ?? [];
  }
}

export const mapAccesses: FunctionAnalysis<MapAccesses> = {
  id: 'map-accesses',
  kind: 'function',
  requires: [functionSyntax],
  run: (pass, fn) => {
    const syntax = pass.resultFor(functionSyntax, fn);
    const found: MapAccess[] = [];
    for (const b of syntax.bindings) {
      for (const r of b.refs) {
        if (r.context !== 'read' && r.context !== 'index' && r.context !== 'selector') continue;
        const a = accessThrough(r.id, syntax, r.owner);
        if (a) found.push({ ...a, binding: b });
      }
    }
    for (const f of syntax.free) {
      if (f.context !== 'read' && f.context !== 'index' && f.context !== 'selector') continue;
      const a = accessThrough(f.id, syntax, f.owner);
      if (a) found.push(a);
    }
    found.sort((x, y) => x.node.startIndex - y.node.startIndex);
    return new MapAccesses(found);
  },
};

/** The access an identifier starts, following the selector chain above it to the expression that is used. */
function accessThrough(id: Node, syntax: FunctionSyntax, owner: Node): MapAccess | undefined {
  let expr = id;
  const path: string[] = [];
  for (let p = syntax.parent(expr); p?.type === 'selector_expression' && p.childForFieldName('operand')?.id === expr.id; p = syntax.parent(expr)) {
    const field = p.childForFieldName('field');
    if (!field) return undefined;
    path.push(field.text);
    expr = p;
  }
  const base = { expr, name: id.text, path, owner };
  const use = useOf(expr, syntax);
  if (!use) return undefined;
  if (use.op !== 'index') return { ...base, ...use };
  const inner = useOf(use.node, syntax);
  const key = use.node.childForFieldName('index');
  return inner && key ? { ...base, ...use, element: { key, ...inner } } : { ...base, ...use };
}

/** What is done to a container expression: indexed (read or written), `delete`/`clear`/`len`, or ranged over. */
function useOf(expr: Node, syntax: FunctionSyntax): { node: Node; op: AccessOp; write: boolean } | undefined {
  const parent = syntax.parent(expr);
  if (!parent) return undefined;
  if (parent.type === 'index_expression' && parent.childForFieldName('operand')?.id === expr.id) {
    return { node: parent, op: 'index', write: isWriteTarget(parent, syntax) };
  }
  if (parent.type === 'argument_list') {
    const call = syntax.parent(parent);
    const fn = call?.childForFieldName('function');
    if (call?.type !== 'call_expression' || fn?.type !== 'identifier') return undefined;
    const first = parent.namedChildren.find((n) => n?.type !== 'comment');
    if (first?.id !== expr.id) return undefined;
    if (fn.text === 'delete' || fn.text === 'clear') return { node: call, op: fn.text, write: true };
    if (fn.text === 'len') return { node: call, op: 'len', write: false };
    return undefined;
  }
  if (parent.type === 'range_clause' && parent.childForFieldName('right')?.id === expr.id) {
    return { node: expr, op: 'range', write: false };
  }
  return undefined;
}

/** `x[k] = …` (any assignment operator, possibly one of several targets) or `x[k]++`. */
export function isWriteTarget(index: Node, syntax: { parent(n: Node): Node | null }): boolean {
  const parent = syntax.parent(index);
  if (!parent) return false;
  if (parent.type === 'inc_statement' || parent.type === 'dec_statement') return true;
  const stmt = syntax.parent(parent);
  return parent.type === 'expression_list' && stmt?.type === 'assignment_statement' && stmt.childForFieldName('left')?.id === parent.id;
}
