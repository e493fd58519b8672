// Build constraint expressions, as go/build/constraint reads them: `//go:build` lines (`||`, `&&`,
// `!`, parentheses over tags of letters, digits, `_` and `.`) and the legacy `// +build` lines
// (space-separated alternatives of comma-separated conjunctions). The grammar, its limits and its
// error cases follow the Go source, so a file the go command rejects is rejected here too.

export type Expr = { kind: 'tag'; tag: string } | { kind: 'not'; x: Expr } | { kind: 'and' | 'or'; x: Expr; y: Expr };

export class ConstraintError extends Error {}

/** go/build/constraint's limit on the number of operands of a `//go:build` expression. */
const MAX_SIZE = 1000;
/** And on the AND/OR operators of one `// +build` line. */
const MAX_OLD_SIZE = 100;

const tag = (t: string): Expr => ({ kind: 'tag', tag: t });

/** A character a tag may contain: a Unicode letter or digit, `_` or `.`. */
const TAG_CHAR = /[\p{L}\p{Nd}_.]/u;

export function isValidTag(word: string): boolean {
  if (word === '') return false;
  for (const c of word) if (!TAG_CHAR.test(c)) return false;
  return true;
}

/** The expression of a `//go:build` line, or undefined when the line is not one. */
export function goBuildText(line: string): string | undefined {
  if (!line.startsWith('//go:build')) return undefined;
  const rest = line.trim().slice('//go:build'.length);
  const trimmed = rest.trim();
  // `//go:buildx` is not a build line: the prefix must be followed by space or end the line.
  if (rest.length === trimmed.length && rest !== '') return undefined;
  return trimmed;
}

/** The expression of a `// +build` line (the space after `//` optional), or undefined. */
export function plusBuildText(line: string): string | undefined {
  if (!line.startsWith('//')) return undefined;
  const body = line.slice(2).trim();
  if (!body.startsWith('+build')) return undefined;
  const rest = body.slice('+build'.length);
  const trimmed = rest.trim();
  if (rest.length === trimmed.length && rest !== '') return undefined;
  return trimmed;
}

/** Parses the expression of a `//go:build` line. Throws ConstraintError with go's message on bad syntax. */
export function parseGoBuild(text: string): Expr {
  const p = new Parser(text);
  const x = p.or();
  if (p.tok !== '') throw new ConstraintError(`unexpected token ${p.tok}`);
  return x;
}

class Parser {
  private i = 0;
  tok = '';
  private isTag = false;
  private size = 0;

  constructor(private readonly s: string) {}

  or(): Expr {
    let x = this.and();
    while (this.tok === '||') x = { kind: 'or', x, y: this.and() };
    return x;
  }

  private and(): Expr {
    let x = this.not();
    while (this.tok === '&&') x = { kind: 'and', x, y: this.not() };
    return x;
  }

  private not(): Expr {
    if (++this.size > MAX_SIZE) throw new ConstraintError('build expression too large');
    this.lex();
    if (this.tok === '!') {
      this.lex();
      if (this.tok === '!') throw new ConstraintError('double negation not allowed');
      return { kind: 'not', x: this.atom() };
    }
    return this.atom();
  }

  private atom(): Expr {
    if (this.tok === '(') {
      let x: Expr;
      try {
        x = this.or();
      } catch (e) {
        if (e instanceof ConstraintError && e.message === 'unexpected end of expression') throw new ConstraintError('missing close paren');
        throw e;
      }
      if ((this.tok as string) !== ')') throw new ConstraintError('missing close paren'); // or() moved tok on
      this.lex();
      return x;
    }
    if (!this.isTag) throw new ConstraintError(this.tok === '' ? 'unexpected end of expression' : `unexpected token ${this.tok}`);
    const t = this.tok;
    this.lex();
    return tag(t);
  }

  private lex(): void {
    this.isTag = false;
    const s = this.s;
    while (this.i < s.length && (s[this.i] === ' ' || s[this.i] === '\t')) this.i++;
    if (this.i >= s.length) {
      this.tok = '';
      return;
    }
    const c = s[this.i];
    if (c === '(' || c === ')' || c === '!') {
      this.tok = c;
      this.i++;
      return;
    }
    if (c === '&' || c === '|') {
      if (s[this.i + 1] !== c) throw new ConstraintError(`invalid syntax at ${c}`);
      this.tok = c + c;
      this.i += 2;
      return;
    }
    let end = this.i;
    for (const ch of s.slice(this.i)) {
      if (!TAG_CHAR.test(ch)) break;
      end += ch.length;
    }
    if (end === this.i) throw new ConstraintError(`invalid syntax at ${String.fromCodePoint(s.codePointAt(this.i)!)}`);
    this.tok = s.slice(this.i, end);
    this.i = end;
    this.isTag = true;
  }
}

/** Parses the expression of a `// +build` line: an invalid word, `!` or `!!x` stands for `ignore`, as in go. */
export function parsePlusBuild(text: string): Expr {
  let size = 0;
  let x: Expr | undefined;
  for (const clause of text.split(/\s+/).filter(Boolean)) {
    let y: Expr | undefined;
    for (let lit of clause.split(',')) {
      let z: Expr;
      if (lit.startsWith('!!') || lit === '!') z = tag('ignore');
      else {
        const neg = lit.startsWith('!');
        if (neg) lit = lit.slice(1);
        z = isValidTag(lit) ? tag(lit) : tag('ignore');
        if (neg) z = { kind: 'not', x: z };
      }
      if (y === undefined) y = z;
      else {
        if (++size > MAX_OLD_SIZE) throw new ConstraintError('expression too complex for // +build lines');
        y = { kind: 'and', x: y, y: z };
      }
    }
    if (x === undefined) x = y;
    else {
      if (++size > MAX_OLD_SIZE) throw new ConstraintError('expression too complex for // +build lines');
      x = { kind: 'or', x, y: y! };
    }
  }
  return x ?? tag('ignore');
}

/**
 * Evaluates an expression with `has` deciding each tag. Expressions are at most 1,000 operands and
 * were built by the parser above, so their depth is bounded.
 */
export function evaluate(x: Expr, has: (tag: string) => boolean): boolean {
  switch (x.kind) {
    case 'tag':
      return has(x.tag);
    case 'not':
      return !evaluate(x.x, has);
    case 'and':
      // Both sides are evaluated, as go's Eval does, so that `has` sees every tag consulted.
      return [evaluate(x.x, has), evaluate(x.y, has)].every(Boolean);
    case 'or':
      return [evaluate(x.x, has), evaluate(x.y, has)].some(Boolean);
  }
}

/** Every tag the expression mentions. */
export function tagsOf(x: Expr): Set<string> {
  const out = new Set<string>();
  evaluate(x, (t) => {
    out.add(t);
    return false;
  });
  return out;
}
