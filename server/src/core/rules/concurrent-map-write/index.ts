// concurrent-map-write: a map written by one goroutine while another that may run at the same time
// writes or reads it. Go maps are not safe for concurrent use: the race detector reports it, and
// without `-race` the runtime may stop the program with "fatal error: concurrent map writes".
//
// The rule proves two shapes, both from one function's syntax and control flow:
//  - a goroutine started in a loop (`go func(){…}()`, `g.Go(func…)`, `wg.Go(func…)`) writes a map
//    declared outside the loop: every iteration's goroutine writes the same map;
//  - a goroutine writes (or reads) a captured map while the spawning function reads (or writes) it
//    after the `go` statement and before anything that could order the two (a `Wait`, a channel
//    operation, a `select`, an unknown range).
// A `Lock` of the same mutex held on both sides makes a pair safe; `RLock` does not exclude a
// writer. Anything the rule cannot interpret (a lock held on some paths only, a helper called
// `lock`, a channel operation before the access, a map that is reassigned or address-taken)
// silences it.
import { controlFlow } from '../../analyses/control-flow';
import { goroutines } from '../../analyses/goroutines';
import { paramRuns } from '../../analyses/param-runs';
import { locks } from '../../analyses/locks';
import { mapAccesses } from '../../analyses/map-accesses';
import { guardedFields } from '../../analyses/guarded-fields';
import { receiverEffects } from '../../analyses/receiver-effects';
import { functionSyntax } from '../../analyses/syntax';
import type { Rule } from '../rule';
import { CheckContext } from './context';
import { docs } from './docs';
import { checkHandlers } from './contract';
import { checkDiscipline } from './discipline';
import { checkLiteralFields } from './fields';
import { checkServices } from './grpc';
import { ID } from './judge';
import { checkCallSpawn, checkLiteralSpawn } from './spawns';

/** A file without one of these starts no goroutine the rule understands, but through a helper of another file of the package. */
const QUICK = /\bgo\b[ \t]*[\w(]|\.Go\(/;
/** A file without one of these locks no mutex: no type in it shows a lock discipline. */
const LOCKING = /\.R?Lock\(\)/;
/** A file without one of these declares no HTTP handler. */
const SERVING = /\bServeHTTP\b|\bHandle(?:r)?Func\(/;
/** A file without this declares no gRPC service method (a stream's type ends in `Server`). */
const RPC = /\bcontext\.Context\b|Server\b/;

export const concurrentMapWrite: Rule = {
  id: ID,
  severity: 'warning',
  docs,
  requires: [goroutines, paramRuns, functionSyntax, controlFlow, mapAccesses, locks, ...receiverEffects, guardedFields],
  // A package-level map is shared when no function of the file reassigns it; a type registered
  // as a gRPC service anywhere in the package has concurrent methods.
  dependsOn: ['package-vars', 'registrations'],
  check(pass) {
    const spawning = QUICK.test(pass.unit.text) || pass.result(paramRuns).callsRunnerElsewhere();
    const locking = LOCKING.test(pass.unit.text);
    const serving = SERVING.test(pass.unit.text);
    const rpc = RPC.test(pass.unit.text);
    if (!spawning && !locking && !serving && !rpc) return [];
    // Spawns are judged with the other spawns of their own function only, so the scope keeps or drops them together.
    const spawns = spawning ? pass.result(goroutines).filter((s) => pass.inScope(s.fn)) : [];
    const ctx = new CheckContext(pass, spawns);
    for (const spawn of spawns) {
      if (spawn.literal) {
        checkLiteralSpawn(ctx, spawn, spawn.literal);
        checkLiteralFields(ctx, spawn, spawn.literal);
      } else checkCallSpawn(ctx, spawn);
    }
    if (locking) checkDiscipline(ctx);
    if (serving) checkHandlers(ctx);
    if (rpc) checkServices(ctx);
    return [...ctx.out.values()].map((p) => ({ ...p.finding, related: [...p.related.values()].sort((a, b) => a.range.start - b.range.start) }));
  },
};
