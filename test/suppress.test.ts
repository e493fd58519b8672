// Suppression comments (design.md §3.3): `//mapscope:ignore [rule[,rule]] [reason]`, golangci-lint's
// `//nolint[:names]` and staticcheck's `//lint:ignore Checks reason`, on the finding's line or alone
// on the line above. Every case runs the real pipeline (analyzeSources) on a program that, without
// the comment, has exactly one nil-map-write.
import { describe, expect, it } from 'vitest';
import { analyzeSources } from './helpers/core';

/** The program with `above` as the line before the write and `trailing` after it on the same line. */
function program(opts: { above?: string; trailing?: string; write?: string; eol?: string } = {}): string {
  const lines = ['package main', '', 'func main() {', '\tvar m map[string]int'];
  if (opts.above !== undefined) lines.push(opts.above);
  lines.push(`${opts.write ?? '\tm["a"] = 1'}${opts.trailing !== undefined ? ` ${opts.trailing}` : ''}`);
  lines.push('}', '');
  return lines.join(opts.eol ?? '\n');
}

async function nilMapWrites(text: string): Promise<number> {
  const findings = (await analyzeSources({ 'main.go': text })).get('main.go')!;
  return findings.filter((f) => f.rule === 'nil-map-write').length;
}

const SUPPRESSING = [
  '//mapscope:ignore',
  '//mapscope:ignore nil-map-write',
  '//mapscope:ignore nil-map-write the caller never writes',
  '//mapscope:ignore map-without-hint,nil-map-write',
  '//mapscope:ignore initialised by the caller', // a reason only
  '//mapscope:ignore short-lived map', // a reason whose first word has a hyphen
  '//mapscope:ignore map-without-hint,no-such-rule typo', // not all rule ids: the whole text is the reason
  '//mapscope:ignore nil-map-writes', // a misspelt id is not a rule list either (README: a typo silences all)
  '//mapscope:ignore mapscope', // every MapScope rule
  '//mapscope:ignore concurrent-map-write,mapscope because',
  '//nolint',
  '//nolint:mapscope',
  '//nolint:errcheck,mapscope',
  '//nolint:all',
  '//lint:ignore mapscope the caller never writes',
  '//lint:ignore SA4006,mapscope two checks',
  '//nolint // the caller never writes', // golangci-lint: a second // starts the explanation
  '//nolint:mapscope // the caller never writes',
  '//nolint:errcheck, mapscope', // golangci-lint trims each name
  '//nolint:MapScope', // and lower-cases it
  '// nolint:mapscope', // golangci-lint trims leading spaces (nolintlint complains, the directive works)
];

const NOT_SUPPRESSING = [
  '//mapscope:ignore concurrent-map-write', // another rule only
  '//mapscope:ignore map-without-hint short-lived map', // another rule, with a reason
  '//mapscope:ignore map-without-hint,concurrent-map-write because', // other rules, with a reason
  '//nolint:errcheck',
  '//nolint:errcheck,gosec',
  '//lint:ignore mapscope', // staticcheck requires a reason
  '//lint:ignore SA4006 another check',
  '// mapscope is fine here', // an ordinary comment
  '//nolintx',
  '//nolint:errcheck // not mapscope', // only errcheck: the rest is the explanation
  // A directive must begin its comment:
  '// TODO: drop the //nolint',
  '// see //mapscope:ignore',
  '// was //lint:ignore mapscope reason',
  '// lint:ignore mapscope reason', // staticcheck reads only comments that begin "//lint:"
  '//mapscope:ignored',
  '//mapscope:ignore-all',
];

describe('the baseline', () => {
  it('reports the write when there is no comment', async () => {
    expect(await nilMapWrites(program())).toBe(1);
  });
});

describe.each(['same line', 'line above'] as const)('a directive on the %s', (where) => {
  const place = (directive: string) => (where === 'same line' ? program({ trailing: directive }) : program({ above: `\t${directive}` }));

  it.each(SUPPRESSING)('%s suppresses', async (directive) => {
    expect(await nilMapWrites(place(directive))).toBe(0);
  });

  it.each(NOT_SUPPRESSING)('%s does not suppress', async (directive) => {
    expect(await nilMapWrites(place(directive))).toBe(1);
  });
});

describe.each(['same line', 'line above'] as const)('a directive on the %s of a CRLF file', (where) => {
  // The \r before each \n belongs to the line: a directive at the end of a line ends in "\r".
  const place = (directive: string) =>
    where === 'same line' ? program({ trailing: directive, eol: '\r\n' }) : program({ above: `\t${directive}`, eol: '\r\n' });

  it.each(SUPPRESSING)('%s suppresses', async (directive) => {
    expect(place(directive)).toContain(`${directive}\r\n`);
    expect(await nilMapWrites(place(directive))).toBe(0);
  });

  it.each(NOT_SUPPRESSING)('%s does not suppress', async (directive) => {
    expect(await nilMapWrites(place(directive))).toBe(1);
  });
});

describe.each([
  ['an interpreted string', '\t_ = "http://x"; m["a"] = 1'],
  ['a raw string', '\t_ = `a//b`; m["a"] = 1'],
  ['a block comment', '\t/* see // below */ m["a"] = 1'],
  ['two strings', '\tm["//"] = len("//")'],
])('a directive after a `//` inside %s earlier on the line', (_what, write) => {
  it('the line alone has the finding', async () => {
    expect(await nilMapWrites(program({ write }))).toBe(1);
  });

  it.each(SUPPRESSING)('%s suppresses', async (directive) => {
    expect(await nilMapWrites(program({ write, trailing: directive }))).toBe(0);
  });

  it.each(NOT_SUPPRESSING)('%s does not suppress', async (directive) => {
    expect(await nilMapWrites(program({ write, trailing: directive }))).toBe(1);
  });
});

describe('where a directive does not count', () => {
  it('not inside a string literal on the same line', async () => {
    expect(await nilMapWrites(program({ write: '\tm["//nolint"] = 1' }))).toBe(1);
    expect(await nilMapWrites(program({ write: '\tm["a"] = len("//mapscope:ignore")' }))).toBe(1);
  });

  it('not inside a raw string whose line stands alone above the write', async () => {
    const text = program({ above: '\t_ = `\n//nolint\n`' });
    expect(text).toContain('\n//nolint\n`\n\tm["a"] = 1');
    expect(await nilMapWrites(text)).toBe(1);
  });

  it('not two lines above', async () => {
    expect(await nilMapWrites(program({ above: '\t//nolint\n' }))).toBe(1);
    expect(await nilMapWrites(program({ above: '\t//mapscope:ignore\n\t_ = 0' }))).toBe(1);
  });

  it('not trailing code on the line above', async () => {
    expect(await nilMapWrites(program({ above: '\t_ = 0 //nolint' }))).toBe(1);
    expect(await nilMapWrites(program({ above: '\t_ = 0 //mapscope:ignore nil-map-write' }))).toBe(1);
  });

  it('not on the line below', async () => {
    const text = program().replace('\tm["a"] = 1\n', '\tm["a"] = 1\n\t//nolint\n');
    expect(await nilMapWrites(text)).toBe(1);
  });
});


describe('a suppression is per finding', () => {
  it('silences only the write it is attached to', async () => {
    const text = program({ write: '\tm["a"] = 1 //nolint:mapscope\n\tm["b"] = 2' });
    const findings = (await analyzeSources({ 'main.go': text })).get('main.go')!.filter((f) => f.rule === 'nil-map-write');
    expect(findings).toHaveLength(1);
    expect(text.slice(findings[0].range.start, findings[0].range.end)).toBe('m["b"]'); // ASCII: bytes = indices
  });
});
