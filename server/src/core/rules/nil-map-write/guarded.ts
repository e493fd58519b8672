// A write under a guard that says the map is nil: `if m == nil { m[k] = v }`, the `else` of
// `if m != nil`, `if m == nil && …`. The guard holds where its block starts; the write panics when
// nothing in the block can assign the variable before it. A path that leaves the block comes back
// only through the guard, which holds again; anything else can only run in between through a
// pointer or a closure, so a variable whose address is taken, or that another function body
// assigns, keeps the rule silent. Parameters count: the guard is what makes them nil.
import type { Guard } from '../../analyses/nil-conditions';
import type { Reference } from '../../analyses/syntax';
import { refsWithin, type Reassigns } from './map-vars';
import type { RunsBefore } from './run-before';

/**
 * The guard that makes the write panic, or undefined. `guards` are the write's, innermost first;
 * `runsBefore` gives, for a guard, whether the given events in its block may run before a write.
 */
export function nilGuardOf(r: Reassigns, write: Reference, guards: readonly Guard[], runsBefore: (guard: Guard, events: Reference[]) => RunsBefore): Guard | undefined {
  const guard = guards.find((g) => g.fact === 'nil');
  if (!guard || guards.some((g) => g.fact === 'non-nil')) return undefined;
  if (r.addressTaken) return undefined;
  for (const o of r.owners) if (o !== write.owner.id) return undefined;
  const events = refsWithin(r.refs, guard.block);
  if (events.length === 0) return guard;
  return runsBefore(guard, events).before(write.id) ? undefined : guard;
}
