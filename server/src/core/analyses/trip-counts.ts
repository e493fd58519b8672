// Trip counts of `for` loops, derived from the syntax and the declarations a function's scopes
// resolve: range over a slice, array, pointer to array, string, map or integer, and counted loops
// `for i := 0; i < n; i++` (and `for i := n - 1; i >= 0; i--`). The count is an expression that
// could be written where the loop starts (`len(items)`, `n`, `100`), the names it depends on, and a
// constant when one is known. Unknown shapes (channels, functions, calls, `for {}`) give nothing.
import type { Node } from 'web-tree-sitter';
import { INTEGERS, underlying, type Ty } from '../index/go-types';
import type { PackageIndex } from '../index/package-index';
import type { ExprTypes } from './expr-types';
import type { Binding, FunctionSyntax } from './syntax';

export type RangeKind = 'slice' | 'array' | 'ptrarray' | 'map' | 'string' | 'int';

export interface TripCount {
  /** Go expression for the number of iterations, valid at the loop's start. */
  expr: string;
  /** The expression is a sum, difference or product: parenthesise it inside a product. */
  compound: boolean;
  /** Its value when known. */
  constant?: number;
  /** Root identifiers the expression depends on. */
  names: string[];
  /** What the loop ranges over, or `counted` for a three-clause loop. */
  over: RangeKind | 'counted';
  /** Whether the count is exact (false for a string: `len` counts bytes, the loop runes). */
  exact: boolean;
  /** Loop variables whose value is distinct on every iteration (the index, a map key, the counter). */
  distinct: string[];
  /** Loop variables the clause declares or assigns. */
  vars: string[];
  /**
   * The ranged value is a call's result (`range load()`): `expr` states the count, but calling
   * again at `make` may cost, fail or return another length, so it cannot be the hint as written.
   */
  call?: string;
  /** The count reads an element of this map (`byKind` in `len(byKind[k])`): writing any element of it may change the count. */
  element?: string;
}

export interface Resolver {
  /** The local binding an identifier at this position refers to, if any. */
  binding(id: Node): Binding | undefined;
  pkg: PackageIndex;
  /** The function's expression types: what the declarations written in it do not say. */
  types?: ExprTypes;
}

export function resolverFor(syntax: FunctionSyntax, pkg: PackageIndex, types?: ExprTypes): Resolver {
  return { pkg, binding: (id) => syntax.referenceAt(id)?.binding, ...(types ? { types } : {}) };
}

/** The kind of a value of a known type (a call's result, a package variable, a field of another package's type). */
function kindOfTy(t: Ty): Kind {
  const u = underlying(t);
  if (!u) return OTHER;
  switch (u.k) {
    case 'slice':
      return { kind: 'slice' };
    case 'array':
      return u.len === undefined ? { kind: 'array' } : { kind: 'array', len: u.len };
    case 'map':
      return { kind: 'map' };
    case 'pointer': {
      const a = underlying(u.elem);
      return a?.k === 'array' && a.len !== undefined ? { kind: 'ptrarray', len: a.len } : OTHER;
    }
    case 'basic':
      if (u.name === 'string' || u.name === 'untyped string') return { kind: 'string' };
      return INTEGERS.has(u.name) ? { kind: 'int' } : OTHER;
    default:
      return OTHER;
  }
}

/** What the declarations say, else what the expression's type says. */
function kindOfExpr(e: Node | null | undefined, r: Resolver, depth = 0): Kind {
  const k = kindOfSyntax(e, r, depth);
  if (k.kind !== 'other' || !r.types || !e) return k;
  if (!TYPED.has(e.type)) return k;
  return kindOfTy(r.types.typeOf(e));
}

/** Expressions whose kind the expression types answer when the declarations written in the function do not. */
const TYPED = new Set(['identifier', 'selector_expression', 'call_expression', 'index_expression', 'slice_expression']);

interface Kind {
  kind: RangeKind | 'other';
  /** Known length (array length, literal element count, `make([]T, 100)`). */
  len?: number;
  /** `make([]T, n)`: the length expression. */
  lenExpr?: Node;
}

const INT_TYPES = new Set(['int', 'int8', 'int16', 'int32', 'int64', 'uint', 'uint8', 'uint16', 'uint32', 'uint64', 'uintptr', 'byte', 'rune']);
/** Standard-library functions returning a slice, whose result a variable may hold. */
const SLICE_FUNCS = new Set([
  'strings.Split', 'strings.SplitN', 'strings.SplitAfter', 'strings.Fields', 'strings.FieldsFunc',
  'bytes.Split', 'bytes.SplitN', 'bytes.Fields', 'bytes.FieldsFunc', 'filepath.SplitList', 'os.Environ',
  'slices.Collect', 'slices.Sorted', 'slices.Clone', 'append',
]);
const OTHER: Kind = { kind: 'other' };

function intLiteral(n: Node | null | undefined): number | undefined {
  if (n?.type !== 'int_literal') return undefined;
  const t = n.text.replace(/_/g, '');
  const v = /^0[xX]/.test(t) ? parseInt(t.slice(2), 16) : /^0[bB]/.test(t) ? parseInt(t.slice(2), 2) : /^0[oO]?[0-7]+$/.test(t) && t.length > 1 ? parseInt(t.replace(/^0[oO]?/, ''), 8) : Number(t);
  return Number.isSafeInteger(v) ? v : undefined;
}

/** The kind of a type written in the source. */
function kindOfType(type: Node | null | undefined, r: Resolver, depth = 0): Kind {
  if (!type || depth > 4) return OTHER;
  switch (type.type) {
    case 'parenthesized_type':
      return kindOfType(type.namedChild(0), r, depth + 1);
    case 'slice_type':
      return { kind: 'slice' };
    case 'array_type': {
      const len = intLiteral(type.childForFieldName('length'));
      return len === undefined ? { kind: 'array' } : { kind: 'array', len };
    }
    case 'map_type':
      return { kind: 'map' };
    case 'pointer_type': {
      const elem = type.namedChild(0);
      if (elem?.type !== 'array_type') return OTHER;
      const len = intLiteral(elem.childForFieldName('length'));
      return len === undefined ? OTHER : { kind: 'ptrarray', len };
    }
    case 'type_identifier': {
      if (type.text === 'string') return { kind: 'string' };
      if (INT_TYPES.has(type.text)) return { kind: 'int' };
      const t = r.pkg.types.get(type.text);
      if (!t || t.generic) return OTHER;
      if (t.kind === 'map') return { kind: 'map' };
      if (/^\[\]/.test(t.typeText)) return { kind: 'slice' };
      if (t.typeText === 'string') return { kind: 'string' };
      return OTHER;
    }
    default:
      return OTHER;
  }
}

/** The kind of the value an expression evaluates to, as far as the declarations written in the function tell. */
function kindOfSyntax(e: Node | null | undefined, r: Resolver, depth = 0): Kind {
  if (!e || depth > 4) return OTHER;
  switch (e.type) {
    case 'parenthesized_expression':
      return kindOfExpr(e.namedChild(0), r, depth + 1);
    case 'int_literal': {
      const v = intLiteral(e);
      return v === undefined ? { kind: 'int' } : { kind: 'int', len: v };
    }
    case 'interpreted_string_literal':
    case 'raw_string_literal':
      return { kind: 'string' };
    case 'composite_literal': {
      const k = kindOfType(e.childForFieldName('type'), r, depth + 1);
      if (k.kind !== 'slice' && k.kind !== 'array' && k.kind !== 'map') return OTHER;
      const body = e.childForFieldName('body');
      const elems = body?.namedChildren.filter((n): n is Node => n !== null && n.type !== 'comment') ?? [];
      if (k.kind === 'array' && k.len !== undefined) return k;
      if (k.kind !== 'map' && elems.some((n) => n.type === 'keyed_element')) return { kind: k.kind };
      return { kind: k.kind, len: elems.length };
    }
    case 'slice_expression': {
      const k = kindOfExpr(e.childForFieldName('operand'), r, depth + 1);
      if (k.kind === 'slice' || k.kind === 'array' || k.kind === 'ptrarray') return { kind: 'slice' };
      if (k.kind === 'string') return { kind: 'string' };
      return OTHER;
    }
    case 'call_expression': {
      const fn = e.childForFieldName('function');
      const args = e.childForFieldName('arguments')?.namedChildren.filter((n): n is Node => n !== null && n.type !== 'comment') ?? [];
      if (fn?.text === 'len' || fn?.text === 'cap') return { kind: 'int' };
      if (fn?.text === 'make' && args[0]?.type === 'slice_type' && args.length >= 2) {
        const len = intLiteral(args[1]);
        return len === undefined ? { kind: 'slice', lenExpr: args[1] } : { kind: 'slice', len };
      }
      if (fn?.text === 'make' && args[0]?.type === 'map_type') return { kind: 'map' };
      if (fn && SLICE_FUNCS.has(fn.text)) return { kind: 'slice' };
      return OTHER;
    }
    case 'identifier': {
      const b = r.binding(e);
      if (!b) return OTHER;
      return kindOfBinding(b, r, depth + 1);
    }
    case 'selector_expression': {
      // `x.f` where x is a local of a struct type declared in this package (or a pointer to one).
      const operand = e.childForFieldName('operand');
      const field = e.childForFieldName('field')?.text;
      if (operand?.type !== 'identifier' || !field) return OTHER;
      const b = r.binding(operand);
      if (!b) return OTHER;
      let type = declaredType(b);
      if (type?.type === 'pointer_type') type = type.namedChild(0);
      if (type?.type !== 'type_identifier') return OTHER;
      const struct = r.pkg.struct(type.text);
      if (!struct || struct.generic) return OTHER;
      const f = struct.fields.find((x) => x.name === field && !x.embedded);
      if (!f) return OTHER;
      return kindOfTypeText(f.typeText, r);
    }
    default:
      return OTHER;
  }
}

function kindOfTypeText(text: string, r: Resolver): Kind {
  if (text.startsWith('[]')) return { kind: 'slice' };
  if (text.startsWith('map[')) return { kind: 'map' };
  const arr = /^\[(\d+)\]/.exec(text);
  if (arr) return { kind: 'array', len: Number(arr[1]) };
  if (text === 'string') return { kind: 'string' };
  if (/^\w+$/.test(text)) {
    const t = r.pkg.types.get(text);
    if (t && !t.generic) {
      if (t.kind === 'map') return { kind: 'map' };
      if (t.typeText.startsWith('[]')) return { kind: 'slice' };
    }
  }
  return OTHER;
}

function declaredType(b: Binding): Node | null {
  const d = b.decl;
  if (d.type === 'parameter_declaration' || d.type === 'var_spec') return d.childForFieldName('type');
  return null;
}

/** The declared type of a range variable, when the ranged value is a local with a written slice, array or map type. */
function rangeVarType(b: Binding, r: Resolver): Node | null {
  const clause = b.decl;
  const vars = clause.childForFieldName('left')?.namedChildren.filter((n): n is Node => n !== null) ?? [];
  const i = vars.findIndex((n) => n.equals(b.id));
  const right = clause.childForFieldName('right');
  if (i < 0 || right?.type !== 'identifier') return null;
  const rb = r.binding(right);
  let t = rb ? declaredType(rb) : null;
  if (rb?.decl.type === 'variadic_parameter_declaration') return i === 1 ? rb.decl.childForFieldName('type') : null;
  while (t?.type === 'parenthesized_type') t = t.namedChild(0);
  if (!t) return null;
  if (t.type === 'map_type') return t.childForFieldName(i === 0 ? 'key' : 'value');
  if ((t.type === 'slice_type' || t.type === 'array_type') && i === 1) return t.childForFieldName('element');
  return null;
}

function kindOfBinding(b: Binding, r: Resolver, depth: number): Kind {
  const d = b.decl;
  if (d.type === 'variadic_parameter_declaration') return { kind: 'slice' };
  const type = declaredType(b);
  if (type) return kindOfType(type, r, depth);
  if (d.type === 'range_clause') return kindOfType(rangeVarType(b, r), r, depth);
  if (d.type !== 'short_var_declaration' && d.type !== 'var_spec' && d.type !== 'const_spec') return OTHER;
  const left = d.type === 'short_var_declaration'
    ? d.childForFieldName('left')?.namedChildren.filter((n): n is Node => n !== null) ?? []
    : d.childrenForFieldName('name').filter((n): n is Node => n !== null);
  const values = d.childForFieldName(d.type === 'short_var_declaration' ? 'right' : 'value')?.namedChildren.filter((n): n is Node => n !== null) ?? [];
  if (values.length !== left.length) return OTHER;
  const i = left.findIndex((n) => n.equals(b.id));
  if (i < 0) return OTHER;
  const k = kindOfExpr(values[i], r, depth);
  // A length read off the initial value holds only while the variable is never changed; a map's
  // grows through any index write, and may through any use but `len` and `range`.
  if ((k.len !== undefined || k.lenExpr) && b.refs.some((ref) => ref.context !== 'read' && ref.context !== 'index')) {
    return { kind: k.kind };
  }
  if (k.kind === 'map' && k.len !== undefined && b.refs.some((ref) => !onlyMeasures(ref.id))) return { kind: 'map' };
  return k;
}

/** `len(x)` or `range x`: a use that cannot change x. */
function onlyMeasures(id: Node): boolean {
  const p = id.parent;
  if (p?.type === 'range_clause') return p.childForFieldName('right')?.equals(id) ?? false;
  const call = p?.type === 'argument_list' ? p.parent : null;
  return call?.type === 'call_expression' && call.childForFieldName('function')?.text === 'len';
}

/** Identifiers an expression mentions, outside selector fields and types. */
function rootNames(e: Node): string[] {
  const out = new Set<string>();
  const stack: Node[] = [e];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (n.type === 'identifier') out.add(n.text);
    else if (n.type !== 'field_identifier') for (const c of n.namedChildren) if (c) stack.push(c);
  }
  out.delete('len');
  return [...out];
}

/** `x`, `x.y.z`, `len(x)`, an integer literal: an expression cheap and safe to repeat at `make`. */
function isSimple(e: Node): boolean {
  if (e.type === 'identifier' || e.type === 'int_literal') return true;
  if (e.type === 'selector_expression') {
    const op = e.childForFieldName('operand');
    return op !== null && (op.type === 'identifier' || op.type === 'selector_expression') && isSimple(op);
  }
  if (e.type === 'call_expression' && e.childForFieldName('function')?.text === 'len') {
    const args = e.childForFieldName('arguments')?.namedChildren.filter((n): n is Node => n !== null) ?? [];
    return args.length === 1 && (args[0].type === 'identifier' || args[0].type === 'selector_expression') && isSimple(args[0]);
  }
  return false;
}

function lhsNames(list: Node | null): string[] {
  return list?.namedChildren.filter((n): n is Node => n?.type === 'identifier').map((n) => n.text) ?? [];
}

/** The number of iterations of a `for` statement, when the syntax and declarations determine it. */
export function tripCount(loop: Node, r: Resolver, rangeOverInt: boolean): TripCount | undefined {
  const clause = loop.namedChildren.find((n) => n?.type === 'range_clause' || n?.type === 'for_clause');
  if (!clause) return undefined;
  if (clause.type === 'range_clause') return rangeCount(clause, r, rangeOverInt);
  return countedLoop(clause, r);
}

function rangeCount(clause: Node, r: Resolver, rangeOverInt: boolean): TripCount | undefined {
  const right = clause.childForFieldName('right');
  if (!right) return undefined;
  const vars = lhsNames(clause.childForFieldName('left'));
  const k = kindOfExpr(right, r);
  if (k.kind === 'other') return undefined;
  if (k.kind === 'int' && !rangeOverInt) return undefined;
  const distinct = k.kind === 'map' || k.kind === 'slice' || k.kind === 'array' || k.kind === 'ptrarray' || k.kind === 'string' || k.kind === 'int'
    ? vars.slice(0, 1)
    : [];
  const base = { over: k.kind, vars, distinct, exact: k.kind !== 'string' };
  if (right.type === 'composite_literal' || right.type === 'int_literal') {
    if (k.len === undefined) return undefined;
    return { ...base, expr: String(k.len), compound: false, constant: k.len, names: [] };
  }
  if (k.kind === 'ptrarray') {
    if (k.len === undefined) return undefined;
    return { ...base, expr: String(k.len), compound: false, constant: k.len, names: [] };
  }
  const expr = k.kind === 'int' ? right.text : `len(${right.text})`;
  const names = rootNames(right);
  if (isSimple(right)) return { ...base, expr, compound: false, constant: k.len, names };
  // `range byKind[k]` over a map of slices: repeating the element read at `make` is as cheap and safe.
  if (right.type === 'index_expression' && isMapElement(right, r)) {
    return { ...base, expr, compound: false, names, element: rootNames(right.childForFieldName('operand')!)[0] };
  }
  // `range load()`: the count is known, the hint needs the result kept in a variable first.
  if (right.type === 'call_expression' && !right.text.includes('\n')) return { ...base, expr, compound: false, names, call: right.text };
  return undefined;
}

/** `m[k]` with `m` simple and of a map type, `k` an identifier, a field chain or a literal: reading it has no effect and cannot panic. */
function isMapElement(e: Node, r: Resolver): boolean {
  const operand = e.childForFieldName('operand');
  const index = e.childForFieldName('index');
  if (!operand || !index || !isSimple(operand)) return false;
  if (!isSimple(index) && index.type !== 'interpreted_string_literal') return false;
  return kindOfExpr(operand, r).kind === 'map';
}

/** `for i := A; i < B; i++` (also `<=`, `i += 1`) and `for i := B - 1; i >= 0; i--`. */
function countedLoop(clause: Node, r: Resolver): TripCount | undefined {
  const init = clause.childForFieldName('initializer');
  const cond = clause.childForFieldName('condition');
  const update = clause.childForFieldName('update');
  if (init?.type !== 'short_var_declaration' || cond?.type !== 'binary_expression' || !update) return undefined;
  const left = init.childForFieldName('left')?.namedChildren.filter((n): n is Node => n !== null) ?? [];
  const right = init.childForFieldName('right')?.namedChildren.filter((n): n is Node => n !== null) ?? [];
  if (left.length !== 1 || right.length !== 1 || left[0].type !== 'identifier') return undefined;
  const i = left[0].text;
  const start = right[0];
  const op = cond.childForFieldName('operator')?.type;
  const cl = cond.childForFieldName('left');
  const bound = cond.childForFieldName('right');
  if (cl?.type !== 'identifier' || cl.text !== i || !bound) return undefined;
  const step = updateStep(update, i);
  const base = { over: 'counted' as const, vars: [i], distinct: [i], exact: true };
  if (step === 1 && (op === '<' || op === '<=')) {
    if (!isSimple(bound)) return undefined;
    const a = intLiteral(start);
    if (a === undefined) return undefined;
    const b = intLiteral(bound);
    const extra = op === '<=' ? 1 : 0;
    if (b !== undefined) {
      const n = Math.max(0, b - a + extra);
      return { ...base, expr: String(n), compound: false, constant: n, names: [] };
    }
    const delta = extra - a;
    const expr = delta === 0 ? bound.text : delta > 0 ? `${bound.text}+${delta}` : `${bound.text}-${-delta}`;
    // A bound the function states (`n := 1_000_000`, `const n = 64`) is the count's value too.
    const stated = bound.type === 'identifier' ? kindOfExpr(bound, r) : undefined;
    const value = stated?.kind === 'int' && stated.len !== undefined ? Math.max(0, stated.len + delta) : undefined;
    return { ...base, expr, compound: delta !== 0, ...(value !== undefined ? { constant: value } : {}), names: rootNames(bound) };
  }
  if (step === -1 && op === '>=' && intLiteral(bound) === 0) {
    // `for i := n - 1; i >= 0; i--`: n iterations.
    if (start.type !== 'binary_expression' || start.childForFieldName('operator')?.type !== '-') return undefined;
    const n = start.childForFieldName('left');
    if (!n || !isSimple(n) || intLiteral(start.childForFieldName('right')) !== 1) return undefined;
    const stated = n.type === 'identifier' ? kindOfExpr(n, r) : undefined;
    const c = intLiteral(n) ?? (stated?.kind === 'int' ? stated.len : undefined);
    return { ...base, expr: n.text, compound: false, ...(c !== undefined ? { constant: c } : {}), names: rootNames(n) };
  }
  return undefined;
}

function updateStep(update: Node, i: string): number | undefined {
  if (update.type === 'inc_statement' && update.namedChild(0)?.text === i) return 1;
  if (update.type === 'dec_statement' && update.namedChild(0)?.text === i) return -1;
  if (update.type === 'assignment_statement') {
    const l = update.childForFieldName('left');
    const r = update.childForFieldName('right');
    const op = update.childForFieldName('operator')?.type;
    if (l?.text !== i || intLiteral(r?.namedChild(0)) !== 1) return undefined;
    if (op === '+=') return 1;
    if (op === '-=') return -1;
  }
  return undefined;
}
