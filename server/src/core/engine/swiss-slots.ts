// Slot-level swiss map simulation, for workloads with deletes (spec §3.3–3.5). Tombstones make
// a table's growth depend on where each entry sits, so here every table has real control
// bytes and probe sequences (H1 = hash >> 7 picks the first group, triangular probing), and the
// runtime's exact rules for placing a new key, deleting, pruning tombstones (1.25+) and
// re-inserting on grow/split are followed.

import type { MapShape } from './map-shape';
import { allocTable, GROUP_SLOTS, MAX_TABLE_CAPACITY, maxGrowthLeft } from './swiss-common';
import { SwissSim, type SwissOptions } from './swiss-sim';
import type { Recorder } from './timeline';
import type { MapSimulator } from './workload';

const EMPTY = 0;
const FULL = 1;
const DELETED = 2;

interface Table {
  cap: number;
  used: number;
  growthLeft: number;
  depth: number;
  prefix: number;
  ctrl: Uint8Array;
  keys: Int32Array;
}

export interface SwissSlotOptions extends SwissOptions {
  /** pruneTombstones runs before growth (1.25+, fast32/fast64/faststr assign paths only). */
  prune: boolean;
  /** The generic assign path ends its probe at the first group with any empty slot;
   *  the fast paths at the first group whose lowest free slot is empty. */
  slowProbe: boolean;
}

export class SwissSlotSim extends SwissSim<SwissSlotOptions> implements MapSimulator {
  private small = new Int32Array(GROUP_SLOTS).fill(-1);
  private dir: Table[] = [];
  private live = new Set<Table>();
  /** slotOf[k]: slot index of key k in its table (or in the small group). */
  private slotOf: Int32Array;

  prunes = 0;

  constructor(shape: MapShape, rec: Recorder, hint: number, seed: number, maxKeys: number, opts: SwissSlotOptions) {
    super(shape, rec, seed, opts);
    this.slotOf = new Int32Array(Math.max(1, maxKeys));
    this.make(hint);
  }

  get tables(): number { return this.live.size; }
  get directoryLength(): number { return this.mode === 'table' ? this.dir.length : 0; }

  capacity(): number {
    return this.mode === 'empty' ? 0 : this.mode === 'small' ? GROUP_SLOTS : this.budget;
  }

  private retire(t: Table): void {
    this.live.delete(t);
    this.budget -= maxGrowthLeft(t.cap);
  }

  /** Tombstones currently held by all tables. */
  tombstones(): number {
    let n = 0;
    for (const t of this.live) n += maxGrowthLeft(t.cap) - t.used - t.growthLeft;
    return n;
  }

  private newTable(cap: number, depth: number, prefix: number): Table {
    const t: Table = {
      cap, used: 0, growthLeft: maxGrowthLeft(cap), depth, prefix,
      ctrl: new Uint8Array(cap), keys: new Int32Array(cap),
    };
    this.live.add(t);
    this.budget += maxGrowthLeft(cap);
    return t;
  }

  protected hintTables(dirSize: number, capacity: number): void {
    for (let i = 0; i < dirSize; i++) this.dir.push(this.newTable(capacity, this.globalDepth, i));
  }

  private tableFor(hi: number): Table {
    return this.dir[this.globalDepth === 0 ? 0 : hi >>> (32 - this.globalDepth)];
  }

  insertRange(from: number, to: number): void {
    for (let k = from; k < to; k++) this.insert(k);
  }

  insert(k: number): void {
    const rec = this.rec;
    this.inserts++;
    rec.beginOp(this.inserts, 'insert');
    if (this.mode === 'empty') this.growToSmall();
    if (this.mode === 'small') {
      if (this.used < GROUP_SLOTS) {
        const i = this.small.indexOf(-1);
        this.small[i] = k;
        this.slotOf[k] = i;
        this.used++;
        rec.quietAlloc(this.shape.perEntryBytes);
        rec.endOp(this.capacity());
        return;
      }
      this.growToTable();
    }
    const hi = this.hasher.hi(k);
    const lo = this.hasher.lo(k);
    while (!this.putSlot(this.tableFor(hi), k, lo)) { /* rehashed: retry in the new table */ }
    this.used++;
    rec.quietAlloc(this.shape.perEntryBytes);
    rec.endOp(this.capacity());
  }

  /** table.PutSlot for a key known to be new; false after a rehash (caller retries). */
  private putSlot(t: Table, k: number, lo: number): boolean {
    const mask = t.cap / GROUP_SLOTS - 1;
    const ctrl = t.ctrl;
    let off = (lo >>> 7) & mask;
    let firstDeleted = -1;
    for (let idx = 1; ; off = (off + idx++) & mask) {
      const g = off * GROUP_SLOTS;
      let slot = -1;
      if (this.opts.slowProbe) {
        // runtime_mapassign: a group with any empty slot ends the probe.
        let firstEmpty = -1;
        let firstDel = -1;
        for (let j = 0; j < GROUP_SLOTS; j++) {
          const c = ctrl[g + j];
          if (c === EMPTY) { firstEmpty = g + j; break; }
          if (c === DELETED && firstDel < 0) firstDel = g + j;
        }
        if (firstEmpty < 0) {
          if (firstDeleted < 0 && firstDel >= 0) firstDeleted = firstDel;
          continue;
        }
        slot = firstEmpty;
      } else {
        // fast paths: look at the group's lowest non-full slot.
        let j = 0;
        while (j < GROUP_SLOTS && ctrl[g + j] === FULL) j++;
        if (j === GROUP_SLOTS) continue;
        if (ctrl[g + j] === DELETED) {
          if (firstDeleted < 0) firstDeleted = g + j;
          continue;
        }
        slot = g + j;
      }
      if (firstDeleted >= 0) {
        slot = firstDeleted;
        t.growthLeft++; // decremented below: reusing a tombstone costs no budget
      }
      if (t.growthLeft === 0 && this.opts.prune) this.pruneTombstones(t);
      if (t.growthLeft > 0) {
        ctrl[slot] = FULL;
        t.keys[slot] = k;
        this.slotOf[k] = slot;
        t.growthLeft--;
        t.used++;
        return true;
      }
      this.rehash(t);
      return false;
    }
  }

  /** uncheckedPutSlot: first group on the probe sequence with a free slot, lowest slot. */
  private uncheckedPut(t: Table, k: number): void {
    const mask = t.cap / GROUP_SLOTS - 1;
    let off = (this.hasher.lo(k) >>> 7) & mask;
    for (let idx = 1; ; off = (off + idx++) & mask) {
      const g = off * GROUP_SLOTS;
      for (let j = 0; j < GROUP_SLOTS; j++) {
        if (t.ctrl[g + j] !== FULL) {
          t.ctrl[g + j] = FULL;
          t.keys[g + j] = k;
          this.slotOf[k] = g + j;
          t.growthLeft--;
          t.used++;
          return;
        }
      }
    }
  }

  private groupHasEmpty(t: Table, group: number): boolean {
    const g = group * GROUP_SLOTS;
    for (let j = 0; j < GROUP_SLOTS; j++) if (t.ctrl[g + j] === EMPTY) return true;
    return false;
  }

  /** table.pruneTombstones (1.25+): drop tombstones no live key's probe sequence needs. */
  private pruneTombstones(t: Table): void {
    const tombstones = maxGrowthLeft(t.cap) - t.used - t.growthLeft;
    if (tombstones * 10 < t.cap) return;
    const groups = t.cap / GROUP_SLOTS;
    const mask = groups - 1;
    const needed = new Uint8Array(groups);
    for (let i = 0; i < groups; i++) {
      for (let j = 0; j < GROUP_SLOTS; j++) {
        if (t.ctrl[i * GROUP_SLOTS + j] !== FULL) continue;
        let off = (this.hasher.lo(t.keys[i * GROUP_SLOTS + j]) >>> 7) & mask;
        for (let idx = 1; off !== i; off = (off + idx++) & mask) {
          const g = off * GROUP_SLOTS;
          for (let s = 0; s < GROUP_SLOTS; s++) {
            if (t.ctrl[g + s] !== FULL) { needed[off] = 1; break; }
          }
        }
      }
      if (this.groupHasEmpty(t, i)) needed[i] = 1;
    }
    let cnt = 0;
    for (let i = 0; i < groups; i++) {
      if (needed[i]) continue;
      for (let j = 0; j < GROUP_SLOTS; j++) if (t.ctrl[i * GROUP_SLOTS + j] === DELETED) cnt++;
    }
    if (cnt * 10 < t.cap) return;
    for (let i = 0; i < groups; i++) {
      if (needed[i]) continue;
      for (let j = 0; j < GROUP_SLOTS; j++) {
        if (t.ctrl[i * GROUP_SLOTS + j] === DELETED) { t.ctrl[i * GROUP_SLOTS + j] = EMPTY; t.growthLeft++; }
      }
    }
    this.prunes++;
  }

  remove(k: number): void {
    this.rec.beginOp(this.inserts, 'delete');
    const s = this.slotOf[k];
    if (this.mode === 'small') {
      this.small[s] = -1;
    } else {
      const t = this.tableFor(this.hasher.hi(k));
      if (t.ctrl[s] !== FULL || t.keys[s] !== k) throw new Error('swiss simulation: lost a key');
      // A group that still has an empty slot never appears mid-probe: just empty the slot.
      if (this.groupHasEmpty(t, s >> 3)) { t.ctrl[s] = EMPTY; t.growthLeft++; } else t.ctrl[s] = DELETED;
      t.used--;
    }
    this.used--;
    this.rec.free(this.shape.perEntryBytes);
    this.rec.endOp(this.capacity());
  }

  protected tableFromSmall(): number {
    const t = this.newTable(2 * GROUP_SLOTS, 0, 0);
    for (let i = 0; i < GROUP_SLOTS; i++) if (this.small[i] >= 0) this.uncheckedPut(t, this.small[i]);
    this.dir = [t];
    return t.used;
  }

  protected doubleDirectory(): number {
    const old = this.dir;
    const dir: Table[] = new Array(old.length * 2);
    for (let i = 0; i < old.length; i++) { dir[2 * i] = old[i]; dir[2 * i + 1] = old[i]; }
    this.dir = dir;
    return old.length;
  }

  private installRange(replacement: Table): void {
    const span = 2 ** (this.globalDepth - replacement.depth);
    const base = replacement.prefix * span;
    for (let i = base; i < base + span; i++) this.dir[i] = replacement;
  }

  private rehash(t: Table): void {
    const { rec, bytes } = this;
    const capBefore = this.capacity();
    if (t.cap * 2 <= MAX_TABLE_CAPACITY) {
      const n = this.newTable(t.cap * 2, t.depth, t.prefix);
      for (let s = 0; s < t.cap; s++) if (t.ctrl[s] === FULL) this.uncheckedPut(n, t.keys[s]);
      allocTable(rec, bytes, n.cap);
      rec.free(bytes.table(t.cap));
      this.retire(t);
      this.installRange(n);
      rec.addMoved(n.used);
      this.grows++;
      rec.mark('grow', capBefore, this.capacity(), `table ${t.cap}→${n.cap}`);
      return;
    }
    const d = t.depth + 1;
    const left = this.newTable(MAX_TABLE_CAPACITY, d, t.prefix * 2);
    const right = this.newTable(MAX_TABLE_CAPACITY, d, t.prefix * 2 + 1);
    const hi = this.hasher.hi;
    for (let s = 0; s < t.cap; s++) {
      if (t.ctrl[s] !== FULL) continue;
      const k = t.keys[s];
      this.uncheckedPut(((hi(k) >>> (32 - d)) & 1) === 0 ? left : right, k);
    }
    allocTable(rec, bytes, MAX_TABLE_CAPACITY);
    allocTable(rec, bytes, MAX_TABLE_CAPACITY);
    let detail = `split table of ${t.used}`;
    if (t.depth === this.globalDepth) detail += this.growDirectory();
    rec.free(bytes.table(t.cap));
    this.retire(t);
    this.installRange(left);
    this.installRange(right);
    rec.addMoved(t.used);
    this.splits++;
    rec.mark('split', capBefore, this.capacity(), `${detail} → ${left.used} + ${right.used}`);
  }
}
