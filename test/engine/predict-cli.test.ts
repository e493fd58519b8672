import { describe, expect, it } from 'vitest';
import { runPredict } from '../../server/src/cli/predict';

async function run(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runPredict(args, (s) => out.push(s), (s) => err.push(s));
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('mapscope predict', () => {
  it('--format json has the design.md §3.2 shape and the measured swiss growth points', async () => {
    const r = await run(['--key', 'int64', '--value', 'int64', '--entries', '1000', '--go', '1.26', '--format', 'json']);
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    const j = JSON.parse(r.out);
    expect(Object.keys(j)).toEqual(expect.arrayContaining(['impl', 'go', 'key', 'value', 'entries', 'hint', 'events', 'totalBytes', 'liveBytes', 'peakBytes']));
    expect(j.impl).toBe('swiss');
    expect(j.key).toEqual({ size: 8, align: 8, pointers: false });
    for (const e of j.events) {
      expect(Object.keys(e)).toEqual(expect.arrayContaining(['insert', 'kind', 'bytes', 'capacityBefore', 'capacityAfter', 'moved']));
    }
    // Spec §3.7, measured on 1.24.4/1.25.12/1.26.11.
    expect(j.events.map((e: { insert: number; bytes: number }) => [e.insert, e.bytes])).toEqual([
      [0, 48], [1, 144], [9, 328], [15, 608], [29, 1184], [57, 2336], [113, 4896], [225, 9504], [449, 18464], [897, 36944],
    ]);
    expect(j.events[9]).toMatchObject({ kind: 'split', capacityBefore: 896, capacityAfter: 1792, moved: 896 });
    expect(j.totalBytes).toBe(j.events.reduce((s: number, e: { bytes: number }) => s + e.bytes, 0));
    expect(j.spread).toBeUndefined();
  });

  it('classic with a hint: the make event carries the bucket array (spec §5.3)', async () => {
    const r = await run(['--key', 'string', '--value', 'int', '--entries', '100', '--hint', '100', '--impl', 'classic', '--format', 'json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.impl).toBe('classic');
    expect(j.events[0]).toMatchObject({ insert: 0, kind: 'make', bytes: 4168 });
    expect(j.events.filter((e: { kind: string }) => e.kind === 'grow')).toEqual([]);
  });

  it('--runs adds a spread; --go 1.24 noswissmap uses the 64-byte hmap', async () => {
    const r = await run(['--key', 'int64', '--value', 'int64', '--entries', '4000', '--runs', '8', '--format=json']);
    const j = JSON.parse(r.out);
    expect(j.spread.runs).toBe(8);
    expect(j.spread.events.some((e: { insert: { min: number; max: number } }) => e.insert.min < e.insert.max)).toBe(true);
    const c = JSON.parse((await run(['--key', 'int', '--value', 'int', '--entries', '1', '--go', 'go1.24.4 X:noswissmap', '--format', 'json'])).out);
    expect(c.impl).toBe('classic');
    expect(c.events[0].bytes).toBe(64);
  });

  it('text output is a readable table with totals', async () => {
    const r = await run(['--key', 'string', '--value', 'struct{}', '--entries', '2000', '--go', '1.19']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/Go 1\.19 \(classic map\)/);
    expect(r.out).toMatch(/^\s*insert\s+kind\s+bytes\s+capacity\s+moved\s+detail$/m);
    expect(r.out).toMatch(/^\s*1665\s+grow\s+\d+\s+1664→3328/m);
    expect(r.out).toMatch(/total allocated: \d+ B/);
    expect(r.out).toMatch(/peak live: +\d+ B/);
  });

  it('unknown types are reported as assumptions', async () => {
    const j = JSON.parse((await run(['--key', 'pkg.ID', '--value', 'int', '--entries', '10', '--format', 'json'])).out);
    expect(j.assumptions).toEqual(['unknown type pkg.ID: assumed 8 bytes with pointers']);
  });

  const bad: [string, string[], RegExp][] = [
    ['missing --key', ['--value', 'int', '--entries', '3'], /missing --key/],
    ['bad type', ['--key', '[3', '--value', 'int', '--entries', '3'], /--key: bad Go type/],
    ['bad entries', ['--key', 'int', '--value', 'int', '--entries', 'lots'], /--entries must be an integer/],
    ['negative entries', ['--key', 'int', '--value', 'int', '--entries', '-4'], /--entries must be between/],
    ['bad impl', ['--key', 'int', '--value', 'int', '--entries', '3', '--impl', 'hashmap'], /--impl must be classic or swiss/],
    ['go/impl conflict', ['--key', 'int', '--value', 'int', '--entries', '3', '--go', '1.26', '--impl', 'classic'], /no classic map/],
    ['bad version', ['--key', 'int', '--value', 'int', '--entries', '3', '--go', 'latest'], /bad Go version/],
    ['bad workload', ['--key', 'int', '--value', 'int', '--entries', '3', '--workload', 'churn:5'], /bad workload/],
    ['unknown flag', ['--key', 'int', '--value', 'int', '--entries', '3', '--color'], /unknown flag --color/],
    ['file form', ['main.go:12'], /unexpected argument/],
    ['missing value', ['--key', 'int', '--value', 'int', '--entries'], /--entries needs a value/],
    ['bad format', ['--key', 'int', '--value', 'int', '--entries', '3', '--format', 'xml'], /--format must be text or json/],
  ];
  for (const [name, args, re] of bad) {
    it(`usage error (${name}) → exit 2, one line on stderr, nothing on stdout`, async () => {
      const r = await run(args);
      expect(r.code).toBe(2);
      expect(r.out).toBe('');
      expect(r.err).toMatch(re);
      // One line, ended like every other line the CLI prints.
      expect(r.err.split('\n')).toHaveLength(2);
      expect(r.err.endsWith('\n')).toBe(true);
      expect(r.err).not.toMatch(/\bat .*\.ts:\d+/);
    });
  }
});
