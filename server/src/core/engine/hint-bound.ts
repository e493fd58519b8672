// What `make(map[K]V, hint)` does with a hint before any insert, in closed form: whether the
// runtime honours the hint at all, and the bytes it allocates up front. The simulators allocate
// state in proportion to the table a hint asks for (the classic one 4 bytes per bucket, the swiss
// one a hash histogram sized by the expected depth), so predict() checks a hint here first and
// refuses one it cannot simulate instead of running out of memory on `make(map[int]int, 1<<35)`.

import { classicBForHint, classicBucketArray } from './classic';
import type { GoTarget } from './go-version';
import type { MapShape } from './map-shape';
import { MAP_HEADER_BYTES, swissBytes, swissHintPlan } from './swiss-common';

/**
 * The largest honoured hint the engine simulates: 2^27 entries. Measured here, a classic map made
 * with this hint costs the simulator 128 MiB (2^25 buckets) and 0.2 s, and the swiss one 0.1 s; at
 * 2^28 the classic simulator needs 256 MiB, and each doubling doubles it. A real process making
 * such a map allocates 4.8 GB (swiss) to 5.1 GB (classic) for `map[int]int` at once, more than
 * most machines that run an editor have to spare: past this a prediction is no longer a plan for a
 * program that runs.
 */
export const MAX_HINT = 2 ** 27;

/** maxAlloc on 64-bit Linux: makemap and NewMap ignore a hint whose table would be larger. */
const MAX_ALLOC = 2 ** 48;
const MAPEXTRA_BYTES = 24;

export interface HintPlan {
  /** False when the runtime ignores the hint (its table would exceed maxAlloc): the map starts empty. */
  honoured: boolean;
  /** Bytes `make` allocates before the first insert. */
  makeBytes: number;
}

/** The runtime's treatment of a hint (any non-negative number, even past 2^53). */
export function hintPlan(shape: MapShape, target: GoTarget, hint: number): HintPlan {
  if (target.impl === 'classic') {
    const header = shape.hmapBytes;
    if (!(hint > 0)) return { honoured: true, makeBytes: header };
    if (hint * shape.bucketSize > MAX_ALLOC) return { honoured: false, makeBytes: header };
    const B = classicBForHint(hint);
    if (B === 0) return { honoured: true, makeBytes: header };
    const array = classicBucketArray(shape, B);
    return { honoured: true, makeBytes: header + array.bytes + (array.nbuckets > 2 ** B ? MAPEXTRA_BYTES : 0) };
  }
  if (!(hint > 8)) return { honoured: true, makeBytes: MAP_HEADER_BYTES };
  // NewMap rejects a target capacity that overflows or a directory past maxAlloc; past 2^48
  // entries both are certain, and the plan's arithmetic would lose precision.
  const plan = hint > MAX_ALLOC ? null : swissHintPlan(hint, shape);
  if (!plan) return { honoured: false, makeBytes: MAP_HEADER_BYTES };
  const bytes = swissBytes(shape);
  return { honoured: true, makeBytes: MAP_HEADER_BYTES + bytes.directory(plan.dirSize) + plan.dirSize * bytes.table(plan.capacity) };
}
