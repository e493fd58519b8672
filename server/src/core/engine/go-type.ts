// A small Go type AST: just enough structure to compute sizes, alignments and whether a
// type contains pointers, which is all the map engine needs from a key or value type.

/** The predeclared non-composite types whose layout is fixed on 64-bit targets. */
export type BasicName =
  | 'bool'
  | 'int' | 'int8' | 'int16' | 'int32' | 'int64'
  | 'uint' | 'uint8' | 'uint16' | 'uint32' | 'uint64' | 'uintptr'
  | 'byte' | 'rune'
  | 'float32' | 'float64'
  | 'complex64' | 'complex128'
  | 'unsafe.Pointer';

export interface StructField {
  /** Field name; for an embedded field, the type's name. `_` fields count like any other. */
  name: string;
  type: GoType;
  embedded?: boolean;
}

export type GoType =
  | { kind: 'basic'; name: BasicName }
  | { kind: 'string' }
  | { kind: 'slice'; elem: GoType }
  | { kind: 'array'; len: number; elem: GoType }
  | { kind: 'pointer'; elem: GoType }
  | { kind: 'map'; key: GoType; value: GoType }
  | { kind: 'chan'; elem: GoType; dir: 'both' | 'send' | 'recv' }
  | { kind: 'func' }
  /** Method sets do not change an interface's layout (two words), so only emptiness is kept. */
  | { kind: 'interface'; empty: boolean }
  | { kind: 'struct'; fields: StructField[] }
  /** A reference to a declared type: `Foo` (same package) or `pkg.Foo`. */
  | { kind: 'named'; pkg?: string; name: string }
  /** A generic instantiation: `List[int]`, `pkg.Pair[K, V]`. */
  | { kind: 'generic'; pkg?: string; name: string; args: GoType[] };

export const BASIC_NAMES: ReadonlySet<string> = new Set<BasicName>([
  'bool', 'int', 'int8', 'int16', 'int32', 'int64', 'uint', 'uint8', 'uint16', 'uint32',
  'uint64', 'uintptr', 'byte', 'rune', 'float32', 'float64', 'complex64', 'complex128',
]);

/** Renders a type back in Go syntax (for messages and assumptions). */
export function formatGoType(t: GoType): string {
  switch (t.kind) {
    case 'basic': return t.name;
    case 'string': return 'string';
    case 'slice': return `[]${formatGoType(t.elem)}`;
    case 'array': return `[${t.len}]${formatGoType(t.elem)}`;
    case 'pointer': return `*${formatGoType(t.elem)}`;
    case 'map': return `map[${formatGoType(t.key)}]${formatGoType(t.value)}`;
    case 'chan':
      return t.dir === 'send' ? `chan<- ${formatGoType(t.elem)}`
        : t.dir === 'recv' ? `<-chan ${formatGoType(t.elem)}` : `chan ${formatGoType(t.elem)}`;
    case 'func': return 'func()';
    case 'interface': return t.empty ? 'interface{}' : 'interface{...}';
    case 'struct':
      return t.fields.length === 0 ? 'struct{}'
        : `struct{${t.fields.map((f) => (f.embedded ? formatGoType(f.type) : `${f.name} ${formatGoType(f.type)}`)).join('; ')}}`;
    case 'named': return t.pkg ? `${t.pkg}.${t.name}` : t.name;
    case 'generic':
      return `${t.pkg ? `${t.pkg}.` : ''}${t.name}[${t.args.map(formatGoType).join(', ')}]`;
  }
}
