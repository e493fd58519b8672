// What the runtime frames of a sample say about a map operation. CPU profiles keep them; heap
// profiles trim every leading `runtime.` and (from Go 1.24) `internal/runtime/` frame, so a heap
// sample starts at the user's line (docs/profiles.md has what each Go version records). Names are
// the same on every Go from 1.19 to 1.27 for the entry points, because the swiss runtime links its
// functions under the classic names (`runtime.mapassign_fast64` is `maps.runtime_mapassign_fast64`).
import type { MapImpl } from '../engine';

/** The map operation a user line called into: the frame just inside the user's frame. */
export type MapOp = 'make' | 'assign' | 'access' | 'delete' | 'iterate' | 'clear' | 'clone' | 'other';

const ENTRY: [RegExp, MapOp][] = [
  [/^runtime\.makemap(64|_small)?$|^internal\/runtime\/maps\.(NewMap|NewEmptyMap)$/, 'make'],
  [/^runtime\.mapassign(_fast(32|64)(ptr)?|_faststr)?$/, 'assign'],
  [/^runtime\.mapaccess[12K]?(_fat|_fast(32|64)|_faststr)?$/, 'access'],
  [/^runtime\.mapdelete(_fast(32|64)|_faststr)?$/, 'delete'],
  [/^runtime\.(mapiterinit|mapiternext|mapinitnoop)$|^internal\/runtime\/maps\.\(\*Iter\)\./, 'iterate'],
  [/^runtime\.mapclear$/, 'clear'],
  [/^runtime\.(mapclone2?|maps_clone)$|^maps\.clone$/, 'clone'],
];

/**
 * Growth and evacuation: classic `hashGrow`, `growWork*`, `evacuate*`; swiss table doubling and
 * splitting, and the small map's first group and its move to a table. Below one of these, a
 * sample's time is growth. (Chaining a classic overflow bucket is not: the table does not grow.)
 */
const GROWTH = /^runtime\.(hashGrow|growWork(_fast(32|64)|_faststr)?|evacuate(_fast(32|64)|_faststr)?|advanceEvacuationMark)$|^internal\/runtime\/maps\.(\(\*table\)\.(rehash|grow|split)|\(\*Map\)\.(growToTable|growToSmall|installTableSplit))$/;

const CLASSIC_ONLY = /^runtime\.(hashGrow|growWork|evacuate|makeBucketArray|advanceEvacuationMark|\(\*hmap\)|\(\*bmap\))/;
const SWISS_ONLY = /^internal\/runtime\/maps\./;

export function isRuntimeFrame(fn: string): boolean {
  return fn.startsWith('runtime.') || fn.startsWith('internal/runtime/') || fn.startsWith('runtime/internal/');
}

export function mapOpOf(fn: string): MapOp | undefined {
  for (const [re, op] of ENTRY) if (re.test(fn)) return op;
  return undefined;
}

export function isGrowthFrame(fn: string): boolean {
  return GROWTH.test(fn);
}

/** The map implementation a frame belongs to, when only one has it. */
export function implOfFrame(fn: string): MapImpl | undefined {
  if (SWISS_ONLY.test(fn)) return 'swiss';
  if (CLASSIC_ONLY.test(fn)) return 'classic';
  return undefined;
}
