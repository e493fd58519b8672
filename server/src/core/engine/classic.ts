// The classic hmap (Go ≤ 1.23, and 1.24/1.25 with GOEXPERIMENT=noswissmap), spec §2.
//
// The simulation keeps, per bucket, only the number of entries in its chain and the chain's
// length in buckets: that is all that decides when an overflow bucket is needed (a chain is
// full when count == 8·length, since inserts reuse the first free slot and evacuation packs
// entries). Evacuation needs to know how an old bucket's entries split between X (i) and
// Y (i + 2^oldB); those are exactly the keys present when growth started, so a histogram of
// their hashes at the new B, taken once per growth, answers it without per-entry objects.

import { appendPtrSliceCap, charge, roundupsize } from './allocator';
import { hashLo, makeHasher, splitmix, type KeyHasher } from './hash';
import type { MapShape } from './map-shape';
import type { Recorder } from './timeline';
import type { MapSimulator } from './workload';

const BUCKET_CNT = 8;
/** One entry in the packed per-bucket word (see `slots`). */
const ENTRY = 65536;
const MAPEXTRA_BYTES = 24; // three pointers
const SLICE_HEADER_BYTES = 24; // new([]*bmap)
/** maxAlloc on 64-bit Linux: larger hints are ignored by makemap. */
const MAX_ALLOC = 2 ** 48;

/** Every release's loadFactorNum but Go 1.21's (see MapShape.loadFactorNum). */
const LOAD_FACTOR_NUM = 13;

/** T(B): the largest count 2^B buckets may hold; growth fires on a new key while count == T(B). */
export function classicThreshold(B: number, num = LOAD_FACTOR_NUM): number {
  return B === 0 ? BUCKET_CNT : num * 2 ** (B - 1);
}

/** overLoadFactor(count, B): count > 8 && count > num·(2^B / 2), the division first (spec §2.3). */
export function overLoadFactor(count: number, B: number, num = LOAD_FACTOR_NUM): boolean {
  return count > BUCKET_CNT && count > num * Math.floor(2 ** B / 2);
}

/** The B that makemap picks for a hint. */
export function classicBForHint(hint: number, num = LOAD_FACTOR_NUM): number {
  let B = 0;
  while (overLoadFactor(hint, B, num)) B++;
  return B;
}

/** makeBucketArray: 2^b buckets plus, for b ≥ 4, 2^(b−4) preallocated overflow buckets,
 *  stretched to fill the allocation's size class or pages. */
export function classicBucketArray(shape: MapShape, b: number): { nbuckets: number; bytes: number } {
  const base = 2 ** b;
  let nb = base;
  if (b >= 4) {
    nb += 2 ** (b - 4);
    const sz = shape.bucketSize * nb;
    const up = roundupsize(sz, shape.bucketNoscan, shape.alloc);
    if (up !== sz) nb = Math.floor(up / shape.bucketSize);
  }
  return { nbuckets: nb, bytes: charge(nb * shape.bucketSize, !shape.bucketNoscan, shape.alloc) };
}

export class ClassicSim implements MapSimulator {
  private readonly hasher: KeyHasher;
  private readonly rand: () => number;
  private readonly bucketBytes: number;

  private hasBuckets = false;
  private B = 0;
  // Derived from B, cached because Math.pow in the per-insert path dominates the profile.
  private mask = 0;
  private loadLimit = classicThreshold(0);
  private ovfLimit = 1;
  private count = 0;
  private noverflow = 0;
  /**
   * Per bucket chain of the current array, packed in one int so an insert touches one word:
   * entries · 65536 + free slots (8 · chain length − entries).
   */
  private slots = new Int32Array(0);
  /** Preallocated overflow buckets still unused (extra.nextOverflow). */
  private pool = 0;
  private hasExtra = false;

  // Incremental evacuation state.
  private growing = false;
  private sameSize = false;
  private oldN = 0;
  private nevacuate = 0;
  private evacuated = new Uint8Array(0);
  /** Where the entries of each old bucket end up: counts per new bucket. */
  private hist = new Int32Array(0);

  // Bytes owned by the current and the old generation (freed when evacuation ends).
  private arrayBytes = 0;
  private oldArrayBytes = 0;
  private ovfBytes = 0;
  private oldOvfBytes = 0;
  // The []*bmap that keeps overflow buckets of pointer-free buckets alive (createOverflow).
  private sliceHeader = false;
  private sliceLen = 0;
  private sliceCap = 0;
  private sliceBacking = 0;
  private oldSliceBytes = 0;

  /** Live keys are [liveLo, liveHi): deletes remove the oldest. */
  private liveLo = 0;
  private liveHi = 0;
  private inserts = 0;

  /** Statistics for reports and tests. */
  overflowAllocs = 0;
  overflowBytes = 0;
  sameSizeGrows = 0;

  constructor(private readonly shape: MapShape, private readonly rec: Recorder, hint: number, seed: number) {
    this.hasher = makeHasher(seed);
    this.rand = splitmix(seed ^ 0x5bd1e995);
    this.bucketBytes = charge(shape.bucketSize, !shape.bucketNoscan, shape.alloc);
    this.make(hint);
  }

  private make(hint: number): void {
    const { rec, shape } = this;
    rec.beginOp(0, 'insert');
    rec.alloc(shape.hmapBytes);
    if (!(hint > 0) || hint * shape.bucketSize > MAX_ALLOC) hint = 0;
    const B = classicBForHint(hint, shape.loadFactorNum);
    let detail = 'hmap';
    if (B > 0) {
      this.setB(B);
      this.installArray(B);
      detail += `, B=${B}: ${2 ** B} buckets + ${this.pool} preallocated overflow`;
    }
    rec.mark('make', 0, this.capacity(), detail);
    rec.endOp(this.capacity());
  }

  /** Allocates a new bucket array at B = b and makes it current. */
  private installArray(b: number): void {
    const { nbuckets, bytes } = classicBucketArray(this.shape, b);
    this.rec.alloc(bytes);
    this.arrayBytes = bytes;
    this.hasBuckets = true;
    const n = 2 ** b;
    this.slots = new Int32Array(n).fill(BUCKET_CNT);
    if (nbuckets > n) {
      this.pool = nbuckets - n;
      if (!this.hasExtra) {
        this.rec.alloc(MAPEXTRA_BYTES);
        this.hasExtra = true;
      }
    }
  }

  private setB(B: number): void {
    this.B = B;
    this.mask = 2 ** B - 1;
    this.loadLimit = classicThreshold(B, this.shape.loadFactorNum);
    this.ovfLimit = 2 ** Math.min(B, 15);
  }

  capacity(): number {
    return this.hasBuckets ? this.loadLimit : 0;
  }

  get bucketsLog2(): number { return this.B; }
  get isGrowing(): boolean { return this.growing; }

  insertRange(from: number, to: number): void {
    const bulk = this.rec.bulkOk(this.shape.perEntryBytes);
    for (let k = from; k < to; ) {
      if (bulk && this.hasBuckets) {
        const n = this.growing ? this.quietGrowingInserts(k, to) : this.quietInserts(k, to);
        k += n;
        if (n > 0) continue;
      }
      this.insert(k++);
    }
  }

  /**
   * Entries the quiet path moved for the key it handed back to insert(): that insert's event
   * counts them, as it would have had insert() done the evacuation itself.
   */
  private carriedMoved = 0;

  /**
   * Inserts during an evacuation, as long as neither the evacuation work nor the insert allocates.
   * Returns how many it inserted; the key it stops at goes to insert(), with what it already moved.
   */
  private quietGrowingInserts(from: number, to: number): number {
    const rec = this.rec;
    const per = this.shape.perEntryBytes;
    const { a, c } = this.hasher;
    let k = from;
    for (; k < to && this.growing; k++) {
      // Frees on the way (the evacuation ending) belong to this insert, as in insert().
      rec.bulkInserts(this.inserts + 1, 0, 0);
      const h = hashLo(k, a, c);
      let moved = this.quietEvacuate(h & (this.oldN - 1));
      if (moved < 0) break;
      if (this.growing) {
        const second = this.quietEvacuate(this.nevacuate);
        if (second < 0) {
          this.carriedMoved = moved;
          break;
        }
        moved += second;
      }
      const b = h & this.mask;
      const s = this.slots[b];
      if ((s & 0xffff) === 0) {
        this.carriedMoved = moved;
        break;
      }
      this.slots[b] = s + ENTRY - 1;
      this.count++;
      this.liveHi++;
      this.inserts++;
      rec.bulkInserts(this.inserts, 1, per);
    }
    return k - from;
  }

  /** evacuate(ob) when it needs no overflow bucket: the entries it moved; -1 (and nothing done) when it would. */
  private quietEvacuate(ob: number): number {
    let moved = 0;
    if (!this.evacuated[ob]) {
      const x = this.hist[ob];
      const y = this.sameSize ? 0 : this.hist[ob + this.oldN];
      if (x > BUCKET_CNT || y > BUCKET_CNT) return -1;
      this.evacuated[ob] = 1;
      this.slots[ob] = BUCKET_CNT + x * (ENTRY - 1);
      if (!this.sameSize) this.slots[ob + this.oldN] = BUCKET_CNT + y * (ENTRY - 1);
      moved = x + y;
    }
    if (ob === this.nevacuate) this.advanceEvacuationMark();
    return moved;
  }

  /**
   * Inserts from `from` on, as long as each is as quiet as most are: no growth due, no evacuation
   * under way, and room in the key's chain. Returns how many it inserted; the caller's insert()
   * takes the one that is not. The fill loop of a million keys spends nearly all its time here.
   */
  private quietInserts(from: number, to: number): number {
    if (this.noverflow >= this.ovfLimit) return 0;
    const last = Math.min(to, from + this.loadLimit - this.count);
    const { slots, mask } = this;
    const { a, c } = this.hasher;
    let k = from;
    for (; k < last; k++) {
      const b = hashLo(k, a, c) & mask;
      const s = slots[b];
      if ((s & 0xffff) === 0) break;
      slots[b] = s + ENTRY - 1;
    }
    const n = k - from;
    if (n > 0) {
      this.count += n;
      this.liveHi += n;
      this.inserts += n;
      this.rec.bulkInserts(this.inserts, n, this.shape.perEntryBytes);
    }
    return n;
  }

  insert(k: number): void {
    const rec = this.rec;
    this.inserts++;
    rec.beginOp(this.inserts, 'insert');
    if (this.carriedMoved > 0) {
      rec.addMoved(this.carriedMoved);
      this.carriedMoved = 0;
    }
    const h = hashLo(k, this.hasher.a, this.hasher.c);
    if (!this.hasBuckets) {
      // mapassign: h.buckets == nil → newobject(t.bucket), a single bucket at B = 0.
      const bytes = this.bucketBytes;
      rec.alloc(bytes);
      this.arrayBytes = bytes;
      this.hasBuckets = true;
      this.slots = new Int32Array(1).fill(BUCKET_CNT);
      rec.mark('alloc', 0, classicThreshold(0, this.shape.loadFactorNum), 'first bucket');
    }
    if (this.growing) this.growWork(h);
    // overLoadFactor(count+1, B) || tooManyOverflowBuckets(noverflow, B)
    if (!this.growing && (this.count + 1 > this.loadLimit || this.noverflow >= this.ovfLimit)) {
      this.hashGrow();
      this.growWork(h);
    }
    const b = h & this.mask;
    if ((this.slots[b] & 0xffff) === 0) this.newoverflow(b);
    this.slots[b] += ENTRY - 1;
    this.count++;
    this.liveHi++;
    rec.quietAlloc(this.shape.perEntryBytes);
    rec.endOp(this.capacity());
  }

  remove(k: number): void {
    if (k !== this.liveLo) throw new Error('classic simulator: deletes must remove the oldest key');
    this.rec.beginOp(this.inserts, 'delete');
    const h = this.hasher.lo(k);
    if (this.growing) this.growWork(h);
    // The slot is emptied in place (tophash emptyOne): the chain keeps its buckets.
    this.slots[h & this.mask] -= ENTRY - 1;
    this.count--;
    this.liveLo++;
    this.rec.free(this.shape.perEntryBytes);
    this.rec.endOp(this.capacity());
  }

  update(k: number): void {
    // mapassign runs growWork before it finds the existing key; no growth check follows.
    this.rec.beginOp(this.inserts, 'update');
    if (this.growing) this.growWork(this.hasher.lo(k));
    this.rec.endOp(this.capacity());
  }

  private hashGrow(): void {
    const bigger = overLoadFactor(this.count + 1, this.B, this.shape.loadFactorNum);
    const capBefore = this.capacity();
    const oldB = this.B;
    const newB = oldB + (bigger ? 1 : 0);
    const oldSlots = this.slots;
    this.oldN = 2 ** oldB;
    this.oldArrayBytes = this.arrayBytes;
    // Overflow buckets and the overflow slice become the old generation.
    this.oldOvfBytes = this.ovfBytes;
    this.ovfBytes = 0;
    if (this.sliceHeader) {
      this.oldSliceBytes = SLICE_HEADER_BYTES + this.sliceBacking;
      this.sliceHeader = false;
      this.sliceLen = 0;
      this.sliceCap = 0;
      this.sliceBacking = 0;
    }
    this.installArray(newB);
    this.setB(newB);
    this.growing = true;
    this.sameSize = !bigger;
    this.nevacuate = 0;
    this.noverflow = 0;
    this.evacuated = new Uint8Array(this.oldN);
    if (bigger) {
      const hist = new Int32Array(2 ** newB);
      const mask = 2 ** newB - 1;
      const { a, c } = this.hasher;
      for (let k = this.liveLo; k < this.liveHi; k++) hist[hashLo(k, a, c) & mask]++;
      this.hist = hist;
    } else {
      const hist = new Int32Array(oldSlots.length);
      for (let i = 0; i < hist.length; i++) hist[i] = oldSlots[i] >>> 16;
      this.hist = hist;
      this.sameSizeGrows++;
    }
    this.rec.mark(bigger ? 'grow' : 'same-size', capBefore, this.capacity(),
      bigger ? `B ${oldB}→${newB}` : `same-size grow at B=${oldB}`);
  }

  private growWork(h: number): void {
    this.evacuate(h & (this.oldN - 1));
    if (this.growing) this.evacuate(this.nevacuate);
  }

  private evacuate(ob: number): void {
    if (!this.evacuated[ob]) {
      this.evacuated[ob] = 1;
      this.place(ob, this.hist[ob]);
      if (!this.sameSize) this.place(ob + this.oldN, this.hist[ob + this.oldN]);
    }
    if (ob === this.nevacuate) this.advanceEvacuationMark();
  }

  /** Evacuation packs c entries into new bucket b, chaining overflow buckets as it fills. */
  private place(b: number, c: number): void {
    this.slots[b] = BUCKET_CNT;
    for (let extra = c > BUCKET_CNT ? Math.ceil(c / BUCKET_CNT) - 1 : 0; extra > 0; extra--) this.newoverflow(b);
    this.slots[b] += c * ENTRY - c;
    if (c) this.rec.addMoved(c);
  }

  private advanceEvacuationMark(): void {
    this.nevacuate++;
    const stop = Math.min(this.nevacuate + 1024, this.oldN);
    while (this.nevacuate !== stop && this.evacuated[this.nevacuate]) this.nevacuate++;
    if (this.nevacuate === this.oldN) {
      // oldbuckets = nil, extra.oldoverflow = nil: the old generation is garbage.
      this.growing = false;
      this.rec.free(this.oldArrayBytes + this.oldOvfBytes + this.oldSliceBytes);
      this.oldArrayBytes = this.oldOvfBytes = this.oldSliceBytes = 0;
      this.evacuated = new Uint8Array(0);
      this.hist = new Int32Array(0);
    }
  }

  private newoverflow(b: number): void {
    const { rec, shape } = this;
    if (this.pool > 0) {
      this.pool--;
    } else {
      rec.alloc(this.bucketBytes);
      this.ovfBytes += this.bucketBytes;
      this.overflowAllocs++;
      this.overflowBytes += this.bucketBytes;
    }
    // incrnoverflow: exact below B = 16, then sampled with probability 1/2^(B−15).
    if (this.B < 16) this.noverflow = (this.noverflow + 1) & 0xffff;
    else if ((this.rand() & (2 ** (this.B - 15) - 1)) === 0) this.noverflow = (this.noverflow + 1) & 0xffff;
    if (shape.bucketNoscan) {
      // createOverflow + append: keeps overflow buckets reachable for the GC.
      if (!this.hasExtra) { rec.alloc(MAPEXTRA_BYTES); this.hasExtra = true; this.overflowBytes += MAPEXTRA_BYTES; }
      if (!this.sliceHeader) {
        rec.alloc(SLICE_HEADER_BYTES);
        this.overflowBytes += SLICE_HEADER_BYTES;
        this.sliceHeader = true;
      }
      if (this.sliceLen === this.sliceCap) {
        const newCap = appendPtrSliceCap(this.sliceCap, shape.alloc);
        const bytes = charge(newCap * 8, true, shape.alloc);
        rec.alloc(bytes);
        this.overflowBytes += bytes;
        rec.free(this.sliceBacking);
        this.sliceBacking = bytes;
        this.sliceCap = newCap;
      }
      this.sliceLen++;
    }
    this.slots[b] += BUCKET_CNT;
  }
}
