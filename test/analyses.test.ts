// The shared analyses asked directly, below the rules: the pass refuses a result its consumer did
// not declare, the lock analysis tells "held on every path" from "held on some", and the
// control-flow graph ends the path at calls that never return. The rules' fixtures exercise these
// too, but only through what a rule decides to say; here each answer is checked on its own.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Node } from 'web-tree-sitter';
import type { FileAnalysis, FunctionAnalysis } from '../server/src/core/analysis/analysis';
import { Carry } from '../server/src/core/analysis/carry';
import { Pass } from '../server/src/core/analysis/pass';
import { ANY, controlFlow, ONLY_FOLLOWED } from '../server/src/core/analyses/control-flow';
import { fileSelectorCounts, SELECTED } from '../server/src/core/analyses/guarded-fields';
import { followsSelector, IDENT } from '../server/src/core/analysis/words';
import { editWindow, startAfter, startBefore } from '../server/src/core/parse/edit-window';
import { guardsAround } from '../server/src/core/analyses/nil-conditions';
import { locks } from '../server/src/core/analyses/locks';
import { functionSyntax } from '../server/src/core/analyses/syntax';
import { NEWEST_GO } from '../server/src/core/go-version';
import { PackageIndex } from '../server/src/core/index/package-index';
import { summarize, type SourceUnit } from '../server/src/core/index/summary';
import type { GoParser } from '../server/src/core/parse/parser';
import { loadParser, unitOf } from './helpers/core';

const SRC = `package p

import (
	"os"
	"sync"
)

var mu sync.Mutex

func both(c bool, m map[int]int) {
	if c {
		mu.Lock()
	} else {
		mu.Lock()
	}
	m[1] = 1 // held on both paths
	mu.Unlock()
	m[2] = 2 // released
}

func some(c bool, m map[int]int) {
	if c {
		mu.Lock()
	}
	m[3] = 3 // held on one path only
}

func deferred(m map[int]int) {
	mu.Lock()
	defer mu.Unlock()
	m[4] = 4 // held to the end
}

func exits(c bool, m map[int]int) {
	if c {
		panic("no")
		m[5] = 5 // never runs
	}
	os.Exit(1)
	m[6] = 6 // never runs
}

func defs(c bool, m map[int]int) {
	m = nil
	m[7] = 7 // only the nil reaches
	if c {
		m = map[int]int{}
	}
	m[8] = 8 // both reach
	for range 3 {
		m[9] = 9 // the nil below comes round the loop too
		m = nil
	}
}

func guards(m map[int]int, c bool) {
	if m == nil && c {
		m[10] = 10
	} else if (m != nil) || !c {
		m[11] = 11 // a || b true, a && b false: nothing known
	} else {
		m[12] = 12 // m == nil: neither m != nil nor !c
	}
	if !(m == nil) || len(m) >= 1 {
		m[13] = 13 // m == nil is false, or…: nothing known
	}
	if 0 < len(m) {
		m[14] = 14
	}
	for k := range m {
		m[15] = k
		go func() {
			m[16] = 16 // a closure may run later
		}()
	}
}
`;

let unit: SourceUnit;
let pass: Pass;
let parser: GoParser;

beforeAll(async () => {
  parser = await loadParser();
  unit = unitOf(parser, 'p.go', SRC);
  pass = Pass.create(unit, new PackageIndex([summarize(unit)]), { go: NEWEST_GO, language: NEWEST_GO });
});
afterAll(() => unit.tree.delete());

function fn(name: string): Node {
  const f = pass.functions.find((x) => x.childForFieldName('name')?.text === name);
  if (!f) throw new Error(`no func ${name}`);
  return f;
}

/** The statement `m[k] = k` (or `m[k] = …`) in a function. */
function write(f: Node, k: number): Node {
  const w = f.descendantsOfType('assignment_statement').find((a) => a?.text.startsWith(`m[${k}] = `));
  if (!w) throw new Error(`no m[${k}] = ${k}`);
  return w;
}

describe('the pass', () => {
  it('refuses a consumer an analysis it did not declare, and serves the ones it did', () => {
    const view = pass.viewFor('some-rule', [functionSyntax]);
    expect(() => view.resultFor(locks, fn('both'))).toThrow('some-rule reads locks without declaring it in requires');
    expect(() => view.resultFor(functionSyntax, fn('both'))).not.toThrow();
    // What an analysis declares is its own business: locks reads control-flow through its own view.
    expect(pass.viewFor('another-rule', [locks]).resultFor(locks, fn('both')).at(write(fn('both'), 1)).held.get('mu')).toBe('write');
  });

  it('refuses an analysis that asks for its own result while computing it', () => {
    const looping: FileAnalysis<number> = { id: 'looping', kind: 'file', requires: [], run: (p) => p.result(looping) + 1 };
    looping.requires = [looping];
    expect(() => Pass.create(unit, new PackageIndex([summarize(unit)]), { go: NEWEST_GO, language: NEWEST_GO }).result(looping)).toThrow('analysis cycle through looping');
  });

  it('computes a result once per function and shares it between consumers', () => {
    const a = pass.viewFor('a', [controlFlow]).resultFor(controlFlow, fn('some'));
    const b = pass.viewFor('b', [controlFlow]).resultFor(controlFlow, fn('some'));
    expect(a).toBe(b);
  });

  it('carries a carried analysis across parses by the function text, and drops what goes unused', () => {
    let runs = 0;
    const lengthOf: FunctionAnalysis<number> = { id: 'text-length', kind: 'function', carried: true, requires: [], run: (_p, f) => (runs++, f.text.length) };
    const carry = new Carry();
    const passWith = (text: string) => {
      const u = unitOf(parser, 'c.go', text);
      return { u, p: Pass.create(u, new PackageIndex([summarize(u)]), { go: NEWEST_GO, language: NEWEST_GO, carry }) };
    };
    const f = 'func f() int { return 1 }\n';
    const g = 'func g() int { return 22 }\n';
    const first = passWith(`package p\n\n${f}${g}`);
    carry.begin();
    for (const x of first.p.functions) first.p.resultFor(lengthOf, x);
    expect(runs).toBe(2);
    // Another parse, both functions moved down by a new one: only the new one runs.
    const second = passWith(`package p\n\nvar x = 1\n\n${f}func h() {}\n${g}`);
    carry.begin();
    expect(second.p.functions.map((x) => second.p.resultFor(lengthOf, x))).toEqual([f.length - 1, 'func h() {}'.length, g.length - 1]);
    expect(runs).toBe(3);
    // Entries that three analyses in a row left unused go when the fourth starts.
    for (let i = 0; i < 4; i++) carry.begin();
    expect(carry.size).toBe(0);
    for (const x of [first, second]) x.u.tree.delete();
  });
});

describe('the span an edit changed', () => {
  it('maps a declaration outside it to its place in the other text, and none that overlaps it', () => {
    // "ab|cd|ef" becomes "ab|XYZ|ef": [2, 4) before is [2, 5) after.
    const w = editWindow('abcdef', 'abXYZef');
    expect(w).toEqual({ start: 2, oldEnd: 4, newEnd: 5 });
    expect([startAfter(w, 0, 2), startAfter(w, 4, 6), startAfter(w, 1, 3), startAfter(w, 3, 5)]).toEqual([0, 5, undefined, undefined]);
    expect([startBefore(w, 0, 2), startBefore(w, 5, 7), startBefore(w, 1, 3), startBefore(w, 4, 6)]).toEqual([0, 4, undefined, undefined]);
  });
});

describe('the carry across edits', () => {
  it('finds a function outside the edit by its place, and one the edit touched by its text, never a stale value', () => {
    let runs = 0;
    const textOf: FunctionAnalysis<string> = { id: 'text-of', kind: 'function', carried: true, requires: [], run: (_p, f) => (runs++, f.text) };
    const carry = new Carry();
    const texts = (src: string) => {
      const u = unitOf(parser, 'e.go', src);
      const p = Pass.create(u, new PackageIndex([summarize(u)]), { go: NEWEST_GO, language: NEWEST_GO, carry });
      carry.begin();
      const out = p.functions.map((x) => p.resultFor(textOf, x));
      u.tree.delete();
      return out;
    };
    const f = (n: number) => `func f() int { return ${n} }`;
    const g = 'func g() int { return 22 }';
    const h = 'func h() string { return "h" }';
    expect(texts(`package p\n\n${f(1)}\n\n${g}\n\n${h}\n`)).toEqual([f(1), g, h]);
    expect(runs).toBe(3);
    // A digit changed in place: f, same place and length, is worked out again; g and h are kept.
    expect(texts(`package p\n\n${f(2)}\n\n${g}\n\n${h}\n`)).toEqual([f(2), g, h]);
    expect(runs).toBe(4);
    // f grows: g and h move and are found at their new places.
    expect(texts(`package p\n\n${f(123)}\n\n${g}\n\n${h}\n`)).toEqual([f(123), g, h]);
    expect(runs).toBe(5);
    // g and h swap places (one edit spanning both): both found by their texts, none recomputed.
    expect(texts(`package p\n\n${f(123)}\n\n${h}\n\n${g}\n`)).toEqual([f(123), h, g]);
    expect(runs).toBe(5);
    // Back to a text seen two edits ago, and a function added at the very end.
    expect(texts(`package p\n\n${f(2)}\n\n${g}\n\n${h}\n\nfunc k() {}\n`)).toEqual([f(2), g, h, 'func k() {}']);
    expect(runs).toBe(6);
  });
});

describe('a pass lent to another', () => {
  it('lends what did not read the scope, and works out again what did, directly or through another', () => {
    const runs = { plain: 0, scanned: 0, above: 0, scopedFn: 0 };
    const plain: FunctionAnalysis<number> = { id: 'plain', kind: 'function', requires: [], run: (_p, f) => (runs.plain++, f.text.length) };
    const scanned: FileAnalysis<number> = { id: 'scanned', kind: 'file', requires: [], run: (p) => (runs.scanned++, p.matchesOf(/m\[/g).length) };
    const above: FileAnalysis<number> = { id: 'above', kind: 'file', requires: [scanned], run: (p) => (runs.above++, p.result(scanned) + 1) };
    const scopedFn: FunctionAnalysis<boolean> = { id: 'scoped-fn', kind: 'function', requires: [], run: (p, f) => (runs.scopedFn++, p.inScope(f)) };
    const pkg = new PackageIndex([summarize(unit)]);
    const whole = Pass.create(unit, pkg, { go: NEWEST_GO, language: NEWEST_GO });
    const f = whole.functions.find((x) => x.childForFieldName('name')?.text === 'both')!;
    const allWrites = (SRC.match(/m\[/g) ?? []).length;
    // `scanned` first: `above` then reads it from the memo, and must still count as reading the scope.
    expect(whole.result(scanned)).toBe(allWrites);
    expect(whole.result(above)).toBe(allWrites + 1);
    expect(whole.resultFor(plain, f)).toBe(f.text.length);
    expect(whole.resultFor(scopedFn, f)).toBe(true);
    // A pass scoped to another function: `both` is out of its scope, and so are its writes.
    const other = whole.functions.find((x) => x !== f && x.text.includes('m['))!;
    const scoped = Pass.create(unit, pkg, { go: NEWEST_GO, language: NEWEST_GO, scope: [{ start: other.startIndex, end: other.endIndex }] }, whole);
    expect(scoped.resultFor(plain, f)).toBe(f.text.length);
    expect(runs.plain).toBe(1);
    const inOther = (other.text.match(/m\[/g) ?? []).length;
    expect(inOther).toBeLessThan(allWrites);
    expect(scoped.result(above)).toBe(inOther + 1);
    expect([runs.scanned, runs.above]).toEqual([2, 2]);
    expect(scoped.resultFor(scopedFn, f)).toBe(false);
    expect(runs.scopedFn).toBe(2);
    // Other versions decide other results: nothing is lent.
    const older = Pass.create(unit, pkg, { go: { major: 1, minor: 19 }, language: { major: 1, minor: 19 } }, whole);
    older.resultFor(plain, f);
    expect(runs.plain).toBe(2);
  });
});

describe('a carried analysis', () => {
  it('is worked out once per function text, however often passes ask, and may not read the scope', () => {
    let runs = 0;
    const length: FunctionAnalysis<number> = { id: 'length', kind: 'function', carried: true, requires: [], run: (_p, f) => (runs++, f.text.length) };
    const pkg = new PackageIndex([summarize(unit)]);
    const carry = new Carry();
    const fns = Pass.create(unit, pkg, { go: NEWEST_GO, language: NEWEST_GO }).functions;
    for (let i = 0; i < 3; i++) {
      const pass = Pass.create(unit, pkg, { go: NEWEST_GO, language: NEWEST_GO, carry });
      for (const f of [...fns, ...fns]) expect(pass.resultFor(length, f)).toBe(f.text.length);
    }
    expect(runs).toBe(fns.length);
    const scoped: FunctionAnalysis<boolean> = { id: 'scoped-carried', kind: 'function', carried: true, requires: [], run: (p, f) => p.inScope(f) };
    const pass = Pass.create(unit, pkg, { go: NEWEST_GO, language: NEWEST_GO, carry });
    expect(() => pass.resultFor(scoped, fns[0])).toThrow('scoped-carried is carried and may not read the scope');
  });
});

describe('the package index after an edit', () => {
  it('keeps nothing a changed type decides: a field that stops being a map', () => {
    const indexOf = (text: string, previous?: PackageIndex) => {
      const u = unitOf(parser, 'p.go', text);
      try {
        return new PackageIndex([summarize(u)], {}, previous);
      } finally {
        u.tree.delete();
      }
    };
    const before = indexOf('package p\n\ntype T struct{ m map[string]int }\n\ntype U struct{ t T }\n');
    expect([before.hasMapFields('T'), before.hasMapFields('U')]).toEqual([true, true]);
    const after = indexOf('package p\n\ntype T struct{ m []int }\n\ntype U struct{ t T }\n', before);
    expect([after.hasMapFields('T'), after.hasMapFields('U')]).toEqual([false, false]);
    const moved = indexOf('package p\n\nfunc f() {}\n\ntype T struct{ m []int }\n\ntype U struct{ t T }\n', after);
    expect([moved.hasMapFields('T'), moved.hasMapFields('U')]).toEqual([false, false]);
  });
});

describe('selector mentions', () => {
  it('counts, declaration by declaration, what the pattern matches in the whole file', () => {
    const src = [
      'package p',
      '',
      '// c.flush is called by put; see also x.flushAll',
      'var hook = func(c *T) { c.flush(); c.flushé() }',
      '',
      'type T struct{ m map[int]int }',
      '',
      'func (c *T) put() { c.flush(); c.flushAll(); c. flush() }',
      '',
      'func (c *T) flush() { _ = c.m; /* c.flush */ _ = "c.flush" }',
      '',
      'func (c *T) flushAll() { c.flush() }',
      '',
    ].join('\n');
    const u = unitOf(parser, 'm.go', src);
    const p = Pass.create(u, new PackageIndex([summarize(u)]), { go: NEWEST_GO, language: NEWEST_GO });
    const counts = fileSelectorCounts(p);
    const sum = (name: string) => counts.reduce((n, c) => n + (c.get(name) ?? 0), 0);
    const byPattern = (name: string) => [...src.matchAll(SELECTED)].filter((m) => m[1] === name).length;
    // By hand: the comment 1, the var 1, put 1, flush's comment and string 2, flushAll 1.
    expect(sum('flush')).toBe(6);
    for (const name of ['flush', 'flushAll', 'flushé', 'm']) expect(sum(name)).toBe(byPattern(name));
    u.tree.delete();
  });
});

describe('a method name after its receiver', () => {
  it('is found wherever the pattern of an identifier, a dot and blanks matches before it, and not after a call or a comma', () => {
    const text = 'c.flush(); c .flush(); c.\n\tflush(); größe.flush(); x_1.flush(); f().flush(); a, flush(); flush(); c.\u000bflush(); _.flush()';
    const before = new RegExp(`${IDENT}\\s*\\.\\s*$`, 'u');
    const found: boolean[] = [];
    for (let i = text.indexOf('flush'); i >= 0; i = text.indexOf('flush', i + 1)) {
      const expected = before.test(text.slice(0, i));
      expect(followsSelector(text, i), `at ${i}`).toBe(expected);
      found.push(expected);
    }
    // By hand: the first five and the last two follow a receiver; the call result, the comma and the bare call do not.
    expect(found).toEqual([true, true, true, true, true, false, false, false, true, true]);
  });
});

describe('locks', () => {
  const at = (name: string, k: number) => pass.resultFor(locks, fn(name)).at(write(fn(name), k));

  it('holds a lock taken on every path, and not after its Unlock', () => {
    expect([...at('both', 1).held]).toEqual([['mu', 'write']]);
    expect(at('both', 1).unsure).toBe(false);
    expect([...at('both', 2).held]).toEqual([]);
    expect(at('both', 2).unsure).toBe(false);
  });

  it('is unsure about a lock taken on some paths only', () => {
    expect([...at('some', 3).held]).toEqual([]);
    expect(at('some', 3).unsure).toBe(true);
  });

  it('keeps a lock whose Unlock is deferred', () => {
    expect([...at('deferred', 4).held]).toEqual([['mu', 'write']]);
  });
});

describe('control flow', () => {
  it('ends the path at panic and os.Exit: what follows them never runs', () => {
    const g = pass.resultFor(controlFlow, fn('exits')).of(fn('exits'));
    expect(g.live(write(fn('exits'), 5))).toBe(false);
    expect(g.live(write(fn('exits'), 6))).toBe(false);
    // …while the calls themselves do run.
    const calls = fn('exits').descendantsOfType('call_expression').filter((c): c is Node => c !== null);
    expect(calls.map((c) => [c.text, g.live(c)])).toEqual([
      ['panic("no")', true],
      ['os.Exit(1)', true],
    ]);
  });
});

describe('reaching definitions', () => {
  it('tells "only the followed value reaches" from "another may", through branches and loops', () => {
    const f = fn('defs');
    const g = pass.resultFor(controlFlow, f).of(f);
    const assigns = f.descendantsOfType('assignment_statement').filter((a): a is Node => a !== null && /^m = /.test(a.text));
    const defs = new Map(assigns.map((a) => [g.nodeOf(a), a.text === 'm = nil']));
    const at = g.reachingDefinitions(defs, false);
    expect(at[g.nodeOf(write(f, 7))]).toBe(ONLY_FOLLOWED);
    expect(at[g.nodeOf(write(f, 8))]).toBe(ANY);
    // The loop's first round brings the map made above; later rounds the nil at the loop's end.
    expect(at[g.nodeOf(write(f, 9))]).toBe(ANY);
  });

  it('finds what may run after any of several statements in one pass, optionally without leaving a block', () => {
    const f = fn('defs');
    const g = pass.resultFor(controlFlow, f).of(f);
    const made = f.descendantsOfType('assignment_statement').find((a) => a?.text === 'm = map[int]int{}')!;
    const nils = f.descendantsOfType('assignment_statement').filter((a): a is Node => a?.text === 'm = nil');
    const after = g.reachableFromAny([made]);
    expect([7, 8, 9].map((k) => after[g.nodeOf(write(f, k))])).toEqual([0, 1, 1]);
    // From the nil at the top and the one in the loop: all three; kept inside the loop body, only the loop's own write.
    const afterNils = g.reachableFromAny(nils);
    expect([7, 8, 9].map((k) => afterNils[g.nodeOf(write(f, k))])).toEqual([1, 1, 1]);
    const loopBody = f.descendantsOfType('for_statement')[0]!.childForFieldName('body')!;
    const inLoop = g.reachableFromAny([nils[1]], loopBody);
    expect([7, 8, 9].map((k) => inLoop[g.nodeOf(write(f, k))])).toEqual([0, 0, 0]);
  });
});

describe('nil conditions', () => {
  const facts = (k: number) => {
    const f = fn('guards');
    const w = write(f, k);
    const index = w.childForFieldName('left')!.namedChild(0)!;
    return guardsAround(index, index.childForFieldName('operand')!, pass.resultFor(functionSyntax, f)).map((g) => g.fact);
  };

  it('reads nil from ==, && and the else of != / ||, and non-nil from !=, len and range', () => {
    expect(facts(10)).toEqual(['nil']);
    expect(facts(11)).toEqual([]);
    expect(facts(12)).toEqual(['nil']);
    expect(facts(13)).toEqual([]);
    expect(facts(14)).toEqual(['non-nil']);
    expect(facts(15)).toEqual(['non-nil']);
  });

  it('stops at a closure: it may run after the condition stopped holding', () => {
    expect(facts(16)).toEqual([]);
  });
});
