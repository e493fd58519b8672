// Go type syntax read from text: the summaries keep the text of a declaration's types and
// signatures (a slice of the file, which costs nothing to take), and what a type means is parsed
// from it only when an expression's type is asked for. The result is plain data, not yet resolved:
// a name is a name, its package qualifier a qualifier; go-types.ts resolves them in the scope of
// the declaring file. Anything the parser does not understand becomes `unknown`, never a guess.

export type TypeExpr =
  | { t: 'name'; q?: string; name: string; args?: TypeExpr[] }
  | { t: 'pointer'; elem: TypeExpr }
  | { t: 'slice'; elem: TypeExpr }
  /** `len` is the literal length when written as a decimal integer. */
  | { t: 'array'; len?: number; elem: TypeExpr }
  | { t: 'map'; key: TypeExpr; value: TypeExpr }
  | { t: 'chan'; elem: TypeExpr }
  | { t: 'func'; sig: Signature }
  | { t: 'struct'; fields: FieldExpr[] }
  | { t: 'interface'; methods: { name: string; sig: Signature }[]; embeds: TypeExpr[] }
  | { t: 'unknown' };

export interface FieldExpr {
  /** The field's name; an embedded field's is its type's name. */
  name: string;
  embedded: boolean;
  type: TypeExpr;
}

export interface Param {
  name?: string;
  type: TypeExpr;
  variadic: boolean;
}

export interface Signature {
  typeParams: string[];
  params: Param[];
  results: TypeExpr[];
}

export const UNKNOWN: TypeExpr = { t: 'unknown' };

interface Token {
  text: string;
  /** A line break comes before it. */
  nl: boolean;
}

function isIdentStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c > 127;
}

function isIdentPart(c: number): boolean {
  return isIdentStart(c) || (c >= 48 && c <= 57);
}

function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let nl = false;
  for (let i = 0; i < text.length; ) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      nl = true;
      i++;
    } else if (c === 32 || c === 9 || c === 13) i++;
    else if (c === 47 && text.charCodeAt(i + 1) === 47) {
      const e = text.indexOf('\n', i);
      i = e < 0 ? text.length : e;
    } else if (c === 47 && text.charCodeAt(i + 1) === 42) {
      const e = text.indexOf('*/', i + 2);
      if (e < 0) break;
      if (text.slice(i, e).includes('\n')) nl = true;
      i = e + 2;
    } else if (isIdentStart(c) || (c >= 48 && c <= 57)) {
      let j = i + 1;
      while (j < text.length && isIdentPart(text.charCodeAt(j))) j++;
      out.push({ text: text.slice(i, j), nl });
      nl = false;
      i = j;
    } else if (c === 34 || c === 96) {
      // A struct tag: kept as one token.
      let j = i + 1;
      while (j < text.length && text.charCodeAt(j) !== c) j += c === 34 && text.charCodeAt(j) === 92 ? 2 : 1;
      out.push({ text: '"', nl });
      nl = false;
      i = j + 1;
    } else if (text.startsWith('...', i)) {
      out.push({ text: '...', nl });
      nl = false;
      i += 3;
    } else if (text.startsWith('<-', i)) {
      out.push({ text: '<-', nl });
      nl = false;
      i += 2;
    } else {
      out.push({ text: text[i], nl });
      nl = false;
      i++;
    }
  }
  return out;
}

class Fail extends Error {}

class Parser {
  private i = 0;
  constructor(private readonly toks: Token[]) {}

  peek(k = 0): Token | undefined {
    return this.toks[this.i + k];
  }

  at(text: string): boolean {
    return this.toks[this.i]?.text === text;
  }

  done(): boolean {
    return this.i >= this.toks.length;
  }

  eat(text: string): void {
    if (!this.at(text)) throw new Fail();
    this.i++;
  }

  ident(): string {
    const t = this.toks[this.i];
    if (!t || !isIdentStart(t.text.charCodeAt(0))) throw new Fail();
    this.i++;
    return t.text;
  }

  /** Whether the next token can begin a type. */
  startsType(): boolean {
    const t = this.peek();
    if (!t) return false;
    return isIdentStart(t.text.charCodeAt(0)) || t.text === '*' || t.text === '[' || t.text === '(' || t.text === '<-';
  }

  type(): TypeExpr {
    const t = this.peek();
    if (!t) throw new Fail();
    switch (t.text) {
      case '(': {
        this.i++;
        const inner = this.type();
        this.eat(')');
        return inner;
      }
      case '*':
        this.i++;
        return { t: 'pointer', elem: this.type() };
      case '[': {
        this.i++;
        if (this.at(']')) {
          this.i++;
          return { t: 'slice', elem: this.type() };
        }
        // An array length: a constant expression up to the matching `]`.
        const from = this.i;
        let depth = 0;
        while (!this.done() && !(depth === 0 && this.at(']'))) {
          const x = this.peek()!.text;
          if (x === '[' || x === '(') depth++;
          if (x === ']' || x === ')') depth--;
          this.i++;
        }
        const lenToks = this.toks.slice(from, this.i);
        this.eat(']');
        const elem = this.type();
        const len = lenToks.length === 1 && /^[1-9]\d*$|^0$/.test(lenToks[0].text) ? Number(lenToks[0].text) : undefined;
        return len === undefined ? { t: 'array', elem } : { t: 'array', len, elem };
      }
      case '<-':
        this.i++;
        this.eat('chan');
        return { t: 'chan', elem: this.type() };
      case 'map': {
        this.i++;
        this.eat('[');
        const key = this.type();
        this.eat(']');
        return { t: 'map', key, value: this.type() };
      }
      case 'chan':
        this.i++;
        if (this.at('<-')) this.i++;
        return { t: 'chan', elem: this.type() };
      case 'func':
        this.i++;
        return { t: 'func', sig: this.signature(false) };
      case 'struct':
        this.i++;
        return this.struct();
      case 'interface':
        this.i++;
        return this.iface();
    }
    const name = this.ident();
    let q: string | undefined;
    let base = name;
    if (this.at('.')) {
      this.i++;
      q = name;
      base = this.ident();
    }
    if (this.at('[') && !this.peek()?.nl) {
      // Type arguments, unless this is a field or parameter name followed by an array type (the caller backtracks).
      const save = this.i;
      try {
        this.i++;
        const args: TypeExpr[] = [this.type()];
        while (this.at(',')) {
          this.i++;
          if (this.at(']')) break;
          args.push(this.type());
        }
        this.eat(']');
        return q ? { t: 'name', q, name: base, args } : { t: 'name', name: base, args };
      } catch (e) {
        if (!(e instanceof Fail)) throw e;
        this.i = save;
      }
    }
    return q ? { t: 'name', q, name: base } : { t: 'name', name: base };
  }

  /** `[T any, K comparable](params) results`, after the name or `func`. */
  signature(typeParams: boolean): Signature {
    const tps: string[] = [];
    if (typeParams && this.at('[')) {
      this.i++;
      let depth = 0;
      let expectName = true;
      while (!this.done() && !(depth === 0 && this.at(']'))) {
        const x = this.peek()!.text;
        if (x === '[' || x === '(') depth++;
        else if (x === ']' || x === ')') depth--;
        if (depth === 0 && x === ',') expectName = true;
        else if (expectName && depth === 0 && isIdentStart(x.charCodeAt(0))) {
          tps.push(x);
          // `A, B any` names both; the constraint follows the last.
          expectName = this.peek(1)?.text === ',';
        } else expectName = false;
        this.i++;
      }
      this.eat(']');
    }
    const params = this.params();
    let results: TypeExpr[] = [];
    if (this.at('(')) results = this.params().map((p) => p.type);
    else if (!this.done() && this.startsType() && !this.peek()?.nl) results = [this.type()];
    return { typeParams: tps, params, results };
  }

  params(): Param[] {
    this.eat('(');
    // Each entry read as a bare type, or as a name and a type; Go names all or none.
    const entries: { first: TypeExpr; name?: string; type?: TypeExpr; variadic: boolean }[] = [];
    while (!this.at(')')) {
      if (this.at('...')) {
        this.i++;
        entries.push({ first: this.type(), variadic: true });
      } else {
        const start = this.i;
        const first = this.type();
        if (this.at(',') || this.at(')')) entries.push({ first, variadic: false });
        else {
          this.i = start;
          const name = this.ident();
          const variadic = this.at('...');
          if (variadic) this.i++;
          entries.push({ first, name, type: this.type(), variadic });
        }
      }
      if (this.at(',')) this.i++;
      else if (!this.at(')')) throw new Fail();
    }
    this.eat(')');
    const named = entries.some((e) => e.name !== undefined);
    if (!named) return entries.map((e) => ({ type: e.first, variadic: e.variadic }));
    // `a, b int`: a bare identifier takes the type of the next named entry.
    const out: Param[] = [];
    let pending: string[] = [];
    for (const e of entries) {
      if (e.name === undefined) {
        if (e.first.t !== 'name' || e.first.q || e.first.args) throw new Fail();
        pending.push(e.first.name);
        continue;
      }
      for (const n of pending) out.push({ name: n, type: e.type!, variadic: false });
      pending = [];
      out.push({ name: e.name, type: e.type!, variadic: e.variadic });
    }
    if (pending.length > 0) throw new Fail();
    return out;
  }

  /** Whether a field or method entry ends before the next token. */
  private entryEnds(): boolean {
    const t = this.peek();
    return !t || t.nl || t.text === ';' || t.text === '}';
  }

  struct(): TypeExpr {
    this.eat('{');
    const fields: FieldExpr[] = [];
    while (!this.at('}')) {
      if (this.done()) throw new Fail();
      if (this.at(';')) {
        this.i++;
        continue;
      }
      const start = this.i;
      if (this.at('*')) {
        this.i++;
        const t = this.type();
        fields.push({ name: embeddedName(t), embedded: true, type: { t: 'pointer', elem: t } });
      } else {
        const first = this.type();
        if (this.entryEnds() || this.at('"')) {
          fields.push({ name: embeddedName(first), embedded: true, type: first });
        } else {
          this.i = start;
          const names = [this.ident()];
          while (this.at(',')) {
            this.i++;
            names.push(this.ident());
          }
          const type = this.type();
          for (const name of names) fields.push({ name, embedded: false, type });
        }
      }
      if (this.at('"')) this.i++;
      if (!this.entryEnds()) throw new Fail();
    }
    this.eat('}');
    return { t: 'struct', fields };
  }

  iface(): TypeExpr {
    this.eat('{');
    const methods: { name: string; sig: Signature }[] = [];
    const embeds: TypeExpr[] = [];
    while (!this.at('}')) {
      if (this.done()) throw new Fail();
      if (this.at(';')) {
        this.i++;
        continue;
      }
      const t = this.peek(1);
      if (isIdentStart(this.peek()!.text.charCodeAt(0)) && t?.text === '(' && !t.nl) {
        const name = this.ident();
        methods.push({ name, sig: this.signature(false) });
      } else {
        // An embedded interface or a type set (`~int | ~string`): the latter is no method set we read.
        if (this.at('~')) this.i++;
        embeds.push(this.type());
        while (this.at('|')) {
          this.i++;
          if (this.at('~')) this.i++;
          this.type();
          embeds.push(UNKNOWN);
        }
      }
      if (!this.entryEnds()) throw new Fail();
    }
    this.eat('}');
    return { t: 'interface', methods, embeds };
  }
}

function embeddedName(t: TypeExpr): string {
  if (t.t === 'pointer') return embeddedName(t.elem);
  return t.t === 'name' ? t.name : '';
}

/** A type written as text (a declaration's, a field's); `unknown` when it does not parse. */
export function parseType(text: string): TypeExpr {
  try {
    const p = new Parser(tokenize(text));
    const t = p.type();
    return p.done() ? t : UNKNOWN;
  } catch (e) {
    if (e instanceof Fail) return UNKNOWN;
    throw e;
  }
}

/** A function's signature as text: from after its name to its body (`[T any](x T) (T, error)`). */
export function parseSignature(text: string): Signature | undefined {
  try {
    const p = new Parser(tokenize(text));
    const s = p.signature(true);
    return p.done() ? s : undefined;
  } catch (e) {
    if (e instanceof Fail) return undefined;
    throw e;
  }
}
