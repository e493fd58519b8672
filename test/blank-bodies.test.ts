// Function bodies blanked for import summaries (core/index/blank-bodies.ts): every byte offset
// stays, value-receiver methods keep their bodies, and the declarations' summary is the one of the
// whole text but for what is read from bodies (the names they assign, what they do with func
// parameters, the services they register) — on tricky syntax here, and on a package of the
// standard library file by file.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { blankBodies } from '../server/src/core/index/blank-bodies';
import type { FileSummary } from '../server/src/core/index/summary';
import type { GoParser } from '../server/src/core/parse/parser';
import { readGoSource } from '../server/src/node/files';
import { loadParser, summaryOf } from './helpers/core';
import { goroot, HAS_GO, REQUIRE_GO } from './helpers/go';

let parser: GoParser;
beforeAll(async () => {
  parser = await loadParser();
});

const TRICKY = `package p

import "strings"

//go:linkname runtimeNano runtime.nanotime
func runtimeNano() int64

type T struct{ m map[string]int }

type S[K comparable] struct{ v map[K]int }

var hook = func(t *T) { t.m = map[string]int{"}": 1} }

func F() struct{ a int } { return struct{ a int }{1} }

func G() interface{ M() } { return nil }

func H[K comparable](x K) func() int {
\ts := \`{ raw
brace }\`
\tr := '{'
\t/* } */
\t// {
\treturn func() int { return len(s) + int(r) + len("héllo 😀") }
}

func (t *T) Put(k string) { t.m[k] = len(strings.TrimSpace(k)) }

func (t T) Reset() { t.m = nil }

func (s *S[K]) Add(k K) { s.v[k]++ }
`;

/**
 * A summary as an importer reads it: without the names bodies assign, nor what a function's body
 * does with its func parameters and which services it registers (read only by the function's own
 * package, whose files are summarised whole).
 */
function declared(s: FileSummary): unknown {
  const headOnly = <T extends object>(f: T): T => {
    const { runs: _runs, registers: _registers, ...rest } = f as T & { runs?: unknown; registers?: unknown };
    return rest as T;
  };
  const methods = (list: readonly { typeName: string; info: object }[]) => list.map((m) => ({ ...m, info: headOnly(m.info) }));
  return {
    ...s,
    assignedNames: [],
    funcs: s.funcs.map(headOnly),
    methods: [...s.methods].map(([t, ms]) => [t, ms.map(headOnly)]),
    parts: s.parts.map((p) => ({ ...p, assigned: [], ...(p.funcs ? { funcs: p.funcs.map(headOnly) } : {}), methods: methods(p.methods) })),
  };
}

describe('blanked function bodies', () => {
  it('keep every byte offset and line, blank pointer-receiver and function bodies, keep value-receiver ones', () => {
    const b = blankBodies(TRICKY)!;
    expect(b).toBeDefined();
    expect(Buffer.byteLength(b)).toBe(Buffer.byteLength(TRICKY));
    expect(b.split('\n').length).toBe(TRICKY.split('\n').length);
    expect(b).toContain('func (t T) Reset() { t.m = nil }');
    expect(b).not.toContain('t.m[k] = len');
    expect(b).not.toContain('héllo');
    expect(b).toContain('func H[K comparable](x K) func() int {');
    expect(b).toContain('func F() struct{ a int } {');
    expect(b).toContain('func G() interface{ M() } {');
  });

  it("summarise to the whole text's declarations, linkname included", () => {
    const whole = summaryOf(parser, 'p.go', TRICKY);
    const blanked = summaryOf(parser, 'p.go', blankBodies(TRICKY)!);
    expect(declared({ ...blanked, linkname: TRICKY.includes('//go:linkname') })).toEqual(declared(whole));
  });

  it('leave a text they cannot follow alone', () => {
    expect(blankBodies('package p\n\nfunc f() {\n\ts := "unterminated\n}\n')).toBeUndefined();
    expect(blankBodies('package p\n\nfunc f() {\n')).toBeUndefined();
    expect(blankBodies('package p\n\ntype T int\n')).toBeUndefined();
  });
});

describe.skipIf(!HAS_GO && !REQUIRE_GO)('on the standard library', () => {
  it('net/http: every file summarises to the same declarations', () => {
    const root = goroot();
    if (!root) throw new Error('go is required here (MAPSCOPE_REQUIRE_GO) but `go env GOROOT` failed');
    const dir = join(root, 'src', 'net', 'http');
    const files = readdirSync(dir).filter((f) => f.endsWith('.go') && !f.endsWith('_test.go'));
    expect(files.length).toBeGreaterThan(20);
    let blanked = 0;
    for (const f of files) {
      const r = readGoSource(join(dir, f));
      if (!r.ok) continue;
      const b = blankBodies(r.text);
      if (b === undefined) continue;
      blanked++;
      const got = { ...summaryOf(parser, f, b), linkname: r.text.includes('//go:linkname') };
      expect(declared(got), f).toEqual(declared(summaryOf(parser, f, r.text)));
    }
    expect(blanked).toBeGreaterThan(20);
  });
});
