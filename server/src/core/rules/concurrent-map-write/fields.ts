// Maps held in struct fields that a goroutine reaches through a variable it shares with the
// function that starts it: `go func() { t.m[k] = v }()`, or `go func() { t.reset() }()` where the
// method `reset` (or a method it calls on its receiver) writes `r.m`. The spawning function's later
// accesses count the same way, directly or through the methods it calls. The variable must hold
// one struct for the goroutine's life (never reassigned after the spawn, never address-taken), and
// a field assigned after the spawn says nothing of the map it held.
import type { Node } from 'web-tree-sitter';
import type { Spawn } from '../../analyses/goroutines';
import { effectsOf, mergeLocks, methodTable } from '../../analyses/receiver-effects';
import { declaredType, initialValue, type Binding, type FunctionSyntax } from '../../analyses/syntax';
import { namedTypeOf } from '../../index/types';
import { contains, goroutineRefs, type Access, type CheckContext } from './context';
import { judge } from './judge';
import { anchorOf, laterAccesses, spawningLoop } from './ordering';

const LOOP = new Set(['for_statement']);

/** One access through the variable: to which map field (its canonical path), as written, and what it does. */
interface FieldAccess {
  key: string;
  written: string;
  access: Access;
}

export function checkLiteralFields(ctx: CheckContext, spawn: Spawn, lit: Node): void {
  const spawner = ctx.spawner(spawn);
  const body = lit.childForFieldName('body');
  if (!spawner || !body) return;
  const syntax = ctx.syntax(spawn.fn);
  let loop: Node | undefined | null = null;
  for (const [b, refs] of goroutineRefs(syntax, lit)) {
    if (contains(lit, b.id)) continue;
    const type = structTypeOf(b, syntax);
    if (!type || !ctx.pass.pkg.hasMapFields(type) || !stableFor(b, spawn, syntax)) continue;
    const assigned = assignedFields(ctx, b, type, syntax, spawn);
    const inG = new Map<string, Access[]>();
    const names = new Map<string, string>();
    for (const r of refs) {
      for (const f of fieldAccesses(ctx, b, type, r.id, syntax)) {
        if (assigned.has(f.key) || f.access.lock.unsure || ctx.orderedIn(lit, anchorOf(f.access))) continue;
        inG.set(f.key, [...(inG.get(f.key) ?? []), f.access]);
        if (!names.has(f.key)) names.set(f.key, f.written);
      }
    }
    if (inG.size === 0) continue;
    if (loop === null) loop = spawningLoop(ctx, spawn, contains(spawn.call, lit) ? lit : spawn.call);
    for (const [key, accesses] of inG) {
      const inS = laterAccesses(ctx, spawn, spawner, b.refs, (r) => fieldAccesses(ctx, b, type, r.id, syntax).filter((f) => f.key === key).map((f) => f.access));
      judge(ctx, spawn, spawner, `${b.name}.${names.get(key)}`, b.decl, accesses, inS, loop);
    }
  }
}

/**
 * What one reference of the variable does to its map fields: `t.m[k]`, `len(t.a.m)`, `delete(t.m, k)`
 * directly, or a call `t.method(…)` of a method of its type declared in this file, through that
 * method's accesses (with the locks held at the call).
 */
export function fieldAccesses(ctx: CheckContext, b: Binding, type: string, id: Node, syntax: FunctionSyntax): FieldAccess[] {
  const path: string[] = [];
  let expr = id;
  for (let p = syntax.parent(expr); p?.type === 'selector_expression' && p.childForFieldName('operand')?.id === expr.id; p = syntax.parent(expr)) {
    const field = p.childForFieldName('field')?.text;
    if (!field) return [];
    path.push(field);
    expr = p;
  }
  if (path.length === 0) return [];
  const pkg = ctx.pass.pkg;
  const parent = syntax.parent(expr);
  if (path.length === 1 && parent?.type === 'call_expression' && parent.childForFieldName('function')?.id === expr.id) {
    const method = ctx.pass.result(methodTable).get(type)?.get(path[0]);
    const effects = method ? effectsOf(ctx.pass, method, b.name, (fn, node) => ctx.orderedIn(fn, node)) : undefined;
    if (!effects) return [];
    const atCall = ctx.lockAt(parent);
    const out: FieldAccess[] = [];
    for (const e of effects) {
      const key = mapFieldKey(ctx, type, e.path);
      if (key === undefined) continue;
      out.push({ key, written: e.path.join('.'), access: { node: e.access.node, write: e.access.write, lock: mergeLocks(atCall, e.lock), via: [parent, ...e.via] } });
    }
    return out;
  }
  const key = mapFieldKey(ctx, type, path);
  const a = key === undefined ? undefined : ctx.access(expr);
  return a && key !== undefined && pkg ? [{ key, written: path.join('.'), access: a }] : [];
}

/** The canonical path of the map field `path` selects on a `type` value (promoted fields resolved), if it is one. */
export function mapFieldKey(ctx: CheckContext, type: string, path: readonly string[]): string | undefined {
  const steps = ctx.pass.pkg.resolveFields(type, path);
  if (!steps || steps.length === 0 || !ctx.pass.pkg.isMapField(steps[steps.length - 1].field)) return undefined;
  return steps.map((s) => s.field.name).join('.');
}

/** The map fields the function assigns through the variable (`t.m = …`) after the spawn starts, or inside a goroutine. */
function assignedFields(ctx: CheckContext, b: Binding, type: string, syntax: FunctionSyntax, spawn: Spawn): Set<string> {
  const out = new Set<string>();
  for (const r of b.refs) {
    if (r.context !== 'selector' || (r.id.startIndex < spawn.stmt.startIndex && r.owner.id === b.owner.id)) continue;
    const path: string[] = [];
    let expr = r.id;
    for (let p = syntax.parent(expr); p?.type === 'selector_expression' && p.childForFieldName('operand')?.id === expr.id; p = syntax.parent(expr)) {
      path.push(p.childForFieldName('field')?.text ?? '');
      expr = p;
    }
    const list = syntax.parent(expr);
    const stmt = list ? syntax.parent(list) : null;
    if (list?.type !== 'expression_list' || stmt?.type !== 'assignment_statement' || stmt.childForFieldName('left')?.id !== list.id) continue;
    const key = mapFieldKey(ctx, type, path);
    if (key !== undefined) out.add(key);
  }
  return out;
}

/** `T` when the variable holds a `T` or `*T` of a struct type of this package: by its declared type, `&T{…}`, `T{…}` or `new(T)`. */
export function structTypeOf(b: Binding, syntax: FunctionSyntax): string | undefined {
  if (b.kind === 'const' || b.kind === 'result') return undefined;
  let t = declaredType(b) ?? (b.kind === 'receiver' ? b.decl.childForFieldName('type') : null);
  if (t) {
    if (t.type === 'pointer_type') t = t.namedChild(0);
    return t?.type === 'type_identifier' ? namedTypeOf(t) : undefined;
  }
  let v = initialValue(b);
  if (v?.type === 'unary_expression' && v.childForFieldName('operator')?.type === '&') v = v.childForFieldName('operand') ?? undefined;
  if (v?.type === 'composite_literal') {
    const lt = v.childForFieldName('type');
    return lt?.type === 'type_identifier' ? namedTypeOf(lt) : undefined;
  }
  if (v?.type === 'call_expression' && v.childForFieldName('function')?.text === 'new') {
    // Since Go 1.26 `new(x)` also takes a value: a local named like the type would be copied.
    const arg = v.childForFieldName('arguments')?.namedChild(0) ?? null;
    const name = arg?.type === 'type_identifier' || arg?.type === 'identifier' ? arg.text : undefined;
    return name !== undefined && !syntax.declares(name) ? name : undefined;
  }
  return undefined;
}

/** The variable holds one value for the goroutine's life: not address-taken, assigned only before the spawn and not in a loop that spawns. */
function stableFor(b: Binding, spawn: Spawn, syntax: FunctionSyntax): boolean {
  for (const r of b.refs) {
    if (r.context === 'address') return false;
    if (r.context !== 'assign') continue;
    if (r.owner.id !== b.owner.id || r.id.startIndex >= spawn.stmt.startIndex) return false;
    for (let p = syntax.ancestor(r.id, LOOP); p; p = syntax.ancestor(p, LOOP)) if (contains(p, spawn.stmt)) return false;
  }
  return true;
}
