// A Go file with its function bodies blanked, for summarising a package another one imports: an
// importer reads declarations (types, signatures, variables, constants), never what a function
// does, and a body is most of a file's tokens. Blanking replaces each character of a body with as
// many spaces as its UTF-8 bytes (line breaks kept), so every byte offset a summary records is the
// original's. Kept whole: the bodies of methods with a value receiver (the summary records which
// receiver fields they assign). A summary of the blanked text misses only the names bodies assign,
// which only the package's own analysis reads.
//
// A lexer, not a parser: strings, raw strings, runes and comments are skipped, and a body is the
// first `{` after a top-level `func` that is outside parentheses and brackets and does not open a
// `struct` or `interface` type. Anything it cannot follow leaves the text as it is.

const IDENT = /[\p{L}\p{Nd}_]/u;

/** The text with the bodies blanked, or undefined when there is nothing to blank or the text is not followed to its end. */
export function blankBodies(text: string): string | undefined {
  const spans: [number, number][] = [];
  let i = 0;
  const n = text.length;
  let depth = 0;
  /** Skips a string, raw string, rune or comment starting at `at`; returns its end, or -1 when none starts there. */
  const skip = (at: number): number => {
    const c = text[at];
    if (c === '/' && text[at + 1] === '/') {
      const nl = text.indexOf('\n', at);
      return nl < 0 ? n : nl;
    }
    if (c === '/' && text[at + 1] === '*') {
      const end = text.indexOf('*/', at + 2);
      return end < 0 ? n + 1 : end + 2;
    }
    if (c === '`') {
      const end = text.indexOf('`', at + 1);
      return end < 0 ? n + 1 : end + 1;
    }
    if (c === '"' || c === "'") {
      let j = at + 1;
      while (j < n && text[j] !== c && text[j] !== '\n') j += text[j] === '\\' ? 2 : 1;
      return text[j] === c ? j + 1 : n + 1;
    }
    return -1;
  };
  while (i < n) {
    const s = skip(i);
    if (s > n) return undefined;
    if (s >= 0) {
      i = s;
      continue;
    }
    const c = text[i];
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
    if (depth < 0) return undefined;
    if (IDENT.test(c)) {
      let j = i + 1;
      while (j < n && IDENT.test(text[j])) j++;
      const word = text.slice(i, j);
      if (word === 'func' && depth === 0 && !IDENT.test(text[i - 1] ?? ' ')) {
        const body = funcBody(j);
        if (body === null) return undefined;
        if (body) {
          if (body.blank) spans.push([body.open + 1, body.close]);
          i = body.close + 1;
          continue;
        }
      }
      i = j;
      continue;
    }
    i++;
  }
  if (depth !== 0) return undefined;
  if (spans.length === 0) return undefined;
  let out = '';
  let at = 0;
  for (const [from, to] of spans) {
    out += text.slice(at, from);
    for (let k = from; k < to; k++) {
      const code = text.charCodeAt(k);
      if (code === 10 || code === 13) out += text[k];
      else if (code < 0x80) out += ' ';
      else if (code < 0x800) out += '  ';
      else if (code >= 0xd800 && code < 0xdc00) {
        out += '    ';
        k++;
      } else out += '   ';
    }
    at = to;
  }
  return out + text.slice(at);

  /**
   * From just after a top-level `func`: its body's braces and whether to blank it; undefined for a
   * declaration without a body; null when the text cannot be followed.
   */
  function funcBody(from: number): { open: number; close: number; blank: boolean } | undefined | null {
    let j = from;
    let d = 0;
    let receiver: string | undefined;
    let prev = '';
    let first = true;
    while (j < n) {
      const s = skip(j);
      if (s > n) return null;
      if (s >= 0) {
        j = s;
        continue;
      }
      const ch = text[j];
      if (ch === '\n' && d === 0 && !first) return undefined; // `func f()` with no body (assembly)
      if (ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n') {
        j++;
        continue;
      }
      if (first && ch === '(') {
        const end = matching(j, '(', ')');
        if (end < 0) return null;
        receiver = text.slice(j + 1, end);
        j = end + 1;
        first = false;
        continue;
      }
      first = false;
      if (IDENT.test(ch)) {
        let k = j + 1;
        while (k < n && IDENT.test(text[k])) k++;
        prev = text.slice(j, k);
        j = k;
        continue;
      }
      if (ch === '(' || ch === '[') d++;
      else if (ch === ')' || ch === ']') d--;
      else if (ch === '{' && d === 0) {
        if (prev === 'struct' || prev === 'interface') {
          const end = matching(j, '{', '}');
          if (end < 0) return null;
          j = end + 1;
          prev = '}';
          continue;
        }
        const close = matching(j, '{', '}');
        if (close < 0) return null;
        // A value receiver: the summary reads which of its fields the body assigns.
        const value = receiver !== undefined && !/^\s*(?:[\p{L}_][\p{L}\p{Nd}_]*\s+)?\*/u.test(receiver);
        return { open: j, close, blank: !value };
      }
      prev = ch;
      j++;
    }
    return undefined;
  }

  /** The index of the bracket closing the one at `at`, skipping strings and comments; -1 if none. */
  function matching(at: number, open: string, close: string): number {
    let d = 0;
    let j = at;
    while (j < n) {
      const s = skip(j);
      if (s > n) return -1;
      if (s >= 0) {
        j = s;
        continue;
      }
      if (text[j] === open) d++;
      else if (text[j] === close && --d === 0) return j;
      j++;
    }
    return -1;
  }
}
