// What the hover and the code lens show for a measured site (server/src/lsp/profile-view.ts), on
// the committed Go 1.26 profiles of program/: the words a user reads, from real figures.
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { markHotFindings } from '../../server/src/core/profile/hot-findings';
import { measuredHover, measuredLens, measuredSiteAt } from '../../server/src/lsp/profile-view';
import { analyzeSources } from '../helpers/core';
import { readFileSync } from 'node:fs';
import { DATA, PROGRAM, reportFor, site, SIZES } from './expect';

const files = [join(DATA, 'heap-go1.26.pb.gz'), join(DATA, 'cpu-go1.26.pb.gz')];

it('measuredSiteAt finds the site under an offset of its make call, and nothing between sites', async () => {
  const r = await reportFor(files, '1.26');
  const index = site(r, 'index');
  expect(measuredSiteAt(r.sites, index.range.start)).toBe(index);
  expect(measuredSiteAt(r.sites, index.range.end)).toBe(index);
  expect(measuredSiteAt(r.sites, index.range.end + 1)).toBeUndefined();
});

it('the hover: measured growth, CPU, the size from the profile and the hint, and which profiles', async () => {
  const r = await reportFor(files, '1.26');
  const text = measuredHover(site(r, 'index'), r);
  const lines = text.split('\n');
  expect(lines[0]).toBe('**MapScope, from the profile** — hot');
  expect(text).toMatch(/^- growth: 1\.2 MB in 145 allocations \(\d+% of all bytes allocated\)$/m);
  expect(text).toMatch(/^- at the creation: 48 B \(1 map\); still in use: 591 KB$/m);
  expect(text).toMatch(/^- CPU in growth: [\d.]+ ms \([\d.]+% of the CPU profile\) of [\d.]+ ms in its assignments$/m);
  const size = /^- size: ([\d,]+)–([\d,]+) entries, from profile \(/m.exec(text)!;
  expect(Number(size[1].replace(/,/g, ''))).toBeLessThanOrEqual(SIZES.index);
  expect(Number(size[2].replace(/,/g, ''))).toBeGreaterThanOrEqual(SIZES.index);
  expect(text).toMatch(/^- a hint of n \(about [\d,]+\) allocates 591 KB once per map: saves 592 KB$/m);
  expect(lines[lines.length - 1]).toMatch(/^_heap \(every allocation recorded\), CPU \([\d.]+ s\); Go 1\.26, swiss maps_$/);
  // The hinted map: no growth, no size, no hint.
  const byName = measuredHover(site(r, 'byName'), r);
  expect(byName).toMatch(/^- growth: none: every allocation was at the creation$/m);
  expect(byName).not.toMatch(/size:|a hint of/);
});

it('the code lens: one line, opening the growth panel', async () => {
  const r = await reportFor(files, '1.26');
  const lens = measuredLens(site(r, 'index'));
  expect(lens.title).toMatch(/^profile: growth 1\.2 MB \(\d+%\), [\d.]+ ms CPU in growth; [\d,]+–[\d,]+ entries$/);
  expect(lens.command).toBe('mapscope.showGrowthPanel');
  expect(measuredLens(site(r, 'byName')).title).toBe('profile: no growth');
});

it('hot findings: only map-without-hint on a hot site, raised and never lowered', async () => {
  const r = await reportFor([files[0]], '1.26');
  const path = join(PROGRAM, 'main.go');
  const findings = (await analyzeSources({ [path]: readFileSync(path, 'utf8') })).get(path)!;
  const measured = r.sites.filter((s) => s.file === path);
  const index = site(r, 'index');
  const before = findings.find((f) => f.rule === 'map-without-hint' && f.range.start === index.range.start)!;
  expect(before.severity).toBe('information');
  const raised = markHotFindings(findings, measured, { severity: 'warning' }).find((f) => f.range.start === index.range.start)!;
  expect(raised.severity).toBe('warning');
  expect(raised.message.startsWith(before.message)).toBe(true);
  expect(raised.message).toMatch(/\. Hot in the loaded profile: growth 1\.2 MB \(\d+%\); [\d,]+–[\d,]+ entries; a hint of n/);
  expect(markHotFindings(findings, measured, { severity: 'hint' }).find((f) => f.range.start === index.range.start)!.severity).toBe('information');
  // Nothing else changes.
  const others = (fs: typeof findings) => fs.filter((f) => f.range.start !== index.range.start);
  expect(others(markHotFindings(findings, measured, { severity: 'error' }))).toEqual(others(findings));
});
