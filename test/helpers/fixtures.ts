// analysistest-style fixtures: Go files under test/fixtures/<rule>/ with `// want "re"` (or a
// backquoted regexp) on each line that must be reported. A top-level .go file is a one-file
// package; a directory is a package of its files. `<file>.golden` holds the file after every
// preferred fix of that rule is applied.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Edit } from '../../server/src/core/findings';
import { ROOT } from './core';

export const FIXTURES = join(ROOT, 'test', 'fixtures');

export interface FixtureCase {
  rule: string;
  /** Name shown in the test list: `pos_closure.go` or `pos_struct_in_other_file/`. */
  name: string;
  /** Absolute paths of the package's files. */
  files: string[];
  /** What `go run` takes: a file or a directory. */
  runTarget: string;
}

export interface Want {
  file: string;
  line: number;
  pattern: RegExp;
}

export function fixtureCases(rule: string): FixtureCase[] {
  const dir = join(FIXTURES, rule);
  const cases: FixtureCase[] = [];
  for (const entry of readdirSync(dir).sort()) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) {
      const files = readdirSync(path).filter((f) => f.endsWith('.go')).sort().map((f) => join(path, f));
      cases.push({ rule, name: `${entry}/`, files, runTarget: path });
    } else if (entry.endsWith('.go')) {
      cases.push({ rule, name: entry, files: [path], runTarget: path });
    }
  }
  return cases;
}

export function fixtureRules(): string[] {
  return readdirSync(FIXTURES).filter((e) => statSync(join(FIXTURES, e)).isDirectory()).sort();
}

const WANT = /\/\/ want (?:"((?:[^"\\]|\\.)*)"|`([^`]*)`)/;

export function wantsOf(file: string, text: string): Want[] {
  const wants: Want[] = [];
  text.split('\n').forEach((line, i) => {
    const m = WANT.exec(line);
    if (m) wants.push({ file, line: i + 1, pattern: new RegExp(m[1] !== undefined ? JSON.parse(`"${m[1]}"`) : m[2]) });
  });
  return wants;
}

export function goldenPath(file: string): string {
  return `${file}.golden`;
}

export function readGolden(file: string): string | undefined {
  const p = goldenPath(file);
  return existsSync(p) ? readFileSync(p, 'utf8') : undefined;
}

/** Applies non-overlapping byte-offset edits to a text. */
export function applyEdits(text: string, edits: readonly Edit[]): string {
  const bytes = Buffer.from(text, 'utf8');
  const sorted = [...edits].sort((a, b) => b.range.start - a.range.start);
  let out = bytes;
  let lastStart = Infinity;
  for (const e of sorted) {
    if (e.range.end > lastStart) throw new Error(`overlapping edits at byte ${e.range.start}`);
    out = Buffer.concat([out.subarray(0, e.range.start), Buffer.from(e.newText, 'utf8'), out.subarray(e.range.end)]);
    lastStart = e.range.start;
  }
  return out.toString('utf8');
}

export function caseLabel(c: FixtureCase): string {
  return `${c.rule}/${c.name}`;
}

export { basename };
