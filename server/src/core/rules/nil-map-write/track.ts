// Which variables start out holding a nil map, or a struct with nil map fields, and how: the
// declarations nil-map-write follows. A cheap text pre-filter says first whether a function can
// declare one of the names it writes through at all, so most functions never get a scope walk.
import type { Node } from 'web-tree-sitter';
import { IDENT, IDENT_CHAR as W } from '../../analysis/words';
import { initialValue, type Binding, type FunctionSyntax } from '../../analyses/syntax';
import type { FieldStep, PackageIndex } from '../../index/package-index';
import { namedTypeOf } from '../../index/types';

/** Why a tracked variable's map starts nil. */
export type Origin =
  | { kind: 'var' } // `var m map[K]V`, `var s T`
  | { kind: 'result' } // a named result
  | { kind: 'literal'; literal: Node } // `T{…}` or `&T{…}` leaving the field out
  | { kind: 'new'; call: Node }; // `new(T)`

export interface Tracked {
  binding: Binding;
  origin: Origin;
  /** The struct type when the variable holds (or points to) a struct, else undefined: the variable is the map. */
  structType?: string;
  pointer: boolean;
  /** Canonical field paths (`a.b`) that are nil maps; `''` for the variable itself. */
  nilPaths: Set<string>;
  /** The declared map type text, for a map variable. */
  mapType?: string;
}

export interface Base {
  id: Node;
  selectors: string[];
}

/** `m[k]` → m; `s.a.b[k]` → s with selectors [a, b]; anything else (calls, indexes, derefs) → undefined. */
export function baseIdentifier(index: Node): Base | undefined {
  let operand = index.childForFieldName('operand');
  const selectors: string[] = [];
  while (operand) {
    if (operand.type === 'parenthesized_expression') operand = operand.namedChild(0);
    else if (operand.type === 'selector_expression') {
      const field = operand.childForFieldName('field');
      if (!field) return undefined;
      selectors.unshift(field.text);
      operand = operand.childForFieldName('operand');
    } else if (operand.type === 'identifier') return { id: operand, selectors };
    else return undefined;
  }
  return undefined;
}

/**
 * Where a function's text may declare a local candidate, and with what type or value: without a
 * value (`var name T`, also in a `var (…)` group, or a named result `(name T`), or by `:=`/`=` from
 * `&T{…}`, `new(T)` or `T{…}`. Each pattern captures a whole list of names (`a, b T`) and the start
 * of the type or value; one pass of each over the function's text gives every name it may declare,
 * so the cost is linear in the text however many writes it has. Names are Go identifiers (words.ts).
 */
const NAME_LIST = `(?:${W}+[ \\t]*,[ \\t]*)*${W}+`;
/** The type's first token: `map`, `*`, `[`, `T`, `pkg.T`. */
const TYPE_START = `(?=[ \\t]+([\\p{L}\\p{Nd}_*\\[][\\p{L}\\p{Nd}_.]*))`;
const DECLARED_WITH_TYPE = [
  new RegExp(`(?<!${W})var[ \\t]+(${NAME_LIST})${TYPE_START}`, 'gu'),
  new RegExp(`^[ \\t]*(${NAME_LIST})${TYPE_START}`, 'gmu'),
  new RegExp(`[(,][ \\t]*(${NAME_LIST})${TYPE_START}`, 'gu'),
];
/** `a, b := &T{…}`, `new(T)`, `T{…}`: the list, then the struct type's name after `&`, in `new(…)`, or before `{`. */
const DECLARED_WITH_VALUE = new RegExp(
  `(?<!${W})(${W}+[ \\t]*(?:,[ \\t]*${W}+[ \\t]*)*)(?=(?::=|=)[ \\t]*(?:&[ \\t]*(${IDENT})?|new(?!${W})(?:[ \\t]*\\([ \\t]*(${IDENT}))?|(${W}+)[ \\t]*\\{))`,
  'gu',
);

/**
 * Cheap pre-filter before the scope walk: some written base name is a package nil map, or is
 * declared in the function in a way `track` may accept: a map type, a named map type, or a struct
 * with map fields, of this package or one the index reaches through its imports (a pointer or
 * slice never is).
 */
export function mayHoldCandidates(fn: Node, written: ReadonlySet<string>, pkg: PackageIndex): boolean {
  for (const name of written) if (pkg.neverAssignedNilMap(name)) return true;
  const text = fn.text;
  const anyWritten = (list: string) => list.split(',').some((n) => written.has(n.trim()));
  for (const re of DECLARED_WITH_TYPE) {
    for (const m of text.matchAll(re)) {
      if (!anyWritten(m[1])) continue;
      const type = m[2];
      if (type === 'map' || (!/^[*[]/.test(type) && (pkg.mapTypeOf(type) !== undefined || pkg.hasMapFields(type)))) return true;
    }
  }
  for (const m of text.matchAll(DECLARED_WITH_VALUE)) {
    if (!anyWritten(m[1])) continue;
    // With several names, the value matched is the first one's, not necessarily the written name's.
    if (m[1].includes(',')) return true;
    const struct = m[2] ?? m[3] ?? m[4];
    if (struct !== undefined && pkg.hasMapFields(struct)) return true;
  }
  return false;
}

/** Decides whether a binding starts out holding a nil map (or a struct with nil map fields). */
export function track(b: Binding, pkg: PackageIndex, syntax: FunctionSyntax): Tracked | undefined {
  const decl = b.decl;
  if (b.kind === 'result' || (b.kind === 'var' && decl.type === 'var_spec' && !decl.childForFieldName('value'))) {
    const typeNode = decl.childForFieldName('type');
    if (!typeNode) return undefined;
    const origin: Origin = b.kind === 'result' ? { kind: 'result' } : { kind: 'var' };
    const named = namedTypeOf(typeNode);
    if (typeNode.type === 'map_type' || pkg.mapTypeOf(named)) {
      return { binding: b, origin, pointer: false, nilPaths: new Set(['']), mapType: typeNode.text };
    }
    const struct = pkg.struct(named);
    if (!struct) return undefined;
    const paths = pkg.mapFieldPaths(struct.name).map(pathKey);
    if (paths.length === 0) return undefined;
    return { binding: b, origin, structType: struct.name, pointer: false, nilPaths: new Set(paths) };
  }
  if (b.kind !== 'var') return undefined;
  const value = initialValue(b);
  if (!value) return undefined;
  return trackStructValue(b, value, pkg, syntax);
}

function trackStructValue(b: Binding, value: Node, pkg: PackageIndex, syntax: FunctionSyntax): Tracked | undefined {
  let pointer = false;
  let expr = value;
  if (expr.type === 'unary_expression' && expr.childForFieldName('operator')?.type === '&') {
    pointer = true;
    expr = expr.childForFieldName('operand')!;
  }
  if (expr.type === 'composite_literal') {
    const struct = pkg.struct(namedTypeOf(expr.childForFieldName('type')));
    if (!struct) return undefined;
    const nil = nilPathsOfLiteral(expr, struct.name, pkg);
    if (nil.length === 0) return undefined;
    return { binding: b, origin: { kind: 'literal', literal: value }, structType: struct.name, pointer, nilPaths: new Set(nil) };
  }
  if (!pointer && expr.type === 'call_expression' && expr.childForFieldName('function')?.text === 'new') {
    const arg = expr.childForFieldName('arguments')?.namedChild(0) ?? null;
    const struct = pkg.struct(arg?.type === 'identifier' ? arg.text : namedTypeOf(arg));
    // Since Go 1.26 `new(x)` also takes a value: a local named like the type is copied, not zeroed.
    if (!struct || syntax.declares(struct.name)) return undefined;
    const paths = pkg.mapFieldPaths(struct.name).map(pathKey);
    if (paths.length === 0) return undefined;
    return { binding: b, origin: { kind: 'new', call: expr }, structType: struct.name, pointer: true, nilPaths: new Set(paths) };
  }
  return undefined;
}

/** Map field paths a struct literal leaves nil: fields left out, set to `nil`, or nil inside a nested literal. */
function nilPathsOfLiteral(literal: Node, typeName: string, pkg: PackageIndex): string[] {
  const body = literal.childForFieldName('body');
  const elements = body?.namedChildren.filter((n): n is Node => n !== null && n.type !== 'comment') ?? [];
  if (elements.length > 0 && elements.every((e) => e.type !== 'keyed_element')) return []; // positional: every field set
  const set = new Map<string, Node>();
  for (const e of elements) {
    if (e.type !== 'keyed_element') return []; // mixed forms do not compile; stay silent
    const key = e.childForFieldName('key')?.namedChild(0);
    const val = e.childForFieldName('value')?.namedChild(0);
    if (key?.type !== 'identifier' || !val) return [];
    set.set(key.text, val);
  }
  const out: string[] = [];
  for (const path of pkg.mapFieldPaths(typeName)) {
    // Only fields of the literal's own type can be keyed; promoted ones sit under their embedded field.
    const first = path[0].field.name;
    const val = set.get(first);
    if (!val) {
      out.push(pathKey(path));
      continue;
    }
    if (path.length === 1) {
      if (val.type === 'nil') out.push(pathKey(path));
      continue;
    }
    if (val.type === 'composite_literal' && namedTypeOf(val.childForFieldName('type')) === path[0].field.valueTypeName) {
      const inner = nilPathsOfLiteral(val, path[0].field.valueTypeName!, pkg);
      const rest = pathKey(path.slice(1));
      if (inner.includes(rest)) out.push(pathKey(path));
    }
  }
  return out;
}

export function pathKey(path: readonly FieldStep[]): string {
  return path.map((s) => s.field.name).join('.');
}
