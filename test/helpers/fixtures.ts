// analysistest-style fixtures: Go files under test/fixtures/<rule>/ with expectations in a comment on
// the line they are about. A top-level .go file is a one-file package; a directory is a package of
// its files. `<file>.golden` holds the file after every preferred fix is applied. A directory with
// subdirectories spans packages: each subdirectory is a package the others import by its path in
// the fixtures' module (mapscope.test/fixtures/<rule>/<case>/<sub>), every file is checked for its
// wants, and the packages are analysed as the CLI analyses them, through the import loader.
//
// The comment starts `// want` and holds any number of items, each a Go string (double-quoted or
// backquoted) holding a regular expression that must match a whole text, with an optional prefix:
//   "re"             a finding of the fixture's own rule on this line, its message
//   other-rule:"re"  a finding of another rule on this line (every rule runs on every fixture)
//   related:"re"     a related place of some finding that starts on this line, its message
//   fix:"re"         a fix title offered by a finding on this line
// Every finding must be wanted and every want found; related places and fix titles are checked
// where they are written down.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
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
  /** The case spans packages (subdirectories): analyse it through the loader. */
  packages?: boolean;
}

export type WantKind = 'finding' | 'related' | 'fix';

export interface Want {
  file: string;
  line: number;
  kind: WantKind;
  /** For a finding: the rule it is of. */
  rule?: string;
  /** Anchored: it must match the whole message or title. */
  pattern: RegExp;
  /** As written, for failure messages. */
  source: string;
}

export function fixtureCases(rule: string): FixtureCase[] {
  const dir = join(FIXTURES, rule);
  const cases: FixtureCase[] = [];
  for (const entry of readdirSync(dir).sort()) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) {
      const files = goFilesUnder(path);
      const packages = files.some((f) => dirname(f) !== path);
      cases.push({ rule, name: `${entry}/`, files, runTarget: path, ...(packages ? { packages } : {}) });
    } else if (entry.endsWith('.go')) {
      cases.push({ rule, name: entry, files: [path], runTarget: path });
    }
  }
  return cases;
}

/** The .go files of a directory and its subdirectories, sorted. */
function goFilesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? goFilesUnder(join(dir, e.name)) : e.name.endsWith('.go') ? [join(dir, e.name)] : []))
    .sort();
}

export function fixtureRules(): string[] {
  return readdirSync(FIXTURES).filter((e) => statSync(join(FIXTURES, e)).isDirectory()).sort();
}

const WANT_COMMENT = /\/\/ want (.*)$/;
const ITEM = /\s*(?:([a-z][a-z-]*):)?(?:"((?:[^"\\]|\\.)*)"|`([^`]*)`)/y;

/** The expectations written in a fixture, with `rule` as the default rule of a plain item. */
export function wantsOf(file: string, text: string, rule: string): Want[] {
  const wants: Want[] = [];
  text.split('\n').forEach((lineText, i) => {
    const m = WANT_COMMENT.exec(lineText);
    if (!m) return;
    const items = m[1];
    ITEM.lastIndex = 0;
    let at = 0;
    for (let it = ITEM.exec(items); it; it = ITEM.exec(items)) {
      at = ITEM.lastIndex;
      const prefix = it[1];
      const source = it[2] !== undefined ? JSON.parse(`"${it[2]}"`) as string : it[3];
      const kind: WantKind = prefix === 'related' ? 'related' : prefix === 'fix' ? 'fix' : 'finding';
      wants.push({
        file,
        line: i + 1,
        kind,
        ...(kind === 'finding' ? { rule: prefix ?? rule } : {}),
        pattern: new RegExp(`^(?:${source})$`),
        source,
      });
    }
    if (items.slice(at).trim() !== '') throw new Error(`${file}:${i + 1}: cannot read the want comment from: ${items.slice(at)}`);
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

/** A line-by-line diff of two texts, for a golden that changed: what a reviewer reads before accepting it. */
export function lineDiff(before: string, after: string): string {
  const a = before.split('\n');
  const b = after.split('\n');
  // Longest common subsequence over lines: goldens are small.
  const n = a.length;
  const m = b.length;
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  const out: string[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      i++;
      j++;
    } else if (j < m && (i === n || lcs[i][j + 1] >= lcs[i + 1][j])) out.push(`+${j + 1}: ${b[j++]}`);
    else out.push(`-${i + 1}: ${a[i++]}`);
  }
  return out.join('\n');
}

export function caseLabel(c: FixtureCase): string {
  return `${c.rule}/${c.name}`;
}

export { basename };
