// Where a file starts goroutines: `go …` statements, `g.Go(func…)` on an errgroup.Group and
// `wg.Go(func…)` on a sync.WaitGroup (Go 1.25). Found from a scan of the text for `go` and `.Go(`
// with a tree lookup at each hit, so a file without them costs one regular-expression pass.
import type { Node } from 'web-tree-sitter';
import type { FileFacts } from './file-facts';

export type SpawnKind = 'go' | 'errgroup' | 'waitgroup';

export interface Spawn {
  kind: SpawnKind;
  /** The statement that starts the goroutine (`go_statement`, or the statement holding `g.Go(…)`). */
  stmt: Node;
  /** The call the goroutine runs (`go f(x)`), or the `g.Go(…)` call. */
  call: Node;
  /** The function literal the goroutine runs, when it is one. */
  literal?: Node;
  /** For `g.Go` / `wg.Go`: the group's expression text. */
  group?: string;
  /** An errgroup with `SetLimit`: how many of its goroutines run at once is not the rule's to prove. */
  limited?: boolean;
  /** The top-level function the statement is in. */
  fn: Node;
}

const GO_KEYWORD = /\bgo\b(?=[ \t]*[\w(])/g;
const GO_METHOD = /\.Go\(/g;

/** Every spawn site in the file. `kind` of a `.Go(` call is settled later by the rule, from the group's declaration. */
export function spawnSites(facts: FileFacts): Spawn[] {
  const { tree } = facts.unit;
  const root = tree.rootNode;
  const spawns: Spawn[] = [];
  for (const m of facts.matchesOf(GO_KEYWORD)) {
    const kw = root.descendantForIndex(m.index, m.index + 2);
    const stmt = kw?.parent;
    if (kw?.type !== 'go' || stmt?.type !== 'go_statement') continue;
    const call = stmt.namedChildren.find((c) => c?.type === 'call_expression');
    const fn = facts.functionAt(stmt.startIndex);
    if (!call || !fn) continue;
    const callee = call.childForFieldName('function');
    spawns.push({ kind: 'go', stmt, call, literal: callee?.type === 'func_literal' ? callee : undefined, fn });
  }
  for (const m of facts.matchesOf(GO_METHOD)) {
    const field = root.descendantForIndex(m.index + 1, m.index + 3);
    const sel = field?.parent;
    const call = sel?.parent;
    if (field?.type !== 'field_identifier' || sel?.type !== 'selector_expression' || call?.type !== 'call_expression') continue;
    if (!call.childForFieldName('function')?.equals(sel)) continue;
    const args = call.childForFieldName('arguments')?.namedChildren.filter((n): n is Node => n !== null && n.type !== 'comment') ?? [];
    if (args.length !== 1 || args[0].type !== 'func_literal') continue;
    const stmt = call.parent;
    if (stmt?.type !== 'expression_statement') continue;
    const fn = facts.functionAt(stmt.startIndex);
    const group = sel.childForFieldName('operand')?.text;
    if (!fn || !group) continue;
    spawns.push({ kind: 'errgroup', stmt, call, literal: args[0], group, fn });
  }
  return spawns.sort((a, b) => a.stmt.startIndex - b.stmt.startIndex);
}
