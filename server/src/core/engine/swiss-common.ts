// Swiss-table constants and byte accounting shared by the two swiss simulators (spec §3).

import { charge } from './allocator';
import type { MapShape } from './map-shape';
import type { Recorder } from './timeline';

export const GROUP_SLOTS = 8;
export const MAX_TABLE_CAPACITY = 1024;
export const MAP_HEADER_BYTES = 48;
export const TABLE_STRUCT_BYTES = 32;
const MAX_ALLOC = 2 ** 48;

/** Insert budget of an empty table: capacity−1 up to one group, else 7/8 of the slots. */
export function maxGrowthLeft(capacity: number): number {
  return capacity <= GROUP_SLOTS ? capacity - 1 : Math.floor((capacity * 7) / GROUP_SLOTS);
}

/** newTable's capacity rounding: at least 8, a power of two. */
export function tableCapacity(c: number): number {
  let cap = GROUP_SLOTS;
  while (cap < c) cap *= 2;
  return cap;
}

export interface SwissBytes {
  /** One group allocated by growToSmall. */
  smallGroup: number;
  /** A table: the 32-byte struct plus its groups array (two allocations, see allocTable). */
  table(capacity: number): number;
  /** A table's groups array alone. */
  groups(capacity: number): number;
  /** A directory of n table pointers. */
  directory(n: number): number;
}

export function swissBytes(shape: MapShape): SwissBytes {
  const a = shape.alloc;
  const cache = new Map<number, number>();
  const groups = (capacity: number) => {
    let b = cache.get(capacity);
    if (b === undefined) {
      b = charge((capacity / GROUP_SLOTS) * shape.groupSize, shape.groupPointers, a);
      cache.set(capacity, b);
    }
    return b;
  };
  return {
    smallGroup: charge(shape.groupSize, shape.groupPointers, a),
    table: (capacity) => TABLE_STRUCT_BYTES + groups(capacity),
    groups,
    directory: (n) => charge(8 * n, true, a),
  };
}

/** NewMap's plan for a hint (spec §3.6): how many tables of what capacity, or none. */
export function swissHintPlan(hint: number, shape: MapShape): { dirSize: number; capacity: number } | null {
  if (!(hint > GROUP_SLOTS)) return null;
  const target = Math.floor((hint * GROUP_SLOTS) / 7);
  let dirSize = 1;
  while (dirSize < Math.ceil(target / MAX_TABLE_CAPACITY)) dirSize *= 2;
  if (dirSize * MAX_TABLE_CAPACITY * shape.groupSize > MAX_ALLOC) return null;
  return { dirSize, capacity: tableCapacity(Math.floor(target / dirSize)) };
}

/**
 * Records a new table as the runtime allocates it: the table struct and its groups array are two
 * objects (a heap profile lists them apart).
 */
export function allocTable(rec: Recorder, bytes: SwissBytes, capacity: number): void {
  rec.alloc(TABLE_STRUCT_BYTES);
  rec.alloc(bytes.groups(capacity));
}
