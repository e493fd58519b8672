// The order `mapscope check` hands packages to its threads (cli/schedule.ts): a package only once
// the packages its own files import are summarised, a thread waiting rather than starting one too
// early, and never a deadlock.
import { describe, expect, it } from 'vitest';
import { JobSchedule, type Decision } from '../server/src/cli/schedule';

const job = (d: Decision): number => {
  if (typeof d !== 'object') throw new Error(`expected a job, got ${d}`);
  return d.job;
};

describe('JobSchedule', () => {
  it('hands out a package only after the packages it imports are summarised, and waits meanwhile', () => {
    // 0 imports 1, 1 imports 2.
    const s = new JobSchedule([1, 1, 1], [
      { own: [1], tests: [] },
      { own: [2], tests: [] },
      { own: [], tests: [] },
    ]);
    expect(job(s.next())).toBe(2);
    // 1 is not ready while 2 runs: the free thread waits, and 2's summaries are awaited.
    expect(s.next()).toBe('wait');
    expect(s.awaited(2)).toBe(true);
    expect(s.awaited(0)).toBe(false);
    // Summarised, not yet finished (its rules still run): its importer may start.
    s.summarised(2);
    expect(job(s.next())).toBe(1);
    expect(s.next()).toBe('wait');
    s.finished(1);
    expect(job(s.next())).toBe(0);
    // Nothing left to hand out: a free thread stops, whatever still runs.
    expect(s.next()).toBe('done');
  });

  it('starts the longest chain of importers first, weighted by files', () => {
    // 0 and 1 are ready; 1 (1 file) is imported by 2 (50 files); 0 (10 files) by nobody.
    const s = new JobSchedule([10, 1, 50], [
      { own: [], tests: [] },
      { own: [], tests: [] },
      { own: [1], tests: [] },
    ]);
    expect(job(s.next())).toBe(1);
    expect(job(s.next())).toBe(0);
  });

  it('prefers a package whose tests\' imports are summarised too, and takes one whose are not rather than wait', () => {
    // 0's tests import 2, which imports 0 (fmt's tests import testing, which imports fmt); 1 stands alone.
    const s = new JobSchedule([1, 1, 100], [
      { own: [], tests: [2] },
      { own: [], tests: [] },
      { own: [0], tests: [] },
    ]);
    // 0 heads the longest chain, but 1 is ready with all its imports.
    expect(job(s.next())).toBe(1);
    // Then 0, whose test import cannot be summarised before it: waiting would never end.
    expect(job(s.next())).toBe(0);
    expect(s.next()).toBe('wait');
    s.summarised(0);
    expect(job(s.next())).toBe(2);
  });

  it('breaks a cycle of own imports (read wrong from the text) when nothing runs, instead of waiting forever', () => {
    const s = new JobSchedule([1, 1], [
      { own: [1], tests: [] },
      { own: [0], tests: [] },
    ]);
    const first = job(s.next());
    expect(s.next()).toBe('wait');
    s.finished(first);
    expect(job(s.next())).toBe(1 - first);
  });

  it('releases the importers of a job whose thread died before it summarised', () => {
    const s = new JobSchedule([1, 1], [
      { own: [], tests: [] },
      { own: [0], tests: [] },
    ]);
    expect(job(s.next())).toBe(0);
    expect(s.next()).toBe('wait');
    s.finished(0);
    expect(job(s.next())).toBe(1);
    expect(s.next()).toBe('done');
  });
});
