// Lock discipline facts, RacerD-style: for each struct type of this file with a mutex field
// (`mu sync.Mutex`, an embedded `sync.RWMutex`…) and methods on a pointer receiver, one of which
// the pass checks, every access those methods make to each of its map fields, with the locks held
// there. The locks count from the method's entry too: a method named `…Locked` documents that its
// caller holds the type's mutex, and an unexported method whose every mention in the file is a
// call on the receiver from another method of the type holds what all those calls hold. A method
// whose entry state cannot be known that way (an unexported method named elsewhere, a `…Locked`
// method of a type with several mutexes) gives `entry: undefined`: its accesses are neither
// evidence nor suspects.
import type { Node } from 'web-tree-sitter';
import type { FileAnalysis, FunctionAnalysis } from '../analysis/analysis';
import type { Pass } from '../analysis/pass';
import { topLevel } from '../index/summary';
import type { ByteRange } from '../findings';
import { type LockMode, type LockState } from './locks';
import type { MapAccess } from './map-accesses';
import { carriedEffects, directEffectsOf, receiverEffects, receiverOf, RECV } from './receiver-effects';

export interface FieldUse {
  method: Node;
  /** The receiver's name in that method. */
  recv: string;
  /** Where the access is (what a finding there points at), in the file's bytes. */
  range: ByteRange;
  write: boolean;
  /** The access itself, in the methods the pass checks (in scope); the others' facts come from their text (carriedEffects). */
  access?: MapAccess;
  /** Locks held at the access, the method's entry locks included; the receiver's written `\0` (`\0.mu`). */
  lock: LockState;
}

export interface GuardedType {
  name: string;
  /** The type's mutexes as lock names: `\0.mu` for a field `mu`, `\0` for an embedded mutex. */
  mutexes: readonly string[];
  /** Map field (canonical path) → its uses in the type's pointer-receiver methods with a known entry state. */
  fields: ReadonlyMap<string, readonly FieldUse[]>;
}

const MUTEX = /^\*?sync\.(?:RW)?Mutex$/;
/**
 * A method whose entry locks come from its type's own calls alone, not from every mention: others
 * may call it from anywhere. (Non-ASCII capitals count as unexported: their mentions are read.)
 */
export const EXPORTED_METHOD = /^[A-Z]/;
const LOCKED_NAME = /[a-z0-9_]Locked$|^locked/;

/**
 * How often each name follows a `.` right away in a top-level declaration or comment (`x.flush`):
 * the matches of SELECTED. Carried: a keystroke counts the one it changed, not the whole file again.
 */
export const selectorCounts: FunctionAnalysis<ReadonlyMap<string, number>> = {
  id: 'selector-counts',
  kind: 'function',
  carried: true,
  requires: [],
  run: (pass, fn) => countSelectors(pass.unit.text.slice(fn.startIndex, fn.endIndex)),
};

export const guardedFields: FileAnalysis<readonly GuardedType[]> = {
  id: 'guarded-fields',
  kind: 'file',
  requires: [...receiverEffects, carriedEffects, receiverOf, selectorCounts],
  // Every method of a type reads the others: which accesses hold the lock is the type's evidence.
  dependsOn: ['receiver-methods'],
  run(pass) {
    const out: GuardedType[] = [];
    let counts: ReadonlyMap<string, number>[] | undefined;
    const mentions = (name: string) => {
      counts ??= fileSelectorCounts(pass);
      let n = 0;
      for (const c of counts) n += c.get(name) ?? 0;
      return n;
    };
    const byType = new Map<string, Node[]>();
    for (const f of pass.methods) {
      const { type: t, pointer } = pass.resultFor(receiverOf, f);
      if (t && pointer) byType.set(t, [...(byType.get(t) ?? []), f]);
    }
    for (const [name, methods] of byType) {
      // A type's uses are judged in the methods the pass checks only (rules/…/discipline.ts): the
      // editor's pass, which checks the few functions an edit touched, skips the other types.
      if (!methods.some((m) => pass.inScope(m))) continue;
      const info = pass.pkg.struct(name);
      if (!info || info.generic || !pass.pkg.hasMapFields(name)) continue;
      const mutexes = info.fields.filter((f) => MUTEX.test(f.typeText.replace(/\s+/g, ''))).map((f) => (f.embedded ? RECV : `${RECV}.${f.name}`));
      if (mutexes.length === 0) continue;
      // Every method is evidence for the others, so all of them are read; only those the pass
      // checks need their accesses' nodes, the others' plain facts may come from an earlier parse.
      const effects = new Map(methods.map((m) => [m, pass.resultFor(carriedEffects, m)] as const));
      // Calls on the receiver from methods of the type, by callee name, with their caller.
      const calls = new Map<string, { lock: LockState; caller: Node }[]>();
      for (const [m, e] of effects) for (const c of e?.calls ?? []) calls.set(c.method, [...(calls.get(c.method) ?? []), { lock: c.lock, caller: m }]);
      const entries = new Map<number, Map<string, LockMode> | undefined | null>();
      const entryOf = (m: Node): Map<string, LockMode> | undefined => {
        const known = entries.get(m.id);
        if (known === null) return undefined; // a cycle of unexported methods: unknown
        if (entries.has(m.id)) return known;
        entries.set(m.id, null);
        const v = entryLocks(m, mutexes, calls, mentions, entryOf);
        entries.set(m.id, v);
        return v;
      };
      const fields = new Map<string, FieldUse[]>();
      for (const [m, e] of effects) {
        if (!e) continue;
        const entry = entryOf(m);
        if (!entry) continue;
        // The same accesses in the same order as the plain facts, with their nodes.
        const accesses = pass.inScope(m) ? directEffectsOf(pass, m)?.fields : undefined;
        const base = pass.unit.lines.byteOffset(m.startIndex);
        e.fields.forEach((f, i) => {
          if (f.lock.unsure) return;
          const steps = pass.pkg.resolveFields(name, f.path);
          if (!steps || steps.length === 0 || !pass.pkg.isMapField(steps[steps.length - 1].field)) return;
          const key = steps.map((s) => s.field.name).join('.');
          const held = new Map<string, LockMode>(entry);
          for (const [x, mode] of f.lock.held) if (held.get(x) !== 'write') held.set(x, mode);
          const access = accesses?.[i].access;
          const use: FieldUse = { method: m, recv: e.recv, range: { start: base + f.start, end: base + f.end }, write: f.write, ...(access ? { access } : {}), lock: { held, unsure: false } };
          fields.set(key, [...(fields.get(key) ?? []), use]);
        });
      }
      if (fields.size > 0) out.push({ name, mutexes, fields });
    }
    return out;
  },
};

/** How often each name follows a `.` right away in the text. */
export function countSelectors(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const m of text.matchAll(SELECTED)) out.set(m[1], (out.get(m[1]) ?? 0) + 1);
  return out;
}

/**
 * The selector counts of every top-level declaration and comment of the file: a match cannot span
 * two of them (a name is one token), so together they count the whole file's. Each is carried,
 * comments too: a big file's doc comments hold many `x.name`s.
 */
export function fileSelectorCounts(pass: Pass): ReadonlyMap<string, number>[] {
  return topLevel(pass.unit).map((d) => pass.resultFor(selectorCounts, d.node));
}

/** A name right after a `.`: what counts as a mention of an unexported method. */
export const SELECTED = /\.([\p{L}_][\p{L}\p{Nd}_]*)/gu;

/** The locks a method holds on entry, or undefined when its callers cannot all be seen. */
function entryLocks(
  method: Node,
  mutexes: readonly string[],
  calls: ReadonlyMap<string, { lock: LockState; caller: Node }[]>,
  mentions: (name: string) => number,
  entryOf: (m: Node) => Map<string, LockMode> | undefined,
): Map<string, LockMode> | undefined {
  const name = method.childForFieldName('name')?.text ?? '';
  if (LOCKED_NAME.test(name)) return mutexes.length === 1 ? new Map([[mutexes[0], 'write']]) : undefined;
  const seen = calls.get(name) ?? [];
  // An exported method runs with no lock held, unless this file calls it with one: then which is meant is unclear.
  if (EXPORTED_METHOD.test(name)) return seen.some((s) => s.lock.unsure || mutexes.some((x) => s.lock.held.has(x))) ? undefined : new Map();
  // An unexported method: every mention must be one of the receiver calls seen.
  if (seen.length === 0 || mentions(name) !== seen.length || seen.some((s) => s.lock.unsure)) return undefined;
  const states: Map<string, LockMode>[] = [];
  for (const s of seen) {
    const outer = entryOf(s.caller);
    if (!outer) return undefined;
    const held = new Map(outer);
    for (const [x, m] of s.lock.held) if (held.get(x) !== 'write') held.set(x, m);
    states.push(held);
  }
  const held = new Map<string, LockMode>();
  for (const x of mutexes) {
    const modes = states.map((s) => s.get(x));
    if (modes.every((m) => m !== undefined)) held.set(x, modes.every((m) => m === 'write') ? 'write' : 'read');
  }
  return held;
}
