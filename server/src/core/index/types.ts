// The package's own named types, read from the top-level declarations of every file in one
// directory: enough to know which fields of a struct are maps (directly, through a named map type,
// or promoted from an embedded struct) and which methods have value receivers.
import type { Node } from 'web-tree-sitter';
import type { ByteRange } from '../findings';
import type { ParamRunFact } from './param-facts';
import type { Registration } from './registrations';

export interface FieldInfo {
  /** The field's name; for an embedded field, the type's name. */
  name: string;
  embedded: boolean;
  /** The field's type as written (`map[string]int`, `Counts`, `*Inner`). */
  typeText: string;
  /** Named type in this package the field's type refers to by value (not through a pointer). */
  valueTypeName?: string;
  /** `map[K]V` written directly. */
  isMapLiteral: boolean;
  range: ByteRange;
}

export interface TypeInfo {
  name: string;
  file: string;
  kind: 'struct' | 'map' | 'other';
  fields: FieldInfo[];
  /** The declared type text (for a named map type, its `map[K]V`). */
  typeText: string;
  /** The declaration has type parameters: field types may mention them. */
  generic: boolean;
  /** `type A = B`: A is B itself, not a new type. */
  alias?: boolean;
  /** The type parameter list as written (`[K comparable, V any]`), when generic. */
  typeParams?: string;
  range: ByteRange;
}

export interface MethodInfo {
  name: string;
  pointerReceiver: boolean;
  /** For value receivers: the receiver's fields the method assigns (`c.m = …`), which the caller never sees. */
  assignedFields: { name: string; range: ByteRange }[];
  file: string;
  /** The receiver's type as written (`*Set[T]`): its type arguments name the receiver's type parameters. */
  receiverText: string;
  /** The signature as written, from after the name to the body (see type-syntax.ts). */
  sig: string;
  /** How it may run its func parameters (param-facts.ts); absent when it runs none. */
  runs?: ParamRunFact[];
  /** The gRPC service implementations it registers (registrations.ts); absent when none. */
  registers?: Registration[];
}

/**
 * A function or method as another package reads it: its head, without what only its own package
 * reads of its body (how it runs func parameters, the services it registers). An import's
 * summary made from blanked bodies has none of these, so every stored import summary leaves them
 * out and reads the same whichever way it was made.
 */
export function headOnly<T extends FuncInfo | MethodInfo>(f: T): T {
  if (f.runs === undefined && f.registers === undefined) return f;
  const { runs: _runs, registers: _registers, ...head } = f;
  return head as T;
}

/** A top-level function. */
export interface FuncInfo {
  name: string;
  file: string;
  /** The signature as written, from after the name to the body: `[T any](x T) (T, error)`. */
  sig: string;
  /** How it may run its func parameters (param-facts.ts); absent when it runs none. */
  runs?: ParamRunFact[];
  /** The gRPC service implementations it registers (registrations.ts); absent when none. */
  registers?: Registration[];
}

/**
 * What a package variable declared without a type holds, read off its initialiser where that is
 * cheap and certain: the type a composite literal, conversion, `make`, `new` or `&T{}` writes, a
 * literal's default type, or the result of calling a named function (resolved when asked).
 */
export interface VarInit {
  /** A type as written (`map[string]int`, `*T`), or a literal's default type (`int`, `string`). */
  typeText?: string;
  /** The called function as written (`load`, `errors.New`), whose result `index` is the value. */
  call?: string;
  index: number;
}

export interface ConstInfo {
  name: string;
  file: string;
  /** The declared type as written, repeated from the previous spec of a group when implicit; '' when untyped. */
  typeText: string;
  /** An untyped constant's default type, when its value is a literal or `iota` (`int`, `string`, `float64`, `rune`). */
  defaultType?: string;
}

export interface PackageVar {
  name: string;
  file: string;
  /** Declared with a type and no value (whether that type is a map is the package index's to say). */
  nilMap: boolean;
  typeText: string;
  range: ByteRange;
  /** Without a written type: what the initialiser tells of its type. */
  init?: VarInit;
  /** The var_spec is alone in its declaration (a fix may rewrite it). */
  standalone: boolean;
  specRange: ByteRange;
}

/**
 * Strips a generic instantiation or parentheses to the named type it refers to, if any: `T`, or
 * `q.T` for a type of an imported package (which the package index resolves through its imports).
 */
export function namedTypeOf(typeNode: Node | null): string | undefined {
  let n = typeNode;
  while (n && n.type === 'parenthesized_type') n = n.namedChild(0);
  if (!n) return undefined;
  if (n.type === 'generic_type') n = n.childForFieldName('type');
  if (n?.type === 'type_identifier') return n.text;
  if (n?.type === 'qualified_type') {
    const q = n.childForFieldName('package')?.text;
    const name = n.childForFieldName('name')?.text;
    return q && name ? `${q}.${name}` : undefined;
  }
  return undefined;
}
