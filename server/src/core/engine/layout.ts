// Size, alignment and pointer-ness of Go types on 64-bit targets (amd64/arm64), following
// cmd/compile/internal/types/size.go: fields are placed at their alignment, a struct's size is
// rounded to its alignment, and a non-empty struct that ends in a zero-size field gets one
// extra byte first (issue 9401: so &s.last never points past the object).

import { formatGoType, type GoType } from './go-type';
import { lookupStdlibType } from './stdlib-types';

export interface Layout {
  size: number;
  align: number;
  /** Whether the type contains pointers (decides "noscan" allocations and malloc headers). */
  pointers: boolean;
  /**
   * How the runtime compares keys of this type: 'mem' for plain memory with no padding (ints,
   * pointers, arrays and packed structs of them), 'string', or 'other' (floats, interfaces,
   * padded structs...). With the size it picks the map's assign fast path.
   */
  equality?: 'mem' | 'string' | 'other';
  /** Guesses that were made for types nobody could resolve. Empty or absent: exact. */
  assumptions?: string[];
}

/** What a resolver returns for a declared type: its definition, possibly generic. */
export type TypeDeclaration = GoType | { typeParams: string[]; type: GoType };

/**
 * Resolves `Foo` / `pkg.Foo` to its declaration. The facts layer supplies the package's type
 * declarations; returning undefined falls back to the standard-library table, then to an
 * explicit assumption.
 */
export type TypeResolver = (ref: { pkg?: string; name: string }) => TypeDeclaration | undefined;

const BASIC: Record<string, [number, number, boolean]> = {
  bool: [1, 1, false], int8: [1, 1, false], uint8: [1, 1, false], byte: [1, 1, false],
  int16: [2, 2, false], uint16: [2, 2, false],
  int32: [4, 4, false], uint32: [4, 4, false], rune: [4, 4, false], float32: [4, 4, false],
  int64: [8, 8, false], uint64: [8, 8, false], int: [8, 8, false], uint: [8, 8, false],
  uintptr: [8, 8, false], float64: [8, 8, false],
  complex64: [8, 4, false], complex128: [16, 8, false],
  'unsafe.Pointer': [8, 8, true],
};

export const PTR_SIZE = 8;
export const UNKNOWN_TYPE_LAYOUT = { size: 8, align: 8, pointers: true } as const;

export function alignUp(n: number, a: number): number {
  return Math.ceil(n / a) * a;
}

/** Replaces type-parameter references (`T`) by their arguments, for generic instantiations. */
function substitute(t: GoType, env: Map<string, GoType>): GoType {
  switch (t.kind) {
    case 'named': return t.pkg === undefined && env.has(t.name) ? env.get(t.name)! : t;
    case 'slice': return { ...t, elem: substitute(t.elem, env) };
    case 'array': return { ...t, elem: substitute(t.elem, env) };
    case 'pointer': return { ...t, elem: substitute(t.elem, env) };
    case 'chan': return { ...t, elem: substitute(t.elem, env) };
    case 'map': return { ...t, key: substitute(t.key, env), value: substitute(t.value, env) };
    case 'struct': return { ...t, fields: t.fields.map((f) => ({ ...f, type: substitute(f.type, env) })) };
    case 'generic': return { ...t, args: t.args.map((a) => substitute(a, env)) };
    default: return t;
  }
}

export interface LayoutOptions {
  /** Go minor version (19 for go1.19); a few standard-library types changed size. Default 26. */
  goMinor?: number;
}

/** Computes the layout of `type`, resolving declared types through `resolver`. */
export function layoutOf(type: GoType, resolver?: TypeResolver, opts: LayoutOptions = {}): Layout {
  const assumptions: string[] = [];
  const visiting = new Set<string>();
  const goMinor = opts.goMinor ?? 26;

  const declared = (pkg: string | undefined, name: string, args: GoType[] | undefined): Layout => {
    const key = `${pkg ?? ''}.${name}[${args?.map(formatGoType).join(',') ?? ''}]`;
    const shown = formatGoType(args ? { kind: 'generic', pkg, name, args } : { kind: 'named', pkg, name });
    const decl = resolver?.({ pkg, name });
    if (decl !== undefined) {
      if (visiting.has(key)) {
        // A struct containing itself by value is invalid Go; only reached through bad input.
        assumptions.push(`recursive type ${shown}: assumed 8 bytes with pointers`);
        return { ...UNKNOWN_TYPE_LAYOUT };
      }
      visiting.add(key);
      let body: GoType;
      if ('typeParams' in decl) {
        const env = new Map<string, GoType>();
        decl.typeParams.forEach((p, i) => { if (args?.[i]) env.set(p, args[i]); });
        if ((args?.length ?? 0) !== decl.typeParams.length) {
          assumptions.push(`${shown}: expected ${decl.typeParams.length} type argument(s)`);
        }
        body = substitute(decl.type, env);
      } else {
        body = decl;
      }
      const l = of(body);
      visiting.delete(key);
      return l;
    }
    if (pkg !== undefined) {
      const std = lookupStdlibType(pkg, name, goMinor, args);
      if (std) return { size: std.size, align: std.align, pointers: std.pointers, equality: std.equality ?? 'other' };
    } else if (name === 'error' || name === 'comparable') {
      return { size: 16, align: 8, pointers: true, equality: 'other' };
    }
    assumptions.push(`unknown type ${shown}: assumed 8 bytes with pointers`);
    return { ...UNKNOWN_TYPE_LAYOUT, equality: 'other' };
  };

  const of = (t: GoType): Layout => {
    switch (t.kind) {
      case 'basic': {
        const [size, align, pointers] = BASIC[t.name];
        const float = t.name.startsWith('float') || t.name.startsWith('complex');
        return { size, align, pointers, equality: float ? 'other' : 'mem' };
      }
      case 'string': return { size: 16, align: 8, pointers: true, equality: 'string' };
      case 'slice': return { size: 24, align: 8, pointers: true, equality: 'other' };
      case 'interface': return { size: 16, align: 8, pointers: true, equality: 'other' };
      case 'pointer': case 'map': case 'chan': case 'func':
        return { size: PTR_SIZE, align: PTR_SIZE, pointers: true, equality: 'mem' };
      case 'array': {
        const e = of(t.elem);
        return {
          size: e.size * t.len, align: e.align, pointers: t.len > 0 && e.pointers,
          equality: t.len === 0 || e.equality === 'mem' ? 'mem' : 'other',
        };
      }
      case 'struct': {
        let offset = 0;
        let align = 1;
        let pointers = false;
        let lastSize = -1;
        let packedMem = true;
        let sum = 0;
        for (const f of t.fields) {
          const l = of(f.type);
          sum += l.size;
          if (l.equality !== 'mem' || f.name === '_') packedMem = false;
          offset = alignUp(offset, l.align) + l.size;
          align = Math.max(align, l.align);
          pointers ||= l.pointers;
          lastSize = l.size;
        }
        // Trailing zero-size field in a non-empty struct: one byte of padding (issue 9401).
        if (offset > 0 && lastSize === 0) offset++;
        const size = alignUp(offset, align);
        return { size, align, pointers, equality: packedMem && sum === size ? 'mem' : 'other' };
      }
      case 'named': return declared(t.pkg, t.name, undefined);
      case 'generic': return declared(t.pkg, t.name, t.args);
    }
  };

  const l = of(type);
  return assumptions.length ? { ...l, assumptions: [...new Set(assumptions)] } : l;
}
