// Swiss map simulation for insert-only workloads (and updates), fast enough for 10M entries.
//
// Without deletes there are no tombstones, so a table's fate depends only on how many keys it
// holds: it grows when it holds 7/8·capacity and gets a new key. Which table a key lands in is
// decided by the top bits of its hash (extendible hashing), and a split sends each entry left
// or right by the next bit. So instead of slots we keep a histogram of inserted keys by the top
// F bits of their hash; a table at depth d covers a contiguous range of 2^(F−d) cells, and the
// left half of a split is the sum over the first half of that range.

import { hashHi } from './hash';
import type { MapShape } from './map-shape';
import { GROUP_SLOTS, MAX_TABLE_CAPACITY, allocTable, maxGrowthLeft } from './swiss-common';
import { SwissSim, type SwissOptions } from './swiss-sim';
import type { Recorder } from './timeline';
import type { MapSimulator } from './workload';

const MAX_FINE_BITS = 28;

export class SwissCountSim extends SwissSim<SwissOptions> implements MapSimulator {
  // Tables, by id: capacity, used, local depth, hash prefix (top `depth` bits).
  private nTables = 0;
  private tCap = new Int32Array(16);
  private tUsed = new Int32Array(16);
  private tDepth = new Int32Array(16);
  private tPrefix = new Int32Array(16);
  private dead = 0; // tables replaced by a split

  private dir = new Int32Array(1);

  // Histogram of inserted keys by the top `fineBits` bits of their hash.
  private fineBits: number;
  private fine: Int32Array;

  constructor(shape: MapShape, rec: Recorder, hint: number, seed: number, expectedEntries: number, opts: SwissOptions) {
    super(shape, rec, seed, opts);
    // Enough bits for the deepest table we expect, plus margin; refined on demand.
    const expectedDepth = Math.ceil(Math.log2(Math.max(expectedEntries, hint, 896) / 896));
    this.fineBits = Math.min(MAX_FINE_BITS, Math.max(8, expectedDepth + 4));
    this.fine = new Int32Array(2 ** this.fineBits);
    this.make(hint);
  }

  /** Live tables (0 while the map is empty or small). */
  get tables(): number { return this.mode === 'table' ? this.nTables - this.dead : 0; }
  get directoryLength(): number { return this.mode === 'table' ? this.dir.length : 0; }

  capacity(): number {
    return this.mode === 'empty' ? 0 : this.mode === 'small' ? GROUP_SLOTS : this.budget;
  }

  protected hintTables(dirSize: number, capacity: number): void {
    this.dir = new Int32Array(dirSize);
    for (let i = 0; i < dirSize; i++) this.dir[i] = this.newTable(capacity, this.globalDepth, i);
  }

  private newTable(cap: number, depth: number, prefix: number): number {
    if (this.nTables === this.tCap.length) {
      const grow = (a: Int32Array) => { const b = new Int32Array(a.length * 2); b.set(a); return b; };
      this.tCap = grow(this.tCap);
      this.tUsed = grow(this.tUsed);
      this.tDepth = grow(this.tDepth);
      this.tPrefix = grow(this.tPrefix);
    }
    const t = this.nTables++;
    this.tCap[t] = cap;
    this.tUsed[t] = 0;
    this.tDepth[t] = depth;
    this.tPrefix[t] = prefix;
    this.budget += maxGrowthLeft(cap);
    return t;
  }

  private retire(t: number): void {
    this.budget -= maxGrowthLeft(this.tCap[t]);
    this.dead++;
  }

  insertRange(from: number, to: number): void {
    const bulk = this.rec.bulkOk(this.shape.perEntryBytes);
    for (let k = from; k < to; ) {
      if (bulk && this.mode === 'table') {
        k += this.quietInserts(k, to);
        if (k >= to) break;
      }
      this.insert(k++);
    }
  }

  /**
   * Inserts from `from` on while each key's table has room (no rehash, no split); returns how many.
   * Its tail and insert()'s head count inserts as ClassicSim's do: two statements on each
   * simulator's own counters. A base class shared with ClassicSim would make this per-insert path
   * polymorphic, and a helper taking and returning the counter would save nothing, so they stay.
   */
  private quietInserts(from: number, to: number): number {
    const { dir, tUsed, tCap, fine, fineBits, globalDepth } = this;
    const { b, c } = this.hasher;
    let k = from;
    for (; k < to; k++) {
      const hi = hashHi(k, b, c);
      const t = dir[globalDepth === 0 ? 0 : hi >>> (32 - globalDepth)];
      if (tUsed[t] >= maxGrowthLeft(tCap[t])) break;
      tUsed[t]++;
      fine[hi >>> (32 - fineBits)]++;
    }
    const n = k - from;
    if (n > 0) {
      this.used += n;
      this.inserts += n;
      this.rec.bulkInserts(this.inserts, n, this.shape.perEntryBytes);
    }
    return n;
  }

  insert(k: number): void {
    const rec = this.rec;
    this.inserts++;
    rec.beginOp(this.inserts, 'insert');
    const hi = this.hasher.hi(k);
    if (this.mode === 'empty') this.growToSmall();
    if (this.mode === 'small') {
      if (this.used < GROUP_SLOTS) {
        this.used++;
        this.fine[hi >>> (32 - this.fineBits)]++;
        rec.quietAlloc(this.shape.perEntryBytes);
        rec.endOp(this.capacity());
        return;
      }
      this.growToTable();
    }
    let t: number;
    for (;;) {
      t = this.dir[this.globalDepth === 0 ? 0 : hi >>> (32 - this.globalDepth)];
      if (this.tUsed[t] < maxGrowthLeft(this.tCap[t])) break;
      this.rehash(t);
    }
    this.tUsed[t]++;
    this.used++;
    this.fine[hi >>> (32 - this.fineBits)]++;
    rec.quietAlloc(this.shape.perEntryBytes);
    rec.endOp(this.capacity());
  }

  remove(): void {
    throw new Error('SwissCountSim models insert-only workloads; use SwissSlotSim for deletes');
  }

  protected tableFromSmall(): number {
    this.dir = new Int32Array(1);
    this.dir[0] = this.newTable(2 * GROUP_SLOTS, 0, 0);
    this.tUsed[this.dir[0]] = this.used;
    return this.used;
  }

  protected doubleDirectory(): number {
    const old = this.dir;
    const dir = new Int32Array(old.length * 2);
    for (let i = 0; i < old.length; i++) { dir[2 * i] = old[i]; dir[2 * i + 1] = old[i]; }
    this.dir = dir;
    return old.length;
  }

  private rehash(t: number): void {
    const { rec, bytes } = this;
    const cap = this.tCap[t];
    const capBefore = this.capacity();
    if (cap * 2 <= MAX_TABLE_CAPACITY) {
      // grow: one new table of double capacity, every entry re-inserted; old one is garbage.
      allocTable(rec, bytes, cap * 2);
      rec.free(bytes.table(cap));
      this.budget += maxGrowthLeft(cap * 2) - maxGrowthLeft(cap);
      this.tCap[t] = cap * 2;
      rec.addMoved(this.tUsed[t]);
      this.grows++;
      rec.mark('grow', capBefore, this.capacity(), `table ${cap}→${cap * 2}`);
      return;
    }
    this.split(t, capBefore);
  }

  private split(t: number, capBefore: number): void {
    const { rec, bytes } = this;
    const d = this.tDepth[t];
    const p = this.tPrefix[t];
    if (d + 1 > this.fineBits) this.refine(d + 1 + 4);
    const start = p * 2 ** (this.fineBits - d);
    const half = 2 ** (this.fineBits - d - 1);
    let left = 0;
    const fine = this.fine;
    for (let i = start, end = start + half; i < end; i++) left += fine[i];
    const used = this.tUsed[t];
    let detail = `split table of ${used}`;
    // split allocates both halves, then installTableSplit may double the directory.
    allocTable(rec, bytes, MAX_TABLE_CAPACITY);
    allocTable(rec, bytes, MAX_TABLE_CAPACITY);
    // installTableSplit: no room for another level, double the directory first.
    if (d === this.globalDepth) detail += this.growDirectory();
    rec.free(bytes.table(this.tCap[t]));
    this.retire(t);
    const l = this.newTable(MAX_TABLE_CAPACITY, d + 1, p * 2);
    const r = this.newTable(MAX_TABLE_CAPACITY, d + 1, p * 2 + 1);
    this.tUsed[l] = left;
    this.tUsed[r] = used - left;
    const span = 2 ** (this.globalDepth - d - 1);
    const base = p * 2 * span;
    this.dir.fill(l, base, base + span);
    this.dir.fill(r, base + span, base + 2 * span);
    rec.addMoved(used);
    this.splits++;
    rec.mark('split', capBefore, this.capacity(), `${detail} → ${left} + ${used - left}`);
  }

  /** Rebuilds the histogram with more bits (only when a table gets deeper than expected). */
  private refine(bits: number): void {
    if (bits > MAX_FINE_BITS) throw new Error('swiss simulation: hash prefix depth exceeded');
    this.fineBits = bits;
    this.fine = new Int32Array(2 ** bits);
    const { b, c } = this.hasher;
    for (let k = 0; k < this.used; k++) this.fine[hashHi(k, b, c) >>> (32 - bits)]++;
  }
}
