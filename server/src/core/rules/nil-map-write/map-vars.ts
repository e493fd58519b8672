// Local variables known to hold a map, and the references that may change which map they hold:
// what the nil-guard, reassigned-to-nil, inner-map and pointer shapes of nil-map-write share.
import type { Node } from 'web-tree-sitter';
import { declaredType, initialValue, type Binding, type Reference } from '../../analyses/syntax';
import type { PackageIndex } from '../../index/package-index';
import { namedTypeOf } from '../../index/types';

/**
 * The map type of a variable: its declared type (`var m map[K]V`, a parameter, a result, a
 * receiver, or a map type named in this package), else the type its `make(map…)` or map literal
 * gives it. `node` is the `map[K]V` when written out. Undefined when the variable may not be a map:
 * then `x[k] = v` on a nil `x` is an index out of range or a nil dereference, not this panic.
 */
export function mapTypeOf(b: Binding, pkg: PackageIndex): { text: string; node?: Node } | undefined {
  let type = declaredType(b);
  if (!type && b.kind === 'var') {
    const v = initialValue(b);
    if (v?.type === 'call_expression' && v.childForFieldName('function')?.text === 'make') type = v.childForFieldName('arguments')?.namedChild(0) ?? null;
    else if (v?.type === 'composite_literal') type = v.childForFieldName('type');
  }
  if (!type) return undefined;
  if (type.type === 'map_type') return { text: type.text, node: type };
  const named = pkg.mapTypeOf(namedTypeOf(type));
  return named && type.type === 'type_identifier' ? { text: type.text } : undefined;
}

/**
 * Whether a reference may change which map the variable holds: an assignment, `&m`, `m++` (never
 * compiles for a map, kept for safety), or a method call (a pointer receiver can assign `*m`).
 */
export function mayReassign(r: Reference): boolean {
  return r.context === 'assign' || r.context === 'address' || r.context === 'incdec' || r.context === 'selector';
}

/**
 * Whether an assignment reference sets the variable to the literal `nil`: `m = nil`, or its place in
 * `a, m = x, nil`. A `:=` redeclaration, a range or a receive sets it to something else.
 */
export function assignsNil(r: Reference, parent: (n: Node) => Node | null): boolean {
  if (r.context !== 'assign') return false;
  const list = parent(r.id);
  const stmt = list && parent(list);
  if (list?.type !== 'expression_list' || stmt?.type !== 'assignment_statement') return false;
  if (stmt.childForFieldName('operator')?.type !== '=') return false;
  const left = list.namedChildren.filter((n) => n !== null && n.type !== 'comment');
  const right = stmt.childForFieldName('right')?.namedChildren.filter((n) => n !== null && n.type !== 'comment') ?? [];
  const i = left.findIndex((n) => n!.id === r.id.id);
  return left.length === right.length && i >= 0 && right[i]!.type === 'nil';
}

/** The references of a variable that may change which map it holds, in source order, and where they are. */
export interface Reassigns {
  refs: Reference[];
  /** `&m` somewhere: a pointer may assign it anywhere. */
  addressTaken: boolean;
  /** The function bodies (by node id) the references are in. */
  owners: Set<number>;
}

export function reassignsOf(b: Binding): Reassigns {
  const refs = b.refs.filter(mayReassign).sort((x, y) => x.id.startIndex - y.id.startIndex);
  return { refs, addressTaken: refs.some((r) => r.context === 'address'), owners: new Set(refs.map((r) => r.owner.id)) };
}

/** The references inside a node's text range (refs in source order): two binary searches. */
export function refsWithin(refs: readonly Reference[], node: Node): Reference[] {
  const lowerBound = (at: number) => {
    let lo = 0;
    let hi = refs.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (refs[mid].id.startIndex < at) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  return refs.slice(lowerBound(node.startIndex), lowerBound(node.endIndex));
}
