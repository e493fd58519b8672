// One run of the analyses over one parse of one file: what they all read (the text, the tree, the
// package, the Go versions, the functions in scope) and the memo of their results. A consumer (a
// rule, or an analysis) sees the pass through a view that only hands out the results of the
// analyses it declared, so what a rule depends on is written down where the incremental analysis
// and the reader can see it, and a result can be shared but never recomputed differently.
import type { Node } from 'web-tree-sitter';
import type { GoVersion } from '../go-version';
import type { PackageIndex } from '../index/package-index';
import { topLevel, type SourceUnit } from '../index/summary';
import type { AnyAnalysis, FileAnalysis, FunctionAnalysis } from './analysis';
import type { Carry } from './carry';

/** Entries assumed for a map whose size is symbolic (`len(items)`), unless the `mapscope.defaultMapSize` setting says otherwise. */
export const DEFAULT_MAP_SIZE = 1000;

/** A range of the text, in UTF-16 offsets as the tree gives them. */
export interface Span {
  start: number;
  end: number;
}

export interface PassOptions {
  /** The Go toolchain: decides the map implementation the engine models. */
  go: GoVersion;
  /** The language version (go.mod's `go` line): decides per-iteration loop variables, range over int, `wg.Go`. */
  language: GoVersion;
  /** Entries assumed when a map's size is symbolic (the `mapscope.defaultMapSize` setting). */
  defaultMapSize?: number;
  /**
   * The top-level functions to check, in order, when the editor re-checks only what an edit may
   * have changed (incremental.ts): text scans read only these ranges, and rules start only from
   * functions that begin at one of them.
   */
  scope?: readonly Span[];
  /** Where `carried` function analyses keep their results across parses (the editor's, per document). */
  carry?: Carry;
}

/** The named children of a node with their offsets, read once: a statement list is asked about many times. */
export class Children {
  constructor(
    readonly nodes: readonly (Node | null)[],
    readonly starts: readonly number[],
    readonly ends: readonly number[],
  ) {}

  /** The index of `child` among them, or -1. */
  indexOf(child: Node): number {
    for (let j = this.firstStartingAt(child.startIndex); j < this.nodes.length && this.starts[j] === child.startIndex; j++) {
      if (this.nodes[j]?.id === child.id) return j;
    }
    return this.nodes.findIndex((n) => n?.id === child.id);
  }

  /** The index of the child whose [start, end) holds `offset`, or -1. */
  at(offset: number): number {
    const j = this.firstStartingAt(offset + 1) - 1;
    return j >= 0 && this.starts[j] <= offset && offset < this.ends[j] ? j : -1;
  }

  private firstStartingAt(offset: number): number {
    let lo = 0;
    let hi = this.starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.starts[mid] < offset) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

interface State {
  readonly fileResults: Map<AnyAnalysis, unknown>;
  readonly fnResults: Map<AnyAnalysis, Map<number, unknown>>;
  functions?: { nodes: Node[]; starts: number[]; ends: number[]; funcs: Node[]; methods: Node[] };
  readonly children: Map<number, Children>;
  readonly matches: Map<RegExp, RegExpExecArray[]>;
  /** Each function's text, sliced once: the string a Carry hashes, for every carried analysis of it. */
  readonly texts: Map<number, string>;
  /** The results being computed, innermost last: a file analysis, or a function analysis and the function's id (a cycle is one met again). */
  readonly stack: { analysis: AnyAnalysis; fn?: number }[];
  /**
   * Results that read the scope (inScope, matchesOf), directly or through another: a pass with
   * another scope may not reuse them. A file analysis's (true), or a function analysis's functions.
   */
  readonly scoped: Map<AnyAnalysis, true | Set<number>>;
  /** The ends of the top-level nodes by id: a node's end is a call into the parser's memory, its start is not. */
  ends?: Map<number, number>;
}

export class Pass {
  private constructor(
    readonly unit: SourceUnit,
    readonly pkg: PackageIndex,
    readonly options: PassOptions,
    private readonly state: State,
    /** Whose view this is, and what it declared; undefined for the runner's own view. */
    private readonly consumer?: { id: string; allowed: ReadonlySet<AnyAnalysis> },
  ) {}

  /**
   * A pass over the unit. `from`, an earlier pass over the same unit and package with another
   * scope, lends it every result that did not read the scope: the editor's planner works out an
   * edited method's facts (incremental.ts) and the rules then check it without walking it again.
   */
  static create(unit: SourceUnit, pkg: PackageIndex, options: PassOptions, from?: Pass): Pass {
    const state: State = { fileResults: new Map(), fnResults: new Map(), children: new Map(), matches: new Map(), texts: new Map(), stack: [], scoped: new Map() };
    if (from && from.unit === unit && from.pkg === pkg && sameOptions(from.options, options)) {
      const lent = from.state;
      for (const [analysis, value] of lent.fileResults) if (!lent.scoped.has(analysis)) state.fileResults.set(analysis, value);
      for (const [analysis, byFn] of lent.fnResults) {
        const scoped = lent.scoped.get(analysis);
        const kept = new Map<number, unknown>();
        for (const [id, value] of byFn) if (!(scoped instanceof Set && scoped.has(id))) kept.set(id, value);
        state.fnResults.set(analysis, kept);
      }
      if (lent.ends) state.ends = lent.ends;
      for (const [id, c] of lent.children) state.children.set(id, c);
      for (const [id, t] of lent.texts) state.texts.set(id, t);
      if (lent.functions) state.functions = lent.functions;
    }
    return new Pass(unit, pkg, options, state);
  }

  get go(): GoVersion {
    return this.options.go;
  }

  get language(): GoVersion {
    return this.options.language;
  }

  /** Entries assumed for a map whose size is symbolic. */
  get defaultMapSize(): number {
    return this.options.defaultMapSize ?? DEFAULT_MAP_SIZE;
  }

  /** The same pass as seen by a consumer that declared `requires`. */
  viewFor(id: string, requires: readonly AnyAnalysis[]): Pass {
    return new Pass(this.unit, this.pkg, this.options, this.state, { id, allowed: new Set(requires) });
  }

  /** A file analysis's result, computed on first use. */
  result<T>(analysis: FileAnalysis<T>): T {
    this.check(analysis);
    const memo = this.state.fileResults;
    if (memo.has(analysis)) {
      this.inherit(analysis);
      return memo.get(analysis) as T;
    }
    const value = this.guard({ analysis }, () => analysis.run(this.viewFor(analysis.id, analysis.requires)));
    memo.set(analysis, value);
    this.inherit(analysis);
    return value;
  }

  /** A function analysis's result for one top-level function, computed on first use. */
  resultFor<T>(analysis: FunctionAnalysis<T>, fn: Node): T {
    this.check(analysis);
    const carry = analysis.carried ? this.options.carry : undefined;
    // A carried result is kept by the Carry, found by the function's place: a pass over a big file
    // asks for it of every function, and a memo of its own would copy the Carry's on each keystroke.
    // It is worked out from the function's text alone, so it reads no scope to inherit.
    if (carry) return carry.get(analysis.id, this.unit.text, fn.startIndex, this.endOf(fn), () => this.textOf(fn), () => this.run(analysis, fn));
    let memo = this.state.fnResults.get(analysis);
    if (!memo) this.state.fnResults.set(analysis, (memo = new Map()));
    if (memo.has(fn.id)) {
      this.inherit(analysis, fn.id);
      return memo.get(fn.id) as T;
    }
    const value = this.run(analysis, fn);
    memo.set(fn.id, value);
    this.inherit(analysis, fn.id);
    return value;
  }

  private run<T>(analysis: FunctionAnalysis<T>, fn: Node): T {
    return this.guard({ analysis, fn: fn.id }, () => analysis.run(this.viewFor(analysis.id, analysis.requires), fn));
  }

  /** A node's end, from the top-level table when it is a top-level node. */
  private endOf(node: Node): number {
    if (!this.state.ends) {
      this.state.ends = new Map();
      for (const d of topLevel(this.unit)) this.state.ends.set(d.node.id, d.end);
    }
    return this.state.ends.get(node.id) ?? node.endIndex;
  }

  /** A node's text, one string per node and parse (V8 keeps a string's hash with it, so the Carry's lookups hash it once). */
  private textOf(fn: Node): string {
    let t = this.state.texts.get(fn.id);
    if (t === undefined) this.state.texts.set(fn.id, (t = this.unit.text.slice(fn.startIndex, this.endOf(fn))));
    return t;
  }

  private check(analysis: AnyAnalysis): void {
    if (this.consumer && !this.consumer.allowed.has(analysis)) {
      throw new Error(`${this.consumer.id} reads ${analysis.id} without declaring it in requires`);
    }
  }

  private guard<T>(frame: State['stack'][number], run: () => T): T {
    if (this.state.stack.some((f) => f.analysis === frame.analysis && f.fn === frame.fn)) {
      throw new Error(`analysis cycle through ${frame.analysis.id}${frame.fn === undefined ? '' : `#${frame.fn}`}`);
    }
    this.state.stack.push(frame);
    try {
      return run();
    } finally {
      this.state.stack.pop();
    }
  }

  /** A result that read the scope makes the results computing it read the scope too. */
  private inherit(analysis: AnyAnalysis, fn?: number): void {
    const scoped = this.state.scoped.get(analysis);
    if (scoped === true || (fn !== undefined && scoped?.has(fn))) this.readsScope();
  }

  /** The results being computed read the scope. */
  private readsScope(): void {
    for (const { analysis, fn } of this.state.stack) {
      if (fn === undefined) this.state.scoped.set(analysis, true);
      // Kept by its function's text for other passes, with other scopes (and not memoised here).
      else if (analysis.kind === 'function' && analysis.carried) throw new Error(`${analysis.id} is carried and may not read the scope`);
      else {
        let ids = this.state.scoped.get(analysis);
        if (ids === true) continue;
        if (!ids) this.state.scoped.set(analysis, (ids = new Set()));
        ids.add(fn);
      }
    }
  }

  /** Function and method declarations at the top level, in source order. */
  get functions(): readonly Node[] {
    return this.functionTable().nodes;
  }

  /** The function declarations among them, without a receiver (a node's type is a call into the parser; the table knows it). */
  get funcs(): readonly Node[] {
    return this.functionTable().funcs;
  }

  /** The method declarations among them. */
  get methods(): readonly Node[] {
    return this.functionTable().methods;
  }

  /** The top-level function containing a UTF-16 offset. */
  functionAt(offset: number): Node | undefined {
    const { nodes, starts, ends } = this.functionTable();
    let lo = 0;
    let hi = nodes.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (offset < starts[mid]) hi = mid - 1;
      else if (offset >= ends[mid]) lo = mid + 1;
      else return nodes[mid];
    }
    return undefined;
  }

  /** Whether rules should start from this top-level function (always, unless the pass has a scope). */
  inScope(fn: Node): boolean {
    this.readsScope();
    const scope = this.options.scope;
    if (!scope) return true;
    let lo = 0;
    let hi = scope.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (scope[mid].start === fn.startIndex) return true;
      if (scope[mid].start < fn.startIndex) lo = mid + 1;
      else hi = mid - 1;
    }
    return false;
  }

  /** The matches of a global pattern in the text, or only in the scope when there is one; scanned once per pattern. */
  matchesOf(pattern: RegExp): readonly RegExpExecArray[] {
    this.readsScope();
    let out = this.state.matches.get(pattern);
    if (out) return out;
    const text = this.unit.text;
    const re = new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`);
    out = [];
    for (const span of this.options.scope ?? [{ start: 0, end: text.length }]) {
      re.lastIndex = span.start;
      for (let m = re.exec(text); m && m.index < span.end; m = re.exec(text)) {
        out.push(m);
        if (m[0].length === 0) re.lastIndex++;
      }
    }
    this.state.matches.set(pattern, out);
    return out;
  }

  /** A node's named children with their offsets, read from the tree once per parse. */
  children(node: Node): Children {
    let c = this.state.children.get(node.id);
    if (!c) {
      const nodes = node.namedChildren;
      c = new Children(nodes, nodes.map((n) => n?.startIndex ?? -1), nodes.map((n) => n?.endIndex ?? -1));
      this.state.children.set(node.id, c);
    }
    return c;
  }

  private functionTable(): NonNullable<State['functions']> {
    if (!this.state.functions) {
      const fns = topLevel(this.unit).filter((d) => d.type === 'function_declaration' || d.type === 'method_declaration');
      this.state.functions = {
        nodes: fns.map((d) => d.node),
        starts: fns.map((d) => d.start),
        ends: fns.map((d) => d.end),
        funcs: fns.filter((d) => d.type === 'function_declaration').map((d) => d.node),
        methods: fns.filter((d) => d.type === 'method_declaration').map((d) => d.node),
      };
    }
    return this.state.functions;
  }
}

/** Whether two passes' options decide the same results, scope and carry aside. */
function sameOptions(a: PassOptions, b: PassOptions): boolean {
  const same = (x: GoVersion, y: GoVersion) => x === y || JSON.stringify(x) === JSON.stringify(y);
  return same(a.go, b.go) && same(a.language, b.language) && a.defaultMapSize === b.defaultMapSize;
}
