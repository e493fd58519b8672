// Every allocation size a map of one shape can make on a Go target, from the same constants the
// simulators use: what a heap profile may record for it. Sizes a map cannot make, found on the
// lines that create or write it, are some other value's.
import { appendPtrSliceCap, charge } from './allocator';
import { classicBucketArray } from './classic';
import type { GoTarget } from './go-version';
import type { Layout } from './layout';
import { mapShape, MAX_INLINE_BYTES } from './map-shape';
import { MAP_HEADER_BYTES, MAX_TABLE_CAPACITY, swissBytes, TABLE_STRUCT_BYTES } from './swiss-common';

const MAPEXTRA_BYTES = 24;
const SLICE_HEADER_BYTES = 24;
/** Far beyond any real map: 2^40 buckets or a directory of 2^40 tables. */
const MAX_LOG2 = 40;
/** Overflow buckets a classic map tracks in its slice, at most (appendPtrSliceCap computes in 32-bit integers). */
const MAX_OVERFLOW_SLICE = 2 ** 26;

export interface AllocationSizes {
  /** The map header (hmap or Map): one per map, at its creation. */
  header: number;
  /** Tables, bucket arrays, groups, directories, overflow buckets and their bookkeeping. */
  map: Set<number>;
  /** A separately allocated key or value (> 128 bytes): one per entry. */
  entries: Set<number>;
}

export function allocationSizes(key: Layout, value: Layout, target: GoTarget): AllocationSizes {
  const shape = mapShape(key, value, target);
  const map = new Set<number>();
  const a = shape.alloc;
  let header: number;
  if (target.impl === 'classic') {
    header = shape.hmapBytes;
    map.add(MAPEXTRA_BYTES).add(charge(shape.bucketSize, !shape.bucketNoscan, a));
    for (let b = 0; b <= MAX_LOG2; b++) map.add(classicBucketArray(shape, b).bytes);
    if (shape.bucketNoscan) {
      map.add(SLICE_HEADER_BYTES);
      for (let cap = 0; cap < MAX_OVERFLOW_SLICE; ) {
        cap = appendPtrSliceCap(cap, a);
        map.add(charge(cap * 8, true, a));
      }
    }
  } else {
    header = MAP_HEADER_BYTES;
    const bytes = swissBytes(shape);
    map.add(bytes.smallGroup).add(TABLE_STRUCT_BYTES);
    for (let c = 8; c <= MAX_TABLE_CAPACITY; c *= 2) map.add(bytes.groups(c));
    for (let n = 1; n <= 2 ** MAX_LOG2; n *= 2) map.add(bytes.directory(n));
  }
  const entries = new Set([key, value].filter((l) => l.size > MAX_INLINE_BYTES).map((l) => charge(l.size, l.pointers, a)));
  return { header, map, entries };
}
