// The growth panel's events table (runs of swiss splits folded per directory doubling, as classic
// overflow buckets are folded) and the status bar's choice of folder.
import { describe, expect, it } from 'vitest';
import { eventRows, groupEvents } from '../client/src/panel/events';
import { statusFor } from '../client/src/status-for';
import type { StatusParams, TimelineEvent } from '../common/protocol';
import { layoutOf, parseGoType, predict } from '../server/src/core/engine';
import { foldOverflow } from '../server/src/core/timelines';

const ev = (insert: number, kind: TimelineEvent['kind'], bytes: number, before: number, after: number, detail: string): TimelineEvent => ({
  insert, kind, bytes, capacityBefore: before, capacityAfter: after, moved: 0, detail,
});

describe('events table', () => {
  it('folds each run of splits into one row, a new run starting where a split doubles the directory', () => {
    const events = [
      ev(449, 'grow', 27296, 448, 896, 'table 512→1024'),
      ev(897, 'split', 54608, 896, 1792, 'split table of 896, directory 1→2 → 440 + 456'),
      ev(1789, 'split', 54624, 1792, 2688, 'split table of 896, directory 2→4 → 434 + 462'),
      ev(1803, 'split', 54592, 2688, 3584, 'split table of 896 → 449 + 447'),
      ev(3502, 'split', 54656, 3584, 4480, 'split table of 896, directory 4→8 → 460 + 436'),
      ev(3525, 'split', 54592, 4480, 5376, 'split table of 896 → 432 + 464'),
      ev(3619, 'split', 54592, 5376, 6272, 'split table of 896 → 470 + 426'),
    ];
    const rows = groupEvents(events);
    expect(rows.map((r) => [r.insert, r.lastInsert, r.kind, r.count, r.bytes, r.capacityBefore, r.capacityAfter, r.what])).toEqual([
      [449, undefined, 'grow', 1, 27296, 448, 896, 'grow (table 512→1024)'],
      [897, undefined, 'split', 1, 54608, 896, 1792, 'split table of 896, directory 1→2 → 440 + 456'],
      [1789, 1803, 'split', 2, 54624 + 54592, 1792, 3584, '2 table splits, the first doubling the directory 2→4'],
      [3502, 3619, 'split', 3, 54656 + 54592 + 54592, 3584, 6272, '3 table splits, the first doubling the directory 4→8'],
    ]);
    // "Show all": one row per event.
    expect(eventRows(events)).toHaveLength(events.length);
  });

  it('keeps classic rows as the server folds them, and a 10-million-entry swiss map in a few dozen rows', () => {
    const classic = predict(layoutOf(parseGoType('int')), layoutOf(parseGoType('string')), { entries: 3000, hint: 0, go: '1.23' });
    const folded = foldOverflow(classic.events);
    expect(groupEvents(folded)).toEqual(eventRows(folded));
    expect(folded.some((e) => (e.count ?? 1) > 1)).toBe(true);

    const swiss = predict(layoutOf(parseGoType('int64')), layoutOf(parseGoType('int64')), { entries: 10_000_000, hint: 0, go: '1.26' });
    const rows = groupEvents(foldOverflow(swiss.events));
    const splits = swiss.events.filter((e) => e.kind === 'split').length;
    expect(splits).toBeGreaterThan(10_000);
    expect(rows.length).toBeLessThan(40);
    // Nothing lost: the rows add up to every event and every byte.
    expect(rows.reduce((n, r) => n + r.count, 0)).toBe(swiss.events.length);
    expect(rows.reduce((n, r) => n + r.bytes, 0)).toBe(swiss.events.reduce((n, e) => n + e.bytes, 0));
  });
});

describe('status bar folder', () => {
  const status = (folder: string, version: string): StatusParams => ({
    folder, toolchain: { version, source: 's', impl: 'swiss', experiments: [] }, language: { version, source: 's' },
  });
  const statuses = new Map([
    ['/w', status('/w', '1.24')],
    ['/w/sub', status('/w/sub', '1.26')],
    ['/w/subway', status('/w/subway', '1.25')],
    ['', status('', '1.23')],
  ]);

  it('takes the longest folder containing the file, by whole path components', () => {
    expect(statusFor(statuses, '/w/sub/a.go')?.toolchain.version).toBe('1.26');
    expect(statusFor(statuses, '/w/subway/a.go')?.toolchain.version).toBe('1.25');
    expect(statusFor(statuses, '/w/a.go')?.toolchain.version).toBe('1.24');
    expect(statusFor(statuses, '/elsewhere/a.go')).toBeUndefined();
    // No path (an untitled buffer outside any folder): the status for folder ''.
    expect(statusFor(statuses, undefined)?.toolchain.version).toBe('1.23');
  });
});
