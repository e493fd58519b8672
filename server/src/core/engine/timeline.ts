// The timeline the simulators produce: one event per allocation that growth causes, plus
// running totals. The Recorder keeps total / live / peak bytes as allocations happen, so the
// peak includes transient states (old and new tables both reachable during a swiss rehash,
// old and new bucket arrays during a classic evacuation).

export type EventKind = 'make' | 'alloc' | 'grow' | 'split' | 'same-size' | 'overflow';

export interface GrowthEvent {
  /** Number of distinct keys inserted so far, counting this one (1-based); 0 for `make`. */
  insert: number;
  kind: EventKind;
  /** Allocator-charged bytes of everything allocated by this operation (not per-entry key/value boxes). */
  bytes: number;
  /** Entries the map could hold before / after this event without another growth allocation. */
  capacityBefore: number;
  capacityAfter: number;
  /** Entries copied by this operation (swiss: the whole table; classic: this write's evacuation share). */
  moved: number;
  /** Set when the event was caused by a delete or an update of an existing key, not an insert. */
  op?: 'delete' | 'update';
  /** The individual allocations, largest first. */
  allocs: number[];
  /** Short human-readable description: "B 3→4", "table 512→1024", "split, dir 2→4". */
  detail: string;
}

const KIND_RANK: Record<EventKind, number> = {
  make: 6, split: 5, grow: 4, 'same-size': 3, alloc: 2, overflow: 1,
};

export class Recorder {
  totalBytes = 0;
  liveBytes = 0;
  peakBytes = 0;
  readonly events: GrowthEvent[] = [];
  /**
   * Opt-in (the panel draws it): live bytes after each insert as [insert, live] corners of a
   * polyline that is exact at every insert number. Changes within one operation keep the last;
   * points on a straight line with their neighbours (a constant stretch, or the per-entry
   * allocations of indirect keys/values) are merged, so the trace stays small.
   */
  private readonly trace?: [number, number][];
  /** The insert whose live bytes are still changing, not yet in `trace`. */
  private traceCur: [number, number] = [0, 0];

  private cur: GrowthEvent | null = null;
  private insertNo = 0;
  private op: 'insert' | 'delete' | 'update' = 'insert';
  private opMoved = 0;

  constructor(opts: { traceLive?: boolean } = {}) {
    if (opts.traceLive) this.trace = [];
  }

  /** The live-bytes polyline (see `trace`) up to insert `until`, or undefined when not traced. */
  liveCorners(until: number): [number, number][] | undefined {
    if (!this.trace) return undefined;
    const out = this.trace.map((p): [number, number] => [p[0], p[1]]);
    const [x, y] = this.traceCur;
    addCorner(out, x, y);
    if (until > x) addCorner(out, until, y);
    return out;
  }

  /** Starts a new operation; allocations until the next call belong to it. */
  beginOp(insertNo: number, op: 'insert' | 'delete' | 'update'): void {
    this.insertNo = insertNo;
    this.op = op;
    this.cur = null;
    this.opMoved = 0;
  }

  private event(): GrowthEvent {
    if (!this.cur) {
      this.cur = {
        insert: this.insertNo, kind: 'overflow', bytes: 0, capacityBefore: -1, capacityAfter: -1,
        moved: 0, allocs: [], detail: '',
      };
      if (this.op !== 'insert') this.cur.op = this.op;
      this.events.push(this.cur);
    }
    return this.cur;
  }

  /** An allocation caused by growth: it lands in the current operation's event. */
  alloc(bytes: number): void {
    if (bytes <= 0) return;
    const e = this.event();
    e.bytes += bytes;
    e.allocs.push(bytes);
    this.totalBytes += bytes;
    this.liveBytes += bytes;
    if (this.liveBytes > this.peakBytes) this.peakBytes = this.liveBytes;
    if (this.trace) this.traceLive();
  }

  /** Per-entry allocations (indirect keys and values): counted, but not growth events. */
  quietAlloc(bytes: number): void {
    if (bytes <= 0) return;
    this.totalBytes += bytes;
    this.liveBytes += bytes;
    if (this.liveBytes > this.peakBytes) this.peakBytes = this.liveBytes;
    if (this.trace) this.traceLive();
  }

  /**
   * `n` inserts that allocated nothing but their per-entry bytes (none of them a growth event),
   * the last numbered `lastInsert`: what n beginOp/quietAlloc/endOp calls would record. Not for a
   * traced recorder with per-entry bytes, whose curve needs every insert (see `bulkOk`).
   */
  bulkInserts(lastInsert: number, n: number, perEntryBytes: number): void {
    this.insertNo = lastInsert;
    this.cur = null;
    if (perEntryBytes <= 0 || n <= 0) return;
    this.totalBytes += n * perEntryBytes;
    this.liveBytes += n * perEntryBytes;
    if (this.liveBytes > this.peakBytes) this.peakBytes = this.liveBytes;
  }

  /** Whether bulkInserts may stand for single inserts of `perEntryBytes` each. */
  bulkOk(perEntryBytes: number): boolean {
    return !this.trace || perEntryBytes <= 0;
  }

  /** Memory that became unreachable (garbage; MemStats keeps it until the next GC). */
  free(bytes: number): void {
    this.liveBytes -= bytes;
    if (this.trace) this.traceLive();
  }

  private traceLive(): void {
    const t = this.trace!;
    const cur = this.traceCur;
    const x = this.insertNo;
    if (x !== cur[0]) {
      addCorner(t, cur[0], cur[1]);
      // Nothing changed in between: the value held until the insert before this one.
      if (x > cur[0] + 1) addCorner(t, x - 1, cur[1]);
      cur[0] = x;
    }
    cur[1] = this.liveBytes;
  }

  /** Classifies the current event; the most significant kind seen in one operation wins. */
  mark(kind: EventKind, capacityBefore: number, capacityAfter: number, detail: string): void {
    const e = this.event();
    if (KIND_RANK[kind] > KIND_RANK[e.kind]) e.kind = kind;
    if (e.capacityBefore < 0) e.capacityBefore = capacityBefore;
    e.capacityAfter = capacityAfter;
    if (detail) e.detail = e.detail ? `${e.detail}; ${detail}` : detail;
  }

  /** Entries moved; only recorded on an operation that also allocated (pure evacuation
   *  work on later writes is not an allocation event). */
  addMoved(n: number): void {
    this.opMoved += n;
  }

  /** Ends the operation, filling in capacities for events that only allocated overflow space. */
  endOp(capacity: number): void {
    const e = this.cur;
    if (e) {
      if (e.capacityBefore < 0) e.capacityBefore = capacity;
      if (e.capacityAfter < 0) e.capacityAfter = capacity;
      e.moved = this.opMoved;
      e.allocs.sort((a, b) => b - a);
      this.cur = null;
    }
  }

  /** Whether the current operation allocated or moved anything. */
  get active(): boolean {
    return this.cur !== null;
  }
}

/**
 * Appends a polyline corner, extending the last segment instead when the three points are
 * collinear. The recorder's live-bytes trace and the panel's curves thin their polylines alike.
 */
export function addCorner(t: [number, number][], x: number, y: number): void {
  const last = t[t.length - 1];
  const prev = t[t.length - 2];
  if (last && prev && (last[1] - prev[1]) * (x - last[0]) === (y - last[1]) * (last[0] - prev[0])) {
    last[0] = x;
    last[1] = y;
    return;
  }
  t.push([x, y]);
}
