// A rule that throws is a bug in MapScope: it is reported once, with the file and the rule, and
// the rest of the run goes on (the other rules' findings, the other files). Without a place to
// report it, the error propagates: nothing is dropped silently.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { analyzeFile, type RuleError } from '../server/src/core/analyze';
import { PackageIndex } from '../server/src/core/index/package-index';
import { summarize } from '../server/src/core/index/summary';
import { NEWEST_GO } from '../server/src/core/go-version';
import { ruleById } from '../server/src/core/rules';
import type { Rule } from '../server/src/core/rules/rule';
import { formatRuleError } from '../server/src/cli/format';
import { checkDirectory } from '../server/src/node/check-package';
import { loadParser, unitOf } from './helpers/core';

const SRC = 'package main\n\nfunc main() {\n\tvar m map[string]int\n\tm["a"] = 1\n\tn := make(map[int]int)\n\tfor i := 0; i < 100; i++ {\n\t\tn[i] = i\n\t}\n}\n';

describe('a rule that throws', () => {
  const rule = ruleById('map-without-hint') as Rule;
  const check = rule.check;
  beforeEach(() => {
    rule.check = () => {
      throw new Error('boom');
    };
  });
  afterEach(() => {
    rule.check = check;
  });

  it('is reported with the file and the rule, and the other rules still report', async () => {
    const p = await loadParser();
    const unit = unitOf(p, 'a.go', SRC);
    try {
      const pkg = new PackageIndex([summarize(unit)]);
      const errors: RuleError[] = [];
      const findings = analyzeFile(unit, pkg, { go: NEWEST_GO, errors });
      expect(errors.map((e) => [e.rule, e.file, e.message])).toEqual([['map-without-hint', 'a.go', 'boom']]);
      expect(errors[0].stack).toContain('boom');
      expect(findings.map((f) => f.rule)).toEqual(['nil-map-write']);
      expect(() => analyzeFile(unit, pkg, { go: NEWEST_GO })).toThrow('boom');
    } finally {
      unit.tree.delete();
    }
  });

  it('reaches the CLI report as one error per file and rule, with the stack only when asked', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mapscope-errors-'));
    try {
      writeFileSync(join(dir, 'a.go'), SRC);
      writeFileSync(join(dir, 'b.go'), 'package main\n\nfunc f() {\n\tvar m map[int]int\n\tm[1] = 2\n}\n');
      const files = [join(dir, 'a.go'), join(dir, 'b.go')];
      const report = checkDirectory(await loadParser(), { dir, files, siblings: files, go: NEWEST_GO, language: NEWEST_GO });
      expect(report.errors.map((e) => [e.rule, e.file])).toEqual([['map-without-hint', join(dir, 'a.go')], ['map-without-hint', join(dir, 'b.go')]]);
      expect(report.findings.map((f) => f.rule)).toEqual(['nil-map-write', 'nil-map-write']);
      const line = formatRuleError(report.errors[0], false);
      expect(line).toMatch(/a\.go: internal error in map-without-hint: boom \(the rest of the file was analysed; --debug prints the stack\)$/);
      expect(line).not.toContain('\n');
      expect(formatRuleError(report.errors[0], true).split('\n').length).toBeGreaterThan(2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
