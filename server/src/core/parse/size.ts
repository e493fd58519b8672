// Whether a text is small enough to parse. A tree-sitter tree lives in the wasm heap, which tops out
// at 2 GiB and never shrinks; past it the runtime aborts and every later parse fails. A tree costs
// about 125 bytes per node (measured, web-tree-sitter 0.27.1), and a Go file has at most two nodes
// per token (`-` unary chains; dense literals like `1,2,3` have 1.5, ordinary code 0.8), so the
// token count bounds the tree before it is built. Bytes alone cannot: a 10 MB literal of numbers
// took 1.9 GB and 11 s to parse, and 66 MB of ordinary code 1.3 GB.

/**
 * The most tokens a file may have to be parsed: at most 6 million nodes, 750 MB of wasm heap in the
 * worst case, so that an edit's reparse (the old tree and the new) and the other open documents
 * still fit; about 4 s to parse here. Ordinary Go reaches it at about 12 MB (the largest file of
 * the standard library has 0.76 million tokens); a map literal with a million entries has 4 million.
 */
export const MAX_TOKENS = 3_000_000;

export interface TooLarge {
  tokens: number;
  /** One line for people: what was skipped and why. */
  reason: string;
}

/** Undefined when the text may be parsed; else how large it is. Linear, and free for short texts. */
export function tooLargeToParse(text: string): TooLarge | undefined {
  // A token has at least one character: shorter texts cannot exceed the bound.
  if (text.length <= MAX_TOKENS) return undefined;
  const tokens = countTokens(text, MAX_TOKENS);
  if (tokens <= MAX_TOKENS) return undefined;
  return { tokens, reason: `too large to analyse: more than ${MAX_TOKENS} tokens (${(text.length / 1e6).toFixed(1)} million characters)` };
}

/** Tokens, roughly as Go's scanner sees them: runs of word characters, and every other visible character. Stops counting past `limit`. */
function countTokens(text: string, limit: number): number {
  let n = 0;
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const word = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c > 127;
    if (word) {
      if (!inWord && ++n > limit) return n;
      inWord = true;
      continue;
    }
    inWord = false;
    if (c > 32 && ++n > limit) return n;
  }
  return n;
}
