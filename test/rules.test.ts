// One data-driven loop over every rule's fixtures: each finding must be wanted on its line, each
// want must be found, and the preferred fixes must turn the file into its golden.
import { readFileSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ruleById } from '../server/src/core/rules';
import { analyzeSources, ROOT } from './helpers/core';
import { applyEdits, fixtureCases, fixtureRules, goldenPath, readGolden, wantsOf } from './helpers/fixtures';
import { LineIndex } from '../server/src/core/parse/positions';

const UPDATE = process.env.UPDATE_GOLDEN === '1';

describe.each(fixtureRules())('rule %s', (rule) => {
  it('is registered', () => {
    expect(ruleById(rule)?.id).toBe(rule);
  });

  it.each(fixtureCases(rule).map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const sources = Object.fromEntries(c.files.map((f) => [f, readFileSync(f, 'utf8')]));
    const results = await analyzeSources(sources);
    for (const file of c.files) {
      const text = sources[file];
      const lines = new LineIndex(text);
      const findings = results.get(file)!.filter((f) => f.rule === rule);
      const wants = wantsOf(file, text);
      const unmatched = [...wants];
      const where = relative(ROOT, file);
      for (const f of findings) {
        const line = lines.lineColumn(f.range.start).line;
        const i = unmatched.findIndex((w) => w.line === line && w.pattern.test(f.message));
        expect(i, `unexpected finding at ${where}:${line}: ${f.message}`).toBeGreaterThanOrEqual(0);
        unmatched.splice(i, 1);
      }
      expect(unmatched.map((w) => `${where}:${w.line} wants ${w.pattern}`), 'wanted but not reported').toEqual([]);

      const edits = findings.flatMap((f) => f.fixes.filter((x) => x.isPreferred).flatMap((x) => x.edits));
      let golden = readGolden(file);
      if (edits.length === 0) {
        expect(golden, `${where} has a golden but no fix was offered`).toBeUndefined();
        continue;
      }
      const fixed = applyEdits(text, edits);
      if (UPDATE) {
        writeFileSync(goldenPath(file), fixed);
        golden = fixed;
      }
      expect(golden, `${where}: fixes were offered but there is no golden (run with UPDATE_GOLDEN=1)`).toBeDefined();
      expect(fixed).toBe(golden);
    }
  });
});
