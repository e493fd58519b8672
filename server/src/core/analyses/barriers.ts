// Text that may order two accesses to a map: channel operations, `select`, waits, `sync.Once`,
// atomics, condition variables. The concurrency rule stops looking past such text (an access after
// it may be ordered after the other goroutine's), and a method's carried effects say which of its
// accesses have some before them, so the editor can tell whether an edit changed that.

/** A token of the kinds above; short, so a match never straddles a token boundary (see TextMatches). */
export const BARRIER =
  /<-|\bselect\b|\.Wait\w*\(|\.Do\(|\.Load\w*\(|\.Store\w*\(|\.CompareAndSwap\w*\(|\.Swap\w*\(|[Ww]ait\w*\(|\bJoin\w*\(|\bsync\.|\bCond\b|\.Signal\(|\.Broadcast\(/g;
