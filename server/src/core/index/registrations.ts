// gRPC service implementations registered with a generated `pb.RegisterXxxServer(s, impl)`: the
// server runs each RPC of `impl` on a goroutine of its own. Read from one declaration's body for
// its summary, so that every file of the package knows which of its types are registered anywhere
// in it (PackageIndex.registeredTypes). Only the shapes whose type is certain without a type
// checker count: `&T{…}`, `T{…}`, `new(T)`, `newT(…)` of a function of the package returning `T`
// or `*T`, a local variable declared with one of those (its static type is the initialiser's for
// its whole life), and a parameter or receiver declared `T` or `*T`.
import type { Node } from 'web-tree-sitter';
import { declaredType, initialValue, type FunctionSyntax } from '../analyses/syntax';

/** One `q.RegisterXxxServer(s, impl)` call. */
export interface Registration {
  /** The qualifier, which must name an import of the file (checked by the index, which knows the imports). */
  qualifier: string;
  /** The implementation's type name in this package, or the function of the package whose result it is. */
  type?: string;
  call?: string;
}

/** Where a declaration's text may call a generated Register function: the only places read. */
export const REGISTER_CALL = /\.[ \t]*Register\w+Server[ \t]*\(/g;
const REGISTER_NAME = /^Register\w+Server$/;

/** The registrations in one function or method declaration; `offset` is where its text starts in the file. */
export function registrationsIn(fn: Node, text: string, offset: number, syntax: () => FunctionSyntax): Registration[] {
  const out: Registration[] = [];
  let walked: FunctionSyntax | undefined;
  for (const m of text.matchAll(REGISTER_CALL)) {
    const at = offset + m.index + m[0].indexOf('R');
    const field = fn.descendantForIndex(at, at + 1);
    const sel = field?.type === 'field_identifier' ? field.parent : null;
    const call = sel?.parent;
    const operand = sel?.childForFieldName('operand');
    if (sel?.type !== 'selector_expression' || call?.type !== 'call_expression' || call.childForFieldName('function')?.id !== sel.id) continue;
    if (operand?.type !== 'identifier' || !REGISTER_NAME.test(field!.text)) continue;
    const args = call.childForFieldName('arguments')?.namedChildren.filter((n): n is Node => n !== null && n.type !== 'comment') ?? [];
    if (args.length !== 2) continue;
    walked ??= syntax();
    // A local variable of the qualifier's name is no package.
    if (walked.bindingAt(operand)) continue;
    const impl = implOf(args[1], walked, true);
    if (impl) out.push({ qualifier: operand.text, ...impl });
  }
  return out;
}

/** The type an implementation expression certainly has, as a type name of this package or the function returning it. */
function implOf(e: Node, syntax: FunctionSyntax, followVariable: boolean): { type: string } | { call: string } | undefined {
  if (e.type === 'parenthesized_expression') {
    const inner = e.namedChild(0);
    return inner ? implOf(inner, syntax, followVariable) : undefined;
  }
  if (e.type === 'unary_expression' && e.child(0)?.type === '&') {
    const operand = e.childForFieldName('operand');
    return operand?.type === 'composite_literal' ? typeName(operand.childForFieldName('type')) : undefined;
  }
  if (e.type === 'composite_literal') return typeName(e.childForFieldName('type'));
  if (e.type === 'call_expression') {
    const callee = e.childForFieldName('function');
    if (callee?.type !== 'identifier' || syntax.bindingAt(callee)) return undefined;
    if (callee.text === 'new') {
      const args = e.childForFieldName('arguments')?.namedChildren.filter((n): n is Node => n !== null && n.type !== 'comment') ?? [];
      // `new(T)`: the grammar reads the argument as an expression.
      return args.length === 1 && args[0].type === 'identifier' ? { type: args[0].text } : args.length === 1 ? typeName(args[0]) : undefined;
    }
    return { call: callee.text };
  }
  if (e.type === 'identifier' && followVariable) {
    const b = syntax.bindingAt(e);
    if (!b) return undefined;
    // `func (s *service) Register(g *grpc.Server) { pb.RegisterXxxServer(g, s) }`, containerd's shape.
    if (b.kind === 'param' || b.kind === 'receiver') {
      const t = declaredType(b);
      return typeName(t?.type === 'pointer_type' ? t.namedChild(0) : t);
    }
    // A variable declared with a type may hold any value of it (an interface); without one, its type is its initialiser's.
    if (b.kind !== 'var' || declaredType(b)) return undefined;
    const init = initialValue(b);
    return init ? implOf(init, syntax, false) : undefined;
  }
  return undefined;
}

/** A plain type name of this package (`T`, not `q.T` nor `T[int]`). */
function typeName(t: Node | null | undefined): { type: string } | undefined {
  return t?.type === 'type_identifier' ? { type: t.text } : undefined;
}
