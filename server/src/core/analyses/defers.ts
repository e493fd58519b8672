// `defer func() {…}()`: a func literal that runs when the function or closure deferring it returns.
// Inside a goroutine's literal its accesses are the goroutine's, made last.
import type { Node } from 'web-tree-sitter';
import type { FunctionSyntax } from './syntax';

/** The func literals `owner` (a function or func literal) defers itself, in source order. */
export function deferredLiterals(owner: Node, syntax: FunctionSyntax): Node[] {
  const out: Node[] = [];
  for (const d of owner.descendantsOfType('defer_statement')) {
    if (!d || syntax.ownerOf(d)?.id !== owner.id) continue;
    const fn = d.namedChildren.find((c) => c?.type === 'call_expression')?.childForFieldName('function');
    if (fn?.type === 'func_literal') out.push(fn);
  }
  return out;
}

/** For a func literal that a `defer` statement calls directly: that statement. */
export function deferredLiteralOf(lit: Node, syntax: FunctionSyntax): { defer: Node } | undefined {
  if (lit.type !== 'func_literal') return undefined;
  const call = syntax.parent(lit);
  const stmt = call ? syntax.parent(call) : null;
  return call?.type === 'call_expression' && call.childForFieldName('function')?.id === lit.id && stmt?.type === 'defer_statement' ? { defer: stmt } : undefined;
}
