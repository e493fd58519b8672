// nil-map-write's documentation: docs/rules.md is generated from it, and a test runs its examples.
import type { RuleDocs } from '../rule';

export const docs: RuleDocs = {
  summary: 'A write into a map that is nil on every path to it, which panics with "assignment to entry in nil map".',
  why:
    'The zero value of a map is nil. Reading a nil map is fine, but writing to it panics at run time. ' +
    'The usual causes are a `var m map[K]V` or a named result never given a `make`, a struct whose map field ' +
    'was left out of its literal (or set from a nil map), zeroed by `new`, or initialized by a value-receiver method that only changes its copy, ' +
    'a write under `if m == nil` that forgot the `make`, a map set to `nil` and written again, the inner map of a map of maps ' +
    '(`acl[user][perm] = true` before `acl[user]` is made), and a pointer to a nil map (`(*p)[k] = v`).',
  bad: 'func count(words []string) (m map[string]int) {\n\tfor _, w := range words {\n\t\tm[w]++\n\t}\n\treturn m\n}',
  good: 'func count(words []string) (m map[string]int) {\n\tm = make(map[string]int)\n\tfor _, w := range words {\n\t\tm[w]++\n\t}\n\treturn m\n}',
  silentWhen: [
    'any path may assign the map before the write (`if m == nil { m = make(…) }`, an assignment in a loop or a closure)',
    'the map is a parameter, the result of a call, or reached through a pointer it did not allocate, and no guard (`if m == nil`) says it is nil',
    'its address is taken or, for a struct, a pointer-receiver method or another function may initialize it first',
    'for an inner map (`acl[a][b] = v`): the outer map may have an entry, from its literal, an assignment to `acl[…]`, or a call given `acl`',
    'a package-level map is assigned anywhere in the package, is exported, or the package uses `//go:linkname`',
    'the write can never run (after a `return`, in a branch no path reaches), or never with a nil map: under `if m != nil`, ' +
      '`if len(m) > 0` or in `for k := range m` the write is dead code for a nil map, not a panic',
  ],
  fix:
    'Initializes the map where it is declared: `m := make(map[K]V)`, `var m = make(map[K]V)`, `m = make(map[K]V)` at the top of ' +
    'a function with a named result, or the field added to the composite literal. One fix per finding, applied by fix-all ' +
    '(`source.fixAll.mapscope`, `mapscope check --fix`): the write panics whenever it runs, so the fix only changes runs that would crash. ' +
    'In `_test.go` files it is offered but not applied in bulk: a test may panic on purpose.',
};
