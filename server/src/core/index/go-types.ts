// Go types resolved against the declaration index: a TypeExpr (type-syntax.ts) read in the scope of
// the file that wrote it becomes a GoType, whose names point at the package that declares them
// (this one, or one reached through the import graph). Named types stay references, so resolving is
// finite; their underlying types, fields and methods are looked up when asked. `undefined` is the
// unknown type: whatever cannot be resolved with certainty, and every rule reads it as silence.
import type { PackageIndex } from './package-index';
import { parseSignature, parseType, type Signature, type TypeExpr } from './type-syntax';

export type Ty = GoType | undefined;

export type GoType =
  /** Predeclared: `int`, `string`, `bool`… and `untyped int`, `untyped string`… for constants. */
  | { k: 'basic'; name: string }
  /** `pkg` undefined: the predeclared `error`. */
  | { k: 'named'; pkg?: PackageIndex; name: string; args: Ty[] }
  | { k: 'pointer'; elem: Ty }
  | { k: 'slice'; elem: Ty }
  | { k: 'array'; len?: number; elem: Ty }
  | { k: 'map'; key: Ty; value: Ty }
  | { k: 'chan'; elem: Ty }
  /** Kept as written with the scope that reads it: a generic function binds its type parameters per call. */
  | { k: 'func'; sig: Signature; scope: Scope }
  | { k: 'struct'; fields: { name: string; embedded: boolean; type: Ty }[] }
  | { k: 'interface'; methods: Map<string, Ty>; embeds: Ty[] }
  /** The values of a multi-value call, or of a comma-ok form. */
  | { k: 'tuple'; items: Ty[] };

/** Where a type's names are looked up: a file of a package, with type parameters bound (or not). */
export interface Scope {
  pkg: PackageIndex;
  file: string;
  /** Type parameters in scope; a bound one stands for its argument, an unbound one is unknown. */
  tparams?: ReadonlyMap<string, Ty>;
  /** A name declared in a function's body (a local type or variable) hides the package's. */
  hidden?: (name: string) => boolean;
}

const BASIC = new Set([
  'bool', 'string', 'int', 'int8', 'int16', 'int32', 'int64', 'uint', 'uint8', 'uint16', 'uint32', 'uint64', 'uintptr',
  'float32', 'float64', 'complex64', 'complex128', 'byte', 'rune',
]);
export const INTEGERS = new Set(['int', 'int8', 'int16', 'int32', 'int64', 'uint', 'uint8', 'uint16', 'uint32', 'uint64', 'uintptr', 'byte', 'rune', 'untyped int', 'untyped rune']);

export const basic = (name: string): GoType => ({ k: 'basic', name: name === 'byte' ? 'uint8' : name === 'rune' ? 'int32' : name });
export const ERROR: GoType = { k: 'named', name: 'error', args: [] };
/** `error`'s method set is not modelled: `err.Error()` has an unknown type. */
const ERROR_UNDERLYING: GoType = { k: 'interface', methods: new Map([['Error', undefined]]), embeds: [] };

const MAX_DEPTH = 12;

/** The type a predeclared name denotes, if the package does not declare it itself. */
function predeclared(name: string): Ty {
  if (BASIC.has(name)) return basic(name);
  if (name === 'error') return ERROR;
  if (name === 'any') return { k: 'interface', methods: new Map(), embeds: [] };
  return undefined;
}

/** A type name in scope: a type parameter, one of the package's types, a predeclared or dot-imported one. */
export function namedIn(scope: Scope, q: string | undefined, name: string, args: Ty[]): Ty {
  if (q !== undefined) {
    if (scope.hidden?.(q)) return undefined;
    const p = scope.pkg.imported(scope.file, q);
    return p?.types.has(name) && isExported(name) ? declared(p, name, args) : undefined;
  }
  if (scope.tparams?.has(name)) return scope.tparams.get(name);
  if (scope.hidden?.(name)) return undefined;
  if (scope.pkg.types.has(name)) return declared(scope.pkg, name, args);
  // A name the package declares as something else (a func, a var) is not a type.
  if (scope.pkg.funcs.has(name) || scope.pkg.variable(name) || scope.pkg.consts.has(name)) return undefined;
  const dots = scope.pkg.dotImports(scope.file);
  if (!dots) return undefined;
  for (const d of dots) if (d.types.has(name) && isExported(name)) return declared(d, name, args);
  if (dots.some((d) => d.funcs.has(name) || d.variable(name) || d.consts.has(name))) return undefined;
  return args.length === 0 ? predeclared(name) : undefined;
}

const aliasDepth = { n: 0 };

/** A type a package declares: a named type, or for an alias (`type A = B`) the type it stands for. */
function declared(pkg: PackageIndex, name: string, args: Ty[]): Ty {
  const info = pkg.types.get(name)!;
  if (!info.alias) return { k: 'named', pkg, name, args };
  // Generic aliases and chains of aliases that do not end are left unknown.
  if (info.generic || args.length > 0 || aliasDepth.n > MAX_DEPTH) return undefined;
  aliasDepth.n++;
  try {
    return resolveText(info.typeText, { pkg, file: info.file });
  } finally {
    aliasDepth.n--;
  }
}

export function isExported(name: string): boolean {
  const c = name.charCodeAt(0);
  return c >= 65 && c <= 90;
}

/** A parsed type in a scope. */
export function resolve(e: TypeExpr, scope: Scope, depth = 0): Ty {
  if (depth > MAX_DEPTH) return undefined;
  const r = (x: TypeExpr) => resolve(x, scope, depth + 1);
  switch (e.t) {
    case 'name':
      return namedIn(scope, e.q, e.name, (e.args ?? []).map(r));
    case 'pointer':
      return { k: 'pointer', elem: r(e.elem) };
    case 'slice':
      return { k: 'slice', elem: r(e.elem) };
    case 'array':
      return e.len === undefined ? { k: 'array', elem: r(e.elem) } : { k: 'array', len: e.len, elem: r(e.elem) };
    case 'map':
      return { k: 'map', key: r(e.key), value: r(e.value) };
    case 'chan':
      return { k: 'chan', elem: r(e.elem) };
    case 'func':
      return { k: 'func', sig: e.sig, scope };
    case 'struct':
      return { k: 'struct', fields: e.fields.map((f) => ({ name: f.name, embedded: f.embedded, type: r(f.type) })) };
    case 'interface': {
      const methods = new Map<string, Ty>();
      for (const m of e.methods) methods.set(m.name, { k: 'func', sig: m.sig, scope });
      return { k: 'interface', methods, embeds: e.embeds.map(r) };
    }
    default:
      return undefined;
  }
}

/** A type written as text in a scope (a declaration's field or variable type, a node's text). */
export function resolveText(text: string, scope: Scope): Ty {
  return resolve(parsed(text), scope);
}

const parseMemo = new Map<string, TypeExpr>();

/** Parses are shared by text: the same few thousand type texts recur across a whole module. */
function parsed(text: string): TypeExpr {
  let e = parseMemo.get(text);
  if (!e) {
    if (parseMemo.size > 50_000) parseMemo.clear();
    parseMemo.set(text, (e = parseType(text)));
  }
  return e;
}

const sigMemo = new Map<string, Signature | null>();

export function parsedSignature(text: string): Signature | undefined {
  let s = sigMemo.get(text);
  if (s === undefined) {
    if (sigMemo.size > 50_000) sigMemo.clear();
    sigMemo.set(text, (s = parseSignature(text) ?? null));
  }
  return s ?? undefined;
}

/** Type parameter names of a list as written (`[K comparable, V any]`). */
export function typeParamNames(text: string | undefined): string[] {
  if (!text) return [];
  return parsedSignature(`${text}()`)?.typeParams ?? [];
}

function bind(names: readonly string[], args: readonly Ty[]): Map<string, Ty> {
  const m = new Map<string, Ty>();
  names.forEach((n, i) => m.set(n, args[i]));
  return m;
}

/** The underlying type: a named type's declared type, resolved through chains of named types. */
export function underlying(t: Ty, depth = 0): Ty {
  if (!t || t.k !== 'named') return t;
  if (depth > MAX_DEPTH) return undefined;
  if (!t.pkg) return t.name === 'error' ? ERROR_UNDERLYING : undefined;
  const info = t.pkg.types.get(t.name);
  if (!info) return undefined;
  const names = typeParamNames(info.typeParams);
  if (names.length !== t.args.length) return undefined;
  const scope: Scope = { pkg: t.pkg, file: info.file, tparams: bind(names, t.args) };
  return underlying(resolveText(info.typeText, scope), depth + 1);
}

/** A function type's parameters and results, resolved in its scope (with any type arguments bound). */
export function signatureTypes(f: GoType & { k: 'func' }, bound?: ReadonlyMap<string, Ty>): { params: Ty[]; variadic: boolean; results: Ty[] } {
  let scope = f.scope;
  if (f.sig.typeParams.length > 0 || bound) {
    const tparams = new Map(scope.tparams ?? []);
    for (const n of f.sig.typeParams) tparams.set(n, bound?.get(n));
    scope = { ...scope, tparams };
  }
  const params = f.sig.params.map((p) => (p.variadic ? { k: 'slice' as const, elem: resolve(p.type, scope) } : resolve(p.type, scope)));
  const variadic = f.sig.params.length > 0 && f.sig.params[f.sig.params.length - 1].variadic;
  return { params, variadic, results: f.sig.results.map((r) => resolve(r, scope)) };
}

export type Member = { kind: 'field'; type: Ty } | { kind: 'method'; type: Ty };

/** A named type's own methods (not promoted), with its type arguments bound to the receiver's parameters. */
function declaredMethod(t: GoType & { k: 'named' }, name: string): Ty | null {
  if (!t.pkg) return t.name === 'error' && name === 'Error' ? undefined : null;
  const m = t.pkg.methodsOf(t.name).find((x) => x.name === name);
  if (!m) return null;
  const sig = parsedSignature(m.sig);
  if (!sig) return undefined;
  let recv = parsed(m.receiverText);
  if (recv.t === 'pointer') recv = recv.elem;
  const names = recv.t === 'name' ? (recv.args ?? []).map((a) => (a.t === 'name' && !a.q && !a.args ? a.name : '')) : [];
  if (names.length !== t.args.length) return undefined;
  return { k: 'func', sig, scope: { pkg: t.pkg, file: m.file, tparams: bind(names, t.args) } };
}

/**
 * `x.sel` on a value of type `t`: a field or method, promoted through embedded fields by Go's rule
 * (the shallowest depth wins, two at one depth are ambiguous). Undefined when it is not certain:
 * an embedded type we cannot see into might hold the name at a shallower depth.
 */
export function lookupMember(t: Ty, sel: string): Member | undefined {
  if (!t) return undefined;
  if (t.k === 'pointer') {
    // Through one pointer to a named (non-pointer) type.
    const u = underlying(t.elem);
    if (t.elem?.k !== 'named' || u?.k === 'pointer' || u?.k === 'interface') return undefined;
    t = t.elem;
  }
  let level: Ty[] = [t];
  const seen = new Set<string>();
  for (let depth = 0; depth < 8 && level.length > 0; depth++) {
    const found: Member[] = [];
    const next: Ty[] = [];
    let opaque = false;
    for (const x of level) {
      if (!x) {
        opaque = true;
        continue;
      }
      let base = x;
      if (base.k === 'pointer') {
        if (base.elem?.k !== 'named') {
          opaque = true;
          continue;
        }
        base = base.elem;
      }
      if (base.k === 'named') {
        const key = `${base.pkg?.importPath ?? ''}\u0000${base.name}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const m = declaredMethod(base, sel);
        if (m !== null) {
          found.push({ kind: 'method', type: m });
          continue;
        }
      }
      const u = underlying(base);
      if (!u) {
        opaque = true;
        continue;
      }
      if (u.k === 'interface') {
        const m = interfaceMethod(u, sel, 0);
        if (m === null) continue;
        if (m === undefined) opaque = true;
        else found.push({ kind: 'method', type: m });
        continue;
      }
      if (u.k !== 'struct') continue;
      for (const f of u.fields) {
        if (f.name === sel) found.push({ kind: 'field', type: f.type });
        else if (f.embedded) next.push(f.type);
      }
    }
    if (found.length > 0) return found.length === 1 && !opaque ? found[0] : undefined;
    if (opaque) return undefined;
    level = next;
  }
  return undefined;
}

/** A method of an interface (its embedded interfaces included); null when it has none by that name, undefined when unsure. */
function interfaceMethod(u: GoType & { k: 'interface' }, name: string, depth: number): Ty | null {
  if (u.methods.has(name)) return u.methods.get(name);
  if (depth > 6) return undefined;
  for (const e of u.embeds) {
    const eu = underlying(e);
    if (!eu || eu.k !== 'interface') return undefined;
    const m = interfaceMethod(eu, name, depth + 1);
    if (m !== null) return m;
  }
  return null;
}

/** The default type of an untyped constant's type (`untyped int` → `int`). */
export function defaulted(t: Ty): Ty {
  if (t?.k === 'basic' && t.name.startsWith('untyped ')) {
    const d = t.name.slice(8);
    return d === 'rune' ? basic('rune') : d === 'float' ? basic('float64') : d === 'nil' ? undefined : basic(d);
  }
  return t;
}

/** Two types are identical (Go's identity, for the types we model; unknown parts are never identical). */
export function identical(a: Ty, b: Ty, depth = 0): boolean {
  if (!a || !b || depth > MAX_DEPTH) return false;
  if (a.k !== b.k) return false;
  const d = depth + 1;
  switch (a.k) {
    case 'basic':
      return a.name === (b as typeof a).name && !a.name.startsWith('untyped');
    case 'named': {
      const y = b as typeof a;
      return a.name === y.name && a.pkg === y.pkg && a.args.length === y.args.length && a.args.every((x, i) => identical(x, y.args[i], d));
    }
    case 'pointer':
    case 'slice':
    case 'chan':
      return identical(a.elem, (b as typeof a).elem, d);
    case 'array':
      return a.len !== undefined && a.len === (b as typeof a).len && identical(a.elem, (b as typeof a).elem, d);
    case 'map':
      return identical(a.key, (b as typeof a).key, d) && identical(a.value, (b as typeof a).value, d);
    default:
      return false;
  }
}

/** Go's spelling of a type, qualified by package name (`[]os.DirEntry`); `?` for an unknown part. */
export function typeString(t: Ty, from?: PackageIndex, depth = 0): string {
  if (!t) return '?';
  if (depth > MAX_DEPTH) return '…';
  const s = (x: Ty) => typeString(x, from, depth + 1);
  switch (t.k) {
    case 'basic':
      return t.name;
    case 'named': {
      const base = t.pkg && t.pkg !== from ? `${t.pkg.name}.${t.name}` : t.name;
      return t.args.length > 0 ? `${base}[${t.args.map(s).join(', ')}]` : base;
    }
    case 'pointer':
      return `*${s(t.elem)}`;
    case 'slice':
      return `[]${s(t.elem)}`;
    case 'array':
      return `[${t.len ?? '?'}]${s(t.elem)}`;
    case 'map':
      return `map[${s(t.key)}]${s(t.value)}`;
    case 'chan':
      return `chan ${s(t.elem)}`;
    case 'func': {
      const { params, results } = signatureTypes(t);
      const r = results.length === 0 ? '' : results.length === 1 ? ` ${s(results[0])}` : ` (${results.map(s).join(', ')})`;
      return `func(${params.map(s).join(', ')})${r}`;
    }
    case 'struct':
      return `struct{${t.fields.map((f) => (f.embedded ? s(f.type) : `${f.name} ${s(f.type)}`)).join('; ')}}`;
    case 'interface':
      return t.methods.size === 0 && t.embeds.length === 0 ? 'interface{}' : 'interface{…}';
    case 'tuple':
      return `(${t.items.map(s).join(', ')})`;
  }
}
