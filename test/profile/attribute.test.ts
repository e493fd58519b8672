// Attribution on the committed profiles of program/ (recorded by record.mjs with Go 1.19, classic
// maps, and Go 1.26, swiss maps): runs without Go. profile-live.test.ts records fresh ones.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DATA, expectCpu, expectHeap, reportFor, site } from './expect';

for (const go of ['1.19', '1.26']) {
  describe(`committed profiles of Go ${go}`, () => {
    const heap = join(DATA, `heap-go${go}.pb.gz`);
    const cpu = join(DATA, `cpu-go${go}.pb.gz`);

    it('heap: ranks the hintless maps, matches the engine, infers their sizes, finds no growth at the hinted one', async () => {
      expectHeap(await reportFor([heap], go), go);
    });

    it('cpu: time in growth at the hintless map, none at the hinted one', async () => {
      expectCpu(await reportFor([cpu], go));
    });

    it('heap and cpu together: both kinds of figures on one site', async () => {
      const r = await reportFor([heap, cpu], go);
      const index = site(r, 'index');
      expect(index.growth.allocBytes).toBeGreaterThan(0);
      expect(index.cpu!.growthNanos).toBeGreaterThan(0);
      expect(r.totals.allocBytes).toBeGreaterThan(index.growth.allocBytes);
      expect(r.totals.cpuNanos).toBeGreaterThan(index.cpu!.assignNanos);
      expect(index.share.bytes).toBeCloseTo(index.growth.allocBytes / r.totals.allocBytes!, 10);
    });

    it('says so when the frames show the other map implementation than the Go version given', async () => {
      const other = go === '1.19' ? '1.26' : '1.19';
      const r = await reportFor([cpu], other);
      expect(r.impl).toBe(go === '1.19' ? 'classic' : 'swiss');
      expect(r.notes.join(' ')).toMatch(/runtime frames are of (classic|swiss) maps/);
    });
  });
}

it('follows the helper called from two functions to each caller\'s map', async () => {
  for (const go of ['1.19', '1.26']) {
    // put() is the only line that writes set and byName: what it allocated went to set, the
    // caller's map that grew, and nothing on its line is left unlinked or ambiguous.
    const r = await reportFor([join(DATA, `heap-go${go}.pb.gz`), join(DATA, `cpu-go${go}.pb.gz`)], go);
    expect(site(r, 'set').growth.allocBytes).toBeGreaterThan(0);
    expect(site(r, 'byName').growth.allocBytes).toBe(0);
    expect(r.unlinked).toEqual([]);
    expect(r.ambiguous.every((a) => a.candidates.length === 2 && !a.candidates.some((c) => c.name === 'set' || c.name === 'byName'))).toBe(true);
  }
});
