// The editor's incremental analysis (core/incremental.ts) must report exactly what a whole-file
// analysis of the same text reports. Each file here takes a few hundred random edits through the
// server's own path (LSP changes, incremental reparse, cached declaration summaries, the previous
// analysis), and after every edit the findings are compared with analyzeFile's on a fresh parse.
// The edits mix keystrokes, deleted and duplicated lines, lines that add or remove findings
// (`make`, `go func`, locks, waits) and jumps back to earlier texts.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Carry } from '../server/src/core/analysis/carry';
import { analyzeFile } from '../server/src/core/analyze';
import { PackageIndex } from '../server/src/core/index/package-index';
import { summarize } from '../server/src/core/index/summary';
import { SummaryCache } from '../server/src/core/index/summary-cache';
import { NEWEST_GO, parseGoVersion } from '../server/src/core/go-version';
import { analyzeIncrementally, type AnalysisMemo } from '../server/src/core/incremental';
import { GoDocument } from '../server/src/core/parse/document';
import type { GoParser } from '../server/src/core/parse/parser';
import type { BuildConfig } from '../server/src/core/build/config';
import { Workspace } from '../server/src/node/workspace';
import { loadParser, ROOT } from './helpers/core';
import { FIXTURES } from './helpers/fixtures';
import { HAS_GO } from './helpers/go';
import { rng } from './helpers/random';

/** Every fixture of every rule in one file: many functions with findings of all three rules. */
function fixtureCorpus(): string {
  const parts: string[] = ['package main\n\nimport (\n\t"sync"\n\n\t"golang.org/x/sync/errgroup"\n)\n'];
  let n = 0;
  for (const rule of readdirSync(FIXTURES)) {
    const dir = join(FIXTURES, rule);
    if (!existsSync(dir) || rule.endsWith('.mod')) continue;
    for (const f of readdirSync(dir).filter((x) => x.endsWith('.go')).sort()) {
      const body = readFileSync(join(dir, f), 'utf8')
        .replace(/^package \w+\n/m, '')
        .replace(/^import \([^)]*\)\n|^import "[^"]*"\n/gm, '')
        .replace(/\bfunc main\(\)/g, `func main${n++}()`);
      parts.push(body);
    }
  }
  return parts.join('\n');
}

const LINES = [
  '\tm = make(map[string]int)\n',
  '\tvar seen map[string]bool\n',
  '\tseen["x"] = true\n',
  '\tgo func() { m["k"] = 1 }()\n',
  '\tmu.Lock()\n',
  '\tmu.Unlock()\n',
  '\twg.Wait()\n',
  '\tbreak\n',
  '\treturn\n',
  '\tfor i := range 100 {\n\t\tm[i] = i\n\t}\n',
  '\t// mapscope:ignore\n',
  '\tx := 1 //mapscope:ignore\n',
  '\tcounts = nil\n',
];
const CHARS = [' ', 'x', '\n', '{', '}', '(', ')', '"', '/', '=', ':', '.', 'm', '[', ']', '日', '😀', '\t'];

interface Stats {
  edits: number;
  incremental: number;
  findingsSeen: number;
}

/** Lines an edit outside function bodies adds: declarations other functions read. */
const OUTSIDE_LINES = [
  'var counts map[string]int\n',
  'var counts = map[string]int{}\n',
  'const width = 3\n',
  'type pair struct{ a, b int }\n',
  'type row struct {\n\titems map[string]int\n\tmu sync.Mutex\n}\n',
  '\titems map[string]int\n',
  '\tseen []bool\n',
  'import "sync"\n',
  'import errgroup "golang.org/x/sync/semaphore"\n',
  'import . "strings"\n',
  '// a comment between declarations\n',
];

/**
 * Applies `count` random edits to `text`, comparing the incremental analysis with a whole-file one
 * after each; with `outside`, every edit is outside function bodies (imports, types, variables,
 * constants, comments), where one edit may change what many functions read.
 */
function fuzz(parser: GoParser, path: string, original: string, count: number, seed: number, outside = false): Stats {
  const random = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)];
  const doc = GoDocument.parse(parser, path, original);
  const cache = new SummaryCache();
  const history: string[] = [original];
  let memo: AnalysisMemo | undefined;
  // As the editor runs it: facts of unchanged functions carried over, the last index handed on.
  const carry = new Carry();
  let index: PackageIndex | undefined;
  const stats: Stats = { edits: 0, incremental: 0, findingsSeen: 0 };
  const go = NEWEST_GO;
  try {
    for (let step = 0; step < count; step++) {
      const text = doc.text;
      const lines = doc.lines;
      const pos = (o16: number) => lines.lspPosition(lines.byteOffset(o16));
      let at = Math.floor(random() * (text.length + 1));
      if (outside) {
        // A place outside every function and method declaration (a gap between them, or another declaration).
        const inFunction = (o: number) => doc.tree.rootNode.namedChildren.some((n) => n !== null && /^(function|method)_declaration$/.test(n.type) && n.startIndex < o && o < n.endIndex);
        for (let tries = 0; tries < 50 && inFunction(at); tries++) at = Math.floor(random() * (text.length + 1));
        if (inFunction(at)) at = text.length;
      }
      const lineStart = text.lastIndexOf('\n', Math.max(0, at - 1)) + 1;
      const lineEnd = text.indexOf('\n', at) < 0 ? text.length : text.indexOf('\n', at) + 1;
      const kind = random();
      if (kind < 0.35) {
        doc.applyChanges([{ range: { start: pos(at), end: pos(at) }, text: pick(CHARS) }]);
      } else if (kind < 0.55) {
        const end = Math.min(text.length, at + 1 + Math.floor(random() * 5));
        doc.applyChanges([{ range: { start: pos(at), end: pos(end) }, text: '' }]);
      } else if (kind < 0.65) {
        doc.applyChanges([{ range: { start: pos(lineStart), end: pos(lineEnd) }, text: '' }]);
      } else if (kind < 0.72) {
        doc.applyChanges([{ range: { start: pos(lineEnd), end: pos(lineEnd) }, text: text.slice(lineStart, lineEnd) }]);
      } else if (kind < 0.92) {
        doc.applyChanges([{ range: { start: pos(lineStart), end: pos(lineStart) }, text: pick(outside ? OUTSIDE_LINES : LINES) }]);
      } else {
        // Back to an earlier text (an undo, a revert, a pasted file): one whole-document change.
        doc.applyChanges([{ text: pick(history) }]);
      }
      if (step % 10 === 0) history.push(doc.text);
      if (step % 40 === 39) doc.applyChanges([{ text: original }]);

      const unit = { path, text: doc.text, tree: doc.tree, lines: doc.lines };
      const cached = summarize(unit, cache);
      const plain = summarize(unit);
      expect(cached, `summary after edit ${step} (seed ${seed})`).toEqual(plain);
      index = new PackageIndex([cached], {}, index);
      const r = analyzeIncrementally(unit, index, { go, carry }, memo);
      memo = r.memo;
      const fresh = GoDocument.parse(parser, path, doc.text);
      try {
        const full = analyzeFile({ path, text: fresh.text, tree: fresh.tree, lines: fresh.lines }, new PackageIndex([plain]), { go });
        expect(r.findings, `findings after edit ${step} (seed ${seed})`).toEqual(full);
        stats.findingsSeen += full.length;
      } finally {
        fresh.dispose();
      }
      stats.edits++;
      if (r.checked !== 'all') stats.incremental++;
    }
  } finally {
    doc.dispose();
  }
  return stats;
}

/** `MAPSCOPE_FUZZ_SEEDS=20 npx vitest run test/incremental.test.ts`: the fuzz over more seeds, for a long local run. */
const SEEDS = Array.from({ length: Math.max(1, Number(process.env.MAPSCOPE_FUZZ_SEEDS ?? 1)) }, (_, i) => i);

let parser: GoParser;
beforeAll(async () => {
  parser = await loadParser();
});

describe('incremental analysis equals a whole-file analysis', () => {
  it('on every rule fixture in one file, outside function bodies', () => {
    for (const k of SEEDS) {
      const s = fuzz(parser, 'fixtures.go', fixtureCorpus(), 150, 11 + k, true);
      expect(s.incremental).toBeGreaterThan(s.edits / 2);
      expect(s.findingsSeen).toBeGreaterThan(s.edits * 10);
    }
  }, 120_000 * SEEDS.length);

  it('on every rule fixture in one file', () => {
    const s = fuzz(parser, join(ROOT, 'corpus.go'), fixtureCorpus(), 400, 1);
    // The edits must exercise the incremental path, on a file with findings, not fall back every time.
    expect(s.incremental).toBeGreaterThan(s.edits / 2);
    expect(s.findingsSeen).toBeGreaterThan(s.edits * 10);
    // About 25 s of CPU alone; the limit is for a busy 2-core machine, not a speed target.
  }, 300_000);

  it('on the examples', () => {
    for (const dir of ['crawler', 'inventory', 'report', 'wordstats']) {
      const path = join(ROOT, 'examples', dir, `${dir}.go`);
      const s = fuzz(parser, path, readFileSync(path, 'utf8'), 120, 7);
      expect(s.edits).toBe(120);
    }
  }, 120_000);

  it('with the settings and the Go version in the key', () => {
    const text = readFileSync(join(ROOT, 'examples', 'inventory', 'inventory.go'), 'utf8');
    const doc = GoDocument.parse(parser, 'inventory.go', text);
    try {
      const unit = { path: 'inventory.go', text: doc.text, tree: doc.tree, lines: doc.lines };
      const pkg = new PackageIndex([summarize(unit)]);
      const first = analyzeIncrementally(unit, pkg, { go: NEWEST_GO });
      const same = analyzeIncrementally(unit, pkg, { go: NEWEST_GO }, first.memo);
      expect(same.checked).toBe(0);
      const classic = analyzeIncrementally(unit, pkg, { go: parseGoVersion('1.23')! }, same.memo);
      expect(classic.checked).toBe('all');
      const cost = (r: typeof classic) => r.findings[0].related.map((x) => x.message).join('\n');
      expect(cost(classic)).toContain('Go 1.23 (classic map)');
      const size = analyzeIncrementally(unit, pkg, { go: parseGoVersion('1.23')!, rules: { defaultMapSize: 50 } }, classic.memo);
      expect(size.checked).toBe('all');
      expect(cost(size)).toContain('at 50 entries (mapscope.defaultMapSize)');
    } finally {
      doc.dispose();
    }
  });
});

/**
 * A document of `text` analysed incrementally, for `body` to edit with `replace`: it edits the
 * first `from` into `to`, requires the findings to equal a whole-file analysis' and says how many
 * functions it checked again. The document is freed afterwards.
 */
function editing(path: string, text: string, body: (replace: (from: string, to: string) => number | 'all') => void): void {
  const doc = GoDocument.parse(parser, path, text);
  try {
    const unit = () => ({ path, text: doc.text, tree: doc.tree, lines: doc.lines });
    const carry = new Carry();
    let memo = analyzeIncrementally(unit(), new PackageIndex([summarize(unit())]), { go: NEWEST_GO, carry }).memo;
    const pos = (o: number) => doc.lines.lspPosition(doc.lines.byteOffset(o));
    body((from, to) => {
      const at = doc.text.indexOf(from);
      expect(at).toBeGreaterThanOrEqual(0);
      doc.applyChanges([{ range: { start: pos(at), end: pos(at + from.length) }, text: to }]);
      const r = analyzeIncrementally(unit(), new PackageIndex([summarize(unit())]), { go: NEWEST_GO, carry }, memo);
      expect(r.findings).toEqual(analyzeFile(unit(), new PackageIndex([summarize(unit())]), { go: NEWEST_GO }));
      memo = r.memo;
      return r.checked;
    });
  } finally {
    doc.dispose();
  }
}

/** A whole-file analysis of `text`. */
function checkedWhole(path: string, text: string): ReturnType<typeof analyzeFile> {
  const doc = GoDocument.parse(parser, path, text);
  try {
    const unit = { path, text: doc.text, tree: doc.tree, lines: doc.lines };
    return analyzeFile(unit, new PackageIndex([summarize(unit)]), { go: NEWEST_GO });
  } finally {
    doc.dispose();
  }
}

describe('what an edit re-checks', () => {
  it('only the edited method, when its facts stay as they were, even after many edits elsewhere', () => {
    // add's effects on w.m are read by run, which starts a goroutine; no mutex anywhere, so the
    // rules never ask for add's facts on their own: they must still be at hand to compare.
    const text = `package main

type W struct {
\tm map[string]int
}

func (w *W) add(k string) {
\tw.m[k]++
}

func (w *W) run() {
\tgo func() { w.add("a") }()
}

func other(n int) int {
\treturn n
}
`;
    editing('w.go', text, (replace) => {
      for (let i = 0; i < 6; i++) expect(replace('return n', ' return n')).toBe(1);
      expect(replace('w.m[k]++', ' w.m[k]++')).toBe(1);
      // A change of its facts (it no longer writes the map) re-checks its caller too.
      expect(replace('w.m[k]++', '_ = k; //w.m[k]++')).toBe(2);
    });
  });

  it("for a new mention of a type's exported method elsewhere, not the type's methods; of an unexported one, those too", () => {
    const text = `package main

import "sync"

type T struct {
\tmu sync.Mutex
\tm  map[string]int
}

func (t *T) Put(k string) {
\tt.mu.Lock()
\tdefer t.mu.Unlock()
\tt.m[k] = 1
\tt.flush()
}

func (t *T) Get(k string) int {
\tt.mu.Lock()
\tdefer t.mu.Unlock()
\treturn t.m[k]
}

func (t *T) Close() {
\tt.mu.Lock()
\tdefer t.mu.Unlock()
\tt.m = nil
}

func (t *T) flush() {
\tdelete(t.m, "x")
}

func use(t *T) int {
\treturn t.Get("a")
}

func pad0() int { return 0 }

func pad1() int { return 1 }

func pad2() int { return 2 }

func pad3() int { return 3 }

func pad4() int { return 4 }
`;
    editing('exported.go', text, (replace) => {
      // Close is exported: its entry locks are its type's calls', wherever else it is called.
      expect(replace('\treturn t.Get("a")', '\tt.Close()\n\treturn t.Get("a")')).toBe(1);
      // flush is unexported: a call from outside T's methods unsettles its entry locks, and with
      // them the evidence of every method of T that touches the map.
      expect(replace('\tt.Close()\n\treturn', '\tt.flush()\n\treturn')).toBe(5);
      expect(replace('\tt.flush()\n\treturn', '\treturn')).toBe(5);
    });
  });

  it('nothing for a comment inside a const or var block; the readers of a value that changes', () => {
    const text = `package main

type State int

const (
\t// New is where a connection starts.
\tNew State = iota
\t// Closed is where it ends.
\tClosed
)

var names = map[State]string{New: "new", Closed: "closed"}

func (s State) String() string { return names[s] }

func isNew(s State) bool { return s == New }

func isClosed(s State) bool { return s == Closed }

func pad0() int { return 0 }

func pad1() int { return 1 }

func pad2() int { return 2 }
`;
    editing('states.go', text, (replace) => {
      expect(replace('// Closed is where', '// Closed is when')).toBe(0);
      expect(replace('// New is where a connection starts.', '// New is where a connection starts, before any request.')).toBe(0);
      // String reads names; a change of its value re-checks it, and only it.
      expect(replace('Closed: "closed"}', 'Closed: "done"}')).toBe(1);
      // A change of the constants' values re-checks every function naming one of them.
      expect(replace('\tNew State = iota', '\tNew State = iota + 1')).toBe(2);
    });
  });

  it('nothing for a declaration of the blank identifier, which no function can read', () => {
    const text = `package main

import (
\t"fmt"
\t"os"
)

type T struct{}

func (*T) String() string { return "t" }

var _ fmt.Stringer = (*T)(nil)

func a() error { _, err := os.Stat("a"); return err }

func b() error { _, err := os.Stat("b"); return err }

func c() error { _, err := os.Stat("c"); return err }

func d() error { _, err := os.Stat("d"); return err }
`;
    editing('blank.go', text, (replace) => {
      // The four functions name `_` as a word; none reads the variable.
      expect(replace('var _ fmt.Stringer', 'var _ fmt.GoStringer')).toBe(0);
      // A named one is read by its name, which no function mentions here.
      expect(replace('var _ fmt.GoStringer', 'var _x fmt.Stringer')).toBe(0);
      expect(replace('var _x fmt.Stringer', 'var _ fmt.Stringer')).toBe(0);
    });
  });

  it('for a renamed field, only the functions that read it as a field; for a renamed mutex, every method of its type', () => {
    const text = `package main

import "sync"

type T struct {
\tmu sync.Mutex
\tm  map[string]int
\tn  int // a plain field
}

func (t *T) Put(k string) {
\tt.mu.Lock()
\tt.m[k] = 1
\tt.mu.Unlock()
}

func (t *T) Has(k string) bool {
\tt.mu.Lock()
\tdefer t.mu.Unlock()
\t_, ok := t.m[k]
\treturn ok
}

func (t *T) Bad(k string) {
\tt.m[k] = 1
}

func (t *T) Size() int {
\tt.mu.Lock()
\tdefer t.mu.Unlock()
\treturn len(t.m)
}

func get() *T { return &T{} }

func count() int { return get().n }

func lit() T { return T{n: 1} }

func split() int {
\tt := get()
\treturn t. // the field is on the next line
\t\tn
}

func unrelated(n int) int { return n }

func pad0() int { return 0 }

func pad1() int { return 1 }

func pad2() int { return 2 }

func pad3() int { return 3 }

func pad4() int { return 4 }

func pad5() int { return 5 }

func pad6() int { return 6 }

func pad7() int { return 7 }

func pad8() int { return 8 }

func pad9() int { return 9 }
`;
    expect(checkedWhole('t.go', text).some((f) => f.rule === 'concurrent-map-write')).toBe(true);
    editing('t.go', text, (replace) => {
      // count, lit and split read n as a field; the methods of T, get and unrelated (its own n) do
      // not. (The pads keep the re-checks under half the file's functions, past which it is all checked.)
      expect(replace('\tn  int', '\tnx int')).toBe(3);
      expect(replace('\tnx int', '\tn  int')).toBe(3);
      // Which field is the mutex is evidence for every method of T, and those name T: the six
      // functions naming T, whatever they read.
      expect(replace('\tmu sync.Mutex', '\tmx sync.Mutex')).toBe(6);
      expect(replace('\tmx sync.Mutex', '\tmu sync.Mutex')).toBe(6);
      // So is the map field, held by every method that touches it.
      expect(replace('\tm  map', '\tmm map')).toBe(6);
      expect(replace('\tmm map', '\tm  map')).toBe(6);
      // A field whose type changes changes T's size: every function naming T or the field, which
      // unrelated's parameter does as a word.
      expect(replace('\tn  int', '\tn  int8')).toBe(9);
    });
  });
});

/**
 * One edit that changes what another function reports: the file before, the text to replace and
 * its replacement. Where `incremental` is set, the incremental path must see it through the name
 * the edited declaration declares, without checking the whole file; the others change the
 * package's summary (which variables are assigned), and so the key.
 */
/** A type whose mutex guards its map in Get: the start of the lock-discipline scenarios. */
const LOCKED_CACHE = `package main

import "sync"

type Cache struct {
\tmu sync.Mutex
\tm  map[string]int
}

func (c *Cache) Get(k string) int {
\tc.mu.Lock()
\tdefer c.mu.Unlock()
\treturn c.m[k]
}
`;

const SCENARIOS: { name: string; text: string; from: string; to: string; incremental: boolean }[] = [
  {
    name: 'a gRPC Register call of a type whose method writes its map is added',
    text: `package main

import (
\t"context"

\t"example.com/gen/pb"
)

type greeter struct {
\tgreeted map[string]int
}

func (g *greeter) SayHello(ctx context.Context, req *pb.HelloRequest) (*pb.HelloReply, error) {
\tg.greeted[req.Name]++
\treturn &pb.HelloReply{}, nil
}

func main() {
\ts := pb.NewServer()
\ts.Serve()
}
`,
    from: '\ts.Serve()\n',
    to: '\tpb.RegisterGreeterServer(s, &greeter{greeted: map[string]int{}})\n\ts.Serve()\n',
    incremental: false,
  },
  {
    name: 'a callee started with go f(m) begins to write the map',
    text: `package main

import "sync"

func record(seen map[int]bool, n int, wg *sync.WaitGroup) {
\tdefer wg.Done()
\t_ = seen[n]
}

func main() {
\tseen := make(map[int]bool)
\tvar wg sync.WaitGroup
\tfor i := 0; i < 500; i++ {
\t\twg.Add(1)
\t\tgo record(seen, i, &wg)
\t}
\twg.Wait()
}
`,
    from: '_ = seen[n]',
    to: 'seen[n] = true',
    incremental: true,
  },
  {
    name: 'a method started with go obj.method() begins to write a field map',
    text: `package main

import "sync"

type cache struct {
\tentries map[int]string
\twg      sync.WaitGroup
}

func (c *cache) add(k int) {
\tdefer c.wg.Done()
\t_ = c.entries[k]
}

func main() {
\tc := &cache{entries: make(map[int]string)}
\tfor i := 0; i < 500; i++ {
\t\tc.wg.Add(1)
\t\tgo c.add(i)
\t}
\tc.wg.Wait()
}
`,
    from: '_ = c.entries[k]',
    to: 'c.entries[k] = "x"',
    incremental: true,
  },
  {
    name: 'a method two calls below a goroutine begins to write a field map',
    text: `package main

import "sync"

type txn struct {
\twrites map[string]string
}

func (t *txn) reset() {
\tt.clear()
}

func (t *txn) clear() {
\t_ = t.writes["a"]
}

func main() {
\ttx := &txn{writes: map[string]string{}}
\tvar wg sync.WaitGroup
\twg.Add(1)
\tgo func() {
\t\tdefer wg.Done()
\t\ttx.reset()
\t}()
\t_ = tx.writes["b"]
\twg.Wait()
}
`,
    from: '_ = t.writes["a"]',
    to: 'delete(t.writes, "a")',
    incremental: true,
  },
  {
    // The callee's write now follows a channel receive, which may order it after the spawner's
    // read: only that changed (and places), and the goroutine's spawner must be checked again.
    name: 'a method a goroutine calls now waits on a channel before its write',
    text: `package main

import "sync"

type txn struct {
\twrites map[string]string
\tready  chan bool
}

func (t *txn) reset() {
\tt.writes["a"] = "x"
}

func main() {
\ttx := &txn{writes: map[string]string{}, ready: make(chan bool)}
\tvar wg sync.WaitGroup
\twg.Add(1)
\tgo func() {
\t\tdefer wg.Done()
\t\ttx.reset()
\t}()
\t_ = tx.writes["b"]
\twg.Wait()
}
`,
    from: '\tt.writes["a"] = "x"',
    to: '\t<-t.ready\n\tt.writes["a"] = "x"',
    incremental: true,
  },
  {
    name: 'a helper given a func begins to run it in a goroutine',
    text: `package main

func safeGo(f func()) {
\tf()
}

func main() {
\tm := map[int]int{}
\tfor i := 0; i < 10; i++ {
\t\tsafeGo(func() { m[i] = i })
\t}
}
`,
    from: '\tf()\n',
    to: '\tgo f()\n',
    incremental: true,
  },
  {
    name: 'the helper a helper passes its func on to begins to run it in a goroutine',
    text: `package main

func run(f func()) {
\tf()
}

func background(name string, f func()) {
\t_ = name
\trun(f)
}

func main() {
\tm := map[int]int{}
\tfor i := 0; i < 10; i++ {
\t\tbackground("w", func() { m[i] = i })
\t}
}
`,
    from: '\tf()\n',
    to: '\tgo func() { f() }()\n',
    incremental: true,
  },
  {
    name: 'a method given to a helper as a method value begins to write a field map',
    text: `package main

type store struct {
\titems map[string]int
}

func (s *store) refresh() {
\t_ = s.items["r"]
}

func safeGo(f func()) {
\tgo f()
}

func main() {
\ts := &store{items: map[string]int{}}
\tfor i := 0; i < 10; i++ {
\t\tsafeGo(s.refresh)
\t}
}
`,
    from: '_ = s.items["r"]',
    to: 's.items["r"]++',
    incremental: true,
  },
  {
    name: 'another function assigns a package-level map',
    text: `package main

var cache map[string]int

func put() {
\tcache["a"] = 1
}

func setup() {
}
`,
    from: 'func setup() {\n',
    to: 'func setup() {\n\tcache = map[string]int{}\n',
    incremental: false,
  },
  {
    name: 'another function reassigns a package map that goroutines share',
    text: `package main

var counts = map[string]int{}

func main() {
\tgo func() {
\t\tcounts["x"]++
\t}()
\tcounts["y"] = 1
}

func reset() {
}
`,
    from: 'func reset() {\n',
    to: 'func reset() {\n\tcounts = nil\n',
    incremental: false,
  },
  {
    name: 'a struct field another function writes becomes a map',
    text: `package main

type cache struct {
\titems []int
}

func fill() {
\tvar c cache
\tc.items[0] = 1
}
`,
    from: 'items []int',
    to: 'items map[int]int',
    incremental: true,
  },
  {
    name: 'a line break splits a field in two: the struct now embeds an unknown type',
    text: `package main

type base struct {
\ttags map[string]bool
}

type item struct {
\tbase
\tid int
}

func main() {
\tvar it item
\tit.id = 1
\tit.tags["new"] = true
}
`,
    from: '\tid int',
    to: '\tid\n\tint',
    incremental: true,
  },
  {
    name: 'a type inside the one a map holds grows: the predicted bytes change',
    text: `package main

type inner struct {
\ta int64
}

type row struct {
\tv inner
}

func index(keys []string) map[string]row {
\tm := make(map[string]row)
\tfor _, k := range keys {
\t\tm[k] = row{}
\t}
\treturn m
}
`,
    from: 'a int64',
    to: 'a [64]int64',
    incremental: true,
  },
  {
    // The evidence that mu guards m is in Get and Put: Reset's unguarded write is reported while
    // both hold it, and no longer once Put stops locking (its facts changed, so Reset is checked again).
    name: 'another method of the type stops holding the mutex around a map field',
    text: `${LOCKED_CACHE}
func (c *Cache) Put(k string, v int) {
\tc.mu.Lock()
\tc.m[k] = v
\tc.mu.Unlock()
}

func (c *Cache) Drop(k string) {
\tc.mu.Lock()
\tdelete(c.m, k)
\tc.mu.Unlock()
}

func (c *Cache) Set(k string) {
\tc.m[k] = 0
}
`,
    from: '\tc.mu.Lock()\n\tc.m[k] = v\n\tc.mu.Unlock()',
    to: '\tc.m[k] = v',
    incremental: true,
  },
  {
    // An unexported method holds what all its callers hold: a new caller without the lock makes
    // put's entry state unknown, so put's guarded write is no longer evidence.
    name: 'an unexported method gains a caller that holds no lock',
    text: `${LOCKED_CACHE}
func (c *Cache) Put(k string, v int) {
\tc.mu.Lock()
\tc.put(k, v)
\tc.mu.Unlock()
}

func (c *Cache) put(k string, v int) {
\tc.m[k] = v
}

func (c *Cache) Touch(k string) {
\t_ = k
}

func (c *Cache) Set(k string) {
\tc.m[k] = 0
}
`,
    from: '\t_ = k\n',
    to: '\tc.put(k, 1)\n',
    incremental: true,
  },
  {
    name: 'the errgroup import is replaced by another package',
    text: `package main

import "golang.org/x/sync/errgroup"

func main() {
\tm := map[int]int{}
\tvar g errgroup.Group
\tfor i := 0; i < 10; i++ {
\t\tg.Go(func() error {
\t\t\tm[i] = i
\t\t\treturn nil
\t\t})
\t}
\t_ = g.Wait()
}
`,
    from: 'import "golang.org/x/sync/errgroup"',
    to: 'import "golang.org/x/sync/semaphore"',
    incremental: true,
  },
  {
    name: 'a single (ungrouped) package variable a handler writes is deleted',
    text: `package main

import "net/http"

var visits = map[string]int{}

func main() {
\thttp.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
\t\tvisits[r.URL.Path]++
\t})
}
`,
    from: 'var visits = map[string]int{}\n',
    to: '',
    incremental: true,
  },
];

describe('edits that change what another function reports', () => {
  it.each(SCENARIOS.map((s) => [s.name, s] as const))('%s', (_name, sc) => {
    const doc = GoDocument.parse(parser, 'scenario.go', sc.text);
    try {
      const carry = new Carry();
      const analyse = (memo?: AnalysisMemo) => {
        const unit = { path: 'scenario.go', text: doc.text, tree: doc.tree, lines: doc.lines };
        const r = analyzeIncrementally(unit, new PackageIndex([summarize(unit)]), { go: NEWEST_GO, carry }, memo);
        const full = analyzeFile(unit, new PackageIndex([summarize(unit)]), { go: NEWEST_GO });
        expect(r.findings).toEqual(full);
        return r;
      };
      const before = analyse();
      const at = doc.text.indexOf(sc.from);
      expect(at).toBeGreaterThanOrEqual(0);
      const pos = (o: number) => doc.lines.lspPosition(doc.lines.byteOffset(o));
      doc.applyChanges([{ range: { start: pos(at), end: pos(at + sc.from.length) }, text: sc.to }]);
      const after = analyse(before.memo);
      // What the findings say (their ranges move with any edit above them).
      const said = (r: typeof before) => r.findings.map((f) => [f.rule, f.message, ...f.related.map((x) => x.message)]);
      expect(said(after)).not.toEqual(said(before));
      if (sc.incremental) expect(after.checked).not.toBe('all');
      // And back: the edit undone restores the first findings.
      const back = doc.text.indexOf(sc.to);
      doc.applyChanges([{ range: { start: pos(back), end: pos(back + sc.to.length) }, text: sc.from }]);
      expect(analyse(after.memo).findings).toEqual(before.findings);
    } finally {
      doc.dispose();
    }
  });
});

/** A package of two files: main.go calls helpers of helpers.go, one of which hands its func back to ownGo of main.go. */
const TWO_FILES = {
  'main.go': `package main

import "sync"

func ownGo(f func()) {
\tgo f()
}

func main() {
\tseen := map[string]bool{}
\tvar wg sync.WaitGroup
\twg.Add(1)
\tbackground(func() {
\t\tdefer wg.Done()
\t\tseen["background"] = true
\t})
\tseen["main"] = true
\twg.Wait()

\tcounts := map[string]int{}
\twg.Add(1)
\tviaOther(func() {
\t\tdefer wg.Done()
\t\tcounts["other"]++
\t})
\tcounts["main"]++
\twg.Wait()
}
`,
  'helpers.go': `package main

func safeGo(f func()) {
\tgo func() {
\t\tf()
\t}()
}

func background(f func()) {
\tsafeGo(f)
}

func viaOther(f func()) {
\townGo(f)
}
`,
};

/** main.go registers the greeter of server.go as a gRPC service, through the constructor server.go declares. */
const SERVICE_FILES = {
  'main.go': `package main

import "example.com/gen/pb"

func main() {
\ts := pb.NewServer()
\tpb.RegisterGreeterServer(s, newGreeter())
\ts.Serve()
}
`,
  'server.go': `package main

import (
\t"context"

\t"example.com/gen/pb"
)

type greeter struct {
\tgreeted map[string]int
}

func newGreeter() *greeter {
\treturn &greeter{greeted: map[string]int{}}
}

func (g *greeter) SayHello(ctx context.Context, req *pb.HelloRequest) (*pb.HelloReply, error) {
\tg.greeted[req.Name]++
\treturn &pb.HelloReply{}, nil
}
`,
};

/**
 * Both files of a package open in a workspace, edited through it: `check` compares the editor's
 * findings for `target` with a whole-file analysis of fresh parses of both texts, and returns
 * their messages.
 */
function twoFiles<F extends string>(
  files: Record<F, string>,
  target: NoInfer<F>,
  body: (check: () => string[], edit: (file: NoInfer<F>, from: string, to: string) => void, checked: () => number | 'all' | undefined) => void,
): void {
  const build: BuildConfig = { goos: 'linux', goarch: 'amd64', cgo: true, compiler: 'gc', tags: [], tests: true };
  const versions = { go: NEWEST_GO, language: NEWEST_GO };
  const dir = mkdtempSync(join(tmpdir(), 'mapscope-xfile-'));
  const ws = new Workspace(parser, build);
  const names = Object.keys(files) as F[];
  const path = (f: F) => join(dir, f);
  const version = new Map<F, number>();
  try {
    for (const f of names) {
      writeFileSync(path(f), files[f]);
      ws.openDocument(path(f), files[f], 1);
      version.set(f, 1);
    }
    const check = () => {
      const got = ws.analyze(path(target), versions);
      const docs = names.map((f) => GoDocument.parse(parser, path(f), ws.document(path(f))!.text));
      try {
        const units = docs.map((d, i) => ({ path: path(names[i]), text: d.text, tree: d.tree, lines: d.lines }));
        expect(got).toEqual(analyzeFile(units[names.indexOf(target)], new PackageIndex(units.map((u) => summarize(u))), versions));
      } finally {
        for (const d of docs) d.dispose();
      }
      return got.map((f) => f.message);
    };
    const edit = (f: F, from: string, to: string) => {
      const doc = ws.document(path(f))!;
      const at = doc.text.indexOf(from);
      expect(at).toBeGreaterThanOrEqual(0);
      const pos = (o: number) => doc.lines.lspPosition(doc.lines.byteOffset(o));
      version.set(f, version.get(f)! + 1);
      ws.changeDocument(path(f), [{ range: { start: pos(at), end: pos(at + from.length) }, text: to }], version.get(f)!);
    };
    body(check, edit, () => ws.lastChecked);
  } finally {
    ws.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('edits in another file of the package', () => {
  it('re-check the functions naming a package variable a function assigns only when the rules read its assignments', () => {
    const files = {
      'vars_test.go': `package p

import "bytes"

var buf bytes.Buffer

var pending map[string]int
`,
      'main.go': `package p

func fill() []byte {
\tvar buf []byte
\tbuf = append(buf, 'a')
\treturn buf
}

func a() int { buf := 1; return buf }

func b() int { buf := 2; return buf }

func c() int { buf := 3; return buf }

func add() { pending["x"] = 1 }

func reset() {
}

func pad() int { return 0 }
`,
    };
    twoFiles(files, 'main.go', (check, edit, checked) => {
      const nilWrite = check();
      expect(nilWrite).toHaveLength(1);
      // \`buf\` of the test file is no map: assigning a local of that name re-checks fill alone.
      edit('main.go', "append(buf, 'a')", "append(buf, 'b')");
      expect(check()).toEqual(nilWrite);
      expect(checked()).toBe(1);
      // \`pending\` is a nil map until something assigns it: its writers are checked again.
      edit('main.go', 'func reset() {\n', 'func reset() {\n\tpending = map[string]int{}\n');
      expect(check()).toEqual([]);
      expect(checked()).toBe(2);
    });
  });

  it('re-check the callers of a helper whose goroutine another file adds or removes', () => {
    twoFiles(TWO_FILES, 'main.go', (check, edit) => {
      const seen = 'the goroutine writes map `seen` while `main` writes it after starting it';
      const counts = 'the goroutine writes map `counts` while `main` writes it after starting it';
      expect(check()).toEqual([seen, counts]);
      // safeGo, in helpers.go, now calls its func in its caller's goroutine: background's caller in main.go has no goroutine.
      edit('helpers.go', '\tgo func() {', '\tfunc() {');
      expect(check()).toEqual([counts]);
      edit('helpers.go', '\tfunc() {', '\tgo func() {');
      expect(check()).toEqual([seen, counts]);
      // ownGo, in main.go itself, stops starting a goroutine: main names only viaOther, of helpers.go, which hands its func to ownGo.
      edit('main.go', '\tgo f()', '\tf()');
      expect(check()).toEqual([seen]);
      edit('main.go', '\tf()\n}', '\tgo f()\n}');
      expect(check()).toEqual([seen, counts]);
    });
  });

  it('re-check the methods of a type another file registers as a gRPC service, or stops registering', () => {
    twoFiles(SERVICE_FILES, 'server.go', (check, edit) => {
      const write = '`SayHello` writes map `g.greeted` with no lock held, and gRPC runs it on a goroutine per call';
      expect(check()).toEqual([write]);
      edit('main.go', '\tpb.RegisterGreeterServer(s, newGreeter())', '\t_ = newGreeter()');
      expect(check()).toEqual([]);
      edit('main.go', '\t_ = newGreeter()', '\tpb.RegisterGreeterServer(s, newGreeter())');
      expect(check()).toEqual([write]);
      // The constructor, in server.go itself, returns the interface: what main.go registers is no longer known to be a greeter.
      edit('server.go', 'func newGreeter() *greeter {', 'func newGreeter() pb.GreeterServer {');
      expect(check()).toEqual([]);
      edit('server.go', 'func newGreeter() pb.GreeterServer {', 'func newGreeter() *greeter {');
      expect(check()).toEqual([write]);
    });
  });
});

const GOROOT_SRC = HAS_GO ? join(execFileSync('go', ['env', 'GOROOT'], { encoding: 'utf8' }).trim(), 'src') : undefined;
const STDLIB = [
  'net/http/server.go',
  'runtime/race/testdata/map_test.go',
  'runtime/testdata/testprog/map.go',
  'internal/profile/encode.go',
  'net/textproto/reader.go',
  'testing/fstest/testfs.go',
];
if (!GOROOT_SRC) console.warn('[incremental test] SKIPPED the Go standard library files: go is not on PATH');
describe.skipIf(!GOROOT_SRC)('incremental analysis equals a whole-file analysis on Go standard library files', () => {
  it.each(STDLIB)('%s', (rel) => {
    const path = join(GOROOT_SRC!, rel);
    const s = fuzz(parser, path, readFileSync(path, 'utf8'), rel === 'net/http/server.go' ? 60 : 150, 3);
    expect(s.incremental).toBeGreaterThan(s.edits / 2);
  }, 180_000);

  it.each(STDLIB.slice(0, 3))('%s, outside function bodies', (rel) => {
    const path = join(GOROOT_SRC!, rel);
    for (const k of SEEDS) {
      const s = fuzz(parser, path, readFileSync(path, 'utf8'), 80, 5 + k, true);
      // Most such edits touch a comment, a field or a constant few functions name.
      expect(s.incremental).toBeGreaterThan(s.edits / 2);
    }
  }, 180_000 * SEEDS.length);
});
