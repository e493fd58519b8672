// Per-file facts the rules share, computed on first use and kept for the life of one parse: the
// top-level functions, every map-index write, each function's scopes. Whole-tree walks and even
// whole-tree queries cost a large fraction of a parse (design.md §2), so facts start from a scan
// of the text for the tokens that matter and ask the tree only about those places; the scope walk
// runs only for functions a rule asks about.
import { Query, type Language, type Node } from 'web-tree-sitter';
import type { PackageIndex } from './package-index';
import { analyzeScopes, type FunctionScopes } from './scopes';
import { topLevel, type SourceUnit } from './summary';

export interface IndexWrite {
  /** The `x[k]` being assigned, incremented or decremented. */
  index: Node;
  /** The top-level function (or method) it is in. */
  fn: Node;
}

/** A `]` followed by an assignment operator or `++`/`--`: where an index write can end. */
const WRITE_AFTER_INDEX = /\](?=\s*(?:=(?!=)|\+\+|--|(?:[-+*/%&|^]|<<|>>|&\^)=))/g;
const IMPORT_QUERY = `(import_spec name: (_)? @alias path: (_) @path) @spec`;

const queries = new WeakMap<Language, { imports: Query }>();
function queriesFor(language: Language) {
  let q = queries.get(language);
  if (!q) {
    q = { imports: new Query(language, IMPORT_QUERY) };
    queries.set(language, q);
  }
  return q;
}

/** A range of the text, in UTF-16 offsets as the tree gives them. */
export interface Span {
  start: number;
  end: number;
}

export class FileFacts {
  private _functions?: Node[];
  private functionStarts: number[] = [];
  private functionEnds: number[] = [];
  private _writes?: IndexWrite[];
  private _writesByFunction?: Map<number, IndexWrite[]>;
  private _imports?: Set<string>;
  private readonly scopes = new Map<number, FunctionScopes>();
  private readonly blocks = new Map<number, Children>();

  /**
   * With a scope (the functions the incremental analysis checks again, in order), the text scans
   * that find the rules' entry points (index writes, spawn sites, hintless maps) read only those
   * ranges: a rule asked to check only these functions would drop the rest anyway.
   */
  constructor(
    readonly unit: SourceUnit,
    readonly pkg: PackageIndex,
    readonly scope?: readonly Span[],
  ) {}

  /** Function and method declarations at the top level, in source order. */
  get functions(): Node[] {
    if (!this._functions) {
      const fns = topLevel(this.unit).filter((d) => d.type === 'function_declaration' || d.type === 'method_declaration');
      this._functions = fns.map((d) => d.node);
      this.functionStarts = fns.map((d) => d.start);
      this.functionEnds = fns.map((d) => d.end);
    }
    return this._functions;
  }

  /** The matches of a global pattern in the text, or only in the scope when there is one. */
  matchesOf(pattern: RegExp): RegExpExecArray[] {
    const text = this.unit.text;
    const re = new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`);
    const out: RegExpExecArray[] = [];
    for (const span of this.scope ?? [{ start: 0, end: text.length }]) {
      re.lastIndex = span.start;
      for (let m = re.exec(text); m && m.index < span.end; m = re.exec(text)) {
        out.push(m);
        if (m[0].length === 0) re.lastIndex++;
      }
    }
    return out;
  }

  /** Every `x[k] = v`, `x[k] op= v`, `x[k]++` in a function body. */
  get indexWrites(): IndexWrite[] {
    if (!this._writes) {
      this._writes = [];
      const root = this.unit.tree.rootNode;
      for (const m of this.matchesOf(WRITE_AFTER_INDEX)) {
        const index = root.descendantForIndex(m.index, m.index + 1)?.parent;
        if (index?.type !== 'index_expression' || index.endIndex !== m.index + 1 || !isWriteTarget(index)) continue;
        const fn = this.functionAt(index.startIndex);
        if (fn) this._writes.push({ index, fn });
      }
    }
    return this._writes;
  }

  /** The index writes in one top-level function, in source order. */
  writesIn(fn: Node): readonly IndexWrite[] {
    if (!this._writesByFunction) {
      this._writesByFunction = new Map();
      for (const w of this.indexWrites) {
        const list = this._writesByFunction.get(w.fn.id);
        if (list) list.push(w);
        else this._writesByFunction.set(w.fn.id, [w]);
      }
    }
    return this._writesByFunction.get(fn.id) ?? [];
  }

  /** Package names the file's imports bind (alias, else the path's last element). */
  get importNames(): Set<string> {
    if (!this._imports) {
      this._imports = new Set();
      const q = queriesFor(this.unit.tree.language);
      for (const m of q.imports.matches(this.unit.tree.rootNode)) {
        const alias = m.captures.find((c) => c.name === 'alias')?.node.text;
        const path = m.captures.find((c) => c.name === 'path')?.node.text.replace(/^["`]|["`]$/g, '') ?? '';
        // Go's convention: the package name is the last element, minus a major-version suffix.
        const parts = path.split('/');
        let last = parts[parts.length - 1];
        if (/^v\d+$/.test(last) && parts.length > 1) last = parts[parts.length - 2];
        this._imports.add(alias ?? last.replace(/^go-/, '').replace(/[.-].*$/, ''));
      }
    }
    return this._imports;
  }

  /** A node's named children with their offsets, read from the tree once per parse (a statement list, asked about many times). */
  children(node: Node): Children {
    let c = this.blocks.get(node.id);
    if (!c) {
      const nodes = node.namedChildren;
      c = new Children(nodes, nodes.map((n) => n?.startIndex ?? -1), nodes.map((n) => n?.endIndex ?? -1));
      this.blocks.set(node.id, c);
    }
    return c;
  }

  scopesOf(fn: Node): FunctionScopes {
    let s = this.scopes.get(fn.id);
    if (!s) {
      s = analyzeScopes(fn);
      this.scopes.set(fn.id, s);
    }
    return s;
  }

  /** The top-level function containing a UTF-16 offset. */
  functionAt(offset: number): Node | undefined {
    const fns = this.functions;
    let lo = 0;
    let hi = fns.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (offset < this.functionStarts[mid]) hi = mid - 1;
      else if (offset >= this.functionEnds[mid]) lo = mid + 1;
      else return fns[mid];
    }
    return undefined;
  }
}

export class Children {
  constructor(
    readonly nodes: readonly (Node | null)[],
    readonly starts: readonly number[],
    readonly ends: readonly number[],
  ) {}

  /** The index of `child` among them, or -1. */
  indexOf(child: Node): number {
    for (let j = this.firstStartingAt(child.startIndex); j < this.nodes.length && this.starts[j] === child.startIndex; j++) {
      if (this.nodes[j]?.equals(child)) return j;
    }
    return this.nodes.findIndex((n) => n?.equals(child));
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

/** `x[k] = …` (any assignment operator, possibly one of several targets) or `x[k]++`. */
function isWriteTarget(index: Node): boolean {
  const parent = index.parent;
  if (!parent) return false;
  if (parent.type === 'inc_statement' || parent.type === 'dec_statement') return true;
  const stmt = parent.parent;
  return parent.type === 'expression_list' && stmt?.type === 'assignment_statement' && stmt.childForFieldName('left')?.equals(parent) === true;
}
