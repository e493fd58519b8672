// Go identifiers in text scans. The spec: an identifier is a letter or `_` followed by letters,
// `_` and digits, where a letter is any Unicode letter (categories Lu, Ll, Lt, Lm, Lo: `\p{L}`) and
// a digit any decimal digit (Nd). `\w` and `\b` know only ASCII, so `größe` or `名前` would be
// missed or split; patterns here use the `u` flag with these classes, and the word search below
// checks its boundaries with the same definition.

/** One identifier (use with the `u` flag). */
export const IDENT = '[\\p{L}_][\\p{L}\\p{Nd}_]*';
/** A character that may continue an identifier (use with the `u` flag). */
export const IDENT_CHAR = '[\\p{L}\\p{Nd}_]';

const IDENT_CHAR_RE = /[\p{L}\p{Nd}_]/u;

/** Whether the code point is a letter, a decimal digit or `_`. */
export function isIdentCodePoint(c: number): boolean {
  if (c < 0x80) return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95;
  return IDENT_CHAR_RE.test(String.fromCodePoint(c));
}

/** The code point ending just before UTF-16 offset `i`, or -1 at the start. */
function codePointBefore(text: string, i: number): number {
  if (i <= 0) return -1;
  const c = text.charCodeAt(i - 1);
  if (c >= 0xdc00 && c <= 0xdfff && i >= 2) {
    const h = text.charCodeAt(i - 2);
    if (h >= 0xd800 && h <= 0xdbff) return ((h - 0xd800) << 10) + (c - 0xdc00) + 0x10000;
  }
  return c;
}

/**
 * Whether `name` occurs at `i` as a whole word: no identifier character right after it, and none
 * (nor a `.`, when `afterDot` is false: `x.name` is a field, not the variable) right before it.
 */
export function isWordAt(text: string, i: number, name: string, afterDot = false): boolean {
  const before = codePointBefore(text, i);
  if (before >= 0 && (isIdentCodePoint(before) || (!afterDot && before === 46))) return false;
  const after = text.codePointAt(i + name.length);
  return after === undefined || !isIdentCodePoint(after);
}

/** The first offset in [from, to) where `name` occurs as a whole word (see isWordAt), or -1. */
export function nextWord(text: string, name: string, from = 0, to = text.length, afterDot = false): number {
  if (name === '') return -1;
  for (let i = text.indexOf(name, from); i >= 0 && i + name.length <= to; i = text.indexOf(name, i + 1)) {
    if (isWordAt(text, i, name, afterDot)) return i;
  }
  return -1;
}

/** Whether `text` mentions `name` as a whole word, not as a field (`x.name`). */
export function mentionsWord(text: string, name: string): boolean {
  return nextWord(text, name) >= 0;
}

/** How many times `text` mentions `name` as a whole word, not as a field. */
export function countWord(text: string, name: string): number {
  let n = 0;
  for (let i = nextWord(text, name); i >= 0; i = nextWord(text, name, i + name.length)) n++;
  return n;
}

/**
 * Whether a `.` after an identifier comes right before offset `i`, blanks allowed around it
 * (`x.name`, `x .\n\tname`): where a method name follows its receiver. A scan backwards; every
 * match of IDENT\s*\.\s*$ on the text before `i` is one.
 */
export function followsSelector(text: string, i: number): boolean {
  let k = i;
  const skipBlanks = () => {
    while (k > 0 && isBlank(text.charCodeAt(k - 1))) k--;
  };
  skipBlanks();
  if (k === 0 || text.charCodeAt(k - 1) !== 46) return false;
  k--;
  skipBlanks();
  const before = codePointBefore(text, k);
  return before >= 0 && isIdentCodePoint(before);
}

function isBlank(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13) || (c >= 0x80 && /\s/.test(String.fromCharCode(c)));
}
