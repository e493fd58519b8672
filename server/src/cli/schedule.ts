// The order in which `mapscope check` hands packages to its threads. A package's analysis reads
// the declarations of the packages it imports; when one of them is a package of the same check
// that no thread has summarised yet, the loader parses its files just for that, a second time.
// On the standard library that was an eighth of a cold check (runtime, imported by everything,
// parsed as an import by a thread while the other was still checking it). So a package is handed
// out only once the packages its own files import have been summarised (the thread that checked
// them posted so, right after writing their summaries to the disk cache, before its rules ran),
// and a thread with nothing ready waits for the next summary rather than parse one again.
// Among ready packages, those whose tests' imports are summarised too come first (a test may
// import a package that imports the one it tests: one of the two must go first), then the
// longest chain of importers, weighted by files, so that the check's critical path starts early.
import type { JobImports } from '../node/job-order';

type State = 'pending' | 'running' | 'summarised' | 'finished';

/** What a free thread does: start a job, wait for a running one to summarise, or stop. */
export type Decision = { job: number } | 'wait' | 'done';

export class JobSchedule {
  private readonly state: State[];
  private readonly priority: number[];
  /** Per job: how many of its own imports, and of its tests' imports, are not summarised yet. */
  private readonly missingOwn: number[];
  private readonly missingTests: number[];
  /** Who imports each job: [importer, from its tests]. */
  private readonly importers: [number, boolean][][];
  /** Pending jobs whose own imports are all summarised. */
  private readonly ready = new Set<number>();
  private pending: number;
  private running = 0;

  /** `weights`: a job's cost (its files); `imports`: the other jobs each imports (job-order.ts). */
  constructor(weights: readonly number[], imports: readonly JobImports[]) {
    this.state = weights.map(() => 'pending');
    this.pending = weights.length;
    this.priority = criticalPaths(weights, imports);
    this.importers = weights.map(() => []);
    this.missingOwn = imports.map((imp) => imp.own.length);
    this.missingTests = imports.map((imp) => imp.tests.length);
    imports.forEach((imp, i) => {
      for (const d of imp.own) this.importers[d].push([i, false]);
      for (const d of imp.tests) this.importers[d].push([i, true]);
      if (imp.own.length === 0) this.ready.add(i);
    });
  }

  next(): Decision {
    if (this.pending === 0) return 'done';
    let best = -1;
    for (const i of this.ready) if (best < 0 || this.before(i, best)) best = i;
    // Nothing ready: a running job will summarise soon. With none running, the imports cannot be
    // Go's (a cycle, read wrong from the text): any pending job.
    if (best < 0) {
      if (this.running > 0) return 'wait';
      for (let i = 0; i < this.state.length; i++) if (this.state[i] === 'pending' && (best < 0 || this.priority[i] > this.priority[best])) best = i;
    }
    this.ready.delete(best);
    this.state[best] = 'running';
    this.pending--;
    this.running++;
    return { job: best };
  }

  /** Whether a job that has not started yet imports this one: only then does its summarising early matter. */
  awaited(i: number): boolean {
    return this.importers[i].some(([k]) => this.state[k] === 'pending');
  }

  /** A running job's summaries can be read by the packages that import it. */
  summarised(i: number): void {
    if (this.state[i] !== 'running') return;
    this.state[i] = 'summarised';
    this.release(i);
  }

  /** A job ended (reported, failed, or its thread died). */
  finished(i: number): void {
    const was = this.state[i];
    if (was === 'finished') return;
    this.state[i] = 'finished';
    if (was === 'pending') {
      this.pending--;
      this.ready.delete(i);
    } else this.running--;
    if (was !== 'summarised') this.release(i);
  }

  /** Whether ready job a goes before ready job b. */
  private before(a: number, b: number): boolean {
    const fullA = this.missingTests[a] === 0;
    const fullB = this.missingTests[b] === 0;
    return fullA !== fullB ? fullA : this.priority[a] > this.priority[b];
  }

  private release(i: number): void {
    for (const [k, fromTests] of this.importers[i]) {
      if (fromTests) this.missingTests[k]--;
      else if (--this.missingOwn[k] === 0 && this.state[k] === 'pending') this.ready.add(k);
    }
  }
}

/** Each job's weight plus the heaviest chain of jobs importing it (own imports; a cycle is cut). */
function criticalPaths(weights: readonly number[], imports: readonly JobImports[]): number[] {
  const importers: number[][] = weights.map(() => []);
  imports.forEach((imp, i) => {
    for (const d of imp.own) importers[d].push(i);
  });
  const out: number[] = new Array(weights.length).fill(-1);
  const visiting = new Set<number>();
  const path = (i: number): number => {
    if (out[i] >= 0) return out[i];
    if (visiting.has(i)) return 0;
    visiting.add(i);
    let longest = 0;
    for (const d of importers[i]) longest = Math.max(longest, path(d));
    visiting.delete(i);
    return (out[i] = weights[i] + longest);
  };
  for (let i = 0; i < weights.length; i++) path(i);
  return out;
}
