// map-without-hint's documentation: docs/rules.md is generated from it, and a test runs its examples.
import type { RuleDocs } from '../rule';

export const docs: RuleDocs = {
  summary: 'A map made without a capacity hint and then filled by a loop whose number of iterations is known, such as `len(items)`.',
  why:
    'A map made without a hint starts small and is rebuilt each time it fills up: every growth allocates a table twice the size and ' +
    'moves every entry into it, so filling N entries allocates about twice the final size in total and rehashes each entry about once more. ' +
    'When the loop that fills the map already knows how many entries are coming, `make(map[K]V, n)` allocates the table once. ' +
    "The finding's related information gives the growths and bytes the Go runtime of your version would spend, predicted by MapScope's map engine.",
  bad: 'func index(users []User) map[string]User {\n\tbyID := make(map[string]User)\n\tfor _, u := range users {\n\t\tbyID[u.ID] = u\n\t}\n\treturn byID\n}',
  good: 'func index(users []User) map[string]User {\n\tbyID := make(map[string]User, len(users))\n\tfor _, u := range users {\n\t\tbyID[u.ID] = u\n\t}\n\treturn byID\n}',
  silentWhen: [
    'the number of iterations is unknown: range over a channel or a function (iterator), `for {}`, `for cond {}`',
    'the loop never runs: it is in code switched off by hand (`if false {`) or after a `return`',
    'no insert runs on every iteration: each is inside an `if`, `switch` or `select`, or after a `continue` (a filter); or the loop counts or aggregates (`m[k]++`, `m[k] += v`, `m[k] = append(m[k], v)`)',
    'the loop has a `break` (a search loop), a labeled `break`/`continue`/`goto`, or the function a `goto`',
    'the key does not change with the loop variables (`seen[f(constant)] = true`): the map may stay small however long the loop runs',
    'the file is a test (`_test.go`): tests and benchmarks often build maps without hints on purpose',
    'the map is used between its creation and the loop other than by reading it, writing single elements or returning it on a path that leaves (passed on, it may be filled elsewhere), is written again in another loop or a closure, or the loop header mentions it',
    'the file is generated (a `// Code generated … DO NOT EDIT.` line before the package clause), unless `--include-generated` or `mapscope.includeGenerated` asks for it',
    'the count is a constant of at most 8 (a hint that small changes nothing), or a hint is already given',
  ],
  fix:
    'Adds the hint: `make(map[K]V)` and `map[K]V{}` become `make(map[K]V, len(items))`. Preferred, and applied by fix-all, only when the ' +
    'count is exact (keys are the range index, the counter or the keys of a ranged map, and the loop cannot exit early); when keys may ' +
    'repeat or the loop may end early (a `return` or `panic` in it) the hint is an upper bound and the quick fix is offered but not applied in bulk. ' +
    'Single writes before or after the loop add to the hint (`len(items) + 2`, an upper bound), and so do later loops of known count; writes in exclusive ' +
    'branches (if/else, switch cases) count once per iteration, and so do writes under one unchanged key; more writes in the loop body ' +
    'multiply the count (`2*len(items)`, an upper bound). ' +
    'No fix when a name in the hint is declared or changed between the `make` and the loop (reading it is fine); the finding says which. ' +
    'No fix either when the loop ranges over a call\'s result (`range load()`): calling again at `make` may cost, fail or return another length, so the finding asks to keep the result in a variable first. A loop that only copies a map of the same type ' +
    "is also a `maps.Copy` (gopls' mapsloop modernizer says so); the finding mentions it. The fix never uses `maps.Clone`, which keeps a nil map nil.",
};
