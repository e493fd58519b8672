// What may run at the same time as a goroutine's accesses: the spawning function's accesses after
// the `go` statement on some path of its control-flow graph, up to anything that could order them
// (a wait, a channel operation, a `select`, a range that may be over a channel), and the accesses of
// goroutines it starts later. Inside a goroutine, accesses count up to the first such barrier.
import type { Node } from 'web-tree-sitter';
import { lowerBound } from '../../analysis/text-matches';
import type { Spawn } from '../../analyses/goroutines';
import type { LockMode } from '../../analyses/locks';
import { declaredType, initialValue, statementList } from '../../analyses/syntax';
import type { PackageIndex } from '../../index/package-index';
import type { Access, CheckContext } from './context';
import { isMapTypeNode } from './shared-maps';

const RANGE = /\brange\b/g;
const LOOP = new Set(['for_statement']);

/**
 * Accesses after the spawn: by the spawning function itself, or by goroutines it starts later.
 * `accessesOf` gives what a reference does: its own access, or those of a method it calls (placed
 * in the callee, with the call as the first of `via`: the call is what is ordered).
 */
export function laterAccesses(
  ctx: CheckContext,
  spawn: Spawn,
  spawner: Node,
  refs: readonly { id: Node; owner: Node }[],
  accessesOf: (r: { id: Node; owner: Node }) => readonly Access[],
): Access[] {
  const inS: Access[] = [];
  const graph = ctx.flows(spawn.fn).of(spawner);
  for (const r of refs) {
    if (r.id.startIndex < spawn.stmt.endIndex) continue;
    if (r.owner.id !== spawner.id) {
      const found = ctx.spawnOfLiteral(r.owner);
      const later = found === spawn ? undefined : found;
      if (!later || later.stmt.startIndex < spawn.stmt.endIndex || ctx.spawner(later)?.id !== spawner.id) continue;
      const body = later.literal!.childForFieldName('body');
      if (!body || graph.reaches(spawn.stmt, later.stmt) !== true) continue;
      if (orderedBetween(ctx, spawn, spawn.stmt.endIndex, later.stmt.startIndex)) continue;
      for (const a of accessesOf(r)) {
        if (a.lock.unsure || ctx.orderedIn(later.literal!, anchorOf(a))) continue;
        inS.push({ ...a, by: later });
      }
      continue;
    }
    for (const a of accessesOf(r)) {
      const at = anchorOf(a);
      if (a.lock.unsure || graph.reaches(spawn.stmt, at) !== true) continue;
      if (orderedBetween(ctx, spawn, spawn.stmt.endIndex, at.startIndex)) continue;
      inS.push(a);
    }
  }
  return inS;
}

/** Where an access happens in the function that makes it: the access, or the call that leads to it. */
export function anchorOf(a: Access): Node {
  return a.via?.[0] ?? a.node;
}

/** The access a container expression makes, as a list (for `laterAccesses`). */
export function directAccess(ctx: CheckContext, expr: Node | null | undefined): Access[] {
  const a = expr ? ctx.access(expr) : undefined;
  return a ? [a] : [];
}

/** The callee's accesses through `exprs`, before anything that might order them; lock names renamed from the receiver to the caller's variable. */
export function calleeAccesses(ctx: CheckContext, callee: Node, exprs: Node[], rename: { from: string; to: string } | undefined): Access[] {
  const body = callee.childForFieldName('body');
  if (!body) return [];
  const out: Access[] = [];
  for (const e of exprs) {
    const a = ctx.access(e);
    if (!a || a.lock.unsure) continue;
    if (ctx.orderedIn(callee, a.node)) continue;
    if (rename) {
      const held = new Map<string, LockMode>();
      for (const [x, m] of a.lock.held) held.set(x.startsWith(rename.from) ? rename.to + x.slice(rename.from.length) : x, m);
      a.lock = { ...a.lock, held };
    }
    out.push(a);
  }
  return out;
}

/**
 * The loop that runs the spawn statement many times: the innermost `for` around it in the spawning
 * function, provided nothing in the loop body outside the goroutine could order the goroutines (a
 * wait, a channel operation, a semaphore) and the body does not end by leaving the loop.
 */
export function spawningLoop(ctx: CheckContext, spawn: Spawn, goroutine: Node): Node | undefined {
  const loop = ctx.syntax(spawn.fn).ancestor(spawn.stmt, LOOP);
  if (!loop) return undefined;
  const body = loop.childForFieldName('body');
  if (!body) return undefined;
  // The body's text outside the goroutine (before and after it).
  for (const [from, to] of [[body.startIndex, goroutine.startIndex], [goroutine.endIndex, body.endIndex]]) {
    if (ctx.barrierBetween(from, to) || ctx.gotoOrLockBetween(from, to)) return undefined;
  }
  let last = ctx.lastStatements.get(body.id);
  if (!ctx.lastStatements.has(body.id)) {
    const stmts = statementList(body)?.namedChildren.filter((n): n is Node => n !== null && n.type !== 'comment') ?? [];
    last = stmts[stmts.length - 1]?.type;
    ctx.lastStatements.set(body.id, last);
  }
  if (!last || /^(break_statement|return_statement)$/.test(last)) return undefined;
  return loop;
}

/** Something between two offsets of the spawning function may order what follows after what precedes. */
function orderedBetween(ctx: CheckContext, spawn: Spawn, from: number, to: number): boolean {
  if (ctx.barrierBetween(from, to)) return true;
  // A `range` that may be over a channel (or is no range clause at all: a comment, a string).
  const fn = spawn.fn;
  let unproven = ctx.unprovenRanges.get(fn.id);
  if (!unproven) {
    unproven = [];
    const syntax = ctx.syntax(fn);
    const ranges = ctx.textMatches(RANGE);
    for (let i = ranges.first(fn.startIndex); i < ranges.starts.length && ranges.starts[i] < fn.endIndex; i++) {
      const at = ranges.starts[i];
      const kw = ctx.pass.unit.tree.rootNode.descendantForIndex(at, at + 5);
      const clause = kw ? syntax.parent(kw) : null;
      const right = clause?.type === 'range_clause' ? clause.childForFieldName('right') : null;
      if (!right || !provenNotChannel(right, ctx)) unproven.push(at);
    }
    ctx.unprovenRanges.set(fn.id, unproven);
  }
  const i = lowerBound(unproven, from);
  return i < unproven.length && unproven[i] + 5 <= to;
}

const BASIC_NOT_CHANNEL = new Set([
  'string', 'int', 'int8', 'int16', 'int32', 'int64', 'uint', 'uint8', 'uint16', 'uint32', 'uint64', 'uintptr', 'byte', 'rune',
]);

/** A ranged expression that is certainly no channel (and no iterator function): a literal, `len(…)`, or a variable declared as a slice, array, map, string or integer. */
function provenNotChannel(expr: Node, ctx: CheckContext): boolean {
  switch (expr.type) {
    case 'int_literal':
    case 'interpreted_string_literal':
    case 'raw_string_literal':
    case 'composite_literal':
      return true;
    case 'call_expression':
      return expr.childForFieldName('function')?.text === 'len';
    case 'identifier': {
      const fn = ctx.pass.functionAt(expr.startIndex);
      const b = fn ? ctx.syntax(fn).bindingAt(expr) : undefined;
      if (!b) return false;
      const t = declaredType(b);
      if (t) return typeNotChannel(t, ctx.pass.pkg);
      const v = initialValue(b);
      if (!v) return false;
      if (v.type === 'composite_literal' || v.type === 'int_literal') return true;
      if (v.type !== 'call_expression' || v.childForFieldName('function')?.text !== 'make') return false;
      const made = v.childForFieldName('arguments')?.namedChild(0);
      return made?.type === 'slice_type' || made?.type === 'map_type';
    }
    default:
      return false;
  }
}

/** A type, as written, that is a slice, array, pointer to array, map, string or integer: by its syntax, or through a named type of the package. */
function typeNotChannel(t: Node, pkg: PackageIndex): boolean {
  switch (t.type) {
    case 'slice_type':
    case 'array_type':
    case 'map_type':
      return true;
    case 'pointer_type':
      return t.namedChild(0)?.type === 'array_type';
    case 'type_identifier': {
      if (BASIC_NOT_CHANNEL.has(t.text)) return true;
      const named = pkg.types.get(t.text);
      if (!named || named.generic) return false;
      if (named.kind === 'map') return true;
      const under = named.typeText.trim();
      return /^\[/.test(under) || BASIC_NOT_CHANNEL.has(under);
    }
    default:
      return isMapTypeNode(t, pkg);
  }
}
