// Generated documentation and the extension manifest stay in step with the rules, and each rule's
// examples say what the rule does: the bad one is reported, the good one is not.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RULES } from '../server/src/core/rules';
import { renderRulesDoc } from '../server/src/core/rules/docs';
import { analyzeSources, ROOT } from './helpers/core';
import { HAS_GO } from './helpers/go';

/** A documentation example as a file of its own: the examples are function bodies using `sync` and a `User`. */
const asFile = (example: string) => `package example\n\nimport "sync"\n\nvar _ sync.Mutex\n\ntype User struct{ ID string }\n\n${example}\n`;

describe('rule documentation', () => {
  it('docs/rules.md is generated from the rules (npm run docs)', () => {
    const path = join(ROOT, 'docs', 'rules.md');
    const expected = renderRulesDoc(RULES);
    if (process.env.UPDATE_DOCS === '1') writeFileSync(path, expected);
    expect(readFileSync(path, 'utf8')).toBe(expected);
  });

  it('every rule documents a bad and a good example, and when it stays silent', () => {
    for (const r of RULES) {
      expect(r.docs.bad, r.id).not.toBe(r.docs.good);
      expect(r.docs.silentWhen.length, r.id).toBeGreaterThan(0);
    }
  });

  it.each(RULES.map((r) => [r.id, r]))('%s: the bad example is reported, the good one is not', async (_id, r) => {
    const bad = (await analyzeSources({ 'bad.go': asFile(r.docs.bad) })).get('bad.go')!;
    expect(bad.map((f) => f.rule)).toContain(r.id);
    const good = (await analyzeSources({ 'good.go': asFile(r.docs.good) })).get('good.go')!;
    expect(good.map((f) => `${f.rule}: ${f.message}`)).toEqual([]);
  });

  it.skipIf(!HAS_GO)('the examples are gofmt-formatted Go', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mapscope-docs-'));
    try {
      const files = RULES.flatMap((r) => [
        [`${r.id}-bad.go`, r.docs.bad],
        [`${r.id}-good.go`, r.docs.good],
      ]);
      for (const [name, example] of files) writeFileSync(join(dir, name), asFile(example));
      // -l lists the files gofmt would change; -e reports every syntax error.
      expect(execFileSync('gofmt', ['-l', '-e', dir], { encoding: 'utf8' })).toBe('');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('package.json offers settings for exactly the rules that exist', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    const setting = pkg.contributes.configuration.properties['mapscope.rules'];
    expect(Object.keys(setting.properties).sort()).toEqual(RULES.map((r) => r.id).sort());
    // The Settings UI edits it as rule → severity or off, starting from each rule's own severity.
    expect(setting.default).toEqual(Object.fromEntries(RULES.map((r) => [r.id, r.severity])));
    for (const r of RULES) {
      expect(setting.properties[r.id]).toMatchObject({ type: 'string', enum: ['error', 'warning', 'information', 'hint', 'off'], default: r.severity });
    }
  });
});
