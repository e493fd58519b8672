// What the simulated program does to the map. Keys are numbered 0, 1, 2, ... in insertion
// order; deletes always remove the oldest live key, so the live keys are one contiguous range.

export type Workload =
  /** Insert `entries` distinct keys. */
  | { kind: 'fill' }
  /** Insert `size` keys, then `ops` times: insert a new key and delete the oldest. */
  | { kind: 'churn'; size: number; ops: number }
  /** Insert `size` keys, then `ops` assignments to keys that already exist. */
  | { kind: 'update'; size: number; ops: number };

export class WorkloadError extends Error {}

const MAX_OPS = 50_000_000;

/** Parses `fill`, `churn:<size>:<ops>` or `update:<size>:<ops>`. */
export function parseWorkload(s: string): Workload {
  if (s === 'fill') return { kind: 'fill' };
  const m = /^(churn|update):(\d+):(\d+)$/.exec(s.trim());
  if (!m) throw new WorkloadError(`bad workload "${s}" (expected fill, churn:<size>:<ops> or update:<size>:<ops>)`);
  const size = Number(m[2]);
  const ops = Number(m[3]);
  if (size < 1) throw new WorkloadError(`bad workload "${s}": size must be at least 1`);
  if (size + ops > MAX_OPS) throw new WorkloadError(`bad workload "${s}": at most ${MAX_OPS} operations`);
  return { kind: m[1] as 'churn' | 'update', size, ops };
}

export function formatWorkload(w: Workload): string {
  return w.kind === 'fill' ? 'fill' : `${w.kind}:${w.size}:${w.ops}`;
}

/** The operations a simulator must support; keys are numbered in insertion order. */
export interface MapSimulator {
  insert(k: number): void;
  /** Inserts keys from..to−1; a loop inside the simulator keeps the hot call site monomorphic. */
  insertRange(from: number, to: number): void;
  /** Deletes key k, which is always the oldest live key. */
  remove(k: number): void;
  /** Assigns to existing key k. */
  update(k: number): void;
  /** Entries the map can hold before its next growth allocation. */
  capacity(): number;
}

/** Drives a simulator through a workload; `entries` is the fill size for `fill`. */
export function runWorkload(sim: MapSimulator, w: Workload, entries: number): void {
  const fill = w.kind === 'fill' ? entries : w.size;
  sim.insertRange(0, fill);
  if (w.kind === 'churn') {
    for (let i = 0; i < w.ops; i++) {
      sim.insert(fill + i);
      sim.remove(i);
    }
  } else if (w.kind === 'update') {
    for (let i = 0; i < w.ops; i++) sim.update(i % fill);
  }
}
