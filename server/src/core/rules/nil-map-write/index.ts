// nil-map-write: a write into a map that is nil on every path to it. Go panics with "assignment to
// entry in nil map". The rule tracks a variable from a declaration that makes it (or a map field in
// it) nil (track.ts), and reports a write only when no event that could make it non-nil (uses.ts)
// can run before it on any path of the control-flow graph, and the write itself can run. A closure
// runs whenever it is called, so an event in one, or a write in one, keeps the rule silent.
// Other shapes start from the write: a map the guard around it says is nil (guarded.ts), one set to
// nil on every path to it (reassigned.ts), the inner map of an empty map of maps (inner.ts), a
// pointer to a nil map (deref.ts). A write a guard says cannot meet a nil map is dead code: silent.
import type { Node } from 'web-tree-sitter';
import type { Pass } from '../../analysis/pass';
import { controlFlow, type FlowGraph, type FlowGraphs } from '../../analyses/control-flow';
import { importNames } from '../../analyses/imports';
import { indexWrites, type IndexWrite } from '../../analyses/index-writes';
import { guardsAround, type Guard } from '../../analyses/nil-conditions';
import { functionSyntax, type Binding, type FunctionSyntax, type Reference } from '../../analyses/syntax';
import type { Finding } from '../../findings';
import type { FieldStep } from '../../index/package-index';
import type { Rule } from '../rule';
import { assignedBefore, derefBase, pointerTarget } from './deref';
import { docs } from './docs';
import { nilGuardOf } from './guarded';
import { innerIndex, mayStoreBefore, startsEmptyOfMaps, storesOf, type Stores } from './inner';
import { assignsNil, mapTypeOf, reassignsOf, type Reassigns } from './map-vars';
import { nilAssignments, reassignedNil, type NilAssignments } from './reassigned';
import { ID, localFinding, packageFinding, plainFinding } from './report';
import { RunsBefore } from './run-before';
import { baseIdentifier, mayHoldCandidates, pathKey, track, type Tracked } from './track';
import { usesOf, type Uses } from './uses';

export const nilMapWrite: Rule = {
  id: ID,
  severity: 'error',
  docs,
  requires: [indexWrites, functionSyntax, controlFlow, importNames],
  // A write to a package-level map depends on how every function of the file assigns it.
  dependsOn: ['package-vars'],
  check,
};

function check(pass: Pass): Finding[] {
  const writes = pass.result(indexWrites).all;
  if (writes.length === 0) return [];
  const findings: Finding[] = [];
  const byFunction = new Map<number, IndexWrite[]>();
  for (const write of writes) {
    const list = byFunction.get(write.fn.id);
    if (list) list.push(write);
    else byFunction.set(write.fn.id, [write]);
  }
  for (const list of byFunction.values()) {
    const fn = list[0].fn;
    if (!pass.inScope(fn)) continue;
    const f = new FunctionCheck(pass, fn, list);
    for (const w of list) {
      const finding = f.check(w.index);
      if (finding) findings.push(finding);
    }
  }
  return findings;
}

/** `nil` as a word: without one, no guard compares with nil and no assignment sets nil. */
const NIL_WORD = /(?<![\p{L}\p{Nd}_])nil(?![\p{L}\p{Nd}_])/u;

/** The writes of one function, checked shape by shape; what the shapes share is worked out once. */
class FunctionCheck {
  private readonly tracked: boolean;
  private readonly mentionsNil: boolean;
  private readonly mentionsMap: boolean;
  private syntaxResult?: FunctionSyntax;
  private trackedBindings?: Map<Binding, Tracked>;
  private readonly uses = new Map<Tracked, Map<string, Uses>>();
  private readonly nils = new Map<Binding, NilAssignments | undefined>();
  private readonly reassigns = new Map<Binding, Reassigns>();
  private readonly nilled = new Map<Binding, boolean>();
  /** Per guard statement (node id) and variable: whether the events in the guard's block run before a write. */
  private readonly guardRuns = new Map<number, Map<Binding, RunsBefore>>();
  private readonly stores = new Map<Binding, Stores & { runs?: RunsBefore }>();
  private readonly pointers = new Map<Binding, (ReturnType<typeof pointerTarget> & { runs?: RunsBefore }) | undefined>();

  constructor(
    private readonly pass: Pass,
    private readonly fn: Node,
    list: readonly IndexWrite[],
  ) {
    const bases = new Set<string>();
    for (const w of list) {
      const base = baseIdentifier(w.index);
      if (base) bases.add(base.id.text);
    }
    // Cheap pre-filters on the text before the scope walk: most functions need none of it.
    this.tracked = bases.size > 0 && mayHoldCandidates(fn, bases, pass.pkg);
    const text = fn.text;
    this.mentionsNil = NIL_WORD.test(text);
    this.mentionsMap = text.includes('map[');
  }

  private get syntax(): FunctionSyntax {
    return (this.syntaxResult ??= this.pass.resultFor(functionSyntax, this.fn));
  }

  private get flows(): FlowGraphs {
    return this.pass.resultFor(controlFlow, this.fn);
  }

  check(index: Node): Finding | undefined {
    const finding = this.find(index);
    // A write no guard lets run with a nil map (`if m != nil`, `for k := range m`) is dead, not a panic.
    if (!finding) return undefined;
    const operand = index.childForFieldName('operand');
    if (operand && guardsAround(index, operand, this.syntax).some((g) => g.fact === 'non-nil')) return undefined;
    return finding;
  }

  private find(index: Node): Finding | undefined {
    const base = baseIdentifier(index);
    if (base) {
      if (!this.tracked && !(this.mentionsNil && base.selectors.length === 0)) return undefined;
      const ref = this.syntax.referenceAt(base.id);
      if (!ref) {
        if (!this.tracked || base.selectors.length > 0 || !this.syntax.freeAt(base.id)) return undefined;
        const v = this.pass.pkg.neverAssignedNilMap(base.id.text);
        return v && this.flows.around(index)?.live(index) !== false ? packageFinding(this.pass, v, index) : undefined;
      }
      const t = this.tracked ? this.trackedOf(ref.binding) : undefined;
      if (t) return this.checkTracked(t, ref, base.selectors, index);
      return base.selectors.length === 0 && this.mentionsNil ? this.checkNilled(ref, index) : undefined;
    }
    const p = derefBase(index);
    if (p) return this.checkDeref(p, index);
    const inner = this.mentionsMap ? innerIndex(index) : undefined;
    return inner ? this.checkInner(inner.outer, inner.id, index) : undefined;
  }

  private trackedOf(b: Binding): Tracked | undefined {
    if (!this.trackedBindings) {
      this.trackedBindings = new Map();
      const nilAt = (id: Node) => this.nilVarAt(id);
      for (const x of this.syntax.bindings) {
        const t = track(x, this.pass.pkg, this.syntax, nilAt);
        if (t) this.trackedBindings.set(x, t);
      }
    }
    return this.trackedBindings.get(b);
  }

  /** Whether `id` reads a `var m map[K]V` (or a named result) nothing may have assigned yet. */
  private nilVarAt(id: Node): boolean {
    const ref = this.syntax.referenceAt(id);
    const b = ref?.binding;
    if (!ref || !b || (b.kind !== 'var' && b.kind !== 'result')) return false;
    const t = track(b, this.pass.pkg, this.syntax);
    if (!t || t.structType) return false;
    const u = usesOf(t, [], this.syntax, this.flows, this.pass.pkg);
    return !reachesWrite(u, ref, b.owner, this.flows.of(b.owner));
  }

  private checkTracked(t: Tracked, writeRef: Reference, selectors: string[], index: Node): Finding | undefined {
    const pass = this.pass;
    let steps: FieldStep[] = [];
    if (t.structType) {
      const resolved = pass.pkg.resolveFields(t.structType, selectors);
      if (!resolved) return undefined;
      steps = resolved;
    } else if (selectors.length > 0) return undefined;
    const key = pathKey(steps);
    if (!t.nilPaths.has(key)) return undefined;

    const flows = this.flows;
    let byPath = this.uses.get(t);
    if (!byPath) this.uses.set(t, (byPath = new Map()));
    let u = byPath.get(key);
    if (!u) byPath.set(key, (u = usesOf(t, steps, this.syntax, flows, pass.pkg)));
    const graph = flows.of(t.binding.owner);
    if (reachesWrite(u, writeRef, t.binding.owner, graph)) return undefined;
    // A write no path reaches (after a return, in dead code) never panics.
    if (writeRef.owner.id === t.binding.owner.id && !graph.live(index)) return undefined;
    const own = writeRef.id.startIndex;
    return localFinding(pass, t, steps, index, u.valueCalls.filter((v) => v.ref !== own), pass.result(importNames));
  }

  /** A map variable the write finds nil because a guard says so or a `m = nil` left it so. */
  private checkNilled(ref: Reference, index: Node): Finding | undefined {
    const b = ref.binding;
    if (!mapTypeOf(b, this.pass.pkg)) return undefined;
    // The flow graph only when a guard or a `= nil` gives a reason to ask it.
    const guards = guardsAround(index, index.childForFieldName('operand')!, this.syntax);
    if (!guards.some((g) => g.fact === 'nil') && !this.setsNil(b)) return undefined;
    const graph = this.flows.of(ref.owner);
    if (!graph.live(index)) return undefined;
    let r = this.reassigns.get(b);
    if (!r) this.reassigns.set(b, (r = reassignsOf(b)));
    const runsBefore = (g: Guard, events: Reference[]) => {
      let runs = this.guardRuns.get(g.stmt.id);
      if (!runs) this.guardRuns.set(g.stmt.id, (runs = new Map()));
      let x = runs.get(b);
      if (!x) runs.set(b, (x = new RunsBefore(graph, events.map((e) => e.id), g.block)));
      return x;
    };
    const guard = nilGuardOf(r, ref, guards, runsBefore);
    if (guard) {
      const cond = guard.stmt.childForFieldName('condition')!;
      return plainFinding(this.pass, b.name, index, [{ node: cond, message: `\`${b.name}\` is nil in the block this condition guards; nothing assigns it before the write` }]);
    }
    if (ref.owner.id !== b.owner.id) return undefined;
    let a = this.nils.get(b);
    if (!this.nils.has(b)) this.nils.set(b, (a = nilAssignments(b, this.syntax, graph)));
    const nil = a && reassignedNil(a, ref, graph);
    return nil && plainFinding(this.pass, b.name, index, [{ node: nil, message: `\`${b.name}\` is set to nil here; nothing assigns it again before the write` }]);
  }

  /** Whether some assignment sets the variable to `nil`. */
  private setsNil(b: Binding): boolean {
    let x = this.nilled.get(b);
    if (x === undefined) this.nilled.set(b, (x = b.refs.some((r) => assignsNil(r, (n) => this.syntax.parent(n)))));
    return x;
  }

  /** `acl[a][b] = v` while `acl` holds no entry. */
  private checkInner(outer: Node, id: Node, index: Node): Finding | undefined {
    const ref = this.syntax.referenceAt(id);
    if (!ref || !startsEmptyOfMaps(ref.binding, this.pass.pkg)) return undefined;
    const b = ref.binding;
    const graph = this.flows.of(ref.owner);
    if (!graph.live(index)) return undefined;
    let stores = this.stores.get(b);
    if (!stores) this.stores.set(b, (stores = { ...storesOf(b, this.syntax) }));
    const s = stores;
    if (mayStoreBefore(b, s, ref, () => (s.runs ??= new RunsBefore(graph, s.refs.map((r) => r.id))))) return undefined;
    const name = outer.text.length <= 40 && !outer.text.includes('\n') ? outer.text : `${id.text}[…]`;
    return plainFinding(this.pass, name, index, [
      { node: b.id, message: `\`${b.name}\` holds no entry yet: nothing stores one before the write, so \`${name}\` reads a nil map` },
    ]);
  }

  /** `(*p)[k] = v` with `p` pointing to a nil map. */
  private checkDeref(p: Node, index: Node): Finding | undefined {
    const ref = this.syntax.referenceAt(p);
    if (!ref) return undefined;
    const graph = this.flows.of(ref.owner);
    if (!graph.live(index)) return undefined;
    const b = ref.binding;
    if (!this.pointers.has(b)) this.pointers.set(b, pointerTarget(b, this.syntax, this.pass.pkg));
    const t = this.pointers.get(b);
    if (!t || assignedBefore(b, t, ref, () => (t.runs ??= new RunsBefore(graph, t.events.map((e) => e.id))))) return undefined;
    const target = t.target;
    const why =
      target.kind === 'new'
        ? { node: target.call, message: `\`${target.call.text}\` points to a nil map` }
        : { node: target.binding.id, message: `\`${p.text}\` points to \`${target.binding.name}\`, declared here without a value; nothing assigns it before the write` };
    return plainFinding(this.pass, `*${p.text}`, index, [why]);
  }
}

/**
 * Whether any event may run before the write: one in a closure, or a write in a closure, always
 * may; otherwise the control-flow graph says whether a path leads from the event to the write.
 * An event in the write's own statement (`m[f(&m)] = 1`) counts when it comes first.
 */
function reachesWrite(u: Uses, w: Reference, declOwner: Node, graph: FlowGraph): boolean {
  const own = w.id.startIndex;
  const events = u.events.filter((e) => e.ref !== own);
  if (events.length === 0) return false;
  if (u.inClosure || w.owner.id !== declOwner.id) return true;
  const writeNode = graph.nodeOf(w.id);
  for (const e of events) {
    if (graph.nodeOf(e.node) === writeNode) {
      if (e.node.startIndex < own) return true;
    } else if (graph.reachesTarget(e.node, w.id) !== false) return true;
  }
  return false;
}
