// Generated documentation and the extension manifest stay in step with the rules.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RULES } from '../server/src/core/rules';
import { renderRulesDoc } from '../server/src/core/rules/docs';
import { ROOT } from './helpers/core';

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
