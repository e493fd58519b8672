// nil-map-write: a write into a map that is nil on every path to it. Go panics with "assignment to
// entry in nil map". The rule tracks a variable from a declaration that makes it (or a map field in
// it) nil (track.ts), and reports a write only when no event that could make it non-nil (uses.ts)
// can run before it on any path of the control-flow graph, and the write itself can run. A closure
// runs whenever it is called, so an event in one, or a write in one, keeps the rule silent.
import type { Node } from 'web-tree-sitter';
import type { Pass } from '../../analysis/pass';
import { controlFlow, type FlowGraph } from '../../analyses/control-flow';
import { importNames } from '../../analyses/imports';
import { indexWrites, type IndexWrite } from '../../analyses/index-writes';
import { functionSyntax, type Binding, type Reference } from '../../analyses/syntax';
import type { Finding } from '../../findings';
import type { FieldStep } from '../../index/package-index';
import type { Rule } from '../rule';
import { docs } from './docs';
import { ID, localFinding, packageFinding } from './report';
import { baseIdentifier, mayHoldCandidates, pathKey, track, type Base, type Tracked } from './track';
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
  const byFunction = new Map<number, { write: IndexWrite; base: Base }[]>();
  for (const write of writes) {
    const base = baseIdentifier(write.index);
    if (!base) continue;
    const list = byFunction.get(write.fn.id);
    if (list) list.push({ write, base });
    else byFunction.set(write.fn.id, [{ write, base }]);
  }
  for (const list of byFunction.values()) {
    const fn = list[0].write.fn;
    if (!pass.inScope(fn)) continue;
    if (!mayHoldCandidates(fn, new Set(list.map((w) => w.base.id.text)), pass.pkg)) continue;
    const syntax = pass.resultFor(functionSyntax, fn);
    const tracked = new Map<Binding, Tracked>();
    for (const b of syntax.bindings) {
      const t = track(b, pass.pkg, syntax);
      if (t) tracked.set(b, t);
    }
    const uses = new Map<Tracked, Map<string, Uses>>();
    for (const { write: w, base } of list) {
      const ref = syntax.referenceAt(base.id);
      if (ref) {
        const t = tracked.get(ref.binding);
        if (t) {
          const f = checkLocalWrite(pass, fn, t, ref, base.selectors, w.index, uses);
          if (f) findings.push(f);
        }
        continue;
      }
      if (base.selectors.length > 0 || !syntax.freeAt(base.id)) continue;
      const v = pass.pkg.neverAssignedNilMap(base.id.text);
      if (v && pass.resultFor(controlFlow, fn).around(w.index)?.live(w.index) !== false) findings.push(packageFinding(pass, v, w.index));
    }
  }
  return findings;
}

function checkLocalWrite(pass: Pass, fn: Node, t: Tracked, writeRef: Reference, selectors: string[], index: Node, cache: Map<Tracked, Map<string, Uses>>): Finding | undefined {
  let steps: FieldStep[] = [];
  if (t.structType) {
    const resolved = pass.pkg.resolveFields(t.structType, selectors);
    if (!resolved) return undefined;
    steps = resolved;
  } else if (selectors.length > 0) return undefined;
  const key = pathKey(steps);
  if (!t.nilPaths.has(key)) return undefined;

  const flows = pass.resultFor(controlFlow, fn);
  let byPath = cache.get(t);
  if (!byPath) cache.set(t, (byPath = new Map()));
  let u = byPath.get(key);
  if (!u) byPath.set(key, (u = usesOf(t, steps, pass.resultFor(functionSyntax, fn), flows, pass.pkg)));
  const graph = flows.of(t.binding.owner);
  if (reachesWrite(u, writeRef, t.binding.owner, graph)) return undefined;
  // A write no path reaches (after a return, in dead code) never panics.
  if (writeRef.owner.id === t.binding.owner.id && !graph.live(index)) return undefined;
  const own = writeRef.id.startIndex;
  return localFinding(pass, t, steps, index, u.valueCalls.filter((v) => v.ref !== own), pass.result(importNames));
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
