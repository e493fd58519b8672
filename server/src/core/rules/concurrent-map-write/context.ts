// One check of concurrent-map-write over one file: the analyses it reads, gathered behind a few
// questions (the access an expression makes and the locks held there, who spawned a goroutine), and
// the memo of the answers, so that nothing is worked out once per pair of accesses. It lives for one
// check; nothing is kept between files.
import type { Node } from 'web-tree-sitter';
import type { Pass } from '../../analysis/pass';
import { TextMatches } from '../../analysis/text-matches';
import { BARRIER, GOTO_OR_LOCK } from '../../analyses/barriers';
import { controlFlow, type FlowGraphs } from '../../analyses/control-flow';
import type { Spawn } from '../../analyses/goroutines';
import { locks, type LockState } from '../../analyses/locks';
import { mapAccesses, type MapAccess } from '../../analyses/map-accesses';
import { deferredLiteralOf, deferredLiterals } from '../../analyses/defers';
import { functionSyntax, type Binding, type FunctionSyntax, type Reference } from '../../analyses/syntax';
import type { Finding, Related } from '../../findings';

export interface Access {
  /** The reported node: the index expression, or the `delete`/`clear`/`len` call, or the ranged expression. */
  node: Node;
  write: boolean;
  lock: LockState;
  /** For an access in another goroutine started later by the same function: that spawn. */
  by?: Spawn;
  /** For an access a method makes: the calls that lead to it, the first one in the function judged. */
  via?: readonly Node[];
  /** For `x[k]` whose element is used as a container (`x[k][j] = v`, `len(x[k])`): the key and that use. */
  element?: MapAccess['element'];
}

export interface Pending {
  finding: Finding;
  related: Map<number, Related>;
}

const DEFER = new Set(['defer_statement']);

export class CheckContext {
  /** Findings by the start of the access they are on: one per racing access, related places merged. */
  readonly out = new Map<number, Pending>();
  private readonly accesses = new Map<number, Access | null>();
  private readonly spawners = new Map<Spawn, Node | undefined>();
  private readonly matches = new Map<RegExp, TextMatches>();
  /** Per function: the starts of `range` keywords that might be over a channel. */
  readonly unprovenRanges = new Map<number, number[]>();
  readonly packageMaps = new Map<string, boolean>();
  readonly lastStatements = new Map<number, string | undefined>();
  private byLiteral?: Map<number, Spawn>;
  private readonly defers = new Map<number, readonly Node[]>();

  constructor(
    readonly pass: Pass,
    /** The spawns the rule may judge (in scope), in source order. */
    readonly spawns: readonly Spawn[],
  ) {}

  syntax(fn: Node): FunctionSyntax {
    return this.pass.resultFor(functionSyntax, fn);
  }

  flows(fn: Node): FlowGraphs {
    return this.pass.resultFor(controlFlow, fn);
  }

  /** What a container expression does (read or write, and the locks held), or undefined when it is no map access. A copy: callers may change it. */
  access(expr: Node): Access | undefined {
    let a = this.accesses.get(expr.id);
    if (a === undefined) {
      const fn = this.pass.functionAt(expr.startIndex);
      const found = fn ? this.pass.resultFor(mapAccesses, fn).at(expr) : undefined;
      a = found && fn ? { node: found.node, write: found.write, lock: this.pass.resultFor(locks, fn).at(found.node), element: found.element } : null;
      this.accesses.set(expr.id, a);
    }
    return a ? { ...a } : undefined;
  }

  /** The locks held where `node` runs. */
  lockAt(node: Node): LockState {
    const fn = this.pass.functionAt(node.startIndex);
    return fn ? this.pass.resultFor(locks, fn).at(node) : { held: new Map(), unsure: true };
  }

  /**
   * Something that runs before `node` in `owner` (a function, or a goroutine's func literal) may
   * order it: a wait, a channel operation. A deferred access (`defer delete(m, k)`, or one inside
   * `defer func() {…}()`) runs when `owner` returns, after all of its body: then anything in the
   * body may order it, and a lock taken or released anywhere in it makes what is held unknown.
   */
  orderedIn(owner: Node, node: Node): boolean {
    const body = owner.childForFieldName('body');
    if (!body) return true;
    const fn = this.pass.functionAt(owner.startIndex);
    if (!fn) return true;
    const syntax = this.syntax(fn);
    const inner = syntax.ownerOf(node);
    if (inner && inner.id !== owner.id) {
      const lit = deferredLiteralOf(inner, syntax);
      if (!lit || syntax.ownerOf(lit.defer)?.id !== owner.id) return true;
      return this.barrierBetween(body.startIndex, body.endIndex) || this.gotoOrLockBetween(body.startIndex, inner.startIndex) || this.gotoOrLockBetween(inner.endIndex, body.endIndex);
    }
    if (syntax.ancestor(node, DEFER)) return this.barrierBetween(body.startIndex, body.endIndex) || this.gotoOrLockBetween(body.startIndex, body.endIndex);
    // What `owner` defers before `node` runs after it (`defer func() { ch <- n }()`): not in the way.
    let from = body.startIndex;
    for (const d of this.defersOf(owner, syntax)) {
      if (d.startIndex >= node.startIndex) break;
      if (d.endIndex > node.startIndex) break;
      if (this.barrierBetween(from, d.startIndex)) return true;
      from = d.endIndex;
    }
    return this.barrierBetween(from, node.startIndex);
  }

  /** The `defer` statements `owner` makes itself, in source order. */
  private defersOf(owner: Node, syntax: FunctionSyntax): readonly Node[] {
    let list = this.defers.get(owner.id);
    if (!list) {
      list = owner.descendantsOfType('defer_statement').filter((d): d is Node => d !== null && syntax.ownerOf(d)?.id === owner.id);
      this.defers.set(owner.id, list);
    }
    return list;
  }

  /** The function or closure whose body holds the spawn statement. */
  spawner(spawn: Spawn): Node | undefined {
    if (!this.spawners.has(spawn)) this.spawners.set(spawn, this.syntax(spawn.fn).ownerOf(spawn.stmt));
    return this.spawners.get(spawn);
  }

  /** The spawn whose goroutine runs this func literal. */
  spawnOfLiteral(lit: Node): Spawn | undefined {
    this.byLiteral ??= new Map(this.spawns.filter((o) => o.literal).reverse().map((o) => [o.literal!.id, o]));
    return this.byLiteral.get(lit.id);
  }

  /** A barrier (channel operation, wait, once, atomic…) lies in the text between two offsets. */
  barrierBetween(from: number, to: number): boolean {
    return this.textMatches(BARRIER).within(from, to);
  }

  /** A `goto` or a lock-like call lies in the text between two offsets. */
  gotoOrLockBetween(from: number, to: number): boolean {
    return this.textMatches(GOTO_OR_LOCK).within(from, to);
  }

  textMatches(pattern: RegExp): TextMatches {
    let m = this.matches.get(pattern);
    if (!m) this.matches.set(pattern, (m = new TextMatches(this.pass.unit.text, pattern)));
    return m;
  }
}

/** The references a goroutine's literal makes: its own, and those of the func literals it defers, which run as it ends. */
export function goroutineRefs(syntax: FunctionSyntax, lit: Node): ReadonlyMap<Binding, Reference[]> {
  const deferred = deferredLiterals(lit, syntax);
  const own = syntax.refsIn(lit);
  if (deferred.length === 0) return own;
  const out = new Map<Binding, Reference[]>();
  for (const m of [own, ...deferred.map((d) => syntax.refsIn(d))]) for (const [b, refs] of m) out.set(b, [...(out.get(b) ?? []), ...refs]);
  return out;
}

export function contains(outer: Node, inner: Node): boolean {
  return inner.startIndex >= outer.startIndex && inner.endIndex <= outer.endIndex;
}
