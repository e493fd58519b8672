// Which hintless maps are filled, one insert per iteration, by a loop whose trip count the code
// states (`len(items)`, `n`, a constant, a product for nested loops), and how sure that count is.
// map-without-hint reports from this, and the growth panel shows the same size, so the two never
// disagree. From each hintless creation it follows the statements after it in its block to the
// first that mentions the map, which must be the filling loop, and asks the tree, the function's
// scopes and its control flow only about that loop. It claims only what it can prove: every
// iteration reaches the insert, nothing else touches the map in between, and the hint expression
// means the same at `make` as at the loop (else no fix).
import type { Node } from 'web-tree-sitter';
import type { FileAnalysis } from '../analysis/analysis';
import type { Pass } from '../analysis/pass';
import { IDENT_CHAR, mentionsWord } from '../analysis/words';
import type { Edit } from '../findings';
import { byteRange } from '../index/summary';
import { controlFlow, type FlowGraph } from './control-flow';
import { mapAccesses } from './map-accesses';
import { mapCreations, type MapCreation } from './map-creations';
import { functionSyntax, statementList, type FunctionSyntax, type Reference } from './syntax';
import { exprTypes } from './expr-types';
import { resolverFor, tripCount, type Resolver, type TripCount } from './trip-counts';

export interface Fill {
  creation: MapCreation;
  /** The variable the map is assigned to. */
  name: string;
  /** The `m[k] = v` statement that fills it, once per iteration. */
  insert: Node;
  /** The loops from the outermost (the first statement after the creation to mention the map) to the one holding the insert. */
  loops: Node[];
  /** At most how many entries one iteration of the innermost loop adds: 1 unless other writes in its body may add keys of their own. */
  perIteration: number;
  /** The loops' trip count (times `perIteration`): the hint a fix inserts (`expr`) and its value when known. */
  count: TripCount;
  /** Keys are the range index, the counter or a ranged map's keys: each iteration adds a new one. */
  distinctKeys: boolean;
  /** A `return` or a call that never returns may end the loop early. */
  early: boolean;
  /** The count is exact (distinct keys, no early exit, bytes = runes), not an upper bound. */
  exact: boolean;
  /** How many entries the writes into the map before or after the loop may add (at most once per `make`, or per iteration of a later loop): the count adds them. */
  after: number;
  /** How many such write statements there are. */
  otherWrites: number;
  /** The hint means the same at `make` as at the loop: no name in it is declared or changed in between. */
  fixable: boolean;
  /** Why not, when not: one clause naming the name (`` `n` changes between the make and the loop ``). */
  unfixable?: string;
  /** The count may exceed 8: both map implementations hold 8 entries before they first grow, so a smaller hint changes nothing. */
  worthAHint: boolean;
  /** The loop only copies a map of the same type: `for k, v := range src { dst[k] = v }`; its source expression. */
  copyOf?: string;
}

/** The fills of a file's hintless maps inside functions, by the creation node's id. */
export const fills: FileAnalysis<ReadonlyMap<number, Fill>> = {
  id: 'fills',
  kind: 'file',
  requires: [mapCreations, functionSyntax, controlFlow, mapAccesses, exprTypes],
  run(pass) {
    const out = new Map<number, Fill>();
    for (const c of pass.result(mapCreations)) {
      if (!c.hintless || !c.fn) continue;
      const f = fillOf(pass, c, c.fn);
      if (f) out.set(c.node.id, f);
    }
    return out;
  },
};

/**
 * The edit that gives a hintless creation the hint (`make(map[K]V, hint)`), with a title that says
 * what it does; undefined where the text spans lines. The quick fix and the panel's button apply it.
 */
export function hintFix(pass: Pass, c: MapCreation, hint: string): { title: string; edit: Edit } | undefined {
  const lines = pass.unit.lines;
  const made = `make(${c.mapType.text}, ${hint})`;
  if (c.kind === 'make') {
    if (c.node.text.includes('\n')) return undefined;
    if (c.hintArg) return { title: `Replace the hint ${c.hintArg.text} with ${hint}`, edit: { range: byteRange(c.hintArg, lines), newText: hint } };
    const at = lines.byteOffset(c.mapType.endIndex);
    return { title: `Add capacity hint: ${made}`, edit: { range: { start: at, end: at }, newText: `, ${hint}` } };
  }
  if (c.mapType.text.includes('\n')) return undefined;
  return { title: `Replace ${c.node.text} with ${made}`, edit: { range: byteRange(c.node, lines), newText: made } };
}

/**
 * Whether a hintless map is filled by counting or aggregating in a loop (`m[k]++`, `m[k] += v`,
 * `m[k] = append(m[k], v)`): its size is then the number of distinct keys, which the code does not
 * state, and map-without-hint leaves such loops alone on purpose. The growth panel says so rather
 * than that no loop with a known count fills the map.
 */
export function countedInLoop(pass: Pass, c: MapCreation): boolean {
  if (!c.fn) return false;
  const syntax = pass.resultFor(functionSyntax, c.fn);
  const target = targetOf(c, syntax);
  const binding = target && syntax.bindingAt(target.id);
  if (!binding) return false;
  for (const a of pass.resultFor(mapAccesses, c.fn).of(binding)) {
    if (!a.write || a.op !== 'index' || a.path.length > 0 || a.node.startIndex < c.node.endIndex) continue;
    if (!syntax.ancestor(a.node, LOOP)) continue;
    const parent = syntax.parent(a.node);
    if (parent?.type === 'inc_statement' || parent?.type === 'dec_statement') return true;
    const stmt = parent && syntax.parent(parent);
    if (stmt?.childForFieldName('operator')?.type !== '=' || mentionsWord(stmt.childForFieldName('right')?.text ?? '', binding.name)) return true;
  }
  return false;
}

const LOOP = new Set(['for_statement']);

function fillOf(pass: Pass, c: MapCreation, fn: Node): Fill | undefined {
  const syntax = pass.resultFor(functionSyntax, fn);
  const target = targetOf(c, syntax);
  if (!target) return undefined;
  const { name, stmt } = target;
  const list = syntax.parent(stmt);
  if (list?.type !== 'statement_list') return undefined;
  // The filling loop is the first statement after the creation to refer to the map; before it the
  // map may only be read or written element by element (`m[k]`, `len(m)`, `m[k] = v`). Found from
  // the references the function's scopes resolve to the map's variable (a field or another
  // variable of the same name, a string or a comment naming it are not the map), and looked up in
  // the block by position: a block creating many maps at its top and filling them far below stays
  // linear.
  const block = pass.children(list);
  const at = block.indexOf(stmt);
  if (at < 0) return undefined;
  const binding = syntax.bindingAt(target.id);
  const refs: readonly { id: Node; owner: Node }[] = binding ? binding.refs : syntax.freeNamed(name);
  const accesses = pass.resultFor(mapAccesses, fn);
  /** A reference that reads the map or writes one element of it, and nothing else. */
  const plain = (id: Node) => {
    const a = accesses.at(id);
    return a !== undefined && a.path.length === 0 && (a.op === 'index' || (a.op === 'len' && !a.write));
  };
  const later = refs.filter((r) => r.id.startIndex >= stmt.endIndex && r.id.startIndex < list.endIndex).sort((a, b) => a.id.startIndex - b.id.startIndex);
  let loop: Node | undefined;
  for (const r of later) {
    const j = block.at(r.id.startIndex);
    if (j <= at) return undefined;
    if (block.nodes[j]?.type === 'for_statement') {
      loop = block.nodes[j]!;
      break;
    }
    if (!plain(r.id) && !returnedBefore(r, c, syntax)) return undefined;
  }
  if (!loop) return undefined;
  // After the loop, a function the map is passed to while it is still being written
  // (`p.save(m, …)` before `m[k] = v`) fills it too, past any count; passed on once the writes are
  // done (`acc.AddFields(name, fields)`), returned or stored, it is what the function built.
  const loopEnd = loop.endIndex;
  const lastWrite = refs.reduce((p, r) => (r.id.startIndex >= loopEnd && accesses.at(r.id)?.write ? Math.max(p, r.id.startIndex) : p), -1);
  if (refs.some((r) => r.id.startIndex >= loopEnd && r.id.startIndex < lastWrite && passedToCall(r.id, syntax))) return undefined;
  const inLoop = refs.filter((r) => r.id.startIndex >= loop.startIndex && r.id.startIndex < loop.endIndex).map((r) => r.id);
  const refsIn = (n: Node) => inLoop.filter((id) => id.startIndex >= n.startIndex && id.startIndex < n.endIndex);
  // Reads of the map in the loop (`if m[k] {`, `len(m)`) add nothing; any other use may.
  const changes = (id: Node) => !(plain(id) && !accesses.at(id)!.write);
  const found = findFill(loop, name, refsIn, changes, syntax);
  if (!found) return undefined;
  if (syntax.hasGoto) return undefined;
  // The graph of the body the loop is in: the function's, or a closure's.
  const flows = pass.resultFor(controlFlow, fn);
  // Code no path runs (`if false {`, after a return) costs nothing.
  if (!flows.mayRun(loop)) return undefined;
  const graph = flows.around(loop);
  const flow = graph ? loopFlow(found, graph) : undefined;
  if (!flow) return undefined;
  if (!keyFollowsLoops(found)) return undefined;
  const outside = writesOutside(pass, fn, syntax, target.id, c, loop);
  if (outside === undefined) return undefined;
  const resolver = resolverFor(syntax, pass.pkg, pass.resultFor(exprTypes, fn));
  const rangeOverInt = pass.language.minor >= 22;
  const loopCount = countOf(found.loops, resolver, rangeOverInt);
  if (!loopCount) return undefined;
  // Later loops writing the map add their trip count times their writes (`len(a) + len(b)`).
  const laterLoops: { count: TripCount; writes: number; loop: Node }[] = [];
  for (const [l, writes] of outside.loops) {
    const lc = countOf([l], resolver, rangeOverInt);
    // Unknown, or counting the map itself (`for k := range m { m[k+"/"] = … }`): no bound.
    if (!lc || lc.names.includes(name)) return undefined;
    laterLoops.push({ count: lc, writes, loop: l });
  }
  // Writes in branches of the body add at most their largest branch per iteration (one, under one unchanged key).
  const body = found.loops[found.loops.length - 1].childForFieldName('body')!;
  const perIteration = found.writes.length === 1 ? 1 : Math.min(writesPerRun(body, found.writes), keysPerRun(body, found.writes, syntax));
  const filled = perIteration === 1 ? loopCount : times(loopCount, perIteration);
  const after = outside.once + laterLoops.reduce((k, l) => k + l.writes, 0);
  const count = after === 0 ? filled : plus(filled, outside.once, laterLoops);
  const key = found.insert.childForFieldName('left')?.namedChild(0)?.childForFieldName('index');
  const keyVar = key?.type === 'call_expression' && INT_CONVERSIONS.test(key.childForFieldName('function')?.text ?? '')
    ? key.childForFieldName('arguments')?.namedChild(0)
    : key;
  const distinctKeys = found.loops.length === 1 && keyVar?.type === 'identifier' && count.distinct.includes(keyVar.text);
  const exact = count.exact && distinctKeys && !flow.early && after === 0 && perIteration === 1;
  // The hint is repeated at `make`: each name in it must mean the same there as at the loop.
  const unfixable = hintChange(syntax, loopCount, found.loops, stmt, loop) ?? laterLoops.reduce<string | undefined>((why, l) => why ?? hintChange(syntax, l.count, [l.loop], stmt, l.loop), undefined);
  const copyOf = after === 0 ? copySource(found, count, c, resolver) : undefined;
  const worthAHint = count.constant === undefined || count.constant > SMALL;
  return {
    creation: c, name, insert: found.insert, loops: found.loops, count, perIteration, distinctKeys, early: flow.early, exact, after, otherWrites: outside.sites,
    fixable: unfixable === undefined, ...(unfixable ? { unfixable } : {}), worthAHint, ...(copyOf ? { copyOf } : {}),
  };
}

/** The map variable a creation assigns, and the statement doing it: `m := …`, `var m = …`, `m = …`. */
function targetOf(c: MapCreation, syntax: FunctionSyntax): { name: string; id: Node; stmt: Node } | undefined {
  const list = syntax.parent(c.node);
  if (list?.type !== 'expression_list' || list.namedChildCount !== 1) return undefined;
  const holder = syntax.parent(list);
  if (!holder) return undefined;
  if (holder.type === 'short_var_declaration' || holder.type === 'assignment_statement') {
    if (holder.type === 'assignment_statement' && holder.childForFieldName('operator')?.type !== '=') return undefined;
    if (holder.childForFieldName('right')?.id !== list.id) return undefined;
    const left = holder.childForFieldName('left');
    const id = left?.namedChild(0);
    if (left?.namedChildCount !== 1 || id?.type !== 'identifier') return undefined;
    return { name: id.text, id, stmt: holder };
  }
  if (holder.type === 'var_spec') {
    const names = holder.childrenForFieldName('name').filter((n): n is Node => n !== null);
    const decl = syntax.parent(holder);
    if (names.length !== 1 || decl?.type !== 'var_declaration' || decl.namedChildCount !== 1) return undefined;
    return { name: names[0].text, id: names[0], stmt: decl };
  }
  return undefined;
}

const INT_CONVERSIONS = /^u?int(?:8|16|32|64)?$/;
/** Entries both map implementations hold before their first growth. */
const SMALL = 8;

interface Found {
  insert: Node;
  loops: Node[];
  /** The map's index expressions every element write in the innermost loop's body goes through, the insert's included. */
  writes: Node[];
}

/**
 * Follows the loop (and loops nested directly in it) to the statements that may change the map,
 * which must all be element writes `m[k] = v` reading nothing of the map but their own element
 * (no counting or aggregating), not in a loop or closure of their own, one of them a statement of
 * the body itself: the insert every iteration reaches. Others may sit in branches (`if ok { m[alias] = v }`).
 * `refs` gives the map's references in a node, `changes` whether one is more than a read.
 */
function findFill(loop: Node, name: string, refs: (n: Node) => readonly Node[], changes: (id: Node) => boolean, syntax: FunctionSyntax): Found | undefined {
  const loops: Node[] = [];
  let cur = loop;
  for (;;) {
    loops.push(cur);
    const header = cur.namedChildren.find((n) => n?.type === 'range_clause' || n?.type === 'for_clause');
    if (!header || refs(header).length > 0) return undefined;
    const list = statementList(cur.childForFieldName('body'));
    if (list?.type !== 'statement_list') return undefined;
    const stmts = list.namedChildren.filter((n): n is Node => n !== null && n.type !== 'comment');
    const using = stmts.filter((s) => refs(s).some(changes));
    if (using.length === 1 && using[0].type === 'for_statement') {
      cur = using[0];
      continue;
    }
    const writes: Node[] = [];
    let insert: Node | undefined;
    for (const s of using) {
      for (const id of refs(s)) {
        if (!changes(id)) continue;
        const write = elementWrite(id, name, cur, syntax);
        if (!write || refs(write).length !== 1) return undefined;
        writes.push(write.childForFieldName('left')!.namedChild(0)!);
        if (write.id === s.id) insert ??= s;
      }
    }
    return insert ? { insert, loops, writes } : undefined;
  }
}

/** The statement `m[k] = v` a reference to the map is the operand of, directly in `loop` (no loop or closure between), or undefined. */
function elementWrite(id: Node, name: string, loop: Node, syntax: FunctionSyntax): Node | undefined {
  const index = syntax.parent(id);
  if (index?.type !== 'index_expression' || index.childForFieldName('operand')?.id !== id.id || id.text !== name) return undefined;
  const left = syntax.parent(index);
  const s = left && syntax.parent(left);
  if (s?.type !== 'assignment_statement' || s.childForFieldName('operator')?.type !== '=' || s.childForFieldName('left')?.id !== left!.id) return undefined;
  if (left!.namedChildCount !== 1 || s.childForFieldName('right')?.namedChildCount !== 1) return undefined;
  return syntax.ancestor(s, REPEATING)?.id === loop.id ? s : undefined;
}

/**
 * Whether every iteration reaches the insert, from the control-flow graph's jumps inside the
 * outermost loop: a `continue` before the insert or to an outer loop of the chain, a `break` out of
 * the chain, or any labeled jump makes it unprovable (undefined); a `return` or a call that never
 * returns (an error exit, where the map is usually dropped) makes the count an upper bound.
 */
function loopFlow(fill: Found, graph: FlowGraph): { early: boolean } | undefined {
  const outer = fill.loops[0];
  const inner = fill.loops[fill.loops.length - 1];
  const chain = new Set(fill.loops.map((l) => l.id));
  let early = false;
  for (const j of graph.jumps) {
    if (j.node.startIndex < outer.startIndex || j.node.endIndex > outer.endIndex) continue;
    if (j.labeled) return undefined;
    if (j.kind === 'return' || j.kind === 'no-return') {
      early = true;
      continue;
    }
    if (j.kind === 'fallthrough' || !j.target || !chain.has(j.target.id)) continue;
    if (j.kind === 'break') return undefined; // a search loop: it may stop anywhere, so the count says little
    // A continue skips the insert unless it comes after it in the innermost loop.
    if (j.target.id !== inner.id || j.node.startIndex < fill.insert.startIndex) return undefined;
  }
  return { early };
}

/**
 * The key changes with the loops: it mentions a variable of every loop in the chain, directly or
 * through a local the body computes from one before the insert. A key that does not (`outs[string(b)]`
 * with `b` from a loop-invariant call, `coverage[f(x, y)]` kept in a local) may take a handful of
 * values however many times the loop runs, and the trip count says nothing about the map's size.
 */
function keyFollowsLoops(fill: Found): boolean {
  const key = fill.insert.childForFieldName('left')?.namedChild(0)?.childForFieldName('index');
  if (!key) return false;
  const sets = fill.loops.map((l) => new Set(loopVars(l).filter((v) => v !== '_')));
  for (const loop of fill.loops) {
    const list = statementList(loop.childForFieldName('body'));
    for (const st of list?.namedChildren ?? []) {
      if (!st || st.startIndex >= fill.insert.startIndex) break;
      if (st.type !== 'short_var_declaration' && !(st.type === 'assignment_statement' && st.childForFieldName('operator')?.type === '=')) continue;
      const rhs = st.childForFieldName('right')?.text ?? '';
      const lhs = st.childForFieldName('left')?.namedChildren.filter((n): n is Node => n?.type === 'identifier').map((n) => n.text) ?? [];
      for (const set of sets) if ([...set].some((n) => mentionsWord(rhs, n))) for (const n of lhs) set.add(n);
    }
  }
  return sets.every((set) => [...set].some((n) => mentionsWord(key.text, n)));
}

/**
 * The writes into the map before or after the filling loop (`m["a"] = 1`): `once`, how many
 * entries those that run at most once per `make` (outside every loop and closure the creation is
 * not in) may add, and by loop, how many one iteration of a later loop of the same level adds
 * (`for _, y := range ys { m[y] = true }`); `sites`, how many write statements that is. The count
 * adds them (`len(xs) + len(ys) + 2`). Undefined when a write may run more often than that tells
 * (a nested loop, a closure): then the loops' counts say little about the map's size.
 */
function writesOutside(pass: Pass, fn: Node, syntax: FunctionSyntax, id: Node, c: MapCreation, loop: Node): { once: number; loops: Map<Node, number>; sites: number } | undefined {
  // A local, or a package-level variable assigned here (`m = make(…)`).
  const binding = syntax.bindingAt(id);
  const accesses = pass.resultFor(mapAccesses, fn);
  const home = syntax.ancestor(c.node, REPEATING);
  const onceWrites: Node[] = [];
  const byLoop = new Map<number, { loop: Node; writes: Node[] }>();
  for (const a of binding ? accesses.of(binding) : accesses.ofFree(id.text)) {
    if (!a.write || a.path.length > 0) continue;
    if (a.node.startIndex < c.node.endIndex) continue;
    if (a.node.startIndex >= loop.startIndex && a.node.endIndex <= loop.endIndex) continue;
    // A delete or clear only shrinks the map; an index write adds at most one entry.
    if (a.op !== 'index') continue;
    const around = syntax.ancestor(a.node, REPEATING);
    if (around?.id === home?.id) {
      onceWrites.push(a.node);
      continue;
    }
    if (around?.type !== 'for_statement' || around.startIndex < loop.endIndex || syntax.ancestor(around, REPEATING)?.id !== home?.id) return undefined;
    const l = byLoop.get(around.id) ?? { loop: around, writes: [] };
    byLoop.set(around.id, l);
    l.writes.push(a.node);
  }
  const loops = new Map<Node, number>();
  for (const { loop: l, writes } of byLoop.values()) {
    const body = l.childForFieldName('body')!;
    loops.set(l, Math.min(writesPerRun(body, writes), keysPerRun(body, writes, syntax)));
  }
  const scope = home ? home.childForFieldName('body') : fn.childForFieldName('body');
  const once = onceWrites.length === 0 || !scope ? onceWrites.length : Math.min(writesPerRun(scope, onceWrites), keysPerRun(scope, onceWrites, syntax));
  return { once, loops, sites: onceWrites.length + [...byLoop.values()].reduce((k, l) => k + l.writes.length, 0) };
}

/**
 * At most how many of `writes` (index expressions inside `n`) one run of `n` executes: the writes
 * of exclusive branches (if and else, the cases of a switch or select without `fallthrough`) count
 * as their largest branch, all others add up. Infinity where one may run more than once (a loop or
 * a closure inside `n`).
 */
function writesPerRun(n: Node, writes: readonly Node[]): number {
  const within = writes.filter((w) => w.startIndex >= n.startIndex && w.endIndex <= n.endIndex);
  if (within.length === 0) return 0;
  if (within.some((w) => w.id === n.id)) return within.length;
  const sum = (nodes: readonly (Node | null)[]) => nodes.reduce((k, c) => k + (c ? writesPerRun(c, within) : 0), 0);
  switch (n.type) {
    case 'for_statement':
    case 'func_literal':
      return Infinity;
    case 'if_statement': {
      const head = sum([n.childForFieldName('initializer'), n.childForFieldName('condition')]);
      return head + Math.max(sum([n.childForFieldName('consequence')]), sum([n.childForFieldName('alternative')]));
    }
    case 'expression_switch_statement':
    case 'type_switch_statement':
    case 'select_statement': {
      const kids = n.namedChildren.filter((c): c is Node => c !== null);
      const cases = kids.filter((c) => /case$/.test(c.type));
      if (cases.some((c) => c.descendantsOfType('fallthrough_statement').length > 0)) return sum(kids);
      return sum(kids.filter((c) => !/case$/.test(c.type))) + cases.reduce((m, c) => Math.max(m, sum([c])), 0);
    }
    default:
      return sum(n.namedChildren);
  }
}

/**
 * At most how many distinct keys `writes` (index expressions inside `n`) add in one run of `n`:
 * the number of different keys when each is a literal or a local variable that nothing in `n`
 * changes (`vals[name] = …` in every branch adds one entry), else Infinity.
 */
function keysPerRun(n: Node, writes: readonly Node[], syntax: FunctionSyntax): number {
  const keys = new Set<string>();
  for (const w of writes) {
    const key = w.childForFieldName('index');
    if (!key) return Infinity;
    if (KEY_LITERALS.has(key.type)) {
      keys.add(`"${key.text}`);
      continue;
    }
    const b = key.type === 'identifier' ? syntax.referenceAt(key)?.binding : undefined;
    if (!b) return Infinity;
    // Changed in `n`, or possibly through a pointer (`p := &k`) anywhere.
    const inN = (r: Reference) => r.id.startIndex >= n.startIndex && r.id.endIndex <= n.endIndex;
    if (b.refs.some((r) => r.context === 'address' || (inN(r) && mayChange(r, false, syntax)))) return Infinity;
    keys.add(`@${b.id.startIndex}`);
  }
  return keys.size;
}

const KEY_LITERALS = new Set(['interpreted_string_literal', 'raw_string_literal', 'int_literal', 'rune_literal', 'true', 'false']);

const NO_INSERT = new Set(['append', 'len', 'delete', 'clear']);

/** What may run a statement more than once per run of the statements around it: a loop, or a closure (called any number of times). */
const REPEATING = new Set(['for_statement', 'func_literal']);

/** The count times `k` entries per iteration (`2*len(xs)`). */
function times(count: TripCount, k: number): TripCount {
  const constant = count.constant !== undefined ? count.constant * k : undefined;
  if (constant !== undefined && /^\d+$/.test(count.expr)) return { ...count, expr: String(constant), compound: false, constant };
  return { ...count, expr: `${k}*${count.compound ? `(${count.expr})` : count.expr}`, compound: true, ...(constant !== undefined ? { constant } : {}) };
}

/** The count plus `k` single writes and the later loops' writes (the fill is then an upper bound: those may repeat keys or not run). */
function plus(count: TripCount, k: number, later: readonly { count: TripCount; writes: number }[]): TripCount {
  const terms = [count, ...later.map((l) => l.count)];
  const known = terms.every((t) => t.constant !== undefined);
  const constant = known ? count.constant! + later.reduce((a, l) => a + l.writes * l.count.constant!, 0) + k : undefined;
  if (constant !== undefined && terms.every((t) => /^\d+$/.test(t.expr))) return { ...count, expr: String(constant), compound: false, constant };
  const term = (t: TripCount, n: number) => (n === 1 ? t.expr : `${n}*${t.compound ? `(${t.expr})` : t.expr}`);
  const parts = [count.expr, ...later.map((l) => term(l.count, l.writes)), ...(k > 0 ? [String(k)] : [])];
  return {
    ...count,
    expr: parts.join(' + '),
    compound: true,
    ...(constant !== undefined ? { constant } : {}),
    names: [...new Set([...count.names, ...later.flatMap((l) => l.count.names)])],
  };
}

/**
 * Why the count's expression may not mean at `make` what it means at the loop, or undefined when
 * it does: a name in it is declared after the make or changed between the two (assigned, its
 * address taken, a field or method selected, an element written; for a ranged map, anything but
 * `len` may insert or delete; a closure that assigns it may run at any call), or names a loop's
 * own variable. A mere read (`log(len(xs))`, `if n == 0`) changes nothing. A package-level name
 * the code in between uses may have been changed by it.
 */
function hintChange(syntax: FunctionSyntax, count: TripCount, loops: readonly Node[], stmt: Node, loop: Node): string | undefined {
  if (count.call) return `the count is ${count.over === 'int' ? 'what' : 'the length of what'} \`${count.call}\` returns: keep it in a variable before the make and range over that`;
  const clauses = loops.map((l) => l.namedChildren.find((n) => n?.type === 'range_clause' || n?.type === 'for_clause'));
  const ranged = clauses.flatMap((c) => (c?.type === 'range_clause' && c.childForFieldName('right') ? [c.childForFieldName('right')!.text] : []));
  for (const name of count.names) {
    if (loops.some((l) => loopVars(l).includes(name))) return `\`${name}\` is a variable of the loop`;
    const use = clauses.flatMap((c) => c?.descendantsOfType('identifier') ?? []).find((n) => n?.text === name);
    const binding = use ? syntax.referenceAt(use)?.binding : undefined;
    if (!binding) {
      const between = syntax.freeNamed(name).some((ref) => ref.id.startIndex >= stmt.startIndex && ref.id.startIndex < loop.startIndex);
      if (between) return `\`${name}\` is used between the make and the loop, which may change it`;
      continue;
    }
    if (binding.id.startIndex >= stmt.startIndex) return `\`${name}\` is declared between the make and the loop`;
    const isMap = count.over === 'map' || count.element === name;
    for (const ref of binding.refs) {
      const between = ref.id.startIndex >= stmt.startIndex && ref.id.startIndex < loop.startIndex;
      const inClosure = ref.owner.id !== binding.owner.id && mayChange(ref, isMap, syntax, ranged);
      if (inClosure) return `\`${name}\` is changed in a closure, which may run between the make and the loop`;
      if (between && mayChange(ref, isMap, syntax, ranged)) {
        return ref.context === 'selector' || ref.context === 'read' || ref.context === 'index' ? `\`${name}\` may change between the make and the loop` : `\`${name}\` changes between the make and the loop`;
      }
    }
  }
  return undefined;
}

/**
 * `return m` (or `return m, nil`) on a path that leaves before the loop (`if err != nil { return
 * m, err }`): the function ends there, so nothing it hands the map to runs before or during the fill.
 */
function returnedBefore(r: { id: Node; owner: Node }, c: MapCreation, syntax: FunctionSyntax): boolean {
  const list = syntax.parent(r.id);
  return list?.type === 'expression_list' && syntax.parent(list)?.type === 'return_statement' && r.owner.id === syntax.ownerOf(c.node)?.id;
}

/** The map is an argument of a call (`fill(m)`, `p.save(m, k, v)`), other than a builtin that adds nothing to it. */
function passedToCall(id: Node, syntax: FunctionSyntax): boolean {
  const args = syntax.parent(id);
  const call = args?.type === 'argument_list' ? syntax.parent(args) : null;
  const fn = call?.type === 'call_expression' ? call.childForFieldName('function')?.text : undefined;
  return fn !== undefined && !NO_INSERT.has(fn);
}

function mayChange(ref: Reference, isMap: boolean, syntax: FunctionSyntax, ranged: readonly string[] = []): boolean {
  switch (ref.context) {
    case 'selector': {
      // A field read (`s.items`, `s.a.b`) changes nothing; a method call (`s.mu.Lock()`) may, and
      // so may assigning, incrementing or taking the address of a field.
      let outer = syntax.parent(ref.id)!;
      for (let p = syntax.parent(outer); p?.type === 'selector_expression' && p.childForFieldName('operand')?.id === outer.id; p = syntax.parent(p)) outer = p;
      // The ranged map field, or what holds it, is changed through its elements too (`s.m[k] = v`,
      // `delete(s.m, k)`, passed on); another field (`s.name`) only as a field.
      const holds = (r: string) => r === outer.text || r.startsWith(`${outer.text}.`) || r.startsWith(`${outer.text}[`);
      if (isMap && (ranged.length === 0 || ranged.some(holds))) return !readsMap(outer, syntax);
      const holder = syntax.parent(outer);
      if (holder?.type === 'call_expression') return holder.childForFieldName('function')?.id === outer.id;
      if (holder?.type === 'inc_statement' || holder?.type === 'dec_statement') return true;
      if (holder?.type === 'unary_expression') return holder.childForFieldName('operator')?.type === '&';
      if (holder?.type === 'expression_list') {
        const stmt = syntax.parent(holder);
        return (stmt?.type === 'assignment_statement' || stmt?.type === 'short_var_declaration') && stmt.childForFieldName('left')?.id === holder.id;
      }
      return false;
    }
    case 'read':
    case 'index':
      // An element written (`xs[i] = v`) leaves a slice's length alone; a map's may grow.
      return isMap && !readsMap(ref.id, syntax);
    default:
      return true;
  }
}

/**
 * Whether a map expression is only read where it stands: ranged over, its `len` taken, or an
 * element read (`m[k]` not assigned, incremented or addressed). Anything else (an element written,
 * passed to a call, assigned to another name that may write it) may change its length.
 */
function readsMap(expr: Node, syntax: FunctionSyntax): boolean {
  const holder = syntax.parent(expr);
  if (holder?.type === 'range_clause') return holder.childForFieldName('right')?.id === expr.id;
  if (holder?.type === 'argument_list') {
    const call = syntax.parent(holder);
    return call?.type === 'call_expression' && call.childForFieldName('function')?.text === 'len';
  }
  if (holder?.type === 'index_expression' && holder.childForFieldName('operand')?.id === expr.id) {
    const use = syntax.parent(holder);
    if (use?.type === 'inc_statement' || use?.type === 'dec_statement') return false;
    if (use?.type === 'unary_expression') return use.childForFieldName('operator')?.type !== '&';
    if (use?.type === 'expression_list') {
      const stmt = syntax.parent(use);
      return !(stmt?.type === 'assignment_statement' && stmt.childForFieldName('left')?.id === use.id);
    }
    return true;
  }
  return false;
}

function loopVars(loop: Node): string[] {
  const clause = loop.namedChildren.find((n) => n?.type === 'range_clause' || n?.type === 'for_clause');
  if (clause?.type === 'range_clause') {
    return clause.childForFieldName('left')?.namedChildren.filter((n): n is Node => n?.type === 'identifier').map((n) => n.text) ?? [];
  }
  const init = clause?.childForFieldName('initializer');
  return init?.childForFieldName('left')?.namedChildren.filter((n): n is Node => n?.type === 'identifier').map((n) => n.text) ?? [];
}

/** The product of the loops' trip counts, when each is known and independent of the loops' variables. */
function countOf(loops: readonly Node[], r: Resolver, rangeOverInt: boolean): TripCount | undefined {
  const counts: TripCount[] = [];
  const declared = new Set<string>();
  for (const loop of loops) {
    const c = tripCount(loop, r, rangeOverInt);
    if (!c) return undefined;
    if (c.names.some((n) => declared.has(n))) return undefined; // an inner count depends on an outer loop
    // … or on a variable declared in an outer loop's body (`raw := f(x); for range raw.Items`).
    if (loop !== loops[0] && declaredWithin(loop, loops[0], r)) return undefined;
    if (c.over === 'counted' && !countedLoopStable(loop, c)) return undefined;
    for (const v of c.vars) declared.add(v);
    counts.push(c);
  }
  if (counts.length === 1) return counts[0];
  const constant = counts.every((c) => c.constant !== undefined) ? counts.reduce((a, c) => a * c.constant!, 1) : undefined;
  const expr = constant !== undefined ? String(constant) : counts.map((c) => (c.compound ? `(${c.expr})` : c.expr)).join('*');
  return {
    expr,
    compound: true,
    ...(constant !== undefined ? { constant } : {}),
    names: [...new Set(counts.flatMap((c) => c.names))],
    over: counts[0].over,
    exact: counts.every((c) => c.exact),
    distinct: [],
    vars: [...declared],
    ...(counts.find((c) => c.call) ? { call: counts.find((c) => c.call)!.call } : {}),
    ...(counts.find((c) => c.element) ? { element: counts.find((c) => c.element)!.element } : {}),
  };
}

/** Whether the header of `loop` names a local declared inside `outer` before it: then its count varies per outer iteration. */
function declaredWithin(loop: Node, outer: Node, r: Resolver): boolean {
  const header = loop.namedChildren.find((n) => n?.type === 'range_clause' || n?.type === 'for_clause');
  const stack: Node[] = header ? [header] : [];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (n.type === 'identifier') {
      const d = r.binding(n)?.decl;
      if (d && d.startIndex >= outer.startIndex && d.startIndex < loop.startIndex) return true;
    } else for (const c of n.namedChildren) if (c) stack.push(c);
  }
  return false;
}

/** A counted loop's body changes neither its counter nor its bound. */
function countedLoopStable(loop: Node, c: TripCount): boolean {
  const body = loop.childForFieldName('body')?.text ?? '';
  for (const n of [...c.vars, ...c.names]) {
    // Go identifiers: Unicode letters and digits (words.ts), hence the `u` flag and no `\w`.
    const w = IDENT_CHAR;
    const notAfter = `(?<![\\p{L}\\p{Nd}_.])`;
    const assigned = new RegExp(
      `${notAfter}${n}\\s*(?:[-+*/%&|^]|<<|>>|&\\^)?=(?!=)|${notAfter}${n}\\s*(?:\\+\\+|--)|&\\s*${n}(?!${w})|${notAfter}${n}\\s*,(?:${w}|[\\s,])*:?=(?!=)|,\\s*${n}\\s*(?:,(?:${w}|[\\s,])*)?:?=(?!=)`,
      'u',
    );
    if (assigned.test(body)) return false;
  }
  return true;
}

/**
 * `for k, v := range src { dst[k] = v }` and nothing else in the body, where `src` is declared with
 * the same map type as the creation: then `maps.Copy(dst, src)` says the same. With different key
 * or value types (`map[string]any` from a `map[string]int`) maps.Copy does not compile.
 */
function copySource(fill: Found, count: TripCount, c: MapCreation, r: Resolver): string | undefined {
  if (fill.loops.length !== 1 || count.over !== 'map' || count.vars.length !== 2) return undefined;
  const loop = fill.loops[0];
  const stmts = statementList(loop.childForFieldName('body'))?.namedChildren.filter((n) => n !== null && n.type !== 'comment') ?? [];
  if (stmts.length !== 1) return undefined;
  const left = fill.insert.childForFieldName('left')?.namedChild(0);
  if (left?.childForFieldName('index')?.text !== count.vars[0] || fill.insert.childForFieldName('right')?.text !== count.vars[1]) return undefined;
  const src = loop.namedChildren.find((n) => n?.type === 'range_clause')?.childForFieldName('right');
  if (src?.type !== 'identifier') return undefined;
  const b = r.binding(src);
  const declared = b && (b.decl.type === 'parameter_declaration' || b.decl.type === 'var_spec') ? b.decl.childForFieldName('type') : null;
  const made = b ? madeType(b.decl, b.id) : undefined;
  const srcType = declared?.text ?? made;
  const same = (t: string) => t.replace(/\s+/g, '') === c.mapType.text.replace(/\s+/g, '');
  return srcType !== undefined && same(srcType) ? src.text : undefined;
}

/** The map type written in `x := make(map[K]V…)` or `x := map[K]V{…}` for the name `id` declares. */
function madeType(decl: Node, id: Node): string | undefined {
  if (decl.type !== 'short_var_declaration') return undefined;
  const left = decl.childForFieldName('left')?.namedChildren.filter((n): n is Node => n !== null) ?? [];
  const right = decl.childForFieldName('right')?.namedChildren.filter((n): n is Node => n !== null) ?? [];
  const v = right[left.findIndex((n) => n.id === id.id)];
  if (v?.type === 'composite_literal') return v.childForFieldName('type')?.type === 'map_type' ? v.childForFieldName('type')!.text : undefined;
  if (v?.type === 'call_expression' && v.childForFieldName('function')?.text === 'make') {
    const t = v.childForFieldName('arguments')?.namedChild(0);
    return t?.type === 'map_type' ? t.text : undefined;
  }
  return undefined;
}
