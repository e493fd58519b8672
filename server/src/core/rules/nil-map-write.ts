// nil-map-write: a write into a map that is nil on every path to it. Go panics with "assignment to
// entry in nil map". The rule tracks a variable from a declaration that makes it (or a map field in
// it) nil, and reports a write only when no event that could make it non-nil may run first: an
// assignment, `&x`, a pointer-receiver method call, handing a pointer away, a `return` with values
// for a named result. Textual order bounds "may run first" inside one function; loops, closures and
// `goto` widen it, so the rule stays silent whenever a path might initialise the map.
import type { Node } from 'web-tree-sitter';
import type { FileFacts, IndexWrite } from '../facts/file-facts';
import type { FieldStep } from '../facts/package-index';
import type { Binding, Reference } from '../facts/scopes';
import { byteRange } from '../facts/summary';
import { namedTypeOf } from '../facts/types';
import { IDENT, IDENT_CHAR as W } from '../facts/words';
import type { Edit, Finding, Fix, Related } from '../findings';
import type { Rule, RuleContext } from './rule';

const ID = 'nil-map-write';

/** Why a tracked variable's map starts nil. */
type Origin =
  | { kind: 'var' } // `var m map[K]V`, `var s T`
  | { kind: 'result' } // a named result
  | { kind: 'literal'; literal: Node } // `T{…}` or `&T{…}` leaving the field out
  | { kind: 'new'; call: Node }; // `new(T)`

interface Tracked {
  binding: Binding;
  origin: Origin;
  /** The struct type when the variable holds (or points to) a struct, else undefined: the variable is the map. */
  structType?: string;
  pointer: boolean;
  /** Canonical field paths (`a.b`) that are nil maps; `''` for the variable itself. */
  nilPaths: Set<string>;
  /** The declared map type text, for a map variable. */
  mapType?: string;
  typeNode?: Node;
}

export const nilMapWrite: Rule = {
  id: ID,
  severity: 'error',
  docs: {
    summary: 'A write into a map that is nil on every path to it, which panics with "assignment to entry in nil map".',
    why:
      'The zero value of a map is nil. Reading a nil map is fine, but writing to it panics at run time. ' +
      'The usual causes are a `var m map[K]V` or a named result never given a `make`, and a struct whose map field ' +
      'was left out of its literal, zeroed by `new`, or initialised by a value-receiver method that only changes its copy.',
    bad: 'func count(words []string) (m map[string]int) {\n\tfor _, w := range words {\n\t\tm[w]++\n\t}\n\treturn m\n}',
    good: 'func count(words []string) (m map[string]int) {\n\tm = make(map[string]int)\n\tfor _, w := range words {\n\t\tm[w]++\n\t}\n\treturn m\n}',
    silentWhen: [
      'any path may assign the map before the write (`if m == nil { m = make(…) }`, an assignment in a loop or a closure)',
      'the map is a parameter, the result of a call, or reached through a pointer it did not allocate',
      'its address is taken or, for a struct, a pointer-receiver method or another function may initialise it first',
      'a package-level map is assigned anywhere in the package, is exported, or the package uses `//go:linkname`',
      'the function uses `goto`',
    ],
    fix:
      'Initialise the map where it is declared: `m := make(map[K]V)`, `var m = make(map[K]V)`, `m = make(map[K]V)` at the top of ' +
      'a function with a named result, or the field added to the composite literal. One fix per finding, applied by fix-all ' +
      '(`source.fixAll.mapscope`, `mapscope check --fix`): the write panics whenever it runs, so the fix only changes runs that would crash.',
  },
  check,
};

function check(ctx: RuleContext): Finding[] {
  const { facts } = ctx;
  const writes = facts.indexWrites;
  if (writes.length === 0) return [];
  const findings: Finding[] = [];
  const byFunction = new Map<number, { write: IndexWrite; base: Base }[]>();
  for (const write of writes) {
    const base = baseIdentifier(write.index);
    if (!base) continue;
    const list = byFunction.get(write.fn.id) ?? [];
    list.push({ write, base });
    byFunction.set(write.fn.id, list);
  }
  for (const list of byFunction.values()) {
    const fn = list[0].write.fn;
    if (ctx.only && !ctx.only(fn)) continue;
    if (!mayHoldCandidates(fn, new Set(list.map((w) => w.base.id.text)), facts)) continue;
    const scopes = facts.scopesOf(fn);
    if (scopes.hasGoto) continue;
    const refByStart = new Map<number, Reference>();
    const tracked = new Map<Binding, Tracked>();
    for (const b of scopes.bindings) {
      const t = track(b, facts);
      if (!t) continue;
      tracked.set(b, t);
      for (const r of b.refs) refByStart.set(r.id.startIndex, r);
    }
    const freeByStart = new Map(scopes.free.map((f) => [f.id.startIndex, f]));
    const uses: UsesCache = new Map();
    for (const { write: w, base } of list) {
      const ref = refByStart.get(base.id.startIndex);
      if (ref) {
        const t = tracked.get(ref.binding);
        if (t) {
          const f = checkLocalWrite(t, ref, base.selectors, w.index, facts, uses);
          if (f) findings.push(f);
        }
        continue;
      }
      if (base.selectors.length === 0 && freeByStart.has(base.id.startIndex)) {
        const f = checkPackageWrite(base.id, w.index, facts);
        if (f) findings.push(f);
      }
    }
  }
  return findings;
}

interface Base {
  id: Node;
  selectors: string[];
}

/** `m[k]` → m; `s.a.b[k]` → s with selectors [a, b]; anything else (calls, indexes, derefs) → undefined. */
function baseIdentifier(index: Node): Base | undefined {
  let operand = index.childForFieldName('operand');
  const selectors: string[] = [];
  while (operand) {
    if (operand.type === 'parenthesized_expression') operand = operand.namedChild(0);
    else if (operand.type === 'selector_expression') {
      const field = operand.childForFieldName('field');
      if (!field) return undefined;
      selectors.unshift(field.text);
      operand = operand.childForFieldName('operand');
    } else if (operand.type === 'identifier') return { id: operand, selectors };
    else return undefined;
  }
  return undefined;
}

/**
 * Where a function's text may declare a local candidate, and with what type or value: without a
 * value (`var name T`, also in a `var (…)` group, or a named result `(name T`), or by `:=`/`=` from
 * `&T{…}`, `new(T)` or `T{…}`. Each pattern captures a whole list of names (`a, b T`) and the start
 * of the type or value; one pass of each over the function's text gives every name it may declare,
 * so the cost is linear in the text however many writes it has. Names are Go identifiers (words.ts).
 */
const NAME_LIST = `(?:${W}+[ \\t]*,[ \\t]*)*${W}+`;
/** The type's first token: `map`, `*`, `[`, `T`, `pkg.T`. */
const TYPE_START = `(?=[ \\t]+([\\p{L}\\p{Nd}_*\\[][\\p{L}\\p{Nd}_.]*))`;
const DECLARED_WITH_TYPE = [
  new RegExp(`(?<!${W})var[ \\t]+(${NAME_LIST})${TYPE_START}`, 'gu'),
  new RegExp(`^[ \\t]*(${NAME_LIST})${TYPE_START}`, 'gmu'),
  new RegExp(`[(,][ \\t]*(${NAME_LIST})${TYPE_START}`, 'gu'),
];
/** `a, b := &T{…}`, `new(T)`, `T{…}`: the list, then the struct type's name after `&`, in `new(…)`, or before `{`. */
const DECLARED_WITH_VALUE = new RegExp(
  `(?<!${W})(${W}+[ \\t]*(?:,[ \\t]*${W}+[ \\t]*)*)(?=(?::=|=)[ \\t]*(?:&[ \\t]*(${IDENT})?|new(?!${W})(?:[ \\t]*\\([ \\t]*(${IDENT}))?|(${W}+)[ \\t]*\\{))`,
  'gu',
);

/**
 * Cheap pre-filter before the scope walk: some written base name is a package nil map, or is
 * declared in the function in a way `track` may accept: a map type, a named map type of the
 * package, or a package struct with map fields (a pointer, slice or other package's type never is).
 */
function mayHoldCandidates(fn: Node, written: ReadonlySet<string>, facts: FileFacts): boolean {
  const pkg = facts.pkg;
  for (const name of written) if (pkg.neverAssignedNilMap(name)) return true;
  const text = fn.text;
  const anyWritten = (list: string) => list.split(',').some((n) => written.has(n.trim()));
  for (const re of DECLARED_WITH_TYPE) {
    for (const m of text.matchAll(re)) {
      if (!anyWritten(m[1])) continue;
      const type = m[2];
      if (type === 'map' || (!/^[*[]/.test(type) && !type.includes('.') && (pkg.mapTypeOf(type) !== undefined || pkg.hasMapFields(type)))) return true;
    }
  }
  for (const m of text.matchAll(DECLARED_WITH_VALUE)) {
    if (!anyWritten(m[1])) continue;
    // With several names, the value matched is the first one's, not necessarily the written name's.
    if (m[1].includes(',')) return true;
    const struct = m[2] ?? m[3] ?? m[4];
    if (struct !== undefined && pkg.hasMapFields(struct)) return true;
  }
  return false;
}

/** Decides whether a binding starts out holding a nil map (or a struct with nil map fields). */
function track(b: Binding, facts: FileFacts): Tracked | undefined {
  const pkg = facts.pkg;
  const decl = b.decl;
  if (b.kind === 'result' || (b.kind === 'var' && decl.type === 'var_spec' && !decl.childForFieldName('value'))) {
    const typeNode = decl.childForFieldName('type');
    if (!typeNode) return undefined;
    const origin: Origin = b.kind === 'result' ? { kind: 'result' } : { kind: 'var' };
    const named = namedTypeOf(typeNode);
    if (typeNode.type === 'map_type' || pkg.mapTypeOf(named)) {
      return { binding: b, origin, pointer: false, nilPaths: new Set(['']), mapType: typeNode.text, typeNode };
    }
    const struct = pkg.struct(named);
    if (!struct) return undefined;
    const paths = pkg.mapFieldPaths(struct.name).map(pathKey);
    if (paths.length === 0) return undefined;
    return { binding: b, origin, structType: struct.name, pointer: false, nilPaths: new Set(paths), typeNode };
  }
  if (b.kind !== 'var') return undefined;
  const value = initialValue(b);
  if (!value) return undefined;
  return trackStructValue(b, value, facts);
}

/** The expression a `:=` or `var … =` gives this binding, by position in the lists. */
function initialValue(b: Binding): Node | undefined {
  const decl = b.decl;
  let left: Node[];
  let right: Node | null;
  if (decl.type === 'short_var_declaration') {
    left = decl.childForFieldName('left')?.namedChildren.filter((n): n is Node => n !== null) ?? [];
    right = decl.childForFieldName('right');
  } else if (decl.type === 'var_spec') {
    left = decl.childrenForFieldName('name').filter((n): n is Node => n !== null);
    right = decl.childForFieldName('value');
  } else return undefined;
  const values = right?.namedChildren.filter((n): n is Node => n !== null) ?? [];
  if (values.length !== left.length) return undefined;
  const i = left.findIndex((n) => n.equals(b.id));
  return i >= 0 ? values[i] : undefined;
}

function trackStructValue(b: Binding, value: Node, facts: FileFacts): Tracked | undefined {
  const pkg = facts.pkg;
  let pointer = false;
  let expr = value;
  if (expr.type === 'unary_expression' && expr.childForFieldName('operator')?.type === '&') {
    pointer = true;
    expr = expr.childForFieldName('operand')!;
  }
  if (expr.type === 'composite_literal') {
    const struct = pkg.struct(namedTypeOf(expr.childForFieldName('type')));
    if (!struct) return undefined;
    const nil = nilPathsOfLiteral(expr, struct.name, facts);
    if (nil.length === 0) return undefined;
    return { binding: b, origin: { kind: 'literal', literal: value }, structType: struct.name, pointer, nilPaths: new Set(nil) };
  }
  if (!pointer && expr.type === 'call_expression' && expr.childForFieldName('function')?.text === 'new') {
    const arg = expr.childForFieldName('arguments')?.namedChild(0) ?? null;
    const struct = pkg.struct(arg?.type === 'identifier' ? arg.text : namedTypeOf(arg));
    if (!struct) return undefined;
    const paths = pkg.mapFieldPaths(struct.name).map(pathKey);
    if (paths.length === 0) return undefined;
    return { binding: b, origin: { kind: 'new', call: expr }, structType: struct.name, pointer: true, nilPaths: new Set(paths) };
  }
  return undefined;
}

/** Map field paths a struct literal leaves nil: fields left out, set to `nil`, or nil inside a nested literal. */
function nilPathsOfLiteral(literal: Node, typeName: string, facts: FileFacts): string[] {
  const pkg = facts.pkg;
  const body = literal.childForFieldName('body');
  const elements = body?.namedChildren.filter((n): n is Node => n !== null && n.type !== 'comment') ?? [];
  if (elements.length > 0 && elements.every((e) => e.type !== 'keyed_element')) return []; // positional: every field set
  const set = new Map<string, Node>();
  for (const e of elements) {
    if (e.type !== 'keyed_element') return []; // mixed forms do not compile; stay silent
    const key = e.childForFieldName('key')?.namedChild(0);
    const val = e.childForFieldName('value')?.namedChild(0);
    if (key?.type !== 'identifier' || !val) return [];
    set.set(key.text, val);
  }
  const out: string[] = [];
  for (const path of pkg.mapFieldPaths(typeName)) {
    // Only fields of the literal's own type can be keyed; promoted ones sit under their embedded field.
    const first = path[0].field.name;
    const val = set.get(first);
    if (!val) {
      out.push(pathKey(path));
      continue;
    }
    if (path.length === 1) {
      if (val.type === 'nil') out.push(pathKey(path));
      continue;
    }
    if (val.type === 'composite_literal' && namedTypeOf(val.childForFieldName('type')) === path[0].field.valueTypeName) {
      const inner = nilPathsOfLiteral(val, path[0].field.valueTypeName!, facts);
      const rest = pathKey(path.slice(1));
      if (inner.includes(rest)) out.push(pathKey(path));
    }
  }
  return out;
}

function pathKey(path: readonly FieldStep[]): string {
  return path.map((s) => s.field.name).join('.');
}

interface Event {
  node: Node;
  owner: Node;
}

function checkLocalWrite(
  t: Tracked,
  writeRef: Reference,
  selectors: string[],
  index: Node,
  facts: FileFacts,
  uses: UsesCache,
): Finding | undefined {
  const pkg = facts.pkg;
  let steps: FieldStep[] = [];
  if (t.structType) {
    const resolved = pkg.resolveFields(t.structType, selectors);
    if (!resolved) return undefined;
    steps = resolved;
  } else if (selectors.length > 0) return undefined;
  const key = pathKey(steps);
  if (!t.nilPaths.has(key)) return undefined;

  let byPath = uses.get(t);
  if (!byPath) uses.set(t, (byPath = new Map()));
  let u = byPath.get(key);
  if (!u) byPath.set(key, (u = usesOf(t, steps, facts)));
  const own = writeRef.id.startIndex;
  if (reachesWrite(u, writeRef, t.binding.owner)) return undefined;
  return report(t, steps, index, facts, u.valueCalls.filter((v) => v.ref !== own));
}

type ValueCall = { call: Node; method: string; assigned?: { name: string; range: { start: number; end: number }; file: string } };

/** What the references of a tracked variable do to one of its nil paths, worked out once for all its writes. */
interface Uses {
  /** Events that could make the path non-nil, in source order; `ref` is the reference's start (returns: -1). */
  events: (Event & { ref: number })[];
  /** Some event is in a closure: it may run before any write. */
  inClosure: boolean;
  /** Value-receiver method calls on the path (reported with the finding), with their reference's start. */
  valueCalls: (ValueCall & { ref: number })[];
}

/** Per tracked variable, per field path: its uses. A write's own reference is never an event. */
type UsesCache = Map<Tracked, Map<string, Uses>>;

function usesOf(t: Tracked, steps: FieldStep[], facts: FileFacts): Uses {
  const events: (Event & { ref: number })[] = [];
  const valueCalls: (ValueCall & { ref: number })[] = [];
  for (const r of t.binding.refs) {
    const ref = r.id.startIndex;
    switch (r.context) {
      case 'assign':
      case 'address':
      case 'incdec':
        events.push({ node: r.id, owner: r.owner, ref });
        break;
      case 'read':
        // A copy of a struct cannot change the original; a pointer handed on can.
        if (t.pointer) events.push({ node: r.id, owner: r.owner, ref });
        break;
      case 'index':
        break;
      case 'selector': {
        const use = selectorUse(r, t, steps, facts);
        if (use.kind === 'event') events.push({ node: r.id, owner: r.owner, ref });
        else if (use.kind === 'value-call') valueCalls.push({ call: use.node, method: use.method, assigned: use.assigned, ref });
        break;
      }
    }
  }
  if (t.origin.kind === 'result') {
    for (const ret of returnsWithValues(t.binding.owner)) events.push({ node: ret, owner: t.binding.owner, ref: -1 });
  }
  events.sort((a, b) => a.node.startIndex - b.node.startIndex);
  const owner = t.binding.owner.id;
  return { events, inClosure: events.some((e) => e.owner.id !== owner), valueCalls };
}

/**
 * Whether any event may run before the write (see mayReach), without trying every event: events
 * before the write are asked one by one (the first usually answers), while one after the write
 * reaches it only round a loop holding both, so the nearest event after it settles the rest.
 */
function reachesWrite(u: Uses, w: Reference, declOwner: Node): boolean {
  const own = w.id.startIndex;
  const events = u.events.filter((e) => e.ref !== own);
  if (events.length === 0) return false;
  if (u.inClosure || w.owner.id !== declOwner.id) return true;
  for (const e of events) {
    if (e.node.startIndex < own) {
      if (mayReach(e, w, declOwner)) return true;
      continue;
    }
    // The outermost loop around the write, inside the variable's function: an event after the
    // write reaches it exactly when that loop holds it too.
    let loopEnd = -1;
    for (let n = w.id.parent; n && n.id !== declOwner.id; n = n.parent) if (n.type === 'for_statement') loopEnd = n.endIndex;
    return e.node.startIndex < loopEnd;
  }
  return false;
}

type SelectorUse =
  | { kind: 'none' }
  | { kind: 'event' }
  | { kind: 'value-call'; node: Node; method: string; assigned?: { name: string; range: { start: number; end: number }; file: string } };

/** What `x.a.b…` does to the tracked field path `steps`. */
function selectorUse(r: Reference, t: Tracked, steps: FieldStep[], facts: FileFacts): SelectorUse {
  const pkg = facts.pkg;
  const names: string[] = [];
  let top = r.id;
  while (top.parent?.type === 'selector_expression' && top.parent.childForFieldName('operand')?.equals(top)) {
    top = top.parent;
    names.push(top.childForFieldName('field')!.text);
  }
  const resolved = pkg.resolveFields(t.structType!, names);
  const target = pathKey(steps);
  if (!resolved) {
    // The last name may be a method on the field path before it.
    const prefix = pkg.resolveFields(t.structType!, names.slice(0, -1));
    if (!prefix) return { kind: 'event' };
    const prefixKey = pathKey(prefix);
    if (prefixKey !== '' && !target.startsWith(prefixKey + '.') && target !== prefixKey) return { kind: 'none' };
    const ownerType = prefix.length === 0 ? t.structType! : prefix[prefix.length - 1].field.valueTypeName;
    const method = ownerType ? pkg.method(ownerType, names[names.length - 1]) : undefined;
    if (!method || method.pointerReceiver) return { kind: 'event' };
    // A method value or call on a value receiver gets a copy: it cannot initialise our map.
    const rest = pathKey(steps.slice(prefix.length));
    const assigned = method.assignedFields.find((a) => a.name === rest.split('.')[0]);
    return { kind: 'value-call', node: top, method: method.name, assigned: assigned && { ...assigned, file: method.file } };
  }
  const key = pathKey(resolved);
  const isPrefix = key === target || target.startsWith(key + '.');
  if (!isPrefix) return { kind: 'none' };
  const parent = top.parent;
  if (!parent) return { kind: 'none' };
  if (parent.type === 'unary_expression' && parent.childForFieldName('operator')?.type === '&') return { kind: 'event' };
  if (parent.type === 'expression_list') {
    const holder = parent.parent;
    if (holder?.childForFieldName('left')?.equals(parent) && holder.type !== 'short_var_declaration') return { kind: 'event' };
  }
  return { kind: 'none' };
}

/** `return x, y` statements of `fn` itself (not of closures in it): they assign the named results. */
function returnsWithValues(fn: Node): Node[] {
  const out: Node[] = [];
  const body = fn.childForFieldName('body');
  if (!body) return out;
  const stack: Node[] = [body];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (n.type === 'func_literal') continue;
    if (n.type === 'return_statement') {
      if (n.namedChildCount > 0) out.push(n);
      continue;
    }
    for (const c of n.namedChildren) if (c) stack.push(c);
  }
  return out;
}

/**
 * Whether `event` may run before the write `w`. Conservative: yes when either is in a closure (a
 * closure runs whenever it is called), when one loop holds both, or when the event comes first in
 * the text — unless the two sit in different branches of one if/switch/select.
 */
function mayReach(event: Event, w: Reference, declOwner: Node): boolean {
  if (event.owner.id !== declOwner.id || w.owner.id !== declOwner.id) return true;
  const e = event.node;
  const wn = w.id;
  // Walk up from the event to the lowest ancestor that also contains the write.
  let child: Node = e;
  let lca = e.parent;
  while (lca && !(lca.startIndex <= wn.startIndex && wn.endIndex <= lca.endIndex)) {
    child = lca;
    lca = lca.parent;
  }
  if (!lca) return true;
  for (let n: Node | null = lca; n && n.id !== declOwner.id; n = n.parent) {
    if (n.type === 'for_statement') return true;
  }
  if (e.startIndex > wn.startIndex) return false;
  if (lca.type === 'if_statement') {
    const cons = lca.childForFieldName('consequence');
    const alt = lca.childForFieldName('alternative');
    if (cons && alt && (child.equals(cons) || child.equals(alt)) && !contains(child, wn)) return false;
  }
  if (/switch_statement$|^select_statement$/.test(lca.type) && /case$/.test(child.type) && !contains(child, wn)) {
    const stmts = child.namedChildren.find((c) => c?.type === 'statement_list');
    const last = stmts?.namedChild(stmts.namedChildCount - 1);
    if (last?.type !== 'fallthrough_statement') return false;
  }
  return true;
}

function contains(outer: Node, inner: Node): boolean {
  return outer.startIndex <= inner.startIndex && inner.endIndex <= outer.endIndex;
}

function checkPackageWrite(id: Node, index: Node, facts: FileFacts): Finding | undefined {
  const v = facts.pkg.neverAssignedNilMap(id.text);
  if (!v) return undefined;
  const lines = facts.unit.lines;
  const related: Related[] = [
    { ...(v.file !== facts.unit.path ? { file: v.file } : {}), range: v.range, message: `${v.name} is declared here without a value` },
  ];
  const fixes: Fix[] = [];
  if (v.standalone && v.file === facts.unit.path) {
    fixes.push({
      title: `Initialise ${v.name} with make(${v.typeText})`,
      isPreferred: true,
      safeForFixAll: true,
      edits: [{ range: v.specRange, newText: `${v.name} = make(${v.typeText})` }],
    });
  }
  return {
    rule: ID,
    severity: 'error',
    message: `write to nil map ${v.name} panics: the package-level variable is declared without a value and nothing in the package assigns it`,
    range: byteRange(index, lines),
    fixes,
    related,
  };
}

function report(
  t: Tracked,
  steps: FieldStep[],
  index: Node,
  facts: FileFacts,
  valueCalls: ValueCall[],
): Finding {
  const lines = facts.unit.lines;
  const b = t.binding;
  const name = steps.length === 0 ? b.name : `${b.name}.${steps.map((s) => s.field.name).join('.')}`;
  const related: Related[] = [];
  let why: string;
  switch (t.origin.kind) {
    case 'var':
      why = t.structType
        ? `${b.name} is declared as a zero ${t.structType} and nothing initialises the field before this write`
        : `${b.name} is declared without a value and nothing assigns it before this write`;
      related.push({ range: byteRange(b.decl, lines), message: `${b.name} is declared here without a value` });
      break;
    case 'result':
      why = `the named result ${b.name} starts nil and nothing assigns it before this write`;
      related.push({ range: byteRange(b.id, lines), message: `named result ${b.name} is declared here` });
      break;
    case 'literal':
      why = `the composite literal for ${b.name} leaves the map field nil and nothing initialises it before this write`;
      related.push({ range: byteRange(t.origin.literal, lines), message: `${steps[0]?.field.name ?? 'the field'} is not set in this literal` });
      break;
    case 'new':
      why = `new(${t.structType}) zeroes every field, so the map is nil, and nothing initialises it before this write`;
      related.push({ range: byteRange(t.origin.call, lines), message: `${b.name} is allocated zeroed here` });
      break;
  }
  if (steps.length > 0) {
    const field = steps[steps.length - 1];
    const file = field.owner.file;
    related.push({ ...(file !== facts.unit.path ? { file } : {}), range: field.field.range, message: `field ${field.field.name} is a map` });
  }
  for (const vc of valueCalls) {
    why += `; ${b.name}.${vc.method}() has a value receiver: it initialises a copy, not ${b.name}`;
    related.push({ range: byteRange(vc.call, lines), message: `${vc.method} gets a copy of ${b.name}` });
    if (vc.assigned) {
      related.push({
        ...(vc.assigned.file !== facts.unit.path ? { file: vc.assigned.file } : {}),
        range: vc.assigned.range,
        message: `this assigns the copy's field, which the caller never sees`,
      });
    }
  }
  const fix = buildFix(t, steps, facts);
  return {
    rule: ID,
    severity: 'error',
    message: `write to nil map ${name} panics: ${why}`,
    range: byteRange(index, lines),
    fixes: fix ? [{ ...fix, safeForFixAll: true }] : [],
    related,
  };
}

function buildFix(t: Tracked, steps: FieldStep[], facts: FileFacts): Fix | undefined {
  const lines = facts.unit.lines;
  const b = t.binding;
  const edit = (node: Node, newText: string): Edit => ({ range: byteRange(node, lines), newText });
  if (!t.structType) {
    const type = t.mapType!;
    if (t.origin.kind === 'var') {
      const decl = b.decl.parent;
      if (decl?.type !== 'var_declaration' || decl.namedChildCount !== 1 || b.decl.childrenForFieldName('name').length !== 1) return undefined;
      return { title: `Initialise ${b.name} with make(${type})`, isPreferred: true, edits: [edit(decl, `${b.name} := make(${type})`)] };
    }
    // Named result: `m = make(…)` as the body's first statement.
    const body = b.owner.childForFieldName('body');
    if (!body) return undefined;
    const first = body.namedChild(0)?.namedChild(0);
    const open = body.startIndex;
    const text = facts.unit.text;
    if (text[open + 1] !== '\n') return undefined; // a one-line body: no gofmt-stable place to insert
    const indent = first ? indentOf(text, first.startIndex) : indentOf(text, b.owner.startIndex) + '\t';
    const at = lines.byteOffset(open + 1);
    return {
      title: `Initialise ${b.name} with make(${type})`,
      isPreferred: true,
      edits: [{ range: { start: at, end: at }, newText: `\n${indent}${b.name} = make(${type})` }],
    };
  }
  // A struct: set the one map field written here, when it is a direct field of the type.
  if (steps.length !== 1) return undefined;
  const struct = facts.pkg.struct(t.structType);
  const field = steps[0].field;
  if (!struct || struct.generic || !importable(field.typeText, facts)) return undefined;
  const init = `${field.name}: make(${field.typeText})`;
  const title = `Initialise ${b.name}.${field.name} with make(${field.typeText})`;
  switch (t.origin.kind) {
    case 'var': {
      const decl = b.decl.parent;
      if (decl?.type !== 'var_declaration' || decl.namedChildCount !== 1 || b.decl.childrenForFieldName('name').length !== 1) return undefined;
      const typeText = b.decl.childForFieldName('type')!.text;
      return { title, isPreferred: true, edits: [edit(decl, `${b.name} := ${typeText}{${init}}`)] };
    }
    case 'new':
      return { title, isPreferred: true, edits: [edit(t.origin.call, `&${t.structType}{${init}}`)] };
    case 'literal': {
      let lit = t.origin.literal;
      if (lit.type === 'unary_expression') lit = lit.childForFieldName('operand')!;
      const body = lit.childForFieldName('body');
      if (!body || body.text.includes('\n')) return undefined;
      const elements = body.namedChildren.filter((n): n is Node => n !== null);
      if (elements.some((e) => e.type !== 'keyed_element')) return undefined;
      const existing = elements.find((e) => e.childForFieldName('key')?.text === field.name);
      if (existing) return { title, isPreferred: true, edits: [edit(existing, init)] };
      if (elements.length === 0) return { title, isPreferred: true, edits: [edit(body, `{${init}}`)] };
      const end = lines.byteOffset(elements[elements.length - 1].endIndex);
      return { title, isPreferred: true, edits: [{ range: { start: end, end }, newText: `, ${init}` }] };
    }
    default:
      return undefined;
  }
}

/** The field's type may name packages the struct's file imports; the fix needs them here too. */
function importable(typeText: string, facts: FileFacts): boolean {
  for (const m of typeText.matchAll(/\b([A-Za-z_]\w*)\./g)) if (!facts.importNames.has(m[1])) return false;
  return true;
}

function indentOf(text: string, offset: number): string {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const m = /^[ \t]*/.exec(text.slice(lineStart, offset));
  return m ? m[0] : '';
}
