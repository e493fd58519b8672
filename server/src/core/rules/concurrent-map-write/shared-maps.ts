// Which maps a goroutine shares with the function that starts it: captured locals, parameters of
// the goroutine's literal bound to them, and package-level maps. A variable counts only while it
// provably holds one map for the goroutine's life: declared with a map type or value, never
// reassigned after the spawn (nor in the loop that spawns), never address-taken.
import type { Node } from 'web-tree-sitter';
import { deferredLiterals } from '../../analyses/defers';
import type { Spawn } from '../../analyses/goroutines';
import { initialValue, type Binding, type FunctionSyntax, type RefContext } from '../../analyses/syntax';
import type { PackageIndex } from '../../index/package-index';
import { namedTypeOf } from '../../index/types';
import { contains, goroutineRefs, type CheckContext } from './context';

export interface MapVar {
  name: string;
  refs: { id: Node; context: RefContext; owner: Node }[];
  /** The refs that the goroutine literal itself makes, and the literals it defers (those of `refs` owned by them). */
  inLit: { id: Node; context: RefContext; owner: Node }[];
  /** For a local: its binding (whose declaration must stay outside a loop that spawns). */
  binding?: Binding;
}

const LOOP = new Set(['for_statement']);

/** The maps the goroutine literal uses from outside: captured locals, parameters bound to them, package-level maps. */
export function mapVarsOf(ctx: CheckContext, spawn: Spawn, lit: Node): MapVar[] {
  const syntax = ctx.syntax(spawn.fn);
  const pkg = ctx.pass.pkg;
  const vars: MapVar[] = [];
  const byBinding = new Map<Binding, MapVar>();
  // Parameters of the literal bound to arguments of the go call: `go func(m map[K]V){…}(counts)`.
  const aliases = new Map<Binding, Binding>();
  const params = lit.childForFieldName('parameters');
  const args = spawn.kind === 'go' && !spawn.runner ? (spawn.call.childForFieldName('arguments')?.namedChildren.filter((n): n is Node => n !== null && n.type !== 'comment') ?? []) : [];
  if (params && args.length > 0) {
    const names: Node[] = [];
    for (const p of params.namedChildren) {
      if (p?.type !== 'parameter_declaration') return [];
      const ids = p.childrenForFieldName('name').filter((n): n is Node => n?.type === 'identifier');
      for (const n of ids.length ? ids : [p]) names.push(n);
    }
    names.forEach((n, i) => {
      const arg = args[i];
      if (n.type !== 'identifier' || arg?.type !== 'identifier') return;
      const outer = syntax.bindingAt(arg);
      const found = syntax.bindingAt(n);
      const inner = found?.id.startIndex === n.startIndex ? found : undefined;
      if (outer && inner && inner.refs.every((r) => r.context !== 'assign' && r.context !== 'address')) aliases.set(inner, outer);
    });
  }
  // The bindings the literal itself refers to, in declaration order, with those references.
  const used = goroutineRefs(syntax, lit);
  for (const [b, refs] of used) {
    const target = aliases.get(b) ?? b;
    if (!aliases.has(b) && contains(lit, b.id)) continue;
    if (!isSharedMap(target, spawn, syntax, pkg)) continue;
    let v = byBinding.get(target);
    if (!v) {
      v = { name: target.name, refs: [...target.refs], inLit: [...(used.get(target) ?? [])], binding: target };
      byBinding.set(target, v);
      vars.push(v);
    }
    if (target !== b) {
      for (const r of refs) {
        v.refs.push(r);
        v.inLit.push(r);
      }
    }
  }
  // Package-level maps used in the literal.
  const free = [lit, ...deferredLiterals(lit, syntax)].flatMap((o) => syntax.freeIn(o));
  for (const name of new Set(free.map((f) => f.id.text))) {
    if (!isPackageMap(ctx, name)) continue;
    vars.push({ name, refs: [...syntax.freeNamed(name)], inLit: free.filter((f) => f.id.text === name) });
  }
  return vars;
}

/** A local or parameter provably holding one map for the goroutine's life. */
export function isSharedMap(b: Binding, spawn: Spawn, syntax: FunctionSyntax, pkg: PackageIndex): boolean {
  if (b.kind === 'const' || b.kind === 'result') return false;
  for (const r of b.refs) {
    if (r.context === 'address') return false;
    if (r.context === 'assign') {
      if (r.owner.id !== b.owner.id || r.id.startIndex >= spawn.stmt.startIndex) return false;
      // Reassigned in a loop that also starts the goroutine: each iteration may hand it a new map.
      for (let p = syntax.ancestor(r.id, LOOP); p; p = syntax.ancestor(p, LOOP)) if (contains(p, spawn.stmt)) return false;
    }
  }
  const decl = b.decl;
  if (b.kind === 'param' || b.kind === 'receiver') return isMapTypeNode(decl.childForFieldName('type'), pkg);
  if (decl.type === 'var_spec') {
    const type = decl.childForFieldName('type');
    if (type) return isMapTypeNode(type, pkg) && (decl.childForFieldName('value') !== null || b.refs.some((r) => r.context === 'assign'));
  }
  const value = initialValue(b);
  return value !== undefined && isMapValue(value, pkg);
}

export function isMapTypeNode(type: Node | null, pkg: PackageIndex): boolean {
  if (!type) return false;
  if (type.type === 'map_type') return true;
  return pkg.mapTypeOf(namedTypeOf(type)) !== undefined;
}

/** `make(map[K]V…)`, `make(NamedMap…)`, `map[K]V{…}`, `NamedMap{…}`. */
export function isMapValue(value: Node, pkg: PackageIndex): boolean {
  if (value.type === 'composite_literal') return isMapTypeNode(value.childForFieldName('type'), pkg);
  if (value.type === 'call_expression' && value.childForFieldName('function')?.text === 'make') {
    return isMapTypeNode(value.childForFieldName('arguments')?.namedChild(0) ?? null, pkg);
  }
  return false;
}

/** A package-level variable of this file initialized with a map value, never assigned anywhere in the package. */
export function isPackageMap(ctx: CheckContext, name: string): boolean {
  let v = ctx.packageMaps.get(name);
  if (v === undefined) ctx.packageMaps.set(name, (v = isPackageMapUncached(ctx, name)));
  return v;
}

function isPackageMapUncached(ctx: CheckContext, name: string): boolean {
  const { pass } = ctx;
  // Other files' summaries: any assignment there (their own declarations aside) may change which map it is.
  if (pass.pkg.summaries.some((s) => s.linkname || (s.path !== pass.unit.path && s.assignedNames.has(name)))) return false;
  for (const decl of pass.unit.tree.rootNode.namedChildren) {
    if (decl?.type !== 'var_declaration') continue;
    const specs: Node[] = [];
    for (const c of decl.namedChildren) {
      if (c?.type === 'var_spec') specs.push(c);
      else if (c?.type === 'var_spec_list') for (const s of c.namedChildren) if (s?.type === 'var_spec') specs.push(s);
    }
    for (const spec of specs) {
      const names = spec.childrenForFieldName('name').filter((n): n is Node => n !== null);
      const i = names.findIndex((n) => n.text === name);
      if (i < 0) continue;
      const values = spec.childForFieldName('value')?.namedChildren.filter((n): n is Node => n !== null) ?? [];
      if (values.length !== names.length || !isMapValue(values[i], pass.pkg)) return false;
      // Assigned or address-taken anywhere else in this file: which map it holds may change.
      const assigned = new RegExp(
        `^[ \\t]*(?:[\\w.]+[ \\t]*,[ \\t]*)*${name}[ \\t]*(?:,[ \\t]*[\\w.]+[ \\t]*)*(?:[-+*/%&|^]|<<|>>|&\\^)?=(?!=)|&[ \\t]*${name}\\b`,
        'gm',
      );
      for (const m of pass.unit.text.matchAll(assigned)) {
        const at = m.index + m[0].indexOf(name);
        if (at < spec.startIndex || at >= spec.endIndex) return false;
      }
      return true;
    }
  }
  return false;
}
