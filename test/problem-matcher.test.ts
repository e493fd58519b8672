// The `$mapscope` problem matcher (package.json) reads `mapscope check`'s text output, as the
// `mapscope` task runs it: every finding line, and nothing else (related places, fixes, the
// summary), with the file, position, severity and rule that --format json gives for the same run.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli';
import { ROOT } from './helpers/core';

interface Matcher {
  name: string;
  fileLocation: string[];
  pattern: { regexp: string; file: number; line: number; column: number; severity: number; message: number; code: number };
}

describe('problem matcher', () => {
  it('matches every finding of mapscope check examples/, with json\'s position, severity and rule', async () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    const matcher = (pkg.contributes.problemMatchers as Matcher[]).find((m) => m.name === 'mapscope')!;
    expect(matcher.fileLocation).toEqual(['autoDetect', '${workspaceFolder}']);
    const re = new RegExp(matcher.pattern.regexp);
    const [text, json] = await Promise.all([runCli(['check', 'examples/...'], { cwd: ROOT }), runCli(['check', '--format', 'json', 'examples/...'], { cwd: ROOT })]);
    expect(text.code).toBe(1);
    const found = JSON.parse(json.stdout).findings as { file: string; line: number; column: number; severity: string; rule: string; message: string }[];
    expect(found.length).toBeGreaterThan(4);
    const lines = text.stdout.split('\n').filter(Boolean);
    const matched = lines.map((l) => re.exec(l)).filter((m): m is RegExpExecArray => m !== null);
    // VS Code reads `error`, `warning` and `info` (its Severity.fromValue) and takes `hint` as info.
    const severity = { error: 'error', warning: 'warning', information: 'info', hint: 'hint' } as Record<string, string>;
    const p = matcher.pattern;
    expect(matched.map((m) => ({ file: m[p.file], line: Number(m[p.line]), column: Number(m[p.column]), severity: m[p.severity], rule: m[p.code], message: m[p.message] }))).toEqual(
      found.map((f) => ({ file: f.file, line: f.line, column: f.column, severity: severity[f.severity], rule: f.rule, message: f.message })),
    );
    // The indented lines (related places, fixes) are not findings.
    expect(lines.filter((l) => !re.test(l)).every((l) => l.startsWith('    '))).toBe(true);
  });
});
