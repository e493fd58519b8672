// One data-driven loop over every rule's fixtures (helpers/fixtures.ts says how they are written).
// Every rule runs on every fixture: each finding must be wanted on its line with its whole message,
// each want must be found, each related place and fix title written down must be there, and the
// preferred fixes must turn the file into its golden. A golden that differs fails; UPDATE_GOLDEN=1
// rewrites it and prints the diff for review.
import { readFileSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ruleById } from '../server/src/core/rules';
import { LineIndex } from '../server/src/core/parse/positions';
import { analyzePackages, analyzeSources, ROOT } from './helpers/core';
import { applyEdits, fixtureCases, fixtureRules, goldenPath, lineDiff, readGolden, wantsOf } from './helpers/fixtures';

const UPDATE = process.env.UPDATE_GOLDEN === '1';

describe.each(fixtureRules())('rule %s', (rule) => {
  it('is registered', () => {
    expect(ruleById(rule)?.id).toBe(rule);
  });

  it.each(fixtureCases(rule).map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const sources = Object.fromEntries(c.files.map((f) => [f, readFileSync(f, 'utf8')]));
    const results = c.packages ? await analyzePackages(c.files) : await analyzeSources(sources);
    const problems: string[] = [];
    for (const file of c.files) {
      const text = sources[file];
      const lines = new LineIndex(text);
      const lineOf = (byte: number) => lines.lineColumn(byte).line;
      const findings = results.get(file)!;
      const wants = wantsOf(file, text, rule);
      const where = relative(ROOT, file);
      const open = wants.filter((w) => w.kind === 'finding');
      for (const f of findings) {
        const line = lineOf(f.range.start);
        const i = open.findIndex((w) => w.line === line && w.rule === f.rule && w.pattern.test(f.message));
        if (i < 0) problems.push(`${where}:${line}: unexpected ${f.rule} finding: ${f.message}`);
        else open.splice(i, 1);
      }
      for (const w of open) problems.push(`${where}:${w.line}: no ${w.rule} finding matching \`${w.source}\``);
      const related = findings.flatMap((f) => f.related.filter((r) => r.file === undefined).map((r) => ({ line: lineOf(r.range.start), message: r.message })));
      for (const w of wants.filter((x) => x.kind === 'related')) {
        if (!related.some((r) => r.line === w.line && w.pattern.test(r.message))) {
          problems.push(`${where}:${w.line}: no related place matching \`${w.source}\` (here: ${JSON.stringify(related.filter((r) => r.line === w.line).map((r) => r.message))})`);
        }
      }
      const titles = findings.flatMap((f) => f.fixes.map((x) => ({ line: lineOf(f.range.start), title: x.title })));
      for (const w of wants.filter((x) => x.kind === 'fix')) {
        if (!titles.some((t) => t.line === w.line && w.pattern.test(t.title))) {
          problems.push(`${where}:${w.line}: no fix titled \`${w.source}\` (here: ${JSON.stringify(titles.filter((t) => t.line === w.line).map((t) => t.title))})`);
        }
      }

      const edits = findings.flatMap((f) => f.fixes.filter((x) => x.isPreferred).flatMap((x) => x.edits));
      const golden = readGolden(file);
      if (edits.length === 0) {
        if (golden !== undefined) problems.push(`${where} has a golden but no fix was offered`);
        continue;
      }
      const fixed = applyEdits(text, edits);
      if (golden === fixed) continue;
      if (UPDATE) {
        writeFileSync(goldenPath(file), fixed);
        console.log(`UPDATE_GOLDEN: rewrote ${where}.golden; review the change:\n${lineDiff(golden ?? '', fixed)}`);
      } else {
        problems.push(golden === undefined ? `${where}: fixes were offered but there is no golden (UPDATE_GOLDEN=1 writes it)` : `${where}.golden differs from the fixed file:\n${lineDiff(golden, fixed)}`);
      }
    }
    expect(problems).toEqual([]);
  });
});
