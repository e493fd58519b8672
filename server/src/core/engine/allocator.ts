// The Go allocator as far as the map engine needs it: size classes, pages, and the 8-byte
// malloc header that Go 1.22+ puts in front of pointerful objects larger than 512 bytes
// (spec §1). "Charged" bytes are what runtime.MemStats.TotalAlloc grows by for one object.

/** The 67 small-object size classes; identical in Go 1.19 and 1.22–1.26 (runtime/sizeclasses.go). */
export const SIZE_CLASSES: readonly number[] = [
  8, 16, 24, 32, 48, 64, 80, 96, 112, 128, 144, 160, 176, 192, 208, 224, 240, 256, 288, 320, 352,
  384, 416, 448, 480, 512, 576, 640, 704, 768, 896, 1024, 1152, 1280, 1408, 1536, 1792, 2048,
  2304, 2688, 3072, 3200, 3456, 4096, 4864, 5376, 6144, 6528, 6784, 6912, 8192, 9472, 9728,
  10240, 10880, 12288, 13568, 14336, 16384, 18432, 19072, 20480, 21760, 24576, 27264, 28672, 32768,
];

export const PAGE_SIZE = 8192;
export const MAX_SMALL_SIZE = 32768;
export const MALLOC_HEADER_SIZE = 8;
/** minSizeForMallocHeader = PtrSize * ptrBits: objects up to this size keep heap bits in the span. */
export const MIN_SIZE_FOR_MALLOC_HEADER = 512;

/** The allocator rules that differ between Go releases. */
export interface AllocatorModel {
  /** Go 1.22+ allocation headers. */
  mallocHeaders: boolean;
}

export function allocatorFor(goMinor: number): AllocatorModel {
  // Headers arrived in 1.22 (spec §1, §8: 1.20–1.22 not read; 1.22 assumed like 1.23).
  return { mallocHeaders: goMinor >= 22 };
}

// size → class lookup for every multiple of 8 up to 32 KiB (4096 entries), built once.
const CLASS_BY_8 = new Uint16Array(MAX_SMALL_SIZE / 8 + 1);
{
  let c = 0;
  for (let i = 0; i <= MAX_SMALL_SIZE / 8; i++) {
    while (SIZE_CLASSES[c] < i * 8) c++;
    CLASS_BY_8[i] = c;
  }
}

/** The smallest size class ≥ size (size ≤ 32768). */
export function sizeClass(size: number): number {
  return SIZE_CLASSES[CLASS_BY_8[Math.ceil(size / 8)]];
}

function roundToPages(size: number): number {
  return Math.ceil(size / PAGE_SIZE) * PAGE_SIZE;
}

/** Bytes charged for one heap object of `size` bytes (spec §1). */
export function charge(size: number, pointers: boolean, a: AllocatorModel): number {
  if (size <= 0) return 0; // zero-size objects share runtime.zerobase
  if (a.mallocHeaders) {
    if (size <= MAX_SMALL_SIZE - MALLOC_HEADER_SIZE) {
      const header = pointers && size > MIN_SIZE_FOR_MALLOC_HEADER ? MALLOC_HEADER_SIZE : 0;
      return sizeClass(size + header);
    }
    return roundToPages(size);
  }
  return size <= MAX_SMALL_SIZE ? sizeClass(size) : roundToPages(size);
}

/**
 * runtime.roundupsize: the usable bytes of the block an allocation of `size` gets, i.e. the
 * charge minus the malloc header if there is one. The classic map uses it to turn the slack of
 * a bucket array's block into extra overflow buckets; append uses it to pick the new capacity.
 */
export function roundupsize(size: number, noscan: boolean, a: AllocatorModel): number {
  if (a.mallocHeaders) {
    if (size <= MAX_SMALL_SIZE - MALLOC_HEADER_SIZE) {
      const header = !noscan && size > MIN_SIZE_FOR_MALLOC_HEADER ? MALLOC_HEADER_SIZE : 0;
      return sizeClass(size + header) - header;
    }
    return roundToPages(size);
  }
  return size < MAX_SMALL_SIZE ? sizeClass(size) : roundToPages(size);
}

/**
 * Capacity chosen by `append` when a slice of 8-byte pointer elements at capacity `oldCap`
 * grows by one element (runtime.growslice / nextslicecap, threshold 256), after rounding the
 * backing array up to its block.
 */
export function appendPtrSliceCap(oldCap: number, a: AllocatorModel): number {
  const newLen = oldCap + 1;
  let newcap = oldCap;
  const doublecap = oldCap * 2;
  if (newLen > doublecap) newcap = newLen;
  else if (oldCap < 256) newcap = doublecap;
  else {
    while (newcap < newLen) newcap += (newcap + 3 * 256) >> 2;
  }
  return Math.floor(roundupsize(newcap * 8, false, a) / 8);
}
