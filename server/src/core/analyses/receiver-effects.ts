// What a method does to the containers its receiver reaches, directly and through the methods of
// the same type it calls on that receiver (`c.reset()` inside `c.flush()`), as far as this file
// declares them. A goroutine that calls `t.flush()` makes those accesses, with the locks `flush`
// holds at each plus the locks held at the call: the concurrency rule reads them as the goroutine's.
// Only accesses of the method's own body count (not of closures inside it, which run at another
// time), and a method whose receiver is reassigned or address-taken says nothing.
import type { Node } from 'web-tree-sitter';
import type { FileAnalysis, FunctionAnalysis } from '../analysis/analysis';
import type { Pass } from '../analysis/pass';
import { TextMatches } from '../analysis/text-matches';
import { namedTypeOf } from '../index/types';
import { BARRIER } from './barriers';
import { locks, type LockMode, type LockState } from './locks';
import { mapAccesses, type MapAccess } from './map-accesses';
import { functionSyntax } from './syntax';

/** A lock name as seen from the receiver: `.mu` for `r.mu`, unchanged for anything else. */
export const RECV = '\u0000';

export interface FieldEffect {
  /** The selectors after the receiver (`['m']` for `r.m[k]`). */
  path: readonly string[];
  access: MapAccess;
  /** Locks held there, those through the receiver named `\0.mu`. */
  lock: LockState;
  /** The chain of receiver calls that leads to it from the method asked about, outermost first. */
  via: readonly Node[];
}

export interface DirectEffects {
  recv: string;
  fields: { path: readonly string[]; access: MapAccess; lock: LockState }[];
  /** Calls `r.m(…)` on the receiver, with the locks held at the call (whether `m` is a method of the type is the reader's question). */
  calls: { method: string; call: Node; lock: LockState }[];
}

/** The file's methods by receiver type name and method name (non-generic receivers only). */
export const methodTable: FileAnalysis<ReadonlyMap<string, ReadonlyMap<string, Node>>> = {
  id: 'method-table',
  kind: 'file',
  requires: [],
  run(pass) {
    const out = new Map<string, Map<string, Node>>();
    for (const f of pass.methods) {
      const type = receiverTypeName(f);
      const name = f.childForFieldName('name')?.text;
      if (!type || !name) continue;
      let byName = out.get(type);
      if (!byName) out.set(type, (byName = new Map()));
      if (!byName.has(name)) byName.set(name, f);
    }
    return out;
  },
};

/** `T` of `func (r T)` or `func (r *T)`; undefined for generic receivers. */
export function receiverTypeName(method: Node): string | undefined {
  const param = method.childForFieldName('receiver')?.namedChildren.find((c) => c?.type === 'parameter_declaration');
  let t = param?.childForFieldName('type') ?? null;
  if (t?.type === 'pointer_type') t = t.namedChild(0);
  return t?.type === 'type_identifier' ? namedTypeOf(t) : undefined;
}

/** A method's receiver: its type's name (undefined for generic receivers) and whether it is a pointer. */
export const receiverOf: FunctionAnalysis<{ type?: string; pointer: boolean }> = {
  id: 'receiver-of',
  kind: 'function',
  // Read for every method of the file on every keystroke (guarded-fields.ts): from the text, once.
  carried: true,
  requires: [],
  run(_pass, fn) {
    const type = fn.type === 'method_declaration' ? receiverTypeName(fn) : undefined;
    const param = fn.childForFieldName('receiver')?.namedChildren.find((c) => c?.type === 'parameter_declaration');
    return { ...(type !== undefined ? { type } : {}), pointer: param?.childForFieldName('type')?.type === 'pointer_type' };
  },
};

const directEffects: FunctionAnalysis<DirectEffects | undefined> = {
  id: 'receiver-direct-effects',
  kind: 'function',
  requires: [functionSyntax, mapAccesses, locks],
  // effectsOf composes the results of the methods a method calls.
  dependsOn: ['callees'],
  run(pass, fn) {
    return fn.type === 'method_declaration' ? ownEffects(pass, fn) : undefined;
  },
};

/** The accesses a method makes through its receiver, and its calls `r.name(…)` (of a method of the type or not: readers look the names up). */
function ownEffects(pass: Pass, fn: Node): DirectEffects | undefined {
  const syntax = pass.resultFor(functionSyntax, fn);
  const recv = syntax.bindings.find((b) => b.kind === 'receiver');
  if (!recv || recv.refs.some((r) => r.context === 'assign' || r.context === 'address')) return undefined;
  const lockSets = pass.resultFor(locks, fn);
  const rename = (s: LockState): LockState => {
    const held = new Map<string, LockMode>();
    for (const [x, m] of s.held) held.set(x === recv.name || x.startsWith(`${recv.name}.`) ? RECV + x.slice(recv.name.length) : x, m);
    return { held, unsure: s.unsure };
  };
  const fields: DirectEffects['fields'] = [];
  for (const a of pass.resultFor(mapAccesses, fn).of(recv)) {
    if (a.owner.id !== fn.id || a.path.length === 0) continue;
    fields.push({ path: a.path, access: a, lock: rename(lockSets.at(a.node)) });
  }
  const calls: DirectEffects['calls'] = [];
  for (const r of recv.refs) {
    if (r.context !== 'selector' || r.owner.id !== fn.id) continue;
    const sel = syntax.parent(r.id);
    const call = sel ? syntax.parent(sel) : null;
    const method = sel?.childForFieldName('field')?.text;
    if (!method || call?.type !== 'call_expression' || call.childForFieldName('function')?.id !== sel!.id) continue;
    calls.push({ method, call, lock: rename(lockSets.at(call)) });
  }
  return { recv: recv.name, fields, calls };
}

/**
 * A method's own effects as plain data, for the facts gathered from every method of a type
 * (guarded-fields.ts): worked out from the method's text alone, so the editor keeps them across
 * keystrokes (analysis/carry.ts). Places are byte offsets from the method's start; every call on
 * the receiver is listed by name, a method of the type or not (the reader looks names up).
 */
export interface CarriedEffects {
  recv: string;
  /** `ordered`: some barrier (barriers.ts) lies between the start of the body and the access or call. */
  fields: { path: readonly string[]; write: boolean; start: number; end: number; lock: LockState; ordered: boolean }[];
  calls: { method: string; lock: LockState; ordered: boolean }[];
}

export const carriedEffects: FunctionAnalysis<CarriedEffects | undefined> = {
  id: 'receiver-carried-effects',
  kind: 'function',
  carried: true,
  requires: [directEffects],
  run(pass, fn) {
    const d = pass.resultFor(directEffects, fn);
    if (!d) return undefined;
    const lines = pass.unit.lines;
    const base = lines.byteOffset(fn.startIndex);
    // The barriers of this method's own text, as the concurrency rule finds them in the file's.
    const barriers = new TextMatches(pass.unit.text.slice(fn.startIndex, fn.endIndex), BARRIER);
    const body = fn.childForFieldName('body');
    const ordered = (node: Node) => !body || barriers.within(body.startIndex - fn.startIndex, node.startIndex - fn.startIndex);
    return {
      recv: d.recv,
      fields: d.fields.map((f) => ({
        path: f.path,
        write: f.access.write,
        start: lines.byteOffset(f.access.node.startIndex) - base,
        end: lines.byteOffset(f.access.node.endIndex) - base,
        lock: f.lock,
        ordered: ordered(f.access.node),
      })),
      calls: d.calls.map((c) => ({ method: c.method, lock: c.lock, ordered: ordered(c.call) })),
    };
  },
};

/** A method's own accesses through its receiver and its calls on it; undefined when the receiver cannot be followed. */
export function directEffectsOf(pass: Pass, method: Node): DirectEffects | undefined {
  return pass.resultFor(directEffects, method);
}

/** The analyses `effectsOf` reads: a consumer declares them in its `requires`. */
export const receiverEffects = [directEffects, methodTable] as const;

/** How many method calls deep `effectsOf` follows. */
export const CALL_DEPTH = 3;

/**
 * The accesses `method` makes through its receiver, its own and those of the receiver methods it
 * calls (to CALL_DEPTH), with lock names written for a receiver called `as` (`as.mu`). Undefined
 * when the method's receiver cannot be followed. `ordered(fn, node)` says that something in `fn`
 * before `node` may order it (a wait, a channel operation): such accesses and calls are dropped,
 * as are those where the locks held are unsure.
 */
export function effectsOf(pass: Pass, method: Node, as: string, ordered: (fn: Node, node: Node) => boolean): FieldEffect[] | undefined {
  const top = pass.resultFor(directEffects, method);
  if (!top) return undefined;
  const out: FieldEffect[] = [];
  const methods = pass.result(methodTable).get(receiverTypeName(method) ?? '');
  const visit = (fn: Node, d: DirectEffects, outer: LockState, via: readonly Node[], depth: number, seen: ReadonlySet<number>) => {
    for (const f of d.fields) {
      if (f.lock.unsure || ordered(fn, f.access.node)) continue;
      out.push({ path: f.path, access: f.access, lock: named(mergeLocks(outer, f.lock), as), via });
    }
    if (depth >= CALL_DEPTH) return;
    for (const c of d.calls) {
      const callee = methods?.get(c.method);
      if (!callee || seen.has(callee.id) || c.lock.unsure || ordered(fn, c.call)) continue;
      const inner = pass.resultFor(directEffects, callee);
      if (inner) visit(callee, inner, mergeLocks(outer, c.lock), [...via, c.call], depth + 1, new Set([...seen, callee.id]));
    }
  };
  visit(method, top, { held: new Map(), unsure: false }, [], 0, new Set([method.id]));
  return out;
}

/** The locks of an outer state (held at a call) and an inner one (held inside the callee) together. */
export function mergeLocks(a: LockState, b: LockState): LockState {
  if (a.held.size === 0) return a.unsure ? { held: b.held, unsure: true } : b;
  const held = new Map(a.held);
  for (const [x, m] of b.held) if (held.get(x) !== 'write') held.set(x, m);
  return { held, unsure: a.unsure || b.unsure };
}

function named(s: LockState, as: string): LockState {
  if (![...s.held.keys()].some((x) => x.startsWith(RECV))) return s;
  const held = new Map<string, LockMode>();
  for (const [x, m] of s.held) held.set(x.startsWith(RECV) ? as + x.slice(RECV.length) : x, m);
  return { held, unsure: s.unsure };
}
