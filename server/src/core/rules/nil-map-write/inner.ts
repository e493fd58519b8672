// The inner map of a map of maps that holds no entry yet: after `acl := map[string]map[string]bool{}`
// (or `make`, or `var acl map[…]map[…]…`), `acl["alice"]` reads the zero value, a nil map, and
// `acl["alice"]["read"] = true` panics. Only while nothing may store an entry first: an assignment
// to `acl[…]` or to `acl`, `&acl`, or `acl` handed to a call or copied (which may store through
// the copy) keeps the rule silent when it can run before the write. `len`, `delete` and `clear`
// store nothing.
import type { Node } from 'web-tree-sitter';
import { isWriteTarget } from '../../analyses/map-accesses';
import { initialValue, type Binding, type FunctionSyntax, type Reference } from '../../analyses/syntax';
import type { PackageIndex } from '../../index/package-index';
import { namedTypeOf } from '../../index/types';
import { mapTypeOf } from './map-vars';
import type { RunsBefore } from './run-before';

/** Whether the variable starts as an empty map whose values are maps. */
export function startsEmptyOfMaps(b: Binding, pkg: PackageIndex): boolean {
  if (b.kind !== 'var') return false;
  const type = mapTypeOf(b, pkg)?.node;
  const value = type?.childForFieldName('value');
  if (!value || (value.type !== 'map_type' && !pkg.mapTypeOf(namedTypeOf(value)))) return false;
  if (b.decl.type === 'var_spec' && !b.decl.childForFieldName('value')) return true;
  const init = initialValue(b);
  if (init?.type === 'call_expression') return init.childForFieldName('function')?.text === 'make';
  if (init?.type === 'composite_literal') return !init.childForFieldName('body')?.namedChildren.some((c) => c !== null && c.type !== 'comment');
  return false;
}

/** The references of the outer map that may store an entry, and the function bodies (ids) they are in. */
export interface Stores {
  refs: Reference[];
  owners: Set<number>;
}

export function storesOf(b: Binding, syntax: FunctionSyntax): Stores {
  const refs = b.refs.filter((r) => mayStore(r, syntax));
  return { refs, owners: new Set(refs.map((r) => r.owner.id)) };
}

/**
 * Whether something that may store an entry can run before the write `outer[…][…] = v`: a store in
 * another function body always may; otherwise `runs` (the stores' reachability) says. The write's
 * own `outer[…]` is a read, never one of the stores.
 */
export function mayStoreBefore(b: Binding, stores: Stores, write: Reference, runs: () => RunsBefore): boolean {
  if (b.owner.id !== write.owner.id) return true;
  for (const o of stores.owners) if (o !== write.owner.id) return true;
  return stores.refs.length > 0 && runs().before(write.id);
}

function mayStore(r: Reference, syntax: FunctionSyntax): boolean {
  const parent = syntax.parent(r.id);
  if (r.context === 'index') return parent !== null && isWriteTarget(parent, syntax);
  if (r.context !== 'read') return true;
  // `len(acl)`, `delete(acl, k)`, `clear(acl)`: the builtins that take it and store nothing.
  const call = parent?.type === 'argument_list' ? syntax.parent(parent) : null;
  const fn = call?.type === 'call_expression' ? call.childForFieldName('function') : null;
  return !(fn?.type === 'identifier' && (fn.text === 'len' || fn.text === 'delete' || fn.text === 'clear') && !syntax.referenceAt(fn));
}

/** `acl["alice"]` of `acl["alice"]["read"]`, when the write's operand is an index of a variable; else undefined. */
export function innerIndex(index: Node): { outer: Node; id: Node } | undefined {
  const outer = unparen(index.childForFieldName('operand'));
  if (outer?.type !== 'index_expression') return undefined;
  const id = unparen(outer.childForFieldName('operand'));
  return id?.type === 'identifier' ? { outer, id } : undefined;
}

function unparen(n: Node | null): Node | null {
  let e = n;
  while (e?.type === 'parenthesized_expression') e = e.namedChild(0);
  return e;
}
