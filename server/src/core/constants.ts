// The value of a Go integer constant expression written with literals only: `1_000`, `0x10`,
// `1<<40`, `1e15`, `(1 << 20) * 3`. A capacity hint is often written this way, and the growth panel
// needs its value to say what `make` allocates. Names, calls, conversions and anything Go would
// not accept as an int constant (a fraction, a value past int64) give undefined.
//
// Evaluated with BigInt so that `1<<62` is exact; every intermediate value is bounded (a shift by
// a billion would otherwise allocate a billion-bit number), and so is the text and its nesting.

const MAX_TEXT = 256;
const MAX_DEPTH = 32;
const LIMIT = 1n << 130n;
const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;

/** The constant's value as a number (exact up to 2^53, rounded above), or undefined. */
export function constantInt(text: string): number | undefined {
  if (text.length > MAX_TEXT) return undefined;
  const tokens = tokenize(text);
  if (!tokens) return undefined;
  const p = new ConstParser(tokens);
  const r = p.expression(0);
  if (r === undefined || !p.done() || r.v < INT64_MIN || r.v > INT64_MAX) return undefined;
  return Number(r.v);
}

/** A constant's value; `float` when it is an untyped float constant (`1e15`), which Go lets only some operators take. */
interface Value {
  v: bigint;
  float: boolean;
}

type Token = { kind: 'num'; value: Value } | { kind: 'op'; op: string };

const OPS = ['<<', '>>', '&^', '+', '-', '*', '/', '%', '&', '|', '^', '(', ')'];

function tokenize(text: string): Token[] | undefined {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    const op = OPS.find((o) => text.startsWith(o, i));
    if (op) {
      out.push({ kind: 'op', op });
      i += op.length;
      continue;
    }
    const m = /^(?:0[xX][0-9a-fA-F_]+|0[bB][01_]+|0[oO][0-7_]+|[0-9][0-9_]*(?:\.[0-9_]*)?(?:[eE][+-]?[0-9_]+)?|\.[0-9_]+(?:[eE][+-]?[0-9_]+)?)/.exec(text.slice(i, i + 80));
    if (!m) return undefined;
    const digits = m[0].replace(/_/g, '');
    const v = literal(digits);
    if (v === undefined) return undefined;
    out.push({ kind: 'num', value: { v, float: !/^0[xXbBoO]/.test(digits) && /[.eE]/.test(digits) } });
    i += m[0].length;
  }
  return out;
}

/** An integer literal, or a decimal float literal with an integer value (`1e15`, `2.5e3`). */
function literal(t: string): bigint | undefined {
  if (/^0[xX]/.test(t)) return BigInt(t);
  if (/^0[bB]/.test(t)) return BigInt(t);
  if (/^0[oO]/.test(t)) return BigInt(`0o${t.slice(2)}`);
  if (/^0[0-7]+$/.test(t)) return BigInt(`0o${t.slice(1)}`);
  if (/^\d+$/.test(t)) return BigInt(t);
  const m = /^(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(t);
  if (!m) return undefined;
  const [, whole, frac = '', exp = '0'] = m;
  const e = Number(exp) - frac.length;
  if (Math.abs(e) > 40) return undefined;
  const digits = BigInt(`${whole}${frac}` || '0');
  if (e >= 0) return digits * 10n ** BigInt(e);
  const d = 10n ** BigInt(-e);
  return digits % d === 0n ? digits / d : undefined;
}

/** Go's binary operator precedence (the spec's 5 and 4; comparisons and && || are not int constants). */
const PRECEDENCE: Record<string, number> = { '*': 5, '/': 5, '%': 5, '<<': 5, '>>': 5, '&': 5, '&^': 5, '+': 4, '-': 4, '|': 4, '^': 4 };

class ConstParser {
  private at = 0;
  private depth = 0;
  constructor(private readonly tokens: Token[]) {}

  done(): boolean {
    return this.at === this.tokens.length;
  }

  expression(minPrec: number): Value | undefined {
    if (++this.depth > MAX_DEPTH) return undefined;
    let left = this.unary();
    for (;;) {
      const t = this.tokens[this.at];
      if (left === undefined || t?.kind !== 'op' || !(t.op in PRECEDENCE) || PRECEDENCE[t.op] <= minPrec) break;
      this.at++;
      const right = this.expression(PRECEDENCE[t.op]);
      left = right === undefined ? undefined : apply(t.op, left, right);
    }
    this.depth--;
    return left;
  }

  private unary(): Value | undefined {
    const t = this.tokens[this.at++];
    if (!t) return undefined;
    if (t.kind === 'num') return t.value;
    if (t.op === '(') {
      const v = this.expression(0);
      const close = this.tokens[this.at++];
      return close?.kind === 'op' && close.op === ')' ? v : undefined;
    }
    if (++this.depth > MAX_DEPTH) return undefined;
    const v = this.unary();
    this.depth--;
    if (v === undefined) return undefined;
    if (t.op === '-') return { v: -v.v, float: v.float };
    if (t.op === '+') return v;
    if (t.op === '^' && !v.float) return { v: ~v.v, float: false };
    return undefined;
  }
}

function apply(op: string, x: Value, y: Value): Value | undefined {
  const float = x.float || y.float;
  // Go takes floats in + - * / and as a shift's left operand; % and the bit operators want integers.
  if (float && op !== '+' && op !== '-' && op !== '*' && op !== '/' && op !== '<<' && op !== '>>') return undefined;
  if (y.float && (op === '<<' || op === '>>')) return undefined;
  const a = x.v;
  const b = y.v;
  let v: bigint;
  switch (op) {
    case '+': v = a + b; break;
    case '-': v = a - b; break;
    case '*': v = a * b; break;
    // A float quotient must still be an integer to become an int hint.
    case '/': if (b === 0n || (float && a % b !== 0n)) return undefined; v = a / b; break;
    case '%': if (b === 0n) return undefined; v = a % b; break;
    case '<<': if (b < 0n || b > 128n) return undefined; v = a << b; break;
    case '>>': if (b < 0n) return undefined; v = b > 200n ? (a < 0n ? -1n : 0n) : a >> b; break;
    case '&': v = a & b; break;
    case '|': v = a | b; break;
    case '^': v = a ^ b; break;
    case '&^': v = a & ~b; break;
    default: return undefined;
  }
  return v > LIMIT || v < -LIMIT ? undefined : { v, float: float && op !== '<<' && op !== '>>' };
}
