// The static type of an expression in one function, from its local declarations and the
// declaration index (this package's and, through the import graph, its imports'): identifiers,
// calls (multi-value too), methods (promoted too), selectors through fields at any depth, index and
// slice expressions, composite literals, conversions, type assertions and type-switch bindings,
// range keys and values, and generic calls whose type arguments follow simply from the arguments.
// Unknown (undefined) wherever the answer is not certain; the rules read it as silence.
import type { Node } from 'web-tree-sitter';
import type { FunctionAnalysis } from '../analysis/analysis';
import {
  basic,
  defaulted,
  lookupMember,
  namedIn,
  parsedSignature,
  resolveText,
  signatureTypes,
  typeParamNames,
  underlying,
  type GoType,
  type Scope,
  type Ty,
} from '../index/go-types';
import type { PackageIndex } from '../index/package-index';
import { parseType, type TypeExpr } from '../index/type-syntax';
import type { ConstInfo, FuncInfo, PackageVar } from '../index/types';
import { functionSyntax, type Binding, type FunctionSyntax } from './syntax';

const MAX_DEPTH = 24;
const LITERALS: Record<string, string> = {
  int_literal: 'untyped int',
  float_literal: 'untyped float',
  rune_literal: 'untyped rune',
  interpreted_string_literal: 'untyped string',
  raw_string_literal: 'untyped string',
};
const COMPARISONS = new Set(['==', '!=', '<', '<=', '>', '>=', '&&', '||']);
const BUILTINS = new Set(['len', 'cap', 'make', 'new', 'append', 'copy', 'min', 'max', 'complex', 'real', 'imag', 'delete', 'panic', 'print', 'println', 'recover', 'clear', 'close']);

type FuncType = GoType & { k: 'func' };

function named(n: Node | null | undefined): Node[] {
  return n?.namedChildren.filter((c): c is Node => c !== null && c.type !== 'comment') ?? [];
}

export class ExprTypes {
  private readonly memo = new Map<number, Ty>();
  private readonly bindings = new Map<Binding, Ty>();
  private readonly busy = new Set<Binding>();
  private readonly local: Scope;
  /** The scope of the function's own signature: a parameter named like a type does not hide it there. */
  private readonly signature: Scope;
  private readonly fn: Node;
  private depth = 0;

  constructor(
    private readonly syntax: FunctionSyntax,
    readonly pkg: PackageIndex,
    private readonly file: string,
    fn: Node,
  ) {
    const tparams = new Map<string, Ty>();
    for (const n of typeParamNames(fn.childForFieldName('type_parameters')?.text)) tparams.set(n, undefined);
    const recv = fn.childForFieldName('receiver')?.namedChildren.find((c) => c?.type === 'parameter_declaration')?.childForFieldName('type');
    if (recv) {
      const e = parseType(recv.text);
      const base = e.t === 'pointer' ? e.elem : e;
      if (base.t === 'name') for (const a of base.args ?? []) if (a.t === 'name') tparams.set(a.name, undefined);
    }
    // Types declared inside the function hide the package's: read off the text (a superset).
    const text = fn.text;
    const localTypes = new Set<string>();
    let anyLocal = false;
    if (text.includes('type')) {
      for (const m of text.matchAll(/\btype\s+([\p{L}_][\p{L}\p{Nd}_]*|\()/gu)) {
        if (m[1] === '(') anyLocal = true;
        else localTypes.add(m[1]);
      }
    }
    this.local = {
      pkg,
      file,
      tparams,
      hidden: (name) => anyLocal || localTypes.has(name) || syntax.declares(name),
    };
    this.signature = { pkg, file, tparams };
    this.fn = fn;
  }

  /** The type of an expression; a multi-value call's is a tuple. */
  typeOf(e: Node | null | undefined): Ty {
    if (!e) return undefined;
    const key = e.id;
    if (this.memo.has(key)) return this.memo.get(key);
    if (this.depth > MAX_DEPTH) return undefined;
    this.depth++;
    let t: Ty;
    try {
      t = this.compute(e);
    } finally {
      this.depth--;
    }
    this.memo.set(key, t);
    return t;
  }

  /** A type written in the function (`[]T`, `pkg.T`), in its scope. */
  typeNode(n: Node | null | undefined): Ty {
    return n ? resolveText(n.text, this.local) : undefined;
  }

  private compute(e: Node): Ty {
    switch (e.type) {
      case 'parenthesized_expression':
        return this.typeOf(named(e)[0]);
      case 'identifier':
        return this.identifier(e);
      case 'true':
      case 'false':
        return basic('untyped bool');
      case 'selector_expression':
        return this.selector(e);
      case 'call_expression':
        return this.call(e);
      case 'index_expression': {
        const op = e.childForFieldName('operand');
        const u = underlying(this.typeOf(op));
        if (!u) return undefined;
        if (u.k === 'map') return u.value;
        if (u.k === 'slice' || u.k === 'array') return u.elem;
        if (u.k === 'pointer') {
          const a = underlying(u.elem);
          return a?.k === 'array' ? a.elem : undefined;
        }
        if (u.k === 'basic' && (u.name === 'string' || u.name === 'untyped string')) return basic('byte');
        return undefined;
      }
      case 'slice_expression': {
        const t = this.typeOf(e.childForFieldName('operand'));
        const u = underlying(t);
        if (!u) return undefined;
        if (u.k === 'slice') return t;
        if (u.k === 'basic' && u.name === 'string') return t;
        if (u.k === 'basic' && u.name === 'untyped string') return basic('string');
        if (u.k === 'array') return { k: 'slice', elem: u.elem };
        if (u.k === 'pointer') {
          const a = underlying(u.elem);
          return a?.k === 'array' ? { k: 'slice', elem: a.elem } : undefined;
        }
        return undefined;
      }
      case 'composite_literal': {
        const type = e.childForFieldName('type');
        if (type?.type === 'implicit_length_array_type') {
          // `[...]T{a, b}`: an array of as many elements as written (without keys).
          const elems = named(e.childForFieldName('body'));
          if (elems.some((x) => x.type === 'keyed_element')) return undefined;
          return { k: 'array', len: elems.length, elem: this.typeNode(type.childForFieldName('element')) };
        }
        return this.typeNode(type);
      }
      case 'type_conversion_expression': {
        const type = e.childForFieldName('type');
        // `f[int](x)` reads like a conversion to a generic type: it is a call when f is a function.
        if (type?.type === 'generic_type') {
          const f = this.genericFunc(type);
          if (f) return this.callResult(f.fn, named(e).filter((n) => n !== type), f.bound);
        }
        return this.typeNode(type);
      }
      case 'type_assertion_expression':
        return this.typeNode(e.childForFieldName('type'));
      case 'unary_expression': {
        const op = e.childForFieldName('operator')?.type;
        const x = this.typeOf(e.childForFieldName('operand'));
        switch (op) {
          case '&':
            return x ? { k: 'pointer', elem: x } : undefined;
          case '*': {
            const u = underlying(x);
            return u?.k === 'pointer' ? u.elem : undefined;
          }
          case '<-': {
            const u = underlying(x);
            return u?.k === 'chan' ? u.elem : undefined;
          }
          case '!':
            return x?.k === 'basic' && x.name === 'untyped bool' ? x : basic('bool');
          default:
            return x;
        }
      }
      case 'binary_expression': {
        const op = e.childForFieldName('operator')?.type ?? '';
        if (COMPARISONS.has(op)) return basic('untyped bool');
        const l = this.typeOf(e.childForFieldName('left'));
        if (op === '<<' || op === '>>') return l;
        const r = this.typeOf(e.childForFieldName('right'));
        const untyped = (t: Ty) => t?.k === 'basic' && t.name.startsWith('untyped');
        if (l && !untyped(l)) return l;
        if (r && !untyped(r)) return r;
        return l && r && l.k === 'basic' && r.k === 'basic' && l.name === r.name ? l : undefined;
      }
      case 'func_literal': {
        const params = e.childForFieldName('parameters')?.text ?? '()';
        const result = e.childForFieldName('result')?.text ?? '';
        const sig = parsedSignature(`${params} ${result}`);
        return sig ? { k: 'func', sig, scope: this.local } : undefined;
      }
      default: {
        const lit = LITERALS[e.type];
        return lit ? basic(lit) : undefined;
      }
    }
  }

  private identifier(id: Node): Ty {
    const b = this.syntax.referenceAt(id)?.binding ?? this.syntax.bindingAt(id);
    if (b) {
      if (b.decl.type === 'type_switch_statement') return this.typeSwitchBinding(b, id);
      return this.bindingType(b);
    }
    if (!this.syntax.freeAt(id)) return undefined;
    return this.packageLevel(this.pkg, this.file, id.text);
  }

  /** A name at package level: a variable, function or constant of the package or a dot import. */
  private packageLevel(pkg: PackageIndex, file: string, name: string): Ty {
    const v = pkg.variable(name);
    if (v) return this.varType(pkg, v);
    const f = pkg.funcs.get(name);
    if (f) return funcType(pkg, f);
    const c = pkg.consts.get(name);
    if (c) return constType(pkg, c);
    if (pkg.types.has(name)) return undefined;
    if (pkg === this.pkg && file === this.file) {
      const dots = pkg.dotImports(file);
      if (!dots) return undefined;
      for (const d of dots) {
        if (d.variable(name) || d.funcs.has(name) || d.consts.has(name)) return this.member(d, name);
      }
      if (name === 'true' || name === 'false') return basic('untyped bool');
    }
    return undefined;
  }

  /** An exported member of an imported package: `http.DefaultClient`, `os.ReadDir`. */
  private member(p: PackageIndex, name: string): Ty {
    const c = name.charCodeAt(0);
    if (!(c >= 65 && c <= 90)) return undefined;
    return this.packageLevel(p, '', name);
  }

  private readonly varMemo = new Map<PackageVar, Ty>();
  private readonly varBusy = new Set<PackageVar>();

  private varType(pkg: PackageIndex, v: PackageVar): Ty {
    if (this.varMemo.has(v)) return this.varMemo.get(v);
    if (this.varBusy.has(v)) return undefined;
    this.varBusy.add(v);
    let t: Ty;
    try {
      const scope: Scope = { pkg, file: v.file };
      if (v.typeText) t = resolveText(v.typeText, scope);
      else if (v.init?.typeText) t = defaulted(resolveText(v.init.typeText, scope));
      else if (v.init?.call) t = this.initCall(pkg, v.file, v.init.call, v.init.index);
    } finally {
      this.varBusy.delete(v);
    }
    this.varMemo.set(v, t);
    return t;
  }

  /** The value of `f(…)` or `q.f(…)` written at package level: a function's result, or a conversion. */
  private initCall(pkg: PackageIndex, file: string, callee: string, index: number): Ty {
    const dot = callee.indexOf('.');
    let fn: Ty;
    if (dot < 0) {
      if (pkg.types.has(callee)) return index === 0 ? namedIn({ pkg, file }, undefined, callee, []) : undefined;
      fn = this.packageLevel(pkg, file, callee);
    } else {
      const q = callee.slice(0, dot);
      const name = callee.slice(dot + 1);
      const imported = pkg.variable(q) || pkg.funcs.has(q) || pkg.consts.has(q) ? undefined : pkg.imported(file, q);
      if (imported) {
        if (imported.types.has(name)) return index === 0 ? namedIn({ pkg, file }, q, name, []) : undefined;
        fn = this.member(imported, name);
      } else {
        const v = pkg.variable(q);
        const m = v ? lookupMember(this.varType(pkg, v), name) : undefined;
        fn = m?.kind === 'method' ? m.type : undefined;
      }
    }
    if (fn?.k !== 'func' || fn.sig.typeParams.length > 0) return undefined;
    const results = signatureTypes(fn).results;
    return results.length > index ? results[index] : undefined;
  }

  private selector(e: Node): Ty {
    const operand = e.childForFieldName('operand');
    const field = e.childForFieldName('field')?.text;
    if (!operand || !field) return undefined;
    const p = this.packageOf(operand);
    if (p !== undefined) return p ? this.member(p, field) : undefined;
    return lookupMember(this.typeOf(operand), field)?.type;
  }

  /**
   * The imported package an operand names (`http` in `http.Get`): a package, null when the
   * identifier names an import the graph cannot find, undefined when it is not an import's name.
   */
  private packageOf(operand: Node): PackageIndex | null | undefined {
    if (operand.type !== 'identifier' || !this.syntax.freeAt(operand)) return undefined;
    const name = operand.text;
    if (this.pkg.variable(name) || this.pkg.funcs.has(name) || this.pkg.consts.has(name) || this.pkg.types.has(name)) return undefined;
    return this.pkg.imported(this.file, name) ?? (this.pkg.importsName(this.file, name) ? null : undefined);
  }

  /** A type named by an expression in callee position (a conversion `T(x)`, `pkg.T(x)`), if it is one. */
  private typeNamedBy(fn: Node): Ty | null {
    if (fn.type === 'identifier') {
      if (!this.syntax.freeAt(fn)) return null;
      const name = fn.text;
      if (this.pkg.funcs.has(name) || this.pkg.variable(name) || this.pkg.consts.has(name)) return null;
      if (this.pkg.types.has(name)) return namedIn(this.local, undefined, name, []);
      if (BUILTINS.has(name)) return null;
      const t = namedIn(this.local, undefined, name, []);
      return t ?? null;
    }
    if (fn.type === 'selector_expression') {
      const operand = fn.childForFieldName('operand');
      const name = fn.childForFieldName('field')?.text ?? '';
      const p = operand ? this.packageOf(operand) : undefined;
      if (p === undefined) return null;
      if (p === null) return undefined;
      return p.types.has(name) ? namedIn(this.local, operand!.text, name, []) : null;
    }
    if (fn.type === 'parenthesized_expression') return undefined;
    return null;
  }

  private call(e: Node): Ty {
    const fn = e.childForFieldName('function');
    const args = named(e.childForFieldName('arguments'));
    if (!fn) return undefined;
    const conv = this.typeNamedBy(fn);
    if (conv !== null) return conv;
    if (fn.type === 'identifier' && BUILTINS.has(fn.text) && this.syntax.freeAt(fn)) return this.builtin(fn.text, args);
    if (fn.type === 'index_expression') {
      // `f[int](x)`: explicit type arguments.
      const f = this.typeOf(fn.childForFieldName('operand'));
      if (f?.k === 'func' && f.sig.typeParams.length > 0) {
        const bound = new Map<string, Ty>();
        const targs = named(fn).slice(1);
        targs.forEach((a, i) => bound.set(f.sig.typeParams[i], this.typeNode(a)));
        return this.callResult(f, args, bound);
      }
    }
    const f = this.typeOf(fn);
    const u = f?.k === 'func' ? f : underlying(f);
    return u?.k === 'func' ? this.callResult(u, args) : undefined;
  }

  /** `f[int, string]` read as a generic type by the grammar: the function and its bound type arguments. */
  private genericFunc(type: Node): { fn: FuncType; bound: Map<string, Ty> } | undefined {
    const base = type.childForFieldName('type');
    let f: Ty;
    if (base?.type === 'type_identifier') {
      if (this.local.hidden?.(base.text)) return undefined;
      const fi = this.pkg.funcs.get(base.text);
      f = fi ? funcType(this.pkg, fi) : undefined;
    } else if (base?.type === 'qualified_type') {
      const q = base.childForFieldName('package')?.text ?? '';
      const p = this.local.hidden?.(q) ? undefined : this.pkg.imported(this.file, q);
      const fi = p?.funcs.get(base.childForFieldName('name')?.text ?? '');
      f = p && fi ? funcType(p, fi) : undefined;
    }
    if (f?.k !== 'func') return undefined;
    const bound = new Map<string, Ty>();
    const targs = named(type.childForFieldName('type_arguments'));
    targs.forEach((a, i) => bound.set(f.sig.typeParams[i], this.typeNode(a.type === 'type_elem' ? named(a)[0] : a)));
    return { fn: f, bound };
  }

  private callResult(f: FuncType, args: Node[], explicit?: Map<string, Ty>): Ty {
    let bound: Map<string, Ty> | undefined;
    if (f.sig.typeParams.length > 0) {
      bound = new Map(explicit ?? []);
      const tps = new Set(f.sig.typeParams);
      f.sig.params.forEach((p, i) => {
        if (p.variadic) return;
        const a = args[i];
        if (a) unify(p.type, defaulted(this.typeOf(a)), tps, bound!, 0);
      });
    }
    const results = signatureTypes(f, bound).results;
    if (results.length === 1) return results[0];
    if (results.length > 1) return { k: 'tuple', items: results };
    return undefined;
  }

  private builtin(name: string, args: Node[]): Ty {
    switch (name) {
      case 'len':
      case 'cap':
      case 'copy':
        return basic('int');
      case 'make':
        return this.typeNode(args[0]);
      case 'new': {
        const t = this.typeNode(args[0]);
        return t ? { k: 'pointer', elem: t } : undefined;
      }
      case 'append':
        return this.typeOf(args[0]);
      case 'min':
      case 'max': {
        const ts = args.map((a) => this.typeOf(a));
        return ts.find((t) => t && !(t.k === 'basic' && t.name.startsWith('untyped'))) ?? ts[0];
      }
      case 'recover':
        return { k: 'interface', methods: new Map(), embeds: [] };
      default:
        return undefined;
    }
  }

  private bindingType(b: Binding): Ty {
    if (this.bindings.has(b)) return this.bindings.get(b);
    if (this.busy.has(b)) return undefined;
    this.busy.add(b);
    let t: Ty;
    try {
      t = this.declaredBinding(b);
    } finally {
      this.busy.delete(b);
    }
    this.bindings.set(b, t);
    return t;
  }

  private declaredBinding(b: Binding): Ty {
    const d = b.decl;
    switch (d.type) {
      case 'parameter_declaration':
      case 'variadic_parameter_declaration': {
        // The function's own parameters, receiver and results: their types are read where the
        // signature is, outside the body (`func f(config *config)` names the package's type).
        const type = d.childForFieldName('type');
        const t = b.owner.equals(this.fn) && type ? resolveText(type.text, this.signature) : this.typeNode(type);
        return d.type === 'variadic_parameter_declaration' ? { k: 'slice', elem: t } : t;
      }
      case 'var_spec':
      case 'const_spec': {
        const type = d.childForFieldName('type');
        if (type) return this.typeNode(type);
        const left = d.childrenForFieldName('name').filter((n): n is Node => n !== null);
        const t = this.valueAt(left, named(d.childForFieldName('value')), b);
        return d.type === 'const_spec' ? t : defaulted(t);
      }
      case 'short_var_declaration':
        return defaulted(this.valueAt(named(d.childForFieldName('left')), named(d.childForFieldName('right')), b));
      case 'range_clause':
        return this.rangeBinding(d, b);
      case 'receive_statement': {
        const left = named(d.childForFieldName('left'));
        const i = left.findIndex((n) => n.equals(b.id));
        const u = underlying(this.typeOf(named(d.childForFieldName('right'))[0]));
        if (i === 0 && u?.k === 'chan') return u.elem;
        return i === 1 ? basic('bool') : undefined;
      }
      default:
        return undefined;
    }
  }

  /** The value a list assignment gives the binding: by position, or from a multi-value right side. */
  private valueAt(left: Node[], right: Node[], b: Binding): Ty {
    const i = left.findIndex((n) => n.equals(b.id));
    if (i < 0) return undefined;
    if (right.length === left.length) return this.typeOf(right[i]);
    if (right.length !== 1) return undefined;
    let v = right[0];
    while (v.type === 'parenthesized_expression') v = named(v)[0] ?? v;
    if (left.length === 2 && i === 1 && (v.type === 'index_expression' || v.type === 'type_assertion_expression' || (v.type === 'unary_expression' && v.childForFieldName('operator')?.type === '<-'))) {
      return basic('bool');
    }
    if (left.length === 2 && i === 0 && (v.type === 'index_expression' || v.type === 'type_assertion_expression' || v.type === 'unary_expression')) {
      return this.typeOf(v);
    }
    const t = this.typeOf(v);
    return t?.k === 'tuple' && t.items.length === left.length ? t.items[i] : undefined;
  }

  /** A range clause's key or value. */
  private rangeBinding(clause: Node, b: Binding): Ty {
    const left = named(clause.childForFieldName('left'));
    const i = left.findIndex((n) => n.equals(b.id));
    const kv = rangeTypes(this.typeOf(clause.childForFieldName('right')));
    return kv && i >= 0 ? kv[i] : undefined;
  }

  /** `switch v := x.(type)`: in a case of one type, v has it; in other cases, x's type. */
  private typeSwitchBinding(b: Binding, id: Node): Ty {
    const sw = b.decl;
    let clause: Node | undefined;
    for (let n: Node | null = id; n && !n.equals(sw); n = this.syntax.parent(n)) {
      const p = this.syntax.parent(n);
      if (p?.equals(sw) && (n.type === 'type_case' || n.type === 'default_case')) clause = n;
    }
    const x = sw.childForFieldName('value');
    if (!clause) return undefined;
    const types = clause.type === 'type_case' ? clause.childrenForFieldName('type').filter((n): n is Node => n !== null) : [];
    if (types.length === 1 && types[0].text !== 'nil') return this.typeNode(types[0]);
    return this.typeOf(x);
  }
}

/** What ranging over a value of type `t` gives: key and value (a channel or an integer, one). */
export function rangeTypes(t: Ty): Ty[] | undefined {
  const u = underlying(t);
  if (!u) return undefined;
  switch (u.k) {
    case 'slice':
    case 'array':
      return [basic('int'), u.elem];
    case 'pointer': {
      const a = underlying(u.elem);
      return a?.k === 'array' ? [basic('int'), a.elem] : undefined;
    }
    case 'map':
      return [u.key, u.value];
    case 'chan':
      return [u.elem];
    case 'basic':
      if (u.name === 'string' || u.name === 'untyped string') return [basic('int'), basic('rune')];
      if (u.name.startsWith('untyped int')) return [basic('int')];
      return INTEGER_NAMES.has(u.name) ? [t] : undefined;
    case 'func': {
      // Range over a function (Go 1.23): `func(yield func(K, V) bool)`.
      const { params } = signatureTypes(u);
      const y = underlying(params[0]);
      return params.length === 1 && y?.k === 'func' ? signatureTypes(y).params : undefined;
    }
    default:
      return undefined;
  }
}

const INTEGER_NAMES = new Set(['int', 'int8', 'int16', 'int32', 'int64', 'uint', 'uint8', 'uint16', 'uint32', 'uint64', 'uintptr']);

function funcType(pkg: PackageIndex, f: FuncInfo): Ty {
  const sig = parsedSignature(f.sig);
  return sig ? { k: 'func', sig, scope: { pkg, file: f.file } } : undefined;
}

function constType(pkg: PackageIndex, c: ConstInfo): Ty {
  if (c.typeText) return resolveText(c.typeText, { pkg, file: c.file });
  switch (c.defaultType) {
    case 'int':
      return basic('untyped int');
    case 'string':
      return basic('untyped string');
    case 'float64':
      return basic('untyped float');
    case 'rune':
      return basic('untyped rune');
    default:
      return undefined;
  }
}


/** Binds type parameters of a generic signature from an argument's type, where the shapes match plainly. */
function unify(p: TypeExpr, a: Ty, tps: ReadonlySet<string>, bound: Map<string, Ty>, depth: number): void {
  if (!a || depth > 8) return;
  if (p.t === 'name' && !p.q && !p.args && tps.has(p.name)) {
    if (!bound.has(p.name)) bound.set(p.name, a);
    return;
  }
  if (p.t === 'name' && p.args && a.k === 'named' && a.name === p.name && a.args.length === p.args.length) {
    p.args.forEach((x, i) => unify(x, a.args[i], tps, bound, depth + 1));
    return;
  }
  const u = a.k === 'named' ? underlying(a) : a;
  if (!u) return;
  if ((p.t === 'slice' && u.k === 'slice') || (p.t === 'pointer' && u.k === 'pointer') || (p.t === 'chan' && u.k === 'chan') || (p.t === 'array' && u.k === 'array')) {
    unify(p.elem, u.elem, tps, bound, depth + 1);
  } else if (p.t === 'map' && u.k === 'map') {
    unify(p.key, u.key, tps, bound, depth + 1);
    unify(p.value, u.value, tps, bound, depth + 1);
  } else if (p.t === 'func' && u.k === 'func' && u.sig.typeParams.length === 0) {
    const { params, results } = signatureTypes(u);
    if (params.length !== p.sig.params.length || results.length !== p.sig.results.length) return;
    p.sig.params.forEach((x, i) => unify(x.type, params[i], tps, bound, depth + 1));
    p.sig.results.forEach((x, i) => unify(x, results[i], tps, bound, depth + 1));
  }
}

export const exprTypes: FunctionAnalysis<ExprTypes> = {
  id: 'expr-types',
  kind: 'function',
  requires: [functionSyntax],
  run: (pass, fn) => new ExprTypes(pass.resultFor(functionSyntax, fn), pass.pkg, pass.unit.path, fn),
};
