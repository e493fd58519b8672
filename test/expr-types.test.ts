// Expression types on small packages that import each other through an in-memory import graph.
// Each `probe(e) // T` states e's static type as Go has it (by hand, from the spec); `?` where
// MapScope must not claim to know it. The test asks the analysis for every probe's argument.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Node } from 'web-tree-sitter';
import { Pass } from '../server/src/core/analysis/pass';
import { exprTypes } from '../server/src/core/analyses/expr-types';
import { NEWEST_GO } from '../server/src/core/go-version';
import { typeString } from '../server/src/core/index/go-types';
import { PackageIndex } from '../server/src/core/index/package-index';
import { parseSignature, parseType } from '../server/src/core/index/type-syntax';
import { memoryPackages, type MemoryPackages } from './helpers/import-graph';

const OS = `package os

type DirEntry interface {
	Name() string
	IsDir() bool
}

type File struct{ name string }

func ReadDir(name string) ([]DirEntry, error) { return nil, nil }
func Open(name string) (*File, error)         { return nil, nil }
func (f *File) ReadDir(n int) ([]DirEntry, error) { return nil, nil }
func Environ() []string                       { return nil }

var Args []string
`;

const METADATA = `package metadata

type MD map[string][]string

func New(m map[string]string) MD { return nil }

func (md MD) Copy() MD { return nil }
`;

const STORE = `package store

import "example.com/m/metadata"

type Entry struct {
	Key  string
	Tags map[string]bool
}

type inner struct {
	Items map[string]*Entry
}

type Registry struct {
	inner
	Services inner
	ByName   map[string]Entry
	MD       metadata.MD
}

type Set[T comparable] map[T]struct{}

func (s Set[T]) Keys() []T { return nil }

func Load() []Entry { return nil }

// An alias is the type it names (printed here as that type).
type Names = []string

type Table = metadata.MD

func AllNames() Names { return nil }

func Tables() []Table { return nil }

func Map[T, U any](xs []T, f func(T) U) []U { return nil }

var Default = &Registry{}

const Limit = 10

type Kind int

const (
	KindA Kind = iota
	KindB
)
`;

const MAIN = `package main

import (
	"os"

	md "example.com/m/metadata"
	"example.com/m/missing"
	"example.com/m/store"
)

type server struct {
	reg  *store.Registry
	list []store.Entry
	store.Set[int]
}

var global = map[string]int{}
var entries = store.Load()
var handlers, count = pair()

func pair() (map[string]func(), int) { return nil, 0 }

func probe(any) {}

func load() []store.Entry { return nil }

type config struct{ names []string }

// A parameter named like its type: the type is read outside the body.
func named(config *config) {
	probe(config.names) // []string
}

func (s *server) run(dir string, xs ...int) {
	files, err := os.ReadDir(dir)
	probe(files) // []os.DirEntry
	probe(err) // error
	probe(files[0].Name()) // string
	es := load()
	probe(es) // []store.Entry
	probe(global) // map[string]int
	probe(entries) // []store.Entry
	probe(handlers) // map[string]func()
	probe(count) // int
	probe(s.reg.Services.Items) // map[string]*store.Entry
	probe(s.reg.Items) // map[string]*store.Entry
	probe(s.reg.MD) // metadata.MD
	probe(s.list[0].Tags) // map[string]bool
	probe(xs) // []int
	var m md.MD
	probe(m) // metadata.MD
	probe(m.Copy()) // metadata.MD
	probe(m["k"]) // []string
	v, ok := m["k"]
	probe(v) // []string
	probe(ok) // bool
	f, _ := os.Open(dir)
	des, _ := f.ReadDir(-1)
	probe(des) // []os.DirEntry
	for i, e := range es {
		probe(i) // int
		probe(e) // store.Entry
		probe(e.Tags) // map[string]bool
	}
	for k, e := range s.reg.Services.Items {
		probe(k) // string
		probe(e.Key) // string
	}
	set := store.Set[string]{}
	probe(set.Keys()) // []string
	probe(s.Keys()) // []int
	probe(store.Map(es, func(e store.Entry) string { return e.Key })) // []string
	probe(store.Default.ByName) // map[string]store.Entry
	probe(store.Limit) // untyped int
	probe(store.KindB) // store.Kind
	probe([]byte(dir)) // []uint8
	probe(dir[1:]) // string
	probe(&store.Entry{}) // *store.Entry
	probe(new(store.Entry)) // *store.Entry
	probe(make(map[string]int, 3)) // map[string]int
	probe(append(es, store.Entry{})) // []store.Entry
	probe(len(es)) // int
	probe(os.Environ()) // []string
	probe(os.Args) // []string
	probe(store.AllNames()) // []string
	probe(store.Tables()[0]) // metadata.MD
	var x any = es
	if y, ok := x.([]store.Entry); ok {
		probe(y) // []store.Entry
	}
	switch t := x.(type) {
	case map[string]int:
		probe(t) // map[string]int
	case int, string:
		probe(t) // interface{}
	}
	arr := [...]int{1, 2, 3}
	probe(arr) // [3]int
	probe(missing.Thing) // ?
	probe(missing.Load()) // ?
	var w missing.T
	probe(w.M) // ?
	type local struct{ m map[int]int }
	probe(local{}.m) // ?
}
`;

let mem: MemoryPackages;
let pass: Pass;

beforeAll(async () => {
  mem = await memoryPackages({
    os: { 'os.go': OS },
    'example.com/m/metadata': { 'md.go': METADATA },
    'example.com/m/store': { 'store.go': STORE },
    'example.com/m/cmd': { 'main.go': MAIN },
  });
  const unit = mem.units.get('example.com/m/cmd/main.go')!;
  pass = Pass.create(unit, mem.packages.get('example.com/m/cmd')!, { go: NEWEST_GO, language: NEWEST_GO });
});
afterAll(() => mem.close());

function probes(): { expr: Node; want: string; line: number }[] {
  const out: { expr: Node; want: string; line: number }[] = [];
  const unit = mem.units.get('example.com/m/cmd/main.go')!;
  const lines = unit.text.split('\n');
  for (const call of unit.tree.rootNode.descendantsOfType('call_expression')) {
    if (call?.childForFieldName('function')?.text !== 'probe') continue;
    const arg = call.childForFieldName('arguments')?.namedChild(0);
    const row = call.startPosition.row;
    const want = /\/\/ (.*)$/.exec(lines[row])?.[1];
    if (arg && want) out.push({ expr: arg, want, line: row + 1 });
  }
  return out;
}

describe('expression types', () => {
  it('types every probe as Go does, and leaves unknown what it cannot know', () => {
    const all = probes();
    expect(all.length).toBeGreaterThan(40);
    const typeOf = (e: Node) => {
      let f: Node | null = e;
      while (f && f.type !== 'function_declaration' && f.type !== 'method_declaration') f = f.parent;
      return pass.resultFor(exprTypes, f!).typeOf(e);
    };
    const got = all.map((p) => `${p.line}: ${p.expr.text} → ${typeString(typeOf(p.expr), mem.packages.get('example.com/m/cmd'))}`);
    const want = all.map((p) => `${p.line}: ${p.expr.text} → ${p.want}`);
    expect(got).toEqual(want);
  });

  it('knows nothing of another package without an import graph', async () => {
    const unit = mem.units.get('example.com/m/cmd/main.go')!;
    const alone = Pass.create(unit, new PackageIndex(mem.packages.get('example.com/m/cmd')!.summaries), { go: NEWEST_GO, language: NEWEST_GO });
    const run = alone.functions.find((f) => f.childForFieldName('name')?.text === 'run')!;
    const types = alone.resultFor(exprTypes, run);
    const byText = new Map(probes().map((p) => [p.expr.text, p.expr]));
    expect(typeString(types.typeOf(byText.get('files')))).toBe('?');
    expect(typeString(types.typeOf(byText.get('s.reg.MD')))).toBe('?');
    // What the package itself declares stays known.
    expect(typeString(types.typeOf(byText.get('global')))).toBe('map[string]int');
    expect(typeString(types.typeOf(byText.get('xs')))).toBe('[]int');
  });
});

describe('type syntax', () => {
  it('reads signatures with grouped, variadic and unnamed parameters and generic lists', () => {
    const s = parseSignature('[K comparable, V any](m map[K]V, a, b int, rest ...string) (out []K, err error)');
    expect(s?.typeParams).toEqual(['K', 'V']);
    expect(s?.params.map((p) => [p.name, p.type.t, p.variadic])).toEqual([
      ['m', 'map', false],
      ['a', 'name', false],
      ['b', 'name', false],
      ['rest', 'name', true],
    ]);
    expect(s?.results.map((r) => r.t)).toEqual(['slice', 'name']);
    expect(parseSignature('(int, string) error')?.params.map((p) => p.name)).toEqual([undefined, undefined]);
    expect(parseSignature('(a [4]int, T[int])')).toBeUndefined(); // named and unnamed mixed: not Go
  });

  it('reads struct fields, embedded fields with tags, and tells an array field from a generic embedding', () => {
    const t = parseType('struct {\n\ta, b [4]int\n\tT[int]\n\t*pkg.U `json:"u"`\n\tm map[K]V "tag" // c\n}');
    expect(t.t === 'struct' && t.fields.map((f) => [f.name, f.embedded, f.type.t])).toEqual([
      ['a', false, 'array'],
      ['b', false, 'array'],
      ['T', true, 'name'],
      ['U', true, 'pointer'],
      ['m', false, 'map'],
    ]);
    expect(parseType('map[string]').t).toBe('unknown');
  });
});
