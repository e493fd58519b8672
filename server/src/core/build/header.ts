// What the go command reads from the top of a Go file before deciding whether it belongs to a
// build: the `//go:build` line and the `// +build` lines of the leading comments (go/build's
// parseFileHeader, rule for rule), and whether the import section imports "C" (a cgo file, left
// out when cgo is off). Only the head of the file is scanned: the package clause and the imports.

export interface FileHeader {
  /** The `//go:build` line, trimmed. */
  goBuild?: string;
  /** `// +build` lines before the last blank line of the leading comments; they count only without a `//go:build` line. */
  plusBuild: string[];
  /** The file has two `//go:build` lines, which go rejects. */
  multipleGoBuild: boolean;
  importsC: boolean;
}

export function readHeader(text: string): FileHeader {
  const { goBuild, plusBuild, multipleGoBuild } = leadingComments(text);
  return { ...(goBuild !== undefined ? { goBuild } : {}), plusBuild, multipleGoBuild, importsC: importsC(text) };
}

function leadingComments(text: string): { goBuild?: string; plusBuild: string[]; multipleGoBuild: boolean } {
  let goBuild: string | undefined;
  let multipleGoBuild = false;
  // `// +build` lines count only above a blank line that precedes the first non-comment line.
  const candidates: { line: string; at: number }[] = [];
  let end = 0;
  let ended = false;
  let inSlashStar = false;
  let pos = 0;
  lines: while (pos < text.length) {
    let nl = text.indexOf('\n', pos);
    if (nl < 0) nl = text.length;
    let line = text.slice(pos, nl).trim();
    const lineStart = pos;
    pos = nl + 1;
    if (line === '' && !ended) {
      end = Math.min(pos, text.length);
      continue;
    }
    if (!line.startsWith('//')) ended = true;
    if (!inSlashStar && isGoBuildLine(line)) {
      if (goBuild !== undefined) multipleGoBuild = true;
      else goBuild = line;
    }
    if (!inSlashStar && line.startsWith('//') && line.includes('+build')) candidates.push({ line, at: lineStart });
    while (line.length > 0) {
      if (inSlashStar) {
        const close = line.indexOf('*/');
        if (close < 0) continue lines;
        inSlashStar = false;
        line = line.slice(close + 2).trim();
        continue;
      }
      if (line.startsWith('//')) continue lines;
      if (line.startsWith('/*')) {
        inSlashStar = true;
        line = line.slice(2).trim();
        continue;
      }
      break lines;
    }
  }
  const plusBuild = candidates.filter((c) => c.at < end).map((c) => c.line);
  return { ...(goBuild !== undefined ? { goBuild } : {}), plusBuild, multipleGoBuild };
}

function isGoBuildLine(line: string): boolean {
  if (!line.startsWith('//go:build')) return false;
  const rest = line.slice('//go:build'.length);
  return rest.length === 0 || rest.trim().length < rest.length;
}

/** The name of the file's package clause (`http` of `package http`), '' when the head has none: read without parsing the file. */
export function packageClauseName(text: string): string {
  const lex = new HeadLexer(text);
  if (lex.next() !== 'package') return '';
  const name = lex.next();
  return isIdent(name) ? name : '';
}

/** Whether `package x` is followed by an import of "C", reading only the package clause and import declarations. */
function importsC(text: string): boolean {
  const lex = new HeadLexer(text);
  return lex.next() === 'package' && isIdent(lex.next()) && walkImports(lex, (path) => path === '"C"' || path === '`C`');
}

/**
 * Where the head of a file ends: the end of the line holding the first token after its package
 * clause and import declarations, so that readHeader, packageClauseName and importsC read the same
 * from `text.slice(0, headEnd(text))` as from the whole text. Undefined when `text` stops before
 * that (a prefix of a file: read more of it).
 */
export function headEnd(text: string): number | undefined {
  const lex = new HeadLexer(text);
  if (lex.next() === 'package' && isIdent(lex.next())) walkImports(lex, () => false);
  if (lex.exhausted) return undefined;
  const nl = text.indexOf('\n', lex.start);
  return nl < 0 ? undefined : nl + 1;
}

/**
 * Reads the import declarations that follow a package clause (the lexer just past its name),
 * showing each import's path, quotes included, to `visit`: true when `visit` said to stop there,
 * false at the first token after them or at one that cannot be in them, the lexer's last token.
 */
function walkImports(lex: HeadLexer, visit: (path: string) => boolean): boolean {
  let tok = lex.next();
  for (;;) {
    while (tok === ';') tok = lex.next();
    if (tok !== 'import') return false;
    tok = lex.next();
    const grouped = tok === '(';
    if (grouped) tok = lex.next();
    for (;;) {
      while (grouped && tok === ';') tok = lex.next();
      if (grouped && tok === ')') {
        tok = lex.next();
        break;
      }
      if (!isString(tok)) tok = lex.next(); // the import's name: an identifier, `_` or `.`
      if (!isString(tok)) return false;
      if (visit(tok)) return true;
      tok = lex.next();
      if (!grouped) break;
    }
  }
}

const isString = (tok: string) => tok[0] === '"' || tok[0] === '`';
const isIdent = (tok: string) => /^[\p{L}_]/u.test(tok);

/**
 * Tokens of a Go file's head: identifiers, string literals (with their quotes), `(`, `)`, `.` and
 * `;` (newlines after an identifier, a string or `)` count as `;`, as Go inserts them). Anything
 * else ends the head: it returns ''.
 */
class HeadLexer {
  private i = 0;
  private last = '';
  /** Where the last token began. */
  start = 0;
  /** The last token ran into the end of the text, which may be cut short: it could go on. */
  exhausted = false;

  constructor(private readonly s: string) {}

  next(): string {
    const s = this.s;
    const semicolonAtNewline = this.last !== '' && this.last !== '(' && this.last !== ';' && this.last !== '.' && this.last !== 'import' && this.last !== 'package';
    for (;;) {
      if (this.i >= s.length) return this.end();
      const c = s[this.i];
      if (c === '\n') {
        this.i++;
        if (semicolonAtNewline) return (this.last = ';');
        continue;
      }
      if (c === ' ' || c === '\t' || c === '\r' || c === '\ufeff') {
        this.i++;
        continue;
      }
      if (s.startsWith('//', this.i)) {
        const nl = s.indexOf('\n', this.i);
        this.i = nl < 0 ? s.length : nl;
        continue;
      }
      if (s.startsWith('/*', this.i)) {
        const close = s.indexOf('*/', this.i + 2);
        if (close < 0) return this.end();
        // A block comment spanning lines acts as a newline.
        const spans = s.slice(this.i, close).includes('\n');
        this.i = close + 2;
        if (spans && semicolonAtNewline) return (this.last = ';');
        continue;
      }
      break;
    }
    this.start = this.i;
    const c = s[this.i];
    if (c === '(' || c === ')' || c === ';' || c === '.') {
      this.i++;
      return (this.last = c);
    }
    if (c === '"') {
      let j = this.i + 1;
      while (j < s.length && s[j] !== '"' && s[j] !== '\n') j += s[j] === '\\' ? 2 : 1;
      if (j >= s.length) return this.end();
      if (s[j] !== '"') return (this.last = '');
      const tok = s.slice(this.i, j + 1);
      this.i = j + 1;
      return (this.last = tok);
    }
    if (c === '`') {
      const close = s.indexOf('`', this.i + 1);
      if (close < 0) return this.end();
      const tok = s.slice(this.i, close + 1);
      this.i = close + 1;
      return (this.last = tok);
    }
    const m = /^[\p{L}_][\p{L}\p{Nd}_]*/u.exec(s.slice(this.i, this.i + 256));
    if (!m) return (this.last = '');
    this.i += m[0].length;
    if (this.i >= s.length) this.exhausted = true;
    return (this.last = m[0]);
  }

  private end(): string {
    this.exhausted = true;
    return (this.last = '');
  }
}
