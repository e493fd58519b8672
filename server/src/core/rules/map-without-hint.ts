// map-without-hint: a map made without a capacity hint and then filled, one insert per iteration,
// by a loop whose trip count the code already states (`len(items)`, `n`, a constant, a product for
// nested loops). Entry points are the hintless creation sites (a text scan); the rule follows the
// statements after each one in its block to the first that mentions the map, which must be the
// filling loop, and asks the tree and the function's scopes only about that loop. It reports only
// what it can prove: every iteration reaches the insert, nothing else touches the map in between,
// and the hint expression means the same at `make` as at the loop (else no fix).
import type { Node } from 'web-tree-sitter';
import { layoutOf, parseGoType, predict, SOURCE_MAX_ENTRIES, type Layout, type TypeResolver } from '../engine';
import type { FileFacts, IndexWrite } from '../facts/file-facts';
import { resolverFor, tripCount, type Resolver, type TripCount } from '../facts/loops';
import { hintlessMaps, type HintlessMap } from '../facts/map-sites';
import { byteRange } from '../facts/summary';
import { countWord, IDENT_CHAR, mentionsWord, nextWord } from '../facts/words';
import type { Edit, Finding, Fix } from '../findings';
import { formatGoVersion, mapImplementation, type GoVersion } from '../go-version';
import type { Rule, RuleContext } from './rule';

const ID = 'map-without-hint';
/** Hints of at most 8 change nothing: both implementations hold 8 entries before the first growth. */
const SMALL = 8;
export const DEFAULT_MAP_SIZE = 1000;

export const mapWithoutHint: Rule = {
  id: ID,
  severity: 'information',
  docs: {
    summary: 'A map made without a capacity hint and then filled by a loop whose number of iterations is known, such as `len(items)`.',
    why:
      'A map made without a hint starts small and is rebuilt each time it fills up: every growth allocates a table twice the size and ' +
      'moves every entry into it, so filling N entries allocates about twice the final size in total and rehashes each entry about once more. ' +
      'When the loop that fills the map already knows how many entries are coming, `make(map[K]V, n)` allocates the table once. ' +
      'The message gives the growths and bytes the Go runtime of your version would spend, predicted by MapScope\'s map engine.',
    bad: 'func index(users []User) map[string]User {\n\tbyID := make(map[string]User)\n\tfor _, u := range users {\n\t\tbyID[u.ID] = u\n\t}\n\treturn byID\n}',
    good: 'func index(users []User) map[string]User {\n\tbyID := make(map[string]User, len(users))\n\tfor _, u := range users {\n\t\tbyID[u.ID] = u\n\t}\n\treturn byID\n}',
    silentWhen: [
      'the number of iterations is unknown: range over a channel, a function (iterator) or a call result, `for {}`, `for cond {}`',
      'the insert is conditional: inside an `if`, `switch` or `select`, or after a `continue`; or it counts or aggregates (`m[k]++`, `m[k] += v`, `m[k] = append(m[k], v)`)',
      'the loop has a `break` (a search loop), a labeled `break`/`continue`, or the function a `goto`',
      'the key does not change with the loop variables (`seen[f(constant)] = true`): the map may stay small however long the loop runs',
      'the file is a test (`_test.go`): tests and benchmarks often build maps without hints on purpose',
      'anything else mentions the map between its creation and the loop (it may escape and be filled elsewhere), the map is written outside the loop too, or the loop header mentions it',
      'the count is a constant of at most 8 (a hint that small changes nothing), or a hint is already given',
    ],
    fix:
      'Adds the hint: `make(map[K]V)` and `map[K]V{}` become `make(map[K]V, len(items))`. Preferred, and applied by fix-all, only when the ' +
      'count is exact (keys are the range index, the counter or the keys of a ranged map, and the loop cannot exit early); when keys may ' +
      'repeat or the loop may end early the hint is an upper bound and the quick fix is offered but not applied in bulk. No fix when a name in ' +
      'the hint is declared or changed between the `make` and the loop. A loop that only copies one map into another is also a `maps.Copy` ' +
      '(gopls\' mapsloop modernizer says so); the message mentions it. The fix never uses `maps.Clone`, which keeps a nil map nil.',
  },
  check,
};

interface Fill {
  /** The `m[k] = v` statement. */
  insert: Node;
  /** The loops from the outermost (the statement after the creation) to the one holding the insert. */
  loops: Node[];
}

function check(ctx: RuleContext): Finding[] {
  const { facts } = ctx;
  // Tests and benchmarks build maps without hints on purpose (to exercise growth) and their speed
  // rarely matters; like prealloc, the rule leaves them alone.
  if (facts.unit.path.endsWith('_test.go')) return [];
  const sites = hintlessMaps(facts);
  if (sites.length === 0) return [];
  const cache = inferenceCache();
  const findings: Finding[] = [];
  for (const site of sites) {
    if (ctx.only && !ctx.only(site.fn)) continue;
    const finding = inferHintless(ctx, site, cache)?.finding;
    if (finding) findings.push(finding);
  }
  return findings;
}

/** What the rule worked out about one hintless map (the growth panel shows it too). */
export interface HintlessInference {
  /** The variable the map is assigned to. */
  name: string;
  /** The `m[k] = v` statement that fills it, once per iteration. */
  insert: Node;
  /** The fill loops' trip count: the hint a fix inserts (`expr`) and its value when known. */
  count: TripCount;
  /** The count is exact (distinct keys, no early exit), not an upper bound. */
  exact: boolean;
  /** The finding the rule reports, with its fix; absent when the count is a constant of at most 8. */
  finding?: Finding;
}

export interface InferenceCache {
  resolvers: Map<number, Resolver | null>;
  predictions: Map<string, Savings | undefined>;
}

export function inferenceCache(): InferenceCache {
  return { resolvers: new Map(), predictions: new Map() };
}

/**
 * Whether a hintless map is filled by a loop with a known trip count, proved as the rule proves
 * it (see the file comment); undefined when it is not, or when that cannot be shown.
 */
export function inferHintless(ctx: RuleContext, site: HintlessMap, cache: InferenceCache): HintlessInference | undefined {
  const { facts } = ctx;
  const target = targetOf(site);
  if (!target) return undefined;
  const { name, stmt } = target;
  const list = stmt.parent;
  if (list?.type !== 'statement_list') return undefined;
  // The first statement after the creation that mentions the map must be the filling loop. Found
  // by searching the text for the name (comment statements aside) and looking up the statement
  // holding it, not by reading every statement in between: a block creating many maps at its top
  // and filling them far below stays linear.
  const mentions = wordTest(name);
  const text = facts.unit.text;
  const block = facts.children(list);
  const at = block.indexOf(stmt);
  if (at < 0) return undefined;
  /** The index of the first statement after the creation mentioning `word` in [from, to), comments aside, or -1. */
  const firstMention = (word: string, from: number, to: number): number => {
    for (let p = nextWord(text, word, from, to); p >= 0; p = nextWord(text, word, p + 1, to)) {
      const j = block.at(p);
      if (j < 0) continue;
      if (block.nodes[j]?.type === 'comment') {
        p = block.ends[j] - 1;
        continue;
      }
      return j;
    }
    return -1;
  };
  const first = firstMention(name, stmt.endIndex, list.endIndex);
  const loop = first > at && block.nodes[first]?.type === 'for_statement' ? block.nodes[first]! : undefined;
  if (!loop) return undefined;
  const fill = findFill(loop, name, mentions);
  if (!fill) return undefined;
  const flow = controlFlow(fill);
  if (!flow) return undefined;
  let resolver = cache.resolvers.get(site.fn.id);
  if (resolver === undefined) {
    const scopes = facts.scopesOf(site.fn);
    resolver = scopes.hasGoto ? null : resolverFor(facts, scopes);
    cache.resolvers.set(site.fn.id, resolver);
  }
  if (!resolver) return undefined;
  if (!keyFollowsLoops(fill)) return undefined;
  if (writtenElsewhere(facts, site, name, loop)) return undefined;
  const count = countOf(fill, resolver, ctx.go, mentions);
  if (!count) return undefined;
  const key = fill.insert.childForFieldName('left')?.namedChild(0)?.childForFieldName('index');
  const keyVar = key?.type === 'call_expression' && INT_CONVERSIONS.test(key.childForFieldName('function')?.text ?? '')
    ? key.childForFieldName('arguments')?.namedChild(0)
    : key;
  const distinctKeys = fill.loops.length === 1 && keyVar?.type === 'identifier' && count.distinct.includes(keyVar.text);
  const exact = count.exact && distinctKeys && !flow.early;
  const inference: HintlessInference = { name, insert: fill.insert, count, exact };
  if (count.constant !== undefined && count.constant <= SMALL) return inference;
  // The hint is repeated at `make`: each name in it must mean the same there as at the loop.
  // (In the creation itself, or in a statement between it and the loop.)
  const fixable =
    !count.names.some((n) => nextWord(text, n, stmt.startIndex, stmt.endIndex) >= 0 || firstMention(n, stmt.endIndex, loop.startIndex) >= 0) &&
    !count.names.some((n) => fill.loops.some((l) => loopVars(l).includes(n)));
  inference.finding = report(ctx, site, name, fill, count, { exact, distinctKeys, early: flow.early, fixable }, cache.predictions);
  return inference;
}

/** The map variable a creation assigns, and the statement doing it: `m := …`, `var m = …`, `m = …`. */
function targetOf(site: HintlessMap): { name: string; stmt: Node } | undefined {
  const list = site.node.parent;
  if (list?.type !== 'expression_list' || list.namedChildCount !== 1) return undefined;
  const holder = list.parent;
  if (!holder) return undefined;
  if (holder.type === 'short_var_declaration' || holder.type === 'assignment_statement') {
    if (holder.type === 'assignment_statement' && holder.childForFieldName('operator')?.type !== '=') return undefined;
    if (!holder.childForFieldName('right')?.equals(list)) return undefined;
    const left = holder.childForFieldName('left');
    if (left?.namedChildCount !== 1 || left.namedChild(0)?.type !== 'identifier') return undefined;
    return { name: left.namedChild(0)!.text, stmt: holder };
  }
  if (holder.type === 'var_spec') {
    const names = holder.childrenForFieldName('name').filter((n): n is Node => n !== null);
    const decl = holder.parent;
    if (names.length !== 1 || decl?.type !== 'var_declaration' || decl.namedChildCount !== 1) return undefined;
    return { name: names[0].text, stmt: decl };
  }
  return undefined;
}

/** Whether a text mentions the variable `name` (a whole word, not a field `x.name`). A string search, not a regular expression per name. */
function wordTest(name: string): (text: string) => boolean {
  return (text) => mentionsWord(text, name);
}

const INT_CONVERSIONS = /^u?int(?:8|16|32|64)?$/;

/**
 * The key changes with the loops: it mentions a variable of every loop in the chain, directly or
 * through a local the body computes from one before the insert. A key that does not (`outs[string(b)]`
 * with `b` from a loop-invariant call, `coverage[f(x, y)]` kept in a local) may take a handful of
 * values however many times the loop runs, and the trip count says nothing about the map's size.
 */
function keyFollowsLoops(fill: Fill): boolean {
  const key = fill.insert.childForFieldName('left')?.namedChild(0)?.childForFieldName('index');
  if (!key) return false;
  const sets = fill.loops.map((l) => new Set(loopVars(l).filter((v) => v !== '_')));
  for (const loop of fill.loops) {
    const list = loop.childForFieldName('body')?.namedChild(0);
    for (const st of list?.namedChildren ?? []) {
      if (!st || st.startIndex >= fill.insert.startIndex) break;
      if (st.type !== 'short_var_declaration' && !(st.type === 'assignment_statement' && st.childForFieldName('operator')?.type === '=')) continue;
      const rhs = st.childForFieldName('right')?.text ?? '';
      const lhs = st.childForFieldName('left')?.namedChildren.filter((n): n is Node => n?.type === 'identifier').map((n) => n.text) ?? [];
      for (const set of sets) if ([...set].some((n) => wordTest(n)(rhs))) for (const n of lhs) set.add(n);
    }
  }
  return sets.every((set) => [...set].some((n) => wordTest(n)(key.text)));
}

/** Follows the loop (and loops nested directly in it) to the single statement that mentions the map. */
function findFill(loop: Node, name: string, mentions: (t: string) => boolean): Fill | undefined {
  const loops: Node[] = [];
  let cur = loop;
  for (;;) {
    loops.push(cur);
    const header = cur.namedChildren.find((n) => n?.type === 'range_clause' || n?.type === 'for_clause');
    if (!header || mentions(header.text)) return undefined;
    const body = cur.childForFieldName('body');
    const list = body?.namedChild(0);
    if (list?.type !== 'statement_list') return undefined;
    const stmts = list.namedChildren.filter((n): n is Node => n !== null && n.type !== 'comment');
    const using = stmts.filter((s) => mentions(s.text));
    if (using.length !== 1) return undefined;
    const s = using[0];
    if (s.type === 'for_statement') {
      cur = s;
      continue;
    }
    if (s.type !== 'assignment_statement' || s.childForFieldName('operator')?.type !== '=') return undefined;
    const left = s.childForFieldName('left');
    const right = s.childForFieldName('right');
    if (left?.namedChildCount !== 1 || right?.namedChildCount !== 1) return undefined;
    const index = left.namedChild(0);
    if (index?.type !== 'index_expression' || index.childForFieldName('operand')?.text !== name) return undefined;
    // The map appears once: the RHS and the key do not read it (no counting or aggregating).
    if (countWord(s.text, name) !== 1) return undefined;
    return { insert: s, loops };
  }
}

/**
 * Whether every iteration reaches the insert: no `continue` before it, no `break` out of the
 * loops, no labeled jumps, no `goto`. A `return` or `panic` (an error exit, where the map is
 * usually dropped) ends the loop early: the count becomes an upper bound.
 */
function controlFlow(fill: Fill): { early: boolean } | undefined {
  const outer = fill.loops[0];
  const chain = new Set(fill.loops.map((l) => l.id));
  const insertAt = fill.insert.startIndex;
  let early = false;
  const stack: Node[] = [outer.childForFieldName('body')!];
  while (stack.length > 0) {
    const n = stack.pop()!;
    switch (n.type) {
      case 'func_literal':
        continue;
      case 'goto_statement':
      case 'labeled_statement':
        return undefined;
      case 'return_statement':
        early = true;
        continue;
      case 'call_expression': {
        const f = n.childForFieldName('function')?.text;
        if (f === 'panic' || f === 'os.Exit' || /^log\.(Fatal|Panic)/.test(f ?? '')) early = true;
        break;
      }
      case 'break_statement':
      case 'continue_statement': {
        if (n.namedChildCount > 0) return undefined; // labeled
        const targetLoop = jumpTarget(n, outer);
        if (!targetLoop || !chain.has(targetLoop.id)) continue;
        if (n.type === 'continue_statement') {
          // A continue skips the insert unless it comes after it in the innermost loop.
          if (targetLoop.id !== fill.loops[fill.loops.length - 1].id || n.startIndex < insertAt) return undefined;
          continue;
        }
        return undefined; // a search loop: it may stop anywhere, so the count says little
      }
    }
    for (const c of n.namedChildren) if (c) stack.push(c);
  }
  return { early };
}

/** The loop a plain `break`/`continue` leaves or continues, or undefined when it is a switch/select. */
function jumpTarget(jump: Node, outer: Node): Node | undefined {
  for (let p = jump.parent; p; p = p.parent) {
    if (p.type === 'for_statement') return p;
    if (jump.type === 'break_statement' && /switch_statement$|^select_statement$/.test(p.type)) return undefined;
    if (p.id === outer.id) return undefined;
  }
  return undefined;
}

/** The map is written somewhere else in the function after its creation: the loop is not the whole fill. */
function writtenElsewhere(facts: FileFacts, site: HintlessMap, name: string, loop: Node): boolean {
  for (const w of writesByOperand(facts, site.fn).get(name) ?? []) {
    if (w.index.startIndex < site.node.endIndex) continue;
    if (w.index.startIndex >= loop.startIndex && w.index.endIndex <= loop.endIndex) continue;
    return true;
  }
  return false;
}

const operandIndexes = new WeakMap<FileFacts, Map<number, Map<string, IndexWrite[]>>>();
/** A function's index writes by the text of the indexed operand (`m` of `m[k] = v`), built once per function. */
function writesByOperand(facts: FileFacts, fn: Node): Map<string, IndexWrite[]> {
  let byFn = operandIndexes.get(facts);
  if (!byFn) operandIndexes.set(facts, (byFn = new Map()));
  let index = byFn.get(fn.id);
  if (!index) {
    index = new Map();
    for (const w of facts.writesIn(fn)) {
      const operand = w.index.childForFieldName('operand')?.text;
      if (operand === undefined) continue;
      const list = index.get(operand);
      if (list) list.push(w);
      else index.set(operand, [w]);
    }
    byFn.set(fn.id, index);
  }
  return index;
}

function loopVars(loop: Node): string[] {
  const clause = loop.namedChildren.find((n) => n?.type === 'range_clause' || n?.type === 'for_clause');
  if (clause?.type === 'range_clause') {
    return clause.childForFieldName('left')?.namedChildren.filter((n): n is Node => n?.type === 'identifier').map((n) => n.text) ?? [];
  }
  const init = clause?.childForFieldName('initializer');
  return init?.childForFieldName('left')?.namedChildren.filter((n): n is Node => n?.type === 'identifier').map((n) => n.text) ?? [];
}

/** The product of the loops' trip counts, when each is known and independent of the loops' variables. */
function countOf(fill: Fill, r: Resolver, go: GoVersion, _mentions: (t: string) => boolean): TripCount | undefined {
  const counts: TripCount[] = [];
  const declared = new Set<string>();
  for (const loop of fill.loops) {
    const c = tripCount(loop, r, go.minor >= 22);
    if (!c) return undefined;
    if (c.names.some((n) => declared.has(n))) return undefined; // an inner count depends on an outer loop
    if (c.over === 'counted' && !countedLoopStable(loop, c)) return undefined;
    for (const v of c.vars) declared.add(v);
    counts.push(c);
  }
  if (counts.length === 1) return counts[0];
  const constant = counts.every((c) => c.constant !== undefined) ? counts.reduce((a, c) => a * c.constant!, 1) : undefined;
  const expr = constant !== undefined ? String(constant) : counts.map((c) => (c.compound ? `(${c.expr})` : c.expr)).join('*');
  return {
    expr,
    compound: true,
    ...(constant !== undefined ? { constant } : {}),
    names: [...new Set(counts.flatMap((c) => c.names))],
    over: counts[0].over,
    exact: counts.every((c) => c.exact),
    distinct: [],
    vars: [...declared],
  };
}

/** A counted loop's body changes neither its counter nor its bound. */
function countedLoopStable(loop: Node, c: TripCount): boolean {
  const body = loop.childForFieldName('body')?.text ?? '';
  for (const n of [...c.vars, ...c.names]) {
    // Go identifiers: Unicode letters and digits (words.ts), hence the `u` flag and no `\w`.
    const w = IDENT_CHAR;
    const notAfter = `(?<![\\p{L}\\p{Nd}_.])`;
    const assigned = new RegExp(
      `${notAfter}${n}\\s*(?:[-+*/%&|^]|<<|>>|&\\^)?=(?!=)|${notAfter}${n}\\s*(?:\\+\\+|--)|&\\s*${n}(?!${w})|${notAfter}${n}\\s*,(?:${w}|[\\s,])*:?=(?!=)|,\\s*${n}\\s*(?:,(?:${w}|[\\s,])*)?:?=(?!=)`,
      'u',
    );
    if (assigned.test(body)) return false;
  }
  return true;
}

interface Verdict {
  exact: boolean;
  distinctKeys: boolean;
  early: boolean;
  fixable: boolean;
}

function report(
  ctx: RuleContext,
  site: HintlessMap,
  name: string,
  fill: Fill,
  count: TripCount,
  v: Verdict,
  cache: Map<string, Savings | undefined>,
): Finding {
  const { facts } = ctx;
  const lines = facts.unit.lines;
  const typeText = site.mapType.text;
  const hint = count.expr;
  const upTo = !v.exact;
  const parts: string[] = [];
  parts.push(`map ${name} is filled with ${upTo ? 'up to ' : ''}${hint} entries without a capacity hint`);
  const why: string[] = [];
  if (!v.distinctKeys) why.push(fill.loops.length > 1 ? 'keys may repeat across the nested loops' : 'keys may repeat');
  if (!count.exact) why.push('len of a string counts bytes, the loop runes');
  if (v.early) why.push('the loop may exit early');
  if (why.length > 0) parts[0] += ` (an upper bound: ${why.join('; ')})`;
  const entries = count.constant ?? ctx.defaultMapSize ?? DEFAULT_MAP_SIZE;
  const savings = entries > SOURCE_MAX_ENTRIES ? undefined : savingsFor(ctx, site, entries, cache);
  const shown = `make(${typeText.includes('\n') ? 'map[…]…' : typeText}, ${hint})`;
  if (savings) {
    const assumed = count.constant === undefined ? ` (assumed; set mapscope.defaultMapSize)` : '';
    const grows = savings.grows === 1 ? 'once' : `${savings.grows} times`;
    const withHint = savings.hintGrows === 0 ? 'once' : `and still grows it ${savings.hintGrows === 1 ? 'once' : `${savings.hintGrows} times`}`;
    parts.push(
      `for ${entries} entries${assumed} Go ${formatGoVersion(ctx.go)} (${mapImplementation(ctx.go)} map) grows it ${grows} and allocates ${fmtBytes(savings.bytes)}; ` +
        `${shown} allocates ${fmtBytes(savings.hintBytes)} ${withHint}`,
    );
    if (savings.assumptions.length > 0) parts.push(`the numbers assume ${savings.assumptions.join('; ')}`);
  } else if (entries > SOURCE_MAX_ENTRIES) {
    parts.push(`no byte estimate for more than ${SOURCE_MAX_ENTRIES} entries (the growth panel and mapscope predict FILE:LINE show the first ones)`);
  } else {
    parts.push(`the engine cannot lay out ${typeText.includes('\n') ? 'the key or value type' : typeText}, so no byte estimate`);
  }
  if (isMapCopy(fill, count) && ctx.go.minor >= 21) parts.push(`the loop only copies a map: maps.Copy(${name}, ${rangeRight(fill.loops[0])}) says the same (gopls' mapsloop)`);
  if (!v.fixable) parts.push(`no fix: a name in ${hint} is declared or changed between the make and the loop`);

  const fixes: Fix[] = [];
  if (v.fixable) {
    const edit = fixEdit(site, hint, facts);
    if (edit) {
      fixes.push({
        title: `Add capacity hint ${hint}`,
        isPreferred: v.exact,
        edits: [edit],
        ...(v.exact ? { safeForFixAll: true } : {}),
      });
    }
  }
  return {
    rule: ID,
    severity: 'information',
    message: `${parts[0]}: ${parts.slice(1).join('; ')}`,
    range: byteRange(site.node, lines),
    ...(fixes.length > 0 ? { hint } : {}),
    fixes,
    related: [{ range: byteRange(fill.insert, lines), message: `filled here, once per iteration` }],
  };
}

function rangeRight(loop: Node): string {
  return loop.namedChildren.find((n) => n?.type === 'range_clause')?.childForFieldName('right')?.text ?? '';
}

/** `for k, v := range src { dst[k] = v }` and nothing else in the body. */
function isMapCopy(fill: Fill, count: TripCount): boolean {
  if (fill.loops.length !== 1 || count.over !== 'map' || count.vars.length !== 2) return false;
  const list = fill.loops[0].childForFieldName('body')?.namedChild(0);
  if (list?.namedChildCount !== 1) return false;
  const left = fill.insert.childForFieldName('left')?.namedChild(0);
  return left?.childForFieldName('index')?.text === count.vars[0] && fill.insert.childForFieldName('right')?.text === count.vars[1];
}

function fixEdit(site: HintlessMap, hint: string, facts: FileFacts): Edit | undefined {
  const lines = facts.unit.lines;
  if (site.kind === 'make') {
    if (site.node.text.includes('\n')) return undefined;
    if (site.zeroHint) return { range: byteRange(site.zeroHint, lines), newText: hint };
    const at = lines.byteOffset(site.mapType.endIndex);
    return { range: { start: at, end: at }, newText: `, ${hint}` };
  }
  if (site.mapType.text.includes('\n')) return undefined;
  return { range: byteRange(site.node, lines), newText: `make(${site.mapType.text}, ${hint})` };
}

export interface Savings {
  grows: number;
  bytes: number;
  hintGrows: number;
  hintBytes: number;
  assumptions: string[];
}

function savingsFor(ctx: RuleContext, site: HintlessMap, entries: number, cache: Map<string, Savings | undefined>): Savings | undefined {
  const keyNode = site.mapType.childForFieldName('key');
  const valueNode = site.mapType.childForFieldName('value');
  if (!keyNode || !valueNode) return undefined;
  const id = `${keyNode.text}\u0000${valueNode.text}\u0000${entries}`;
  if (cache.has(id)) return cache.get(id);
  let result: Savings | undefined;
  try {
    const resolver = typeResolver(ctx.facts);
    const opts = { goMinor: ctx.go.minor };
    const key: Layout = layoutOf(parseGoType(keyNode.text), resolver, opts);
    const value: Layout = layoutOf(parseGoType(valueNode.text), resolver, opts);
    const go = `1.${ctx.go.minor}`;
    const goexperiment = ctx.go.noSwissMap ? 'noswissmap' : undefined;
    const without = predict(key, value, { entries, hint: 0, go, goexperiment });
    const withHint = predict(key, value, { entries, hint: entries, go, goexperiment });
    const grows = (p: typeof without) => p.events.filter((e) => e.kind === 'grow' || e.kind === 'split').length;
    result = {
      grows: grows(without),
      bytes: without.totalBytes,
      hintGrows: grows(withHint),
      hintBytes: withHint.totalBytes,
      assumptions: without.assumptions,
    };
  } catch {
    result = undefined;
  }
  cache.set(id, result);
  return result;
}

const resolvers = new WeakMap<FileFacts, TypeResolver>();
/** Named types of this package, for the layout of keys and values. */
export function typeResolver(facts: FileFacts): TypeResolver {
  let r = resolvers.get(facts);
  if (!r) {
    r = (ref) => {
      if (ref.pkg !== undefined) return undefined;
      const t = facts.pkg.types.get(ref.name);
      if (!t || t.generic || !t.typeText) return undefined;
      try {
        // Declarations span lines; the type parser wants `;` between fields, and no comments.
        return parseGoType(t.typeText.replace(/\/\/[^\n]*/g, '').replace(/\/\*[\s\S]*?\*\//g, '').replace(/\n/g, ';'));
      } catch {
        return undefined;
      }
    };
    resolvers.set(facts, r);
  }
  return r;
}

function fmtBytes(n: number): string {
  if (n < 1000) return `${n} B`;
  if (n < 1_000_000) return `${(n / 1000).toFixed(n < 10_000 ? 1 : 0)} KB`;
  return `${(n / 1_000_000).toFixed(1)} MB`;
}
