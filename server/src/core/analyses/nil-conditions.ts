// What the conditions around a statement say about whether an expression is nil there: inside
// `if m == nil { … }` it is nil when the block starts; inside `if m != nil { … }`, `if len(m) > 0
// { … }`, the `else` of `if m == nil`, or `for k := range m { … }` (a nil map ranges over nothing)
// it is not. Read off the syntax alone, so the facts hold only at the start of the guarded block:
// whoever asks checks that nothing assigns the expression between there and the place it cares
// about. A closure stops the search: it may run after the condition stopped holding.
import type { Node } from 'web-tree-sitter';
import { isFunctionNode, type FunctionSyntax } from './syntax';

export type NilFact = 'nil' | 'non-nil';

export interface Guard {
  fact: NilFact;
  /** The `if` or `for` statement whose condition or range gives the fact. */
  stmt: Node;
  /** The block the fact holds at the start of: the consequence, the alternative, or the loop body. */
  block: Node;
}

/** The guards on `expr` around `node`, innermost first, up to the function or closure holding it. */
export function guardsAround(node: Node, expr: Node, syntax: FunctionSyntax): Guard[] {
  const target = canonical(expr);
  const out: Guard[] = [];
  let child = node;
  for (let p = syntax.parent(node); p && !isFunctionNode(p); child = p, p = syntax.parent(p)) {
    if (p.type === 'if_statement') {
      const cond = p.childForFieldName('condition');
      if (!cond) continue;
      const inThen = p.childForFieldName('consequence')?.id === child.id;
      const inElse = !inThen && p.childForFieldName('alternative')?.id === child.id;
      if (!inThen && !inElse) continue;
      const fact = factOf(cond, target, inThen);
      if (fact) out.push({ fact, stmt: p, block: child });
    } else if (p.type === 'for_statement' && p.childForFieldName('body')?.id === child.id) {
      const range = p.namedChildren.find((c) => c?.type === 'range_clause');
      const ranged = range?.childForFieldName('right');
      if (ranged && canonical(ranged) === target) out.push({ fact: 'non-nil', stmt: p, block: child });
    }
  }
  return out;
}

/** What a condition being `truth` says about the expression whose canonical text is `target`. */
function factOf(cond: Node, target: string, truth: boolean): NilFact | undefined {
  const c = unparen(cond);
  if (c.type === 'unary_expression' && c.childForFieldName('operator')?.type === '!') {
    const operand = c.childForFieldName('operand');
    return operand ? factOf(operand, target, !truth) : undefined;
  }
  if (c.type !== 'binary_expression') return undefined;
  const op = c.childForFieldName('operator')?.type;
  const left = c.childForFieldName('left');
  const right = c.childForFieldName('right');
  if (!left || !right) return undefined;
  // `a && b` true: both hold; `a || b` false: neither holds. The other two say nothing about each side.
  if (op === '&&' || op === '||') {
    if ((op === '&&') !== truth) return undefined;
    return factOf(left, target, truth) ?? factOf(right, target, truth);
  }
  const l = unparen(left);
  const r = unparen(right);
  if (op === '==' || op === '!=') {
    const isNil = (n: Node, other: Node) => n.type === 'nil' && canonical(other) === target;
    if (isNil(l, r) || isNil(r, l)) return (op === '==') === truth ? 'nil' : 'non-nil';
  }
  // `len(m) > 0`, `len(m) != 0`, `len(m) >= 1`, `0 < len(m)`, and `len(m) == 0` false: m has an entry.
  const lenL = isLenOf(l, target);
  const lenR = isLenOf(r, target);
  if (lenL === lenR) return undefined;
  const n = (lenL ? r : l).text;
  const flipped: Record<string, string> = { '<': '>', '>': '<', '<=': '>=', '>=': '<=', '==': '==', '!=': '!=' };
  const rel = lenL ? op : op && flipped[op];
  const nonEmpty = (n === '0' && (rel === '>' || rel === '!=')) || (n === '1' && rel === '>=');
  const empty = n === '0' && (rel === '==' || rel === '<=');
  if ((truth && nonEmpty) || (!truth && empty)) return 'non-nil';
  return undefined;
}

function isLenOf(n: Node, target: string): boolean {
  if (n.type !== 'call_expression' || n.childForFieldName('function')?.text !== 'len') return false;
  const args = n.childForFieldName('arguments')?.namedChildren.filter((a) => a !== null && a.type !== 'comment') ?? [];
  return args.length === 1 && canonical(args[0]!) === target;
}

function unparen(n: Node): Node {
  let e = n;
  while (e.type === 'parenthesized_expression' && e.namedChild(0)) e = e.namedChild(0)!;
  return e;
}

/** An expression's text without parentheses around it and without spaces: `( s.m )` and `s.m` compare equal. */
export function canonical(expr: Node): string {
  return unparen(expr).text.replace(/\s+/g, '');
}
