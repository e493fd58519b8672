// docs/rules.md is generated from the rules' metadata, so the documentation cannot drift from
// what the rules say about themselves (test/docs.test.ts fails when the file is stale).
import type { Rule } from './rule';

const SEVERITY_LABEL = { error: 'Error', warning: 'Warning', information: 'Information', hint: 'Hint' } as const;

export function renderRulesDoc(rules: readonly Rule[]): string {
  const out: string[] = [
    '# MapScope rules',
    '',
    '<!-- Generated from the rules\' metadata by `npm run docs`; edit server/src/core/rules/*.ts, not this file. -->',
    '',
    '| rule | severity | what it reports |',
    '|---|---|---|',
    ...rules.map((r) => `| [\`${r.id}\`](#${r.id}) | ${SEVERITY_LABEL[r.severity]} | ${r.docs.summary} |`),
    '',
    'Suppress a finding with `//mapscope:ignore [rule[,rule]] [reason]` on its line or alone on the line above;',
    '`//nolint:mapscope` and `//lint:ignore mapscope reason` work too.',
    '',
  ];
  for (const r of rules) {
    out.push(
      `## ${r.id}`,
      '',
      `Default severity: ${SEVERITY_LABEL[r.severity]}.`,
      '',
      '### What it does',
      '',
      r.docs.summary,
      '',
      '### Why is this bad?',
      '',
      r.docs.why,
      '',
      '### Example',
      '',
      '```go',
      r.docs.bad,
      '```',
      '',
      'Use instead:',
      '',
      '```go',
      r.docs.good,
      '```',
      '',
      '### When it stays silent',
      '',
      ...r.docs.silentWhen.map((s) => `- ${s}`),
      '',
      '### Fix',
      '',
      r.docs.fix,
      '',
    );
  }
  return out.join('\n');
}
