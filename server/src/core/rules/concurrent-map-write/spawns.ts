// The two ways a goroutine's accesses are known: a func literal (`go func(){…}()`, `g.Go(func…)`)
// whose body the rule reads, and a call of a function or method declared in this file (`go f(m)`,
// `go obj.method()`) whose accesses through its parameter, or to the receiver's map fields, are the
// goroutine's.
import type { Node } from 'web-tree-sitter';
import type { Spawn } from '../../analyses/goroutines';
import { declaredType, initialValue, type Binding, type FunctionSyntax } from '../../analyses/syntax';
import type { PackageIndex } from '../../index/package-index';
import { namedTypeOf } from '../../index/types';
import { contains, type Access, type CheckContext } from './context';
import { judge } from './judge';
import { effectsOf } from '../../analyses/receiver-effects';
import { fieldAccesses, mapFieldKey } from './fields';
import { calleeAccesses, directAccess, laterAccesses, spawningLoop } from './ordering';
import { isSharedMap, mapVarsOf } from './shared-maps';

export function checkLiteralSpawn(ctx: CheckContext, spawn: Spawn, lit: Node): void {
  const spawner = ctx.spawner(spawn);
  if (!spawner) return;
  const vars = mapVarsOf(ctx, spawn, lit);
  if (vars.length === 0) return;
  // A literal held in a variable (`go crawl(u)`) may lie outside the loop, or hold it.
  const loop = spawningLoop(ctx, spawn, contains(spawn.call, lit) ? lit : spawn.call);
  const litBody = lit.childForFieldName('body');
  if (!litBody) return;
  for (const v of vars) {
    // Accesses inside the goroutine, up to the first thing that might order them.
    const inG: Access[] = [];
    for (const r of v.inLit) {
      const a = ctx.access(r.id);
      if (!a || a.lock.unsure) continue;
      if (ctx.orderedIn(lit, a.node)) continue;
      inG.push(a);
    }
    if (inG.length === 0) continue;
    const inS = laterAccesses(ctx, spawn, spawner, v.refs, (r) => directAccess(ctx, r.id));
    judge(ctx, spawn, spawner, v.name, v.binding?.decl, inG, inS, loop);
    if (v.binding && elementIsMap(v.binding, ctx.pass.pkg)) judgeElements(ctx, spawn, spawner, v.name, v.binding.decl, inG, inS, loop, lit);
  }
}

/**
 * Nested maps: `m[k][j] = v` in one goroutine and `m[k][j]` or `len(m[k])` in another touch the
 * same inner map when `k` is the same constant, or the same variable that is never reassigned.
 */
function judgeElements(ctx: CheckContext, spawn: Spawn, spawner: Node, name: string, decl: Node, inG: Access[], inS: Access[], loop: Node | undefined, lit: Node): void {
  const syntax = ctx.syntax(spawn.fn);
  const keys = new Map<string, { g: Access[]; s: Access[]; perIteration: boolean }>();
  const add = (a: Access, side: 'g' | 's') => {
    const e = a.element;
    const k = e ? stableKey(e.key, syntax, lit) : undefined;
    if (!e || !k) return;
    let entry = keys.get(k.text);
    if (!entry) keys.set(k.text, (entry = { g: [], s: [], perIteration: false }));
    entry.perIteration ||= k.decl !== undefined && loop !== undefined && contains(loop, k.decl);
    entry[side].push({ ...a, node: e.node, write: e.write, element: undefined });
  };
  for (const a of inG) add(a, 'g');
  for (const a of inS) add(a, 's');
  for (const [k, { g, s, perIteration }] of keys) {
    if (g.length > 0) judge(ctx, spawn, spawner, `${name}[${k}]`, decl, g, s, perIteration ? undefined : loop);
  }
}

const CONSTANT_KEY = new Set(['int_literal', 'interpreted_string_literal', 'raw_string_literal', 'rune_literal']);

/** A key that names one value for the goroutine's life: a literal, or a variable of the spawning function never reassigned. */
function stableKey(key: Node, syntax: FunctionSyntax, lit: Node): { text: string; decl?: Node } | undefined {
  if (CONSTANT_KEY.has(key.type)) return { text: key.text };
  if (key.type !== 'identifier') return undefined;
  const b = syntax.bindingAt(key);
  if (!b || b.kind === 'result' || contains(lit, b.decl) || b.refs.some((r) => r.context === 'assign' || r.context === 'address' || r.context === 'incdec')) return undefined;
  return { text: key.text, decl: b.decl };
}

/** The map's values are maps: `map[K]map[K2]V` as declared, made or written literally. */
function elementIsMap(b: Binding, pkg: PackageIndex): boolean {
  let t = declaredType(b);
  if (!t) {
    const v = initialValue(b);
    if (v?.type === 'composite_literal') t = v.childForFieldName('type');
    else if (v?.type === 'call_expression' && v.childForFieldName('function')?.text === 'make') t = v.childForFieldName('arguments')?.namedChild(0) ?? null;
  }
  if (t?.type !== 'map_type') return false;
  const value = t.childForFieldName('value');
  return value?.type === 'map_type' || pkg.mapTypeOf(namedTypeOf(value)) !== undefined;
}

export function checkCallSpawn(ctx: CheckContext, spawn: Spawn): void {
  const spawner = ctx.spawner(spawn);
  // A method value (`go Until(p.flush, stop)`, `safeGo(p.flush)`) runs the method on the receiver it was taken from.
  const fnExpr = spawn.target ?? spawn.call.childForFieldName('function');
  if (!spawner || !fnExpr) return;
  const syntax = ctx.syntax(spawn.fn);
  const args = spawn.target ? [] : (spawn.call.childForFieldName('arguments')?.namedChildren.filter((n): n is Node => n !== null && n.type !== 'comment') ?? []);
  const loop = spawningLoop(ctx, spawn, spawn.call);
  if (fnExpr.type === 'identifier') {
    const callee = spawn.callees?.[0];
    if (!callee || callee.childForFieldName('type_parameters')) return;
    const cs = ctx.syntax(callee);
    const names: Node[] = [];
    for (const p of callee.childForFieldName('parameters')?.namedChildren ?? []) {
      if (p?.type !== 'parameter_declaration') return;
      const ids = p.childrenForFieldName('name').filter((n): n is Node => n?.type === 'identifier');
      for (const n of ids.length ? ids : [p]) names.push(n);
    }
    names.forEach((n, i) => {
      const arg = args[i];
      if (n.type !== 'identifier' || arg?.type !== 'identifier') return;
      const b = syntax.bindingAt(arg);
      if (!b || !isSharedMap(b, spawn, syntax, ctx.pass.pkg)) return;
      const p = cs.bindings.find((x) => x.id.id === n.id);
      if (!p || p.refs.some((r) => r.context === 'assign' || r.context === 'address')) return;
      const inG = calleeAccesses(ctx, callee, p.refs.filter((r) => r.owner.id === callee.id).map((r) => r.id), undefined);
      if (inG.length === 0) return;
      judge(ctx, spawn, spawner, b.name, b.decl, inG, laterAccesses(ctx, spawn, spawner, b.refs, (r) => directAccess(ctx, r.id)), loop);
    });
    return;
  }
  if (fnExpr.type !== 'selector_expression') return;
  const obj = fnExpr.childForFieldName('operand');
  const method = fnExpr.childForFieldName('field')?.text;
  if (obj?.type !== 'identifier' || !method) return;
  const ob = syntax.bindingAt(obj);
  const typeName = ob ? pointeeType(ob, syntax) : undefined;
  if (!ob || !typeName) return;
  if (ob.refs.some((r) => r.context === 'address' || (r.context === 'assign' && (r.owner.id !== ob.owner.id || r.id.startIndex >= spawn.stmt.startIndex)))) return;
  const decl = (spawn.callees ?? []).find((f) => {
    const recvType = f.childForFieldName('receiver')?.namedChildren.find((c) => c?.type === 'parameter_declaration')?.childForFieldName('type');
    return recvType?.type === 'pointer_type' && namedTypeOf(recvType.namedChild(0)) === typeName;
  });
  if (!decl) return;
  // The method's accesses through its receiver, and those of the receiver methods it calls.
  const effects = effectsOf(ctx.pass, decl, ob.name, (fn, node) => ctx.orderedIn(fn, node));
  if (!effects) return;
  const byField = new Map<string, Access[]>();
  const names = new Map<string, string>();
  for (const e of effects) {
    const key = mapFieldKey(ctx, typeName, e.path);
    if (key === undefined) continue;
    byField.set(key, [...(byField.get(key) ?? []), { node: e.access.node, write: e.access.write, lock: e.lock, via: e.via.length > 0 ? e.via : undefined }]);
    if (!names.has(key)) names.set(key, e.path.join('.'));
  }
  for (const [key, inG] of byField) {
    const inS = laterAccesses(ctx, spawn, spawner, ob.refs, (r) => fieldAccesses(ctx, ob, typeName, r.id, syntax).filter((f) => f.key === key).map((f) => f.access));
    judge(ctx, spawn, spawner, `${ob.name}.${names.get(key)}`, ob.decl, inG, inS, loop);
  }
}

/** `T` when a binding provably holds a `*T` for a struct type of this package: a `*T` parameter or receiver, `&T{…}`, `new(T)`. */
function pointeeType(b: Binding, syntax: FunctionSyntax): string | undefined {
  if (b.kind === 'param' || b.kind === 'receiver') {
    const t = b.decl.childForFieldName('type');
    return t?.type === 'pointer_type' ? namedTypeOf(t.namedChild(0)) : undefined;
  }
  const v = initialValue(b);
  if (!v) return undefined;
  if (v.type === 'unary_expression' && v.childForFieldName('operator')?.type === '&') {
    const lit = v.childForFieldName('operand');
    return lit?.type === 'composite_literal' ? namedTypeOf(lit.childForFieldName('type')) : undefined;
  }
  if (v.type === 'call_expression' && v.childForFieldName('function')?.text === 'new') {
    // Since Go 1.26 `new(x)` also takes a value: a local named like the type would be copied.
    const t = namedTypeOf(v.childForFieldName('arguments')?.namedChild(0) ?? null);
    return t !== undefined && !syntax.declares(t) ? t : undefined;
  }
  return undefined;
}
