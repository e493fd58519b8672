// The unified diff of --diff, checked by git itself: `git apply` of each diff must turn the old
// text into the text the edits make, including a last line without a newline, insertions of whole
// lines, edits far apart (two hunks) and close together (one hunk). Plus one hunk written out.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { unifiedDiff } from '../server/src/cli/diff';

const dir = mkdtempSync(join(tmpdir(), 'mapscope-diff-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Edit = { start: number; end: number; newText: string };
const apply = (text: string, edits: Edit[]) => [...edits].reverse().reduce((t, e) => t.slice(0, e.start) + e.newText + t.slice(e.end), text);
const lines = (n: number) => Array.from({ length: n }, (_, i) => `line ${i + 1}\n`).join('');
const at = (text: string, needle: string) => text.indexOf(needle);

const t20 = lines(20);
const CASES: [string, string, Edit[]][] = [
  ['one word in the middle', t20, [{ start: at(t20, '10'), end: at(t20, '10') + 2, newText: 'ten' }]],
  ['a whole line inserted before another', t20, [{ start: at(t20, 'line 5'), end: at(t20, 'line 5'), newText: 'inserted\n' }]],
  ['two edits far apart: two hunks', t20, [{ start: at(t20, 'line 2\n'), end: at(t20, 'line 2\n') + 6, newText: 'two' }, { start: at(t20, 'line 19'), end: at(t20, 'line 19') + 7, newText: 'nineteen' }]],
  ['two edits close together: one hunk', t20, [{ start: at(t20, 'line 7'), end: at(t20, 'line 7') + 6, newText: 'seven' }, { start: at(t20, 'line 12'), end: at(t20, 'line 12') + 7, newText: 'twelve' }]],
  ['the first line', t20, [{ start: 0, end: 4, newText: 'LINE' }]],
  ['the last line, without a newline', 'a\nb\nc', [{ start: 4, end: 5, newText: 'C' }]],
  ['a line joined and split', t20, [{ start: at(t20, '\nline 4'), end: at(t20, '\nline 4') + 1, newText: ' ' }, { start: at(t20, 'line 15') + 4, end: at(t20, 'line 15') + 5, newText: '\n' }]],
  ['several edits on one line', 'x := make(map[a]b)\ny := make(map[c]d)\n', [{ start: 17, end: 17, newText: ', n' }, { start: 36, end: 36, newText: ', m' }]],
];

describe('unified diffs, applied by git', () => {
  it.each(CASES)('%s', (name, old, edits) => {
    const file = `${name.replace(/\W+/g, '_')}.go`;
    writeFileSync(join(dir, file), old);
    const diff = unifiedDiff(file, old, edits);
    writeFileSync(join(dir, 'p.patch'), diff);
    execFileSync('git', ['apply', 'p.patch'], { cwd: dir, stdio: 'pipe' });
    expect(readFileSync(join(dir, file), 'utf8')).toBe(apply(old, edits));
  });

  it('writes a hunk with three lines of context and git headers', () => {
    expect(unifiedDiff('a.go', t20, [{ start: at(t20, '10'), end: at(t20, '10') + 2, newText: 'ten' }])).toBe(
      '--- a/a.go\n+++ b/a.go\n@@ -7,7 +7,7 @@\n line 7\n line 8\n line 9\n-line 10\n+line ten\n line 11\n line 12\n line 13\n',
    );
  });

  it('is empty when the edits change nothing', () => {
    expect(unifiedDiff('a.go', t20, [{ start: 0, end: 4, newText: 'line' }])).toBe('');
  });
});
