// A write through a pointer to a nil map: `p := &m; (*p)[k] = v` with `m` a `var m map[K]V` nothing
// assigns first, or `p := new(map[K]V)`. The pointer must have that one target: it is never
// reassigned, copied or handed on, and only ever dereferenced to index the map, so nothing can
// store a map through it; and the map variable has no other assignment, address or closure that
// may run before the write.
import type { Node } from 'web-tree-sitter';
import { initialValue, type Binding, type FunctionSyntax, type Reference } from '../../analyses/syntax';
import type { PackageIndex } from '../../index/package-index';
import { namedTypeOf } from '../../index/types';
import { mapTypeOf, mayReassign } from './map-vars';
import type { RunsBefore } from './run-before';

/** Where the nil map a pointer points to comes from. */
export type Target = { kind: 'var'; binding: Binding } | { kind: 'new'; call: Node };

/** `p` of `(*p)[k]`, or undefined. */
export function derefBase(index: Node): Node | undefined {
  const op = unparen(index.childForFieldName('operand'));
  if (op?.type !== 'unary_expression' || op.childForFieldName('operator')?.type !== '*') return undefined;
  const id = unparen(op.childForFieldName('operand'));
  return id?.type === 'identifier' ? id : undefined;
}

/**
 * The nil map the pointer `p` always points to, or undefined; for a variable, with the references
 * that may assign it other than the `&m` the pointer took (they must not run before the write).
 */
export function pointerTarget(p: Binding, syntax: FunctionSyntax, pkg: PackageIndex): { target: Target; events: Reference[] } | undefined {
  if (p.kind !== 'var' || p.refs.some((r) => !indexesThrough(r, syntax))) return undefined;
  const value = unparen(initialValue(p) ?? null);
  if (value?.type === 'call_expression' && value.childForFieldName('function')?.text === 'new' && !syntax.referenceAt(value.childForFieldName('function')!)) {
    const arg = value.childForFieldName('arguments')?.namedChild(0);
    if (arg?.type === 'map_type' || (arg?.type === 'type_identifier' && pkg.mapTypeOf(namedTypeOf(arg)) && !syntax.declares(arg.text))) return { target: { kind: 'new', call: value }, events: [] };
    return undefined;
  }
  if (value?.type !== 'unary_expression' || value.childForFieldName('operator')?.type !== '&') return undefined;
  const id = unparen(value.childForFieldName('operand'));
  const m = id?.type === 'identifier' ? syntax.referenceAt(id)?.binding : undefined;
  if (!m || m.kind !== 'var' || m.decl.type !== 'var_spec' || m.decl.childForFieldName('value') || !mapTypeOf(m, pkg)) return undefined;
  const own = id!.startIndex;
  return { target: { kind: 'var', binding: m }, events: m.refs.filter((r) => r.id.startIndex !== own && mayReassign(r)) };
}

/** Whether the write through `p` may meet a map assigned since: another body assigns it, or `runs` says an event may come first. */
export function assignedBefore(p: Binding, t: { target: Target; events: Reference[] }, write: Reference, runs: () => RunsBefore): boolean {
  if (t.target.kind === 'new') return false;
  if (t.target.binding.owner.id !== write.owner.id || p.owner.id !== write.owner.id) return true;
  if (t.events.some((e) => e.owner.id !== write.owner.id)) return true;
  return t.events.length > 0 && runs().before(write.id);
}

/** `(*p)[…]`: the only use of the pointer that cannot make it point elsewhere or store through it. */
function indexesThrough(r: Reference, syntax: FunctionSyntax): boolean {
  if (r.context !== 'read') return false;
  const star = syntax.parent(r.id);
  if (star?.type !== 'unary_expression' || star.childForFieldName('operator')?.type !== '*') return false;
  let up = syntax.parent(star);
  let inner: Node = star;
  while (up?.type === 'parenthesized_expression') {
    inner = up;
    up = syntax.parent(up);
  }
  return up?.type === 'index_expression' && up.childForFieldName('operand')?.id === inner.id;
}

function unparen(n: Node | null): Node | null {
  let e = n;
  while (e?.type === 'parenthesized_expression') e = e.namedChild(0);
  return e;
}
