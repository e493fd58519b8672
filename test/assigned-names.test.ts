// The summary's assigned names come from a hand-written scan of each line (assignmentLhs) that
// stands for the regular expression ASSIGNMENT_LHS, which it replaced for speed. They must agree
// on every line: here on the Go fixtures, the examples, random lines made of the characters that
// matter, and (when go is present) the standard library.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ASSIGNMENT_LHS, assignmentLhs } from '../server/src/core/index/summary';
import { ROOT } from './helpers/core';
import { HAS_GO } from './helpers/go';

function byRegex(text: string): (string | undefined)[] {
  return text.split('\n').map((line) => {
    const m = new RegExp(ASSIGNMENT_LHS.source, 'm').exec(line);
    return m && m.index === 0 ? m[1] : undefined;
  });
}

function byScan(text: string): (string | undefined)[] {
  const out: (string | undefined)[] = [];
  for (let at = 0; ; ) {
    const eol = text.indexOf('\n', at);
    const end = eol < 0 ? text.length : eol;
    out.push(assignmentLhs(text, at, end));
    if (eol < 0) return out;
    at = end + 1;
  }
}

function goFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((e) => {
    const p = join(dir, e);
    return statSync(p).isDirectory() ? goFiles(p) : e.endsWith('.go') ? [p] : [];
  });
}

describe('assignmentLhs agrees with ASSIGNMENT_LHS', () => {
  it('on the fixtures and examples', () => {
    const files = [...goFiles(join(ROOT, 'test', 'fixtures')), ...goFiles(join(ROOT, 'examples'))];
    expect(files.length).toBeGreaterThan(50);
    for (const f of files) {
      const text = readFileSync(f, 'utf8');
      expect(byScan(text), f).toEqual(byRegex(text));
    }
  });

  it('on 20,000 random lines of blanks, words, operators and `=`', () => {
    const pieces = [' ', '\t', 'a', 'x1', '_', '.', ',', '=', '==', '-', '+', '*', '/', '%', '&', '|', '^', '<', '>', '<<', '>>', '&^', '!', ':', '(', ')', '"', '[', ']'];
    let seed = 5;
    const random = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
    const lines = Array.from({ length: 20_000 }, () => Array.from({ length: 1 + Math.floor(random() * 8) }, () => pieces[Math.floor(random() * pieces.length)]).join(''));
    const text = lines.join('\n');
    expect(byScan(text)).toEqual(byRegex(text));
    // Some lines of each kind, so the comparison means something.
    expect(byScan(text).filter((x) => x !== undefined).length).toBeGreaterThan(100);
  });

  if (!HAS_GO) console.warn('[assigned-names test] SKIPPED the standard library: go is not on PATH');
  it.skipIf(!HAS_GO)('on the Go standard library net/ and go/ trees', () => {
    const root = join(execFileSync('go', ['env', 'GOROOT'], { encoding: 'utf8' }).trim(), 'src');
    for (const f of [...goFiles(join(root, 'net')), ...goFiles(join(root, 'go'))]) {
      const text = readFileSync(f, 'utf8');
      if (/[\r\u2028\u2029]/.test(text)) continue; // those take the regular expression itself
      expect(byScan(text), f).toEqual(byRegex(text));
    }
  }, 60_000);
});
