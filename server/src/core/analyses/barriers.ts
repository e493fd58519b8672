// Text that may order two pieces of code run by different goroutines, shared by the analyses that
// ask "could anything before this point have waited for the other side?" and the concurrency rule
// (which stops looking past such text); a method's carried effects say which of its accesses have
// some before them, so the editor can tell whether an edit changed that. A pre-filter on the text:
// a match is only a maybe (a comment, a string, a `Wait` of something else), which can only make a
// reader more careful.

/** Channel operations, waits, `sync.Once`, atomics, condition variables, joins; short tokens, so a match never straddles a token boundary (see TextMatches). */
export const BARRIER =
  /<-|\bselect\b|\.Wait\w*\(|\.Do\(|\.Load\w*\(|\.Store\w*\(|\.CompareAndSwap\w*\(|\.Swap\w*\(|[Ww]ait\w*\(|\bJoin\w*\(|\bsync\.|\bCond\b|\.Signal\(|\.Broadcast\(/g;

/** A `goto`, or a call that may take or release a lock (`mu.Lock()`, a helper called `lockAll`). */
export const GOTO_OR_LOCK = /\bgoto\b|[Ll]ock\w*\(/g;
