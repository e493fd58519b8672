// The package index the editor makes on every keystroke keeps the layer of the other files'
// declarations from the index before the edit (their summaries are the same objects). Whatever
// it answers must equal what an index made from scratch of the same summaries answers, and the
// first declaration of a name stands across the layers as within one.
import { beforeAll, describe, expect, it } from 'vitest';
import { PackageIndex } from '../server/src/core/index/package-index';
import type { TypeInfo } from '../server/src/core/index/types';
import type { GoParser } from '../server/src/core/parse/parser';
import { loadParser, summaryOf } from './helpers/core';

let parser: GoParser;
beforeAll(async () => {
  parser = await loadParser();
});

const SIBLING = `package p

import pb "example.com/pb"

type Store struct {
\tmu sync.Mutex
\tm  map[string]int
}

type Shared struct{ n int }

func (s *Store) Put(k string) { s.m[k] = 1 }

func (s *Store) Go(f func()) { go f() }

func spawn(f func()) { go f() }

func handOn(f func()) { spawn(f) }

func newImpl() *impl { return &impl{} }

type impl struct{ seen map[string]bool }

func register(s *grpc.Server) { pb.RegisterGreeterServer(s, newImpl()) }
`;

const OTHER = `package p

type Shared struct{ m map[int]int }

func (s *Store) Len() int { return len(s.m) }

func helper(f func()) { handOn(f) }
`;

const embedsNothing = (t: TypeInfo) => t.kind === 'struct' && t.fields.length > 0 && t.fields.every((f) => !f.embedded);
const namedOwn = (t: TypeInfo) => t.fields.some((f) => f.name === 'own');

/** What the rules ask an index, as plain data. */
function answers(pkg: PackageIndex, own: string) {
  return {
    types: [...pkg.types.entries()].map(([n, t]) => [n, t.kind, t.fields.map((f) => f.name)]),
    size: pkg.types.size,
    funcs: [...pkg.funcs.keys()],
    methodsOfStore: pkg.methodsOf('Store').map((m) => [m.name, m.file]),
    len: pkg.method('Store', 'Len')?.file,
    named: ['Put', 'Go', 'Len'].map((n) => pkg.methodsNamed(n).map((m) => m.file)),
    mapFields: ['Store', 'Shared', 'impl', 'Nope'].map((t) => pkg.hasMapFields(t)),
    registered: [...pkg.registeredTypes()].sort(),
    handsTo: ['spawn', 'handOn', 'nothing'].map((n) => [pkg.handsTo(n, own), pkg.handsTo(n, 'elsewhere.go')]),
    spawners: [...pkg.spawnersOutside(own)].sort(),
    importsPb: pkg.importsName('sibling.go', 'pb'),
    mayHave: [pkg.mayHaveType(embedsNothing), pkg.mayHaveType(namedOwn)],
  };
}

describe('the package index across keystrokes', () => {
  it('answers as one made from scratch, over edits that declare, shadow and remove names', () => {
    const sibling = summaryOf(parser, 'sibling.go', SIBLING);
    const other = summaryOf(parser, 'other.go', OTHER);
    const versions = [
      'package p\n\nfunc main() {}\n',
      // Shadows the sibling's Shared (the first declaration stands: this file's comes first).
      'package p\n\ntype Shared struct{ own map[string]string }\n\nfunc main() {}\n',
      // A method of Store here, a func that spawns, a registration of its own.
      'package p\n\nimport pb "example.com/pb"\n\nfunc (s *Store) Reset() { s.m = nil }\n\nfunc run(f func()) { go f() }\n\nfunc reg(s *grpc.Server) { pb.RegisterGreeterServer(s, &Shared{}) }\n\ntype Shared struct{ x map[int]bool }\n',
      // Declares spawn too (a duplicate: the sibling's is later in the list, this one stands).
      'package p\n\nfunc spawn(f func()) { f() }\n',
      'package p\n',
    ];
    let previous: PackageIndex | undefined;
    for (const [i, text] of versions.entries()) {
      const own = summaryOf(parser, 'main.go', text);
      const summaries = [own, sibling, other];
      const kept = new PackageIndex(summaries, {}, previous);
      const fresh = new PackageIndex(summaries);
      expect(answers(kept, 'main.go'), `version ${i}`).toEqual(answers(fresh, 'main.go'));
      previous = kept;
    }
  });

  it('lets the first file shadow the others, and shows theirs again once it is gone', () => {
    const sibling = summaryOf(parser, 'sibling.go', SIBLING);
    const shadowing = new PackageIndex([summaryOf(parser, 'main.go', 'package p\n\ntype Shared struct{ own map[string]string }\n'), sibling]);
    expect(shadowing.types.get('Shared')?.fields.map((f) => f.name)).toEqual(['own']);
    expect([...shadowing.types.keys()].filter((n) => n === 'Shared')).toHaveLength(1);
    const after = new PackageIndex([summaryOf(parser, 'main.go', 'package p\n'), sibling], {}, shadowing);
    expect(after.types.get('Shared')?.fields.map((f) => f.name)).toEqual(['n']);
    expect(after.hasMapFields('Shared')).toBe(false);
    expect(shadowing.hasMapFields('Shared')).toBe(true);
  });

  it('reads the layers as one list: a sibling that spawns is named, the file asking is not', () => {
    const pkg = new PackageIndex([summaryOf(parser, 'main.go', 'package p\n\nfunc run(f func()) { go f() }\n'), summaryOf(parser, 'sibling.go', SIBLING)]);
    expect([...pkg.spawnersOutside('main.go')].sort()).toEqual(['Go', 'handOn', 'spawn']);
    expect([...pkg.spawnersOutside('sibling.go')].sort()).toEqual(['run']);
    expect(pkg.handsTo('spawn', 'main.go')).toBe(true);
    expect(pkg.handsTo('spawn', 'sibling.go')).toBe(false);
    expect([...pkg.registeredTypes()]).toEqual(['impl']);
    expect(pkg.mayHaveType((t) => t.name === 'impl')).toBe(true);
    expect(pkg.mayHaveType((t) => t.name === 'run')).toBe(false);
  });
});
