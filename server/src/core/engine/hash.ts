// A seeded 64-bit hash of key numbers, split into two 32-bit halves so that it stays in fast
// int32 arithmetic. The engine never sees real key values: key #k of a workload is simply k,
// and what matters is that the hash bits behave like the runtime's (uniform, and different
// for every map seed), as its per-map random seed makes real maps differ from run to run.

/** murmur3's 32-bit finalizer: a bijection with good avalanche. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export interface KeyHasher {
  /** Low 32 bits of hash(key k): classic bucket index, swiss H1/H2. */
  lo(k: number): number;
  /** High 32 bits of hash(key k): swiss directory index and split bits. */
  hi(k: number): number;
  /** The seed's constants, for hot loops that call hashLo/hashHi directly (a call V8 inlines). */
  readonly a: number;
  readonly b: number;
  readonly c: number;
}

/** hasher.lo(k) for the hasher with constants a and c. */
export function hashLo(k: number, a: number, c: number): number {
  return fmix32((k + a) ^ Math.imul(k >>> 16, c));
}

/** hasher.hi(k) for the hasher with constants b and c. */
export function hashHi(k: number, b: number, c: number): number {
  return fmix32(Math.imul(k ^ b, 0x9e3779b1) + c);
}

export function makeHasher(seed: number): KeyHasher {
  const s = splitmix(seed >>> 0);
  const a = s() | 0;
  const b = s() | 0;
  const c = s() | 0;
  return { a, b, c, lo: (k) => hashLo(k, a, c), hi: (k) => hashHi(k, b, c) };
}

/** A small seeded PRNG (splitmix32), for map seeds and the runtime's fastrand() calls. */
export function splitmix(seed: number): () => number {
  let x = seed >>> 0;
  return () => {
    x = (x + 0x9e3779b9) >>> 0;
    let z = x;
    z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
    z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
    return (z ^ (z >>> 15)) >>> 0;
  };
}
