// Per-map constants derived from the key and value layouts: the classic bucket (spec §2.1),
// the swiss group (spec §3.1; split into key and elem arrays under GOEXPERIMENT=mapsplitgroup,
// docs/engine.md), indirect keys/values, and which assign path the compiler picks.

import { allocatorFor, charge, type AllocatorModel } from './allocator';
import type { GoTarget } from './go-version';
import { alignUp, PTR_SIZE, type Layout } from './layout';

/** abi.MapMaxKeyBytes / MapMaxElemBytes: larger keys or values are stored behind a pointer. */
export const MAX_INLINE_BYTES = 128;

/**
 * The runtime entry point for assignments (cmd/compile walk.mapfast): it decides whether the
 * swiss map prunes tombstones (the fast32/fast64/faststr paths call pruneTombstones from 1.25,
 * the fast32ptr/fast64ptr paths from 1.27, the generic path never) and
 * how a probe ends (the generic path stops at the first group with any empty slot).
 */
export type AssignPath = 'fast' | 'fastptr' | 'slow';

export interface MapShape {
  key: Layout;
  value: Layout;
  indirectKey: boolean;
  indirectValue: boolean;
  /** Charge of the separately allocated key and value objects of one entry (indirect only). */
  perEntryBytes: number;
  assignPath: AssignPath;
  alloc: AllocatorModel;
  /**
   * Classic: loadFactorNum, with loadFactorDen = 2 the load factor is num/2 entries per bucket.
   * 13 on every release but Go 1.21, whose `(bucketCnt*13/16)*loadFactorDen` rounds to 12 (6 per
   * bucket, measured: growth at inserts 9, 13, 25, 49, …, not 9, 14, 27, 53); 1.22 restored 13.
   */
  loadFactorNum: number;
  /** Classic: bytes of one bmap, whether it has no pointers, and the hmap charge. */
  bucketSize: number;
  bucketNoscan: boolean;
  hmapBytes: number;
  /** Swiss: bytes of one interleaved key/elem slot, of one group (ctrl word + 8 slots, in the
   *  target's layout), and whether a group holds pointers. */
  slotSize: number;
  groupSize: number;
  groupPointers: boolean;
}

function stored(l: Layout): { size: number; align: number; pointers: boolean } {
  return l.size > MAX_INLINE_BYTES ? { size: PTR_SIZE, align: PTR_SIZE, pointers: true } : l;
}

export function assignPathFor(key: Layout, value: Layout): AssignPath {
  if (value.size > MAX_INLINE_BYTES) return 'slow';
  if (key.equality === 'string') return 'fast';
  if (key.equality === 'mem' && (key.size === 4 || key.size === 8)) return key.pointers ? 'fastptr' : 'fast';
  return 'slow';
}

/**
 * GOEXPERIMENT=mapsplitgroup (1.27 reflectdata.MapGroupType): struct{ctrl uint64; keys [8]K';
 * elems [8]V'} with Go's struct layout. The elems array starts at V's alignment after the keys,
 * and a zero-size elems array at the end costs the one padding byte of issue 9401.
 */
function splitGroupSize(k: { size: number; align: number }, v: { size: number; align: number }): number {
  let end = alignUp(8 + 8 * k.size, Math.max(v.align, 1)) + 8 * v.size;
  if (v.size === 0) end++;
  return alignUp(end, Math.max(8, k.align, v.align));
}

export function mapShape(key: Layout, value: Layout, target: GoTarget): MapShape {
  const alloc = allocatorFor(target.minor);
  const k = stored(key);
  const v = stored(value);
  const indirectKey = key.size > MAX_INLINE_BYTES;
  const indirectValue = value.size > MAX_INLINE_BYTES;
  const perEntryBytes = (indirectKey ? charge(key.size, key.pointers, alloc) : 0)
    + (indirectValue ? charge(value.size, value.pointers, alloc) : 0);

  // Classic bmap: tophash [8]uint8, keys [8]K', elems [8]V', overflow pointer. On 64-bit every
  // field starts at a multiple of 8, so there is no padding (spec §2.1).
  const bucketSize = 8 + 8 * k.size + 8 * v.size + PTR_SIZE;
  const bucketNoscan = !k.pointers && !v.pointers;
  // hmap: 48 bytes; 1.24/1.25 noswissmap added clearSeq → 56, charged 64.
  const hmapBytes = charge(target.minor >= 24 ? 56 : 48, true, alloc);

  // Swiss slot: struct{key K'; elem V'} with Go layout, including the trailing zero-size
  // padding byte; group: ctrl uint64 + [8]slot, padded to 16 when the slots are empty.
  const elemOff = alignUp(k.size, v.align);
  let end = elemOff + v.size;
  if (v.size === 0 && end > 0) end++;
  const slotSize = alignUp(end, Math.max(k.align, v.align, 1));
  const groupSize = target.splitGroup ? splitGroupSize(k, v) : slotSize === 0 ? 16 : 8 + 8 * slotSize;

  return {
    key, value, indirectKey, indirectValue, perEntryBytes,
    assignPath: assignPathFor(key, value),
    alloc, loadFactorNum: target.minor === 21 ? 12 : 13, bucketSize, bucketNoscan, hmapBytes,
    slotSize, groupSize, groupPointers: k.pointers || v.pointers,
  };
}
