// Recursive-descent parser from Go type syntax (`[16]byte`, `map[string][]int`,
// `struct{a, b int64; _ [0]func()}`, `pkg.Pair[K, V]`) to the GoType AST.
// It accepts what can appear in a map's key or value position; parameter lists of func
// types and method lists of interfaces are skipped, since they do not change the layout.

import { BASIC_NAMES, type BasicName, type GoType, type StructField } from './go-type';

export class GoTypeSyntaxError extends Error {
  constructor(readonly source: string, readonly offset: number, detail: string) {
    super(`bad Go type "${source}": ${detail} at offset ${offset}`);
    this.name = 'GoTypeSyntaxError';
  }
}

export interface ParseTypeOptions {
  /** Resolves a named constant used as an array length (`[N]byte`). */
  constant?: (name: string) => number | undefined;
}

type Tok = { t: 'ident' | 'int' | 'punct' | 'str' | 'eof'; v: string; at: number };

function tokenize(src: string): Tok[] {
  const toks: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') { i++; continue; }
    const at = i;
    if (/[A-Za-z_\u00c0-\uffff]/.test(c)) {
      while (i < src.length && /[A-Za-z0-9_\u00c0-\uffff]/.test(src[i])) i++;
      toks.push({ t: 'ident', v: src.slice(at, i), at });
    } else if (/[0-9]/.test(c)) {
      while (i < src.length && /[0-9A-Za-z_]/.test(src[i])) i++;
      toks.push({ t: 'int', v: src.slice(at, i), at });
    } else if (c === '"' || c === '`') {
      i++;
      while (i < src.length && src[i] !== c) i += src[i] === '\\' && c === '"' ? 2 : 1;
      if (i >= src.length) throw new GoTypeSyntaxError(src, at, 'unterminated string');
      i++;
      toks.push({ t: 'str', v: src.slice(at, i), at });
    } else if (c === '<' && src[i + 1] === '-') {
      i += 2;
      toks.push({ t: 'punct', v: '<-', at });
    } else if (c === '.' && src.startsWith('...', i)) {
      i += 3;
      toks.push({ t: 'punct', v: '...', at });
    } else if ('[](){}*,;.'.includes(c)) {
      i++;
      toks.push({ t: 'punct', v: c, at });
    } else {
      throw new GoTypeSyntaxError(src, at, `unexpected character '${c}'`);
    }
  }
  toks.push({ t: 'eof', v: '', at: src.length });
  return toks;
}

function parseIntLiteral(v: string): number | undefined {
  const s = v.replace(/_/g, '');
  let n: number;
  if (/^0[xX][0-9a-fA-F]+$/.test(s)) n = parseInt(s.slice(2), 16);
  else if (/^0[bB][01]+$/.test(s)) n = parseInt(s.slice(2), 2);
  else if (/^0[oO]?[0-7]+$/.test(s) && s.length > 1) n = parseInt(s.replace(/^0[oO]?/, ''), 8);
  else if (/^[0-9]+$/.test(s)) n = parseInt(s, 10);
  else return undefined;
  return Number.isSafeInteger(n) ? n : undefined;
}

/**
 * Types nested deeper than this are refused as a syntax error (the caller then treats the layout
 * as unknown): the parser recurses once per level, and 10,000 nested `map[int]` overflow the stack.
 * No layout needs it: a map, slice, pointer or chan element is one word whatever it holds.
 */
export const MAX_TYPE_DEPTH = 1000;

class Parser {
  private i = 0;
  private depth = 0;
  constructor(private readonly src: string, private readonly toks: Tok[], private readonly opts: ParseTypeOptions) {}

  private peek(k = 0): Tok { return this.toks[Math.min(this.i + k, this.toks.length - 1)]; }
  private next(): Tok { return this.toks[this.i++ < this.toks.length - 1 ? this.i - 1 : this.toks.length - 1]; }
  private fail(detail: string, tok: Tok = this.peek()): never {
    throw new GoTypeSyntaxError(this.src, tok.at, detail);
  }
  private is(v: string): boolean { const p = this.peek(); return p.t === 'punct' && p.v === v; }
  private expect(v: string): void {
    if (!this.is(v)) this.fail(`expected '${v}'${this.peek().t === 'eof' ? ' before end' : `, found '${this.peek().v}'`}`);
    this.i++;
  }

  parseAll(): GoType {
    const t = this.type();
    if (this.peek().t !== 'eof') this.fail(`unexpected '${this.peek().v}' after the type`);
    return t;
  }

  /** Whether the next token can start a type (used for optional func results). */
  private startsType(): boolean {
    const p = this.peek();
    if (p.t === 'ident') return true;
    return p.t === 'punct' && ['*', '[', '(', '<-'].includes(p.v);
  }

  type(): GoType {
    if (this.depth >= MAX_TYPE_DEPTH) this.fail(`type nested more than ${MAX_TYPE_DEPTH} levels deep`);
    this.depth++;
    try {
      return this.typeAt();
    } finally {
      this.depth--;
    }
  }

  private typeAt(): GoType {
    const tok = this.peek();
    if (tok.t === 'punct') {
      switch (tok.v) {
        case '*': this.i++; return { kind: 'pointer', elem: this.type() };
        case '(': { this.i++; const t = this.type(); this.expect(')'); return t; }
        case '[': return this.arrayOrSlice();
        case '<-': {
          this.i++;
          if (!(this.peek().t === 'ident' && this.peek().v === 'chan')) this.fail("expected 'chan' after '<-'");
          this.i++;
          return { kind: 'chan', dir: 'recv', elem: this.type() };
        }
      }
      this.fail(tok.t === 'punct' && tok.v === '' ? 'missing type' : `unexpected '${tok.v}'`);
    }
    if (tok.t === 'eof') this.fail('missing type');
    if (tok.t !== 'ident') this.fail(`unexpected '${tok.v}'`);
    switch (tok.v) {
      case 'map': {
        this.i++;
        this.expect('[');
        const key = this.type();
        this.expect(']');
        return { kind: 'map', key, value: this.type() };
      }
      case 'chan': {
        this.i++;
        if (this.is('<-')) { this.i++; return { kind: 'chan', dir: 'send', elem: this.type() }; }
        return { kind: 'chan', dir: 'both', elem: this.type() };
      }
      case 'func': this.i++; this.funcSignature(); return { kind: 'func' };
      case 'struct': this.i++; return this.structBody();
      case 'interface': this.i++; return this.interfaceBody();
    }
    return this.typeName();
  }

  private arrayOrSlice(): GoType {
    this.expect('[');
    if (this.is(']')) { this.i++; return { kind: 'slice', elem: this.type() }; }
    const lenTok = this.next();
    let len: number | undefined;
    if (lenTok.t === 'int') len = parseIntLiteral(lenTok.v);
    else if (lenTok.t === 'ident') len = this.opts.constant?.(lenTok.v);
    else if (lenTok.t === 'punct' && lenTok.v === '...') this.fail("'[...]' array length is only valid in a composite literal", lenTok);
    if (len === undefined || len < 0) this.fail(`array length '${lenTok.v}' is not a known non-negative integer constant`, lenTok);
    this.expect(']');
    return { kind: 'array', len, elem: this.type() };
  }

  private typeName(): GoType {
    const first = this.next();
    if (first.t !== 'ident') this.fail('expected a type name', first);
    let pkg: string | undefined;
    let name = first.v;
    if (this.is('.')) {
      this.i++;
      const second = this.next();
      if (second.t !== 'ident') this.fail("expected a name after '.'", second);
      pkg = first.v;
      name = second.v;
    }
    if (this.is('[')) {
      // After a type name, '[' can only be a generic instantiation.
      this.i++;
      const args: GoType[] = [this.type()];
      while (this.is(',')) { this.i++; if (this.is(']')) break; args.push(this.type()); }
      this.expect(']');
      return { kind: 'generic', pkg, name, args };
    }
    if (pkg === undefined) {
      if (name === 'string') return { kind: 'string' };
      if (name === 'any') return { kind: 'interface', empty: true };
      if (BASIC_NAMES.has(name)) return { kind: 'basic', name: name as BasicName };
    } else if (pkg === 'unsafe' && name === 'Pointer') {
      return { kind: 'basic', name: 'unsafe.Pointer' };
    }
    return { kind: 'named', pkg, name };
  }

  /** Skips a balanced bracket group starting at the current '(' / '{' / '['. */
  private skipBalanced(): void {
    const open = this.peek().v;
    const close = open === '(' ? ')' : open === '{' ? '}' : ']';
    let depth = 0;
    for (;;) {
      const t = this.next();
      if (t.t === 'eof') this.fail(`unbalanced '${open}'`, t);
      if (t.t !== 'punct') continue;
      if (t.v === '(' || t.v === '{' || t.v === '[') depth++;
      else if (t.v === ')' || t.v === '}' || t.v === ']') {
        depth--;
        if (depth === 0) {
          if (t.v !== close) this.fail(`expected '${close}', found '${t.v}'`, t);
          return;
        }
      }
    }
  }

  private funcSignature(): void {
    if (!this.is('(')) this.fail("expected '(' after 'func'");
    this.skipBalanced();
    // Result: a parenthesised list, a single type, or nothing.
    if (this.is('(')) this.skipBalanced();
    else if (this.startsType() && !(this.peek().t === 'ident' && this.looksLikeFieldName())) this.type();
  }

  /** Inside a struct, `func() x int` can't happen; but `f func()\n g int` flattened to one line
   *  as `f func(); g int` needs ';'. We only treat an identifier as a result when it is
   *  not followed by something that makes it a new field name. */
  private looksLikeFieldName(): boolean {
    const after = this.peek(1);
    // `name Type` pattern: ident followed by something that starts a type (not '.', ';', '}', ',', ')', ']').
    if (after.t === 'ident') return true;
    if (after.t === 'punct' && (after.v === '*' || after.v === '(' || after.v === '<-')) return true;
    if (after.t === 'punct' && after.v === '[') return false;
    return false;
  }

  private interfaceBody(): GoType {
    if (!this.is('{')) this.fail("expected '{' after 'interface'");
    if (this.peek(1).t === 'punct' && this.peek(1).v === '}') { this.i += 2; return { kind: 'interface', empty: true }; }
    this.skipBalanced();
    return { kind: 'interface', empty: false };
  }

  private structBody(): GoType {
    this.expect('{');
    const fields: StructField[] = [];
    while (!this.is('}')) {
      if (this.peek().t === 'eof') this.fail("expected '}' to close the struct");
      if (this.is(';')) { this.i++; continue; }
      this.fieldDecl(fields);
      if (this.peek().t === 'str') this.i++; // tag
      if (this.is(';')) this.i++;
      else if (!this.is('}')) this.fail(`expected ';' or '}' in struct, found '${this.peek().v}'`);
    }
    this.i++;
    return { kind: 'struct', fields };
  }

  private fieldDecl(fields: StructField[]): void {
    // Embedded: `T`, `*T`, `pkg.T`, `T[A]`, followed by ';', '}' or a tag.
    const p0 = this.peek();
    if (p0.t === 'punct' && p0.v === '*') {
      this.i++;
      const t = this.typeName();
      fields.push({ name: embeddedName(t), type: { kind: 'pointer', elem: t }, embedded: true });
      return;
    }
    if (p0.t !== 'ident') this.fail(`expected a field name, found '${p0.v || 'end'}'`);
    const p1 = this.peek(1);
    const endsField = (t: Tok) => t.t === 'str' || (t.t === 'punct' && (t.v === ';' || t.v === '}'));
    if (endsField(p1) || (p1.t === 'punct' && p1.v === '.')) {
      const t = this.typeName();
      fields.push({ name: embeddedName(t), type: t, embedded: true });
      return;
    }
    const names: string[] = [this.next().v];
    while (this.is(',')) {
      this.i++;
      const n = this.next();
      if (n.t !== 'ident') this.fail('expected a field name after \',\'', n);
      names.push(n.v);
    }
    const type = this.type();
    for (const name of names) fields.push({ name, type });
  }
}

function embeddedName(t: GoType): string {
  return t.kind === 'named' || t.kind === 'generic' ? t.name : t.kind === 'string' ? 'string'
    : t.kind === 'basic' ? t.name : '?';
}

/** Parses Go type syntax. Throws GoTypeSyntaxError with a one-line message on bad input. */
export function parseGoType(src: string, opts: ParseTypeOptions = {}): GoType {
  if (src.trim() === '') throw new GoTypeSyntaxError(src, 0, 'empty type');
  return new Parser(src, tokenize(src), opts).parseAll();
}
