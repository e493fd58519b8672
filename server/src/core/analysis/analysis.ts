// What an analysis is: a named computation over one file (or one function of it) whose result is
// memoised for the life of one parse and shared by everyone who asks (the x/tools `Requires` /
// `ResultOf` idea). An analysis names the analyses it reads, so the pass can refuse an undeclared
// read, and says what beyond its own function a result may depend on, so the editor's incremental
// analysis knows which functions an edit elsewhere may change (incremental.ts).
import type { Node } from 'web-tree-sitter';
import type { Pass } from './pass';

/**
 * What a function's result may read besides the function itself. Everything a rule reads of the
 * package's types, methods and package-level variables' declarations is in the incremental key
 * already; these are the reads across functions that an edit of one function can change.
 * - `goroutine-callees`: the bodies of functions and methods the function starts as goroutines
 *   (`go f(m)`, `go x.f()`);
 * - `callees`: the bodies of the functions and methods of this file the function calls, and those
 *   they call in turn (`t.reset()` inside a goroutine: reset's accesses are the goroutine's);
 * - `receiver-methods`: the bodies of the other pointer-receiver methods of the function's receiver
 *   type (which of them hold the mutex around a field is the evidence of what guards it);
 * - `package-vars`: how package-level variables that may hold a map (declared in this file with a
 *   value, or anywhere with a map type and no value) are initialised and assigned, anywhere in the
 *   file;
 * - `param-runs`: the bodies of the functions of this file the function passes a func to, and of
 *   those they pass it on to (whether `safeGo(func(){…})` starts a goroutine is in safeGo's body),
 *   and of the methods it passes as method values (`safeGo(p.flush)`); those of another file are
 *   read through its summary;
 * - `registrations`: the gRPC service registrations of the whole package (`pb.RegisterXxxServer(s,
 *   &impl{})` in any function of any file makes impl's methods concurrent).
 */
export type Dependency = 'goroutine-callees' | 'callees' | 'receiver-methods' | 'package-vars' | 'param-runs' | 'registrations';

interface AnalysisBase {
  /** Unique, kebab-case; shown in error reports. */
  id: string;
  /** The analyses whose results this one reads. */
  requires: readonly AnyAnalysis[];
  /** What a result may read beyond its own function (see Dependency). */
  dependsOn?: readonly Dependency[];
}

/** An analysis of the whole file, run at most once per parse. */
export interface FileAnalysis<T> extends AnalysisBase {
  kind: 'file';
  run(pass: Pass): T;
}

/** An analysis of one function or method declaration (its closures included), run at most once per function per parse. */
export interface FunctionAnalysis<T> extends AnalysisBase {
  kind: 'function';
  /**
   * Its result is plain data (no tree nodes, no offsets into the file) that depends on the
   * function's text alone: a pass with a Carry (carry.ts) reuses it for the same text across parses,
   * and keeps no memo of its own. So it may not read the scope (`inScope`, `matchesOf`, or a
   * result that did): the pass throws.
   */
  carried?: boolean;
  run(pass: Pass, fn: Node): T;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyAnalysis = FileAnalysis<any> | FunctionAnalysis<any>;

/** Every analysis `roots` needs, themselves included, each once. */
export function closure(roots: readonly AnyAnalysis[]): AnyAnalysis[] {
  const out: AnyAnalysis[] = [];
  const seen = new Set<AnyAnalysis>();
  const stack = [...roots];
  while (stack.length > 0) {
    const a = stack.pop()!;
    if (seen.has(a)) continue;
    seen.add(a);
    out.push(a);
    for (const r of a.requires) stack.push(r);
  }
  return out;
}

/** The union of what the analyses (and those they require) may read beyond their own function. */
export function dependenciesOf(roots: readonly AnyAnalysis[]): Set<Dependency> {
  const deps = new Set<Dependency>();
  for (const a of closure(roots)) for (const d of a.dependsOn ?? []) deps.add(d);
  return deps;
}
