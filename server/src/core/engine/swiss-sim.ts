// What the two swiss simulators model the same way: the map header and the hint's tables
// (NewMap), the small map's one group, the step from the small map to a first table
// (growToTable), doubling the directory on a split (installTableSplit), and updates. They keep
// their tables differently (counts in typed arrays, or slots with control bytes), so each
// subclass supplies the table-building steps.
//
// Only cold paths live here: each runs once per map, per growth or per split. The per-insert
// paths (insert, the quiet bulk loop, capacity) stay in each subclass, so that their property
// accesses only ever see one class and stay monomorphic, as the engine bench needs.

import { makeHasher, type KeyHasher } from './hash';
import type { MapShape } from './map-shape';
import { allocTable, GROUP_SLOTS, MAP_HEADER_BYTES, swissBytes, swissHintPlan, type SwissBytes } from './swiss-common';
import type { Recorder } from './timeline';

export interface SwissOptions {
  /** 1.24–1.26 convert a full small map to a table even when the key already exists. */
  smallUpdateQuirk: boolean;
}

export abstract class SwissSim<O extends SwissOptions> {
  protected readonly hasher: KeyHasher;
  protected readonly bytes: SwissBytes;

  protected mode: 'empty' | 'small' | 'table' = 'empty';
  protected used = 0;
  protected inserts = 0;
  protected globalDepth = 0;
  protected budget = 0; // Σ maxGrowthLeft over live tables

  /** Statistics for reports and tests. */
  splits = 0;
  grows = 0;

  constructor(
    protected readonly shape: MapShape, protected readonly rec: Recorder, seed: number, protected readonly opts: O,
  ) {
    this.hasher = makeHasher(seed);
    this.bytes = swissBytes(shape);
  }

  /** Entries the map can hold before its next growth allocation. */
  abstract capacity(): number;

  /** Builds the directory of `dirSize` empty tables of `capacity` that a hint asks for. */
  protected abstract hintTables(dirSize: number, capacity: number): void;

  /** Moves the small map's entries into a new 16-slot table behind a 1-entry directory; returns how many. */
  protected abstract tableFromSmall(): number;

  /** Replaces the directory with one twice as long (each entry twice); returns the old length. */
  protected abstract doubleDirectory(): number;

  /** NewMap: the header, and for a hint above one group its tables behind a directory. */
  protected make(hint: number): void {
    const { rec, bytes } = this;
    rec.beginOp(0, 'insert');
    rec.alloc(MAP_HEADER_BYTES);
    let detail = 'Map header';
    const plan = swissHintPlan(hint, this.shape);
    if (plan) {
      this.mode = 'table';
      this.globalDepth = Math.log2(plan.dirSize);
      rec.alloc(bytes.directory(plan.dirSize));
      this.hintTables(plan.dirSize, plan.capacity);
      for (let i = 0; i < plan.dirSize; i++) allocTable(rec, bytes, plan.capacity);
      detail += `, ${plan.dirSize} table(s) × capacity ${plan.capacity}`;
    }
    rec.mark('make', 0, this.capacity(), detail);
    rec.endOp(this.capacity());
  }

  /** growToSmall: the first insert into an empty map allocates one group. */
  protected growToSmall(): void {
    this.rec.alloc(this.bytes.smallGroup);
    this.mode = 'small';
    this.rec.mark('alloc', 0, GROUP_SLOTS, 'small map group');
  }

  /** growToTable: the 8 entries move into a 16-slot table behind a 1-entry directory. */
  protected growToTable(): void {
    const { rec, bytes } = this;
    allocTable(rec, bytes, 2 * GROUP_SLOTS);
    rec.alloc(bytes.directory(1));
    rec.free(bytes.smallGroup);
    this.mode = 'table';
    this.globalDepth = 0;
    rec.addMoved(this.tableFromSmall());
    rec.mark('grow', GROUP_SLOTS, this.capacity(), 'small map → table of 16');
  }

  /** installTableSplit when the split table is as deep as the directory; returns the event's detail. */
  protected growDirectory(): string {
    const { rec, bytes } = this;
    const before = this.doubleDirectory();
    rec.alloc(bytes.directory(2 * before));
    rec.free(bytes.directory(before));
    this.globalDepth++;
    return `, directory ${before}→${2 * before}`;
  }

  update(): void {
    this.rec.beginOp(this.inserts, 'update');
    if (this.mode === 'small' && this.used === GROUP_SLOTS && this.opts.smallUpdateQuirk) this.growToTable();
    this.rec.endOp(this.capacity());
  }
}
