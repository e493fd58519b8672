// concurrent-map-write: a map written by one goroutine while another that may run at the same time
// writes or reads it. Go maps are not safe for concurrent use: the race detector reports it, and
// without `-race` the runtime may stop the program with "fatal error: concurrent map writes".
//
// The rule proves two shapes, both from one function's syntax:
//  - a goroutine started in a loop (`go func(){…}()`, `g.Go(func…)`, `wg.Go(func…)`) writes a map
//    declared outside the loop: every iteration's goroutine writes the same map;
//  - a goroutine writes (or reads) a captured map while the spawning function reads (or writes) it
//    after the `go` statement and before anything that could order the two (a `Wait`, a channel
//    operation, a `select`, an unknown range).
// A `Lock` of the same mutex held on both sides makes a pair safe; `RLock` does not exclude a
// writer. Anything the rule cannot interpret (a lock taken in a branch, a helper called `lock`, a
// channel operation before the access, a map that is reassigned or address-taken) silences it.
import type { Node } from 'web-tree-sitter';
import type { FileFacts } from '../facts/file-facts';
import { spawnSites, type Spawn } from '../facts/goroutines';
import { locksAt, lockRoot, type LockMode, type LockState } from '../facts/locks';
import { isFunctionNode, scopeIndex, type Binding, type FunctionScopes, type RefContext } from '../facts/scopes';
import { textMatches } from '../facts/text-matches';
import { byteRange } from '../facts/summary';
import { namedTypeOf } from '../facts/types';
import type { Finding, Related } from '../findings';
import type { Rule, RuleContext } from './rule';

const ID = 'concurrent-map-write';

/** A file without one of these starts no goroutine the rule understands. */
const QUICK = /\bgo\b[ \t]*[\w(]|\.Go\(/;
/** Text that may order two accesses (channel operations, waits, once, atomics): the rule stops looking past it. */
const GOTO_OR_LOCK = /\bgoto\b|[Ll]ock\w*\(/g;
const RANGE = /\brange\b/g;
const BARRIER =
  /<-|\bselect\b|\.Wait\w*\(|\.Do\(|\.Load\w*\(|\.Store\w*\(|\.CompareAndSwap\w*\(|\.Swap\w*\(|[Ww]ait\w*\(|\bJoin\w*\(|\bsync\.|\bCond\b|\.Signal\(|\.Broadcast\(/;

interface MapVar {
  name: string;
  refs: { id: Node; context: RefContext; owner: Node }[];
  /** The refs that the goroutine literal itself makes (those of `refs` owned by it, in the same order). */
  inLit: { id: Node; context: RefContext; owner: Node }[];
  /** For a local: its binding (whose declaration must stay outside a loop that spawns). */
  binding?: Binding;
}

interface Access {
  /** The reported node: the index expression, or the `delete`/`clear` call. */
  node: Node;
  write: boolean;
  lock: LockState;
  /** For an access in another goroutine started later by the same function: that spawn. */
  by?: Spawn;
}

interface Pending {
  finding: Finding;
  related: Map<number, Related>;
}

export const concurrentMapWrite: Rule = {
  id: ID,
  severity: 'warning',
  docs: {
    summary: 'A map written by a goroutine while another goroutine that may run at the same time writes or reads it, with no lock held.',
    why:
      'Go maps are not safe for concurrent use. A write racing with another write or a read corrupts the map; the runtime ' +
      'detects some of these and stops the whole program with "fatal error: concurrent map writes", which no `recover` can ' +
      'catch. The race detector sees the race only if a test happens to run the interleaving; this rule finds the common ' +
      'shapes in the editor: goroutines started in a loop that all write one map, and a goroutine writing a map that the ' +
      'function that started it still uses.',
    bad:
      'func count(words []string) map[string]int {\n\tcounts := make(map[string]int)\n\tvar wg sync.WaitGroup\n\tfor _, w := range words {\n' +
      '\t\twg.Add(1)\n\t\tgo func() {\n\t\t\tdefer wg.Done()\n\t\t\tcounts[w]++\n\t\t}()\n\t}\n\twg.Wait()\n\treturn counts\n}',
    good:
      'func count(words []string) map[string]int {\n\tcounts := make(map[string]int)\n\tvar mu sync.Mutex\n\tvar wg sync.WaitGroup\n' +
      '\tfor _, w := range words {\n\t\twg.Add(1)\n\t\tgo func() {\n\t\t\tdefer wg.Done()\n\t\t\tmu.Lock()\n\t\t\tcounts[w]++\n\t\t\tmu.Unlock()\n' +
      '\t\t}()\n\t}\n\twg.Wait()\n\treturn counts\n}\n\n' +
      '// The other two standard remedies: a sync.Map (for keys written once and read many times),\n' +
      '// or one goroutine owning the map and the others sending it what to store on a channel:\n' +
      '//\n//\tresults := make(chan string)\n//\tgo func() { defer close(results); for _, w := range words { results <- w } }()\n' +
      '//\tfor w := range results {\n//\t\tcounts[w]++\n//\t}',
    silentWhen: [
      'the same `sync.Mutex` (or the write side of a `sync.RWMutex`) is locked around every racing access, with `Unlock` after it or `defer Unlock()`',
      'the map is a `sync.Map`, or is created inside each goroutine or each loop iteration',
      'the spawning function only touches the map after `wg.Wait()`, `g.Wait()`, a channel receive, a `select`, or a range it cannot prove is not over a channel',
      'the goroutine touches the map only after a channel operation or a wait (a hand-over or a semaphore may order it)',
      'a lock is taken somewhere the rule cannot place (in a branch, through a helper), or `sync.Once`, atomics or `errgroup.SetLimit` are involved',
      'the map variable is reassigned after the goroutine starts, its address is taken, or the function uses `goto`',
      '`wg.Go` when the code targets Go before 1.25',
    ],
    fix:
      'No automatic fix: which remedy fits depends on the program. Take a mutex around every access (the message names the lock ' +
      'when other accesses already hold one), use a `sync.Map`, or give the map to one goroutine and send it updates on a channel. ' +
      'Related information points at every racing access and at the statement that starts the goroutine.',
  },
  check,
};

function check(ctx: RuleContext): Finding[] {
  const { facts } = ctx;
  if (!QUICK.test(facts.unit.text)) return [];
  const spawns = spawnSites(facts);
  if (spawns.length === 0) return [];
  const out = new Map<number, Pending>();
  const valid: Spawn[] = [];
  for (const spawn of spawns) {
    // Spawns are judged with the other spawns of their own function only, so the filter keeps or drops them together.
    if (ctx.only && !ctx.only(spawn.fn)) continue;
    const scopes = facts.scopesOf(spawn.fn);
    if (scopes.hasGoto) continue;
    if (spawn.group !== undefined && !groupKind(spawn, scopes, ctx)) continue;
    valid.push(spawn);
  }
  for (const spawn of valid) {
    if (spawn.literal) checkLiteralSpawn(spawn, spawn.literal, facts.scopesOf(spawn.fn), facts, out, valid);
    else checkCallSpawn(spawn, facts.scopesOf(spawn.fn), facts, out, valid);
  }
  return [...out.values()].map((p) => ({ ...p.finding, related: [...p.related.values()].sort((a, b) => a.range.start - b.range.start) }));
}

/** Settles `g.Go(…)`: an errgroup.Group or (from Go 1.25) a sync.WaitGroup declared in the function. Records SetLimit. */
function groupKind(spawn: Spawn, scopes: FunctionScopes, ctx: RuleContext): boolean {
  const operand = spawn.call.childForFieldName('function')?.childForFieldName('operand');
  if (operand?.type !== 'identifier') return false;
  const b = bindingOf(operand, scopes);
  if (!b || b.kind !== 'var') return false;
  const text = b.decl.text.replace(/\s+/g, ' ');
  const imports = ctx.facts.importNames;
  if (imports.has('errgroup') && /errgroup\.(?:Group\b|WithContext\()/.test(text)) {
    // SetLimit(1) serialises the goroutines; any limit makes the loop case unprovable.
    if (b.refs.some((r) => r.id.parent?.type === 'selector_expression' && r.id.parent.childForFieldName('field')?.text === 'SetLimit')) {
      spawn.limited = true;
    }
    spawn.kind = 'errgroup';
    return true;
  }
  if (imports.has('sync') && /sync\.WaitGroup\b/.test(text) && ctx.go.minor >= 25) {
    spawn.kind = 'waitgroup';
    return true;
  }
  return false;
}

function bindingOf(id: Node, scopes: FunctionScopes): Binding | undefined {
  return scopeIndex(scopes).bindingAt.get(id.startIndex);
}

/** Per-parse caches of the rule, so that nothing is worked out once per pair of accesses. */
interface RuleCache {
  /** classify() by node id, for 'index' and other contexts. */
  index: Map<number, Access | null>;
  /** classifyExpr() by node id. */
  expr: Map<number, Access | null>;
  spawners: Map<Spawn, Node | undefined>;
  read: Map<number, Access | null>;
  spawnByLiteral?: Map<number, Spawn>;
  /** Per statement list: whether a statement after index i leaves the block (see reachableAfter). */
  exits: Map<number, unknown>;
  /** Per spawn statement: for each node on its path up to the spawner, whether a statement below it leaves early. */
  paths: Map<number, Map<number, boolean>>;
  /** Per function: the starts of `range` keywords that might be over a channel (see orderedBetween). */
  ranges: Map<number, number[]>;
  packageMaps: Map<string, boolean>;
  /** Per loop body: the type of its last statement (comments aside). */
  lastStatement: Map<number, string | undefined>;
  declarations?: { functions: Map<string, Node>; methods: Map<string, Node[]> };
}
const caches = new WeakMap<FileFacts, RuleCache>();
function cacheOf(facts: FileFacts): RuleCache {
  let c = caches.get(facts);
  if (!c) caches.set(facts, (c = { index: new Map(), read: new Map(), expr: new Map(), spawners: new Map(), exits: new Map(), paths: new Map(), ranges: new Map(), packageMaps: new Map(), lastStatement: new Map() }));
  return c;
}

/** BARRIER occurs in the text between two offsets. */
function barrierBetween(facts: FileFacts, from: number, to: number): boolean {
  return textMatches(facts, BARRIER).within(from, to);
}

function contains(outer: Node, inner: Node): boolean {
  return inner.startIndex >= outer.startIndex && inner.endIndex <= outer.endIndex;
}

/** The innermost function or closure containing a node (not the node itself). */
function ownerOf(node: Node): Node | undefined {
  let p = node.parent;
  while (p && !isFunctionNode(p)) p = p.parent;
  return p ?? undefined;
}

function checkLiteralSpawn(spawn: Spawn, lit: Node, scopes: FunctionScopes, facts: FileFacts, out: Map<number, Pending>, spawns: Spawn[]): void {
  const spawner = ownerOf(spawn.stmt);
  if (!spawner) return;
  const vars = mapVarsOf(spawn, lit, scopes, facts);
  if (vars.length === 0) return;
  const loop = spawningLoop(spawn, spawner, lit, facts);
  const litBody = lit.childForFieldName('body');
  if (!litBody) return;

  for (const v of vars) {
    // Accesses inside the goroutine, up to the first thing that might order them.
    const inG: Access[] = [];
    for (const r of v.inLit) {
      const a = classify(r.id, r.context, facts);
      if (!a) continue;
      if (barrierBetween(facts, litBody.startIndex, a.node.startIndex)) continue;
      if (a.lock.unsure) continue;
      inG.push(a);
    }
    if (inG.length === 0) continue;
    judge(spawn, spawner, v.name, v.binding?.decl, inG, laterAccesses(spawn, spawner, v.refs, (r) => r.id, scopes, facts, spawns), loop, scopes, out, facts);
  }
}

/** Accesses after the spawn: by the spawning function itself, or by goroutines it starts later. */
function laterAccesses(
  spawn: Spawn,
  spawner: Node,
  refs: { id: Node; owner: Node }[],
  exprOf: (r: { id: Node; owner: Node }) => Node | undefined,
  scopes: FunctionScopes,
  facts: FileFacts,
  spawns: Spawn[],
): Access[] {
  const inS: Access[] = [];
  const cache = cacheOf(facts);
  cache.spawnByLiteral ??= new Map(spawns.filter((o) => o.literal).reverse().map((o) => [o.literal!.id, o]));
  for (const r of refs) {
    if (r.id.startIndex < spawn.stmt.endIndex) continue;
    const expr = exprOf(r);
    if (!expr) continue;
    if (r.owner.id !== spawner.id) {
      const found = cache.spawnByLiteral.get(r.owner.id);
      const later = found === spawn ? undefined : found;
      if (!later || later.stmt.startIndex < spawn.stmt.endIndex || spawnerOf(later, cache)?.id !== spawner.id) continue;
      const body = later.literal!.childForFieldName('body');
      const a = classifyExpr(expr, facts);
      if (!a || a.lock.unsure || !body) continue;
      if (barrierBetween(facts, body.startIndex, a.node.startIndex)) continue;
      if (!reachableAfter(spawn.stmt, later.stmt, spawner, facts)) continue;
      if (orderedBetween(spawn.stmt.endIndex, later.stmt.startIndex, facts, scopes)) continue;
      inS.push({ ...a, by: later });
      continue;
    }
    const a = classifyExpr(expr, facts);
    if (!a || a.lock.unsure) continue;
    if (!reachableAfter(spawn.stmt, a.node, spawner, facts)) continue;
    if (orderedBetween(spawn.stmt.endIndex, a.node.startIndex, facts, scopes)) continue;
    inS.push(a);
  }
  return inS;
}

function classifyExpr(expr: Node, facts: FileFacts): Access | undefined {
  const cache = cacheOf(facts);
  let a = cache.expr.get(expr.id);
  if (a === undefined) {
    const parent = expr.parent;
    const context: RefContext = parent?.type === 'index_expression' && parent.childForFieldName('operand')?.equals(expr) ? 'index' : 'read';
    cache.expr.set(expr.id, (a = classify(expr, context, facts) ?? null));
  }
  return a ? { ...a } : undefined;
}

/** The function or closure whose body holds the spawn statement. */
function spawnerOf(spawn: Spawn, cache: RuleCache): Node | undefined {
  if (!cache.spawners.has(spawn)) cache.spawners.set(spawn, ownerOf(spawn.stmt));
  return cache.spawners.get(spawn);
}

function judge(
  spawn: Spawn,
  spawner: Node,
  name: string,
  decl: Node | undefined,
  inG: Access[],
  inS: Access[],
  loop: Node | undefined,
  scopes: FunctionScopes,
  out: Map<number, Pending>,
  facts: FileFacts,
): void {
  const localLocks = scopeIndex(scopes).varNames;
  const v = { name };
  {
    // (1) Many instances of the same goroutine: started in a loop, the map declared outside it.
    if (loop && !spawn.limited && (!decl || !contains(loop, decl))) {
      for (const w of inG) {
        if (!w.write) continue;
        const partners = inG.filter((a) => races(w, a));
        if (partners.length === 0) continue;
        report(out, facts, w, v.name, 'loop', partners, spawn, inG, []);
      }
    }

    // (2) The goroutine against the function that started it, and against goroutines it starts later.
    if (inS.length === 0) return;
    const who = functionName(spawner);
    const all = [...inG, ...inS];
    for (const g of inG) {
      for (const s of inS) {
        if (!races(g, s)) continue;
        // A lock the goroutine holds and the spawner does not may be held by the spawner's caller,
        // unless it is a local of this function.
        const gOnly = [...g.lock.held.keys()].filter((x) => !s.lock.held.has(x));
        if (!s.by && gOnly.length > 0 && s.lock.held.size === 0 && gOnly.some((x) => !localLocks.has(lockRoot(x)))) continue;
        // One finding per racing pair, on the goroutine's write when it writes, else on the spawner's.
        const verb = (a: Access) => (a.write ? 'writes' : 'reads');
        if (s.by) {
          if (g.write) report(out, facts, g, v.name, 'other-later', [s], spawn, all, [verb(s)]);
          else report(out, facts, s, v.name, 'other-earlier', [g], spawn, all, [verb(g)]);
        } else if (g.write) report(out, facts, g, v.name, 'goroutine', [s], spawn, all, [who, verb(s)]);
        else report(out, facts, s, v.name, 'spawner', [g], spawn, all, [who, verb(g)]);
      }
    }
  }
}

function functionName(fn: Node): string {
  return fn.type === 'func_literal' ? 'the enclosing function literal' : (fn.childForFieldName('name')?.text ?? 'the function');
}

/** Two accesses conflict: one writes, and no mutex is held by both with at least one holding it for writing. */
function races(a: Access, b: Access): boolean {
  if (!a.write && !b.write) return false;
  for (const [x, mode] of a.lock.held) {
    const other = b.lock.held.get(x);
    if (other && (mode === 'write' || other === 'write')) return false;
  }
  return true;
}

function report(
  out: Map<number, Pending>,
  facts: FileFacts,
  w: Access,
  name: string,
  shape: 'loop' | 'goroutine' | 'spawner' | 'other-later' | 'other-earlier',
  partners: Access[],
  spawn: Spawn,
  all: Access[],
  detail: string[],
): void {
  const lines = facts.unit.lines;
  const range = byteRange(w.node, lines);
  let pending = out.get(range.start);
  if (!pending) {
    let message: string;
    const own = [...w.lock.held].find(([, m]) => m === 'write')?.[0];
    if (shape === 'loop' && own) message = `concurrent map write: the goroutines this loop starts write ${name} under ${own}, but read it without holding ${own}`;
    else if (shape === 'loop') message = `concurrent map write: every goroutine this loop starts writes ${name}, and nothing orders them`;
    else if (shape === 'other-later') message = `concurrent map write: the goroutine writes ${name} while another goroutine started after it ${detail[0]} it`;
    else if (shape === 'other-earlier') message = `concurrent map write: this goroutine writes ${name} while a goroutine started before it ${detail[0]} it`;
    else if (shape === 'goroutine') message = `concurrent map write: the goroutine writes ${name} while ${detail[0]} ${detail[1]} it after starting it`;
    else message = `concurrent map write: ${detail[0]} writes ${name} while the goroutine it started ${detail[1]} it`;
    const rlocks = [...w.lock.held].filter(([, m]) => m === 'read').map(([x]) => x);
    if (rlocks.length > 0) message += `; only ${rlocks[0]}.RLock() is held here: RLock does not exclude other writers: use Lock`;
    else if (w.lock.held.size === 0) {
      const guard = all.map((a) => [...a.lock.held].find(([, m]) => m === 'write')?.[0]).find((x) => x !== undefined);
      if (guard) message += `; other accesses hold ${guard}: take ${guard}.Lock() here too`;
    }
    pending = { finding: { rule: ID, severity: 'warning', message, range, fixes: [], related: [] }, related: new Map() };
    out.set(range.start, pending);
  }
  const startLabel =
    spawn.kind === 'go' ? 'the goroutine is started here' : spawn.kind === 'errgroup' ? 'the goroutine is started here by errgroup Go' : 'the goroutine is started here by WaitGroup.Go';
  const s = byteRange(spawn.stmt.type === 'go_statement' ? spawn.stmt : spawn.call, lines);
  pending.related.set(s.start, { range: s, message: shape === 'loop' ? `${startLabel}, once per iteration` : startLabel });
  for (const p of partners) {
    if (p.by) {
      const o = byteRange(p.by.stmt.type === 'go_statement' ? p.by.stmt : p.by.call, lines);
      pending.related.set(o.start, { range: o, message: 'the other goroutine is started here' });
    }
    const r = byteRange(p.node, lines);
    if (r.start === range.start) continue;
    pending.related.set(r.start, { range: r, message: `${name} is ${p.write ? 'written' : 'read'} here${p.lock.held.size ? '' : ' with no lock held'}` });
  }
}

/** What an access to the map is: a write (`m[k] = v`, `op=`, `++`, `delete`, `clear`), a read (`m[k]`, `len`, `range`), or neither. */
function classify(id: Node, context: RefContext, facts: FileFacts): Access | undefined {
  const cache = cacheOf(facts);
  const byId = context === 'index' ? cache.index : context === 'read' ? cache.read : undefined;
  if (!byId) return undefined;
  let a = byId.get(id.id);
  if (a === undefined) byId.set(id.id, (a = classifyUncached(id, context, facts) ?? null));
  // A copy: callers may replace its lock (calleeAccesses) or add `by`.
  return a ? { ...a } : undefined;
}

function classifyUncached(id: Node, context: RefContext, facts: FileFacts): Access | undefined {
  const parent = id.parent;
  if (!parent) return undefined;
  if (context === 'index' && parent.type === 'index_expression') {
    return { node: parent, write: isWriteTarget(parent), lock: locksAt(facts, parent) };
  }
  if (context !== 'read') return undefined;
  if (parent.type === 'argument_list') {
    const call = parent.parent;
    const fn = call?.childForFieldName('function');
    if (call?.type !== 'call_expression' || fn?.type !== 'identifier') return undefined;
    const first = parent.namedChildren.find((n) => n?.type !== 'comment');
    if (!first?.equals(id)) return undefined;
    if (fn.text === 'delete' || fn.text === 'clear') return { node: call, write: true, lock: locksAt(facts, call) };
    if (fn.text === 'len') return { node: call, write: false, lock: locksAt(facts, call) };
    return undefined;
  }
  if (parent.type === 'range_clause' && parent.childForFieldName('right')?.equals(id)) {
    return { node: id, write: false, lock: locksAt(facts, parent) };
  }
  return undefined;
}

function isWriteTarget(index: Node): boolean {
  const parent = index.parent;
  if (!parent) return false;
  if (parent.type === 'inc_statement' || parent.type === 'dec_statement') return true;
  const stmt = parent.parent;
  return parent.type === 'expression_list' && stmt?.type === 'assignment_statement' && stmt.childForFieldName('left')?.equals(parent) === true;
}

/** The maps the goroutine literal uses from outside: captured locals, parameters bound to them, package-level maps. */
function mapVarsOf(spawn: Spawn, lit: Node, scopes: FunctionScopes, facts: FileFacts): MapVar[] {
  const vars: MapVar[] = [];
  const byBinding = new Map<Binding, MapVar>();
  // Parameters of the literal bound to arguments of the go call: `go func(m map[K]V){…}(counts)`.
  const aliases = new Map<Binding, Binding>();
  const params = lit.childForFieldName('parameters');
  const args = spawn.kind === 'go' ? (spawn.call.childForFieldName('arguments')?.namedChildren.filter((n): n is Node => n !== null && n.type !== 'comment') ?? []) : [];
  if (params && args.length > 0) {
    const names: Node[] = [];
    for (const p of params.namedChildren) {
      if (p?.type !== 'parameter_declaration') return [];
      const ids = p.childrenForFieldName('name').filter((n): n is Node => n?.type === 'identifier');
      for (const n of ids.length ? ids : [p]) names.push(n);
    }
    names.forEach((n, i) => {
      const arg = args[i];
      if (n.type !== 'identifier' || arg?.type !== 'identifier') return;
      const outer = bindingOf(arg, scopes);
      const found = bindingOf(n, scopes);
      const inner = found?.id.startIndex === n.startIndex ? found : undefined;
      if (outer && inner && inner.refs.every((r) => r.context !== 'assign' && r.context !== 'address')) aliases.set(inner, outer);
    });
  }
  const index = scopeIndex(scopes);
  // The bindings the literal itself refers to, in declaration order, with those references.
  for (const [b, used] of index.refsByOwner.get(lit.id) ?? []) {
    const target = aliases.get(b) ?? b;
    if (!aliases.has(b) && contains(lit, b.id)) continue;
    if (!isSharedMap(target, spawn, facts)) continue;
    let v = byBinding.get(target);
    if (!v) {
      v = { name: target.name, refs: [...target.refs], inLit: [...(index.refsByOwner.get(lit.id)?.get(target) ?? [])], binding: target };
      byBinding.set(target, v);
      vars.push(v);
    }
    if (target !== b) {
      for (const r of used) v.refs.push(r);
      for (const r of used) v.inLit.push(r);
    }
  }
  // Package-level maps used in the literal.
  const freeNames = new Set((index.freeByOwner.get(lit.id) ?? []).map((f) => f.id.text));
  for (const name of freeNames) {
    if (!isPackageMap(name, facts)) continue;
    vars.push({ name, refs: [...(index.freeByName.get(name) ?? [])], inLit: (index.freeByOwner.get(lit.id) ?? []).filter((f) => f.id.text === name) });
  }
  return vars;
}

/** A local or parameter provably holding one map for the goroutine's life: a map type or value, never reassigned after the spawn, never address-taken. */
function isSharedMap(b: Binding, spawn: Spawn, facts: FileFacts): boolean {
  if (b.kind === 'const' || b.kind === 'result') return false;
  for (const r of b.refs) {
    if (r.context === 'address') return false;
    if (r.context === 'assign') {
      if (r.owner.id !== b.owner.id || r.id.startIndex >= spawn.stmt.startIndex) return false;
      // Reassigned in a loop that also starts the goroutine: each iteration may hand it a new map.
      for (let p = r.id.parent; p && !isFunctionNode(p); p = p.parent) if (p.type === 'for_statement' && contains(p, spawn.stmt)) return false;
    }
  }
  const decl = b.decl;
  if (b.kind === 'param' || b.kind === 'receiver') return isMapTypeNode(decl.childForFieldName('type'), facts);
  if (decl.type === 'var_spec') {
    const type = decl.childForFieldName('type');
    if (type) return isMapTypeNode(type, facts) && (decl.childForFieldName('value') !== null || b.refs.some((r) => r.context === 'assign'));
  }
  const value = initialValue(b);
  return value !== undefined && isMapValue(value, facts);
}

function isMapTypeNode(type: Node | null, facts: FileFacts): boolean {
  if (!type) return false;
  if (type.type === 'map_type') return true;
  return facts.pkg.mapTypeOf(namedTypeOf(type)) !== undefined;
}

/** `make(map[K]V…)`, `make(NamedMap…)`, `map[K]V{…}`, `NamedMap{…}`. */
function isMapValue(value: Node, facts: FileFacts): boolean {
  if (value.type === 'composite_literal') return isMapTypeNode(value.childForFieldName('type'), facts);
  if (value.type === 'call_expression' && value.childForFieldName('function')?.text === 'make') {
    const first = value.childForFieldName('arguments')?.namedChild(0);
    return isMapTypeNode(first ?? null, facts);
  }
  return false;
}

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

/** A package-level variable of this file initialised with a map value, never assigned anywhere in the package. */
function isPackageMap(name: string, facts: FileFacts): boolean {
  const cache = cacheOf(facts);
  let v = cache.packageMaps.get(name);
  if (v === undefined) cache.packageMaps.set(name, (v = isPackageMapUncached(name, facts)));
  return v;
}

function isPackageMapUncached(name: string, facts: FileFacts): boolean {
  // Other files' summaries: any assignment there (their own declarations aside) may change which map it is.
  if (facts.pkg.summaries.some((s) => s.linkname || (s.path !== facts.unit.path && s.assignedNames.has(name)))) return false;
  for (const decl of facts.unit.tree.rootNode.namedChildren) {
    if (decl?.type !== 'var_declaration') continue;
    const specs: Node[] = [];
    for (const c of decl.namedChildren) {
      if (c?.type === 'var_spec') specs.push(c);
      else if (c?.type === 'var_spec_list') for (const s of c.namedChildren) if (s?.type === 'var_spec') specs.push(s);
    }
    for (const spec of specs) {
      const names = spec.childrenForFieldName('name').filter((n): n is Node => n !== null);
      const i = names.findIndex((n) => n.text === name);
      if (i < 0) continue;
      const values = spec.childForFieldName('value')?.namedChildren.filter((n): n is Node => n !== null) ?? [];
      if (values.length !== names.length || !isMapValue(values[i], facts)) return false;
      // Assigned or address-taken anywhere else in this file: which map it holds may change.
      const assigned = new RegExp(
        `^[ \\t]*(?:[\\w.]+[ \\t]*,[ \\t]*)*${name}[ \\t]*(?:,[ \\t]*[\\w.]+[ \\t]*)*(?:[-+*/%&|^]|<<|>>|&\\^)?=(?!=)|&[ \\t]*${name}\\b`,
        'gm',
      );
      for (const m of facts.unit.text.matchAll(assigned)) {
        const at = m.index + m[0].indexOf(name);
        if (at < spec.startIndex || at >= spec.endIndex) return false;
      }
      return true;
    }
  }
  return false;
}

/**
 * The loop that runs the spawn statement many times: the innermost `for` around it in the spawning
 * function, provided nothing in the loop body outside the goroutine could order the goroutines (a
 * wait, a channel operation, a semaphore) and the body does not end by leaving the loop.
 */
function spawningLoop(spawn: Spawn, spawner: Node, lit: Node, facts: FileFacts): Node | undefined {
  let loop: Node | undefined;
  for (let p = spawn.stmt.parent; p && !p.equals(spawner); p = p.parent) {
    if (p.type === 'for_statement') {
      loop = p;
      break;
    }
  }
  if (!loop) return undefined;
  const body = loop.childForFieldName('body');
  if (!body) return undefined;
  // The body's text outside the goroutine (before and after it).
  const barrier = textMatches(facts, BARRIER);
  const gotoOrLock = textMatches(facts, GOTO_OR_LOCK);
  for (const [from, to] of [[body.startIndex, lit.startIndex], [lit.endIndex, body.endIndex]]) {
    if (barrier.within(from, to) || gotoOrLock.within(from, to)) return undefined;
  }
  const cache = cacheOf(facts);
  let last = cache.lastStatement.get(body.id);
  if (!cache.lastStatement.has(body.id)) {
    const stmts = body.namedChild(0)?.namedChildren.filter((n): n is Node => n !== null && n.type !== 'comment') ?? [];
    last = stmts[stmts.length - 1]?.type;
    cache.lastStatement.set(body.id, last);
  }
  if (!last || /^(break_statement|return_statement)$/.test(last)) return undefined;
  return loop;
}

/** Something between two offsets of the spawning function may order what follows after what precedes. */
function orderedBetween(from: number, to: number, facts: FileFacts, scopes: FunctionScopes): boolean {
  if (barrierBetween(facts, from, to)) return true;
  // A `range` that may be over a channel (or is no range clause at all: a comment, a string).
  const fn = facts.functionAt(from);
  if (!fn) return true;
  const cache = cacheOf(facts);
  let unproven = cache.ranges.get(fn.id);
  if (!unproven) {
    unproven = [];
    const ranges = textMatches(facts, RANGE);
    for (let i = ranges.first(fn.startIndex); i < ranges.starts.length && ranges.starts[i] < fn.endIndex; i++) {
      const at = ranges.starts[i];
      const kw = facts.unit.tree.rootNode.descendantForIndex(at, at + 5);
      const clause = kw?.parent;
      const right = clause?.type === 'range_clause' ? clause.childForFieldName('right') : null;
      if (!right || !provenNotChannel(right, scopes, facts)) unproven.push(at);
    }
    cache.ranges.set(fn.id, unproven);
  }
  let lo = 0;
  let hi = unproven.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (unproven[mid] < from) lo = mid + 1;
    else hi = mid;
  }
  return lo < unproven.length && unproven[lo] + 5 <= to;
}

function provenNotChannel(expr: Node, scopes: FunctionScopes, facts: FileFacts): boolean {
  switch (expr.type) {
    case 'int_literal':
    case 'interpreted_string_literal':
    case 'raw_string_literal':
    case 'composite_literal':
      return true;
    case 'call_expression':
      return expr.childForFieldName('function')?.text === 'len';
    case 'identifier': {
      const b = bindingOf(expr, scopes);
      if (!b) return false;
      if (b.kind === 'param' || b.kind === 'receiver' || b.decl.type === 'var_spec') {
        const t = b.decl.childForFieldName('type');
        if (t) return /^(slice_type|array_type|map_type)$/.test(t.type) || /^(int|string|\[\]|map\[)/.test(t.text) || isMapTypeNode(t, facts);
      }
      const v = initialValue(b);
      if (!v) return false;
      if (v.type === 'composite_literal' || v.type === 'int_literal') return true;
      return v.type === 'call_expression' && /^make\((?:\[\]|map\[)/.test(v.text);
    }
    default:
      return false;
  }
}

/**
 * The access runs after the spawn statement on some path where nothing leaves in between: they are
 * not in two branches of one `if`/`switch`/`select`, and no `return` (or `break`/`continue` of the
 * same loop, or panic) follows the spawn in a block the access is not in.
 */
function reachableAfter(stmt: Node, access: Node, spawner: Node, facts: FileFacts): boolean {
  // For each node on the way up from the spawn statement to the spawner: whether a statement
  // leaves early after the path in some block strictly below it. Worked out once per spawn.
  const cache = cacheOf(facts);
  let below = cache.paths.get(stmt.id);
  if (!below) {
    below = new Map();
    let leaves = false;
    let crossedLoop = false;
    let child: Node = stmt;
    for (let p = stmt.parent; p; child = p, p = p.parent) {
      below.set(p.id, leaves);
      if (p.equals(spawner)) break;
      if (p.type === 'for_statement') crossedLoop = true;
      if (p.type !== 'statement_list' || leaves) continue;
      const exits = exitsOf(p, cache);
      const i = indexIn(exits, child);
      if (i >= 0) leaves = exits.ret[i] || (!crossedLoop && exits.jump[i]);
    }
    cache.paths.set(stmt.id, below);
  }
  let lca: Node | null = access;
  while (lca && !below.has(lca.id) && !lca.equals(spawner)) lca = lca.parent;
  if (!lca) return false;
  if (/^(if_statement|expression_switch_statement|type_switch_statement|select_statement)$/.test(lca.type)) return false;
  return !(below.get(lca.id) ?? false);
}

interface Exits {
  stmts: (Node | null)[];
  starts: number[];
  /** ret[i]: a `return`, `goto` or panic-like call among the statements after i. */
  ret: boolean[];
  /** jump[i]: a `break` or `continue` among the statements after i. */
  jump: boolean[];
}

function exitsOf(list: Node, cache: RuleCache): Exits {
  let e = cache.exits.get(list.id) as Exits | undefined;
  if (!e) {
    const stmts = list.namedChildren;
    const n = stmts.length;
    const ret = new Array<boolean>(n).fill(false);
    const jump = new Array<boolean>(n).fill(false);
    for (let i = n - 2; i >= 0; i--) {
      const s = stmts[i + 1];
      const t = s?.type;
      ret[i] = ret[i + 1] || t === 'return_statement' || t === 'goto_statement' ||
        (t === 'expression_statement' && /^(panic|os\.Exit|log\.Fatal\w*|log\.Panic\w*)\(/.test(s!.text));
      jump[i] = jump[i + 1] || t === 'break_statement' || t === 'continue_statement';
    }
    e = { stmts, starts: stmts.map((x) => x?.startIndex ?? -1), ret, jump };
    cache.exits.set(list.id, e);
  }
  return e;
}

/** The index of `child` among the list's named children, or -1. */
function indexIn(e: Exits, child: Node): number {
  const { stmts, starts } = e;
  let lo = 0;
  let hi = starts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (starts[mid] < child.startIndex) lo = mid + 1;
    else hi = mid;
  }
  for (let j = lo; j < stmts.length && starts[j] === child.startIndex; j++) if (stmts[j]?.equals(child)) return j;
  return stmts.findIndex((x) => x?.equals(child));
}

/**
 * `go f(m)` and `go obj.method()` with the callee declared in this file: the goroutine's accesses
 * are the callee's to its parameter, or to the receiver's map fields, outside any lock it takes.
 */
function checkCallSpawn(spawn: Spawn, scopes: FunctionScopes, facts: FileFacts, out: Map<number, Pending>, spawns: Spawn[]): void {
  const spawner = ownerOf(spawn.stmt);
  const fnExpr = spawn.call.childForFieldName('function');
  if (!spawner || !fnExpr) return;
  const args = spawn.call.childForFieldName('arguments')?.namedChildren.filter((n): n is Node => n !== null && n.type !== 'comment') ?? [];
  const loop = spawningLoop(spawn, spawner, spawn.call, facts);
  if (fnExpr.type === 'identifier') {
    const callee = declarationsOf(facts).functions.get(fnExpr.text);
    if (!callee || callee.childForFieldName('type_parameters')) return;
    const cs = facts.scopesOf(callee);
    if (cs.hasGoto) return;
    const names: Node[] = [];
    for (const p of callee.childForFieldName('parameters')?.namedChildren ?? []) {
      if (p?.type !== 'parameter_declaration') return;
      const ids = p.childrenForFieldName('name').filter((n): n is Node => n?.type === 'identifier');
      for (const n of ids.length ? ids : [p]) names.push(n);
    }
    names.forEach((n, i) => {
      const arg = args[i];
      if (n.type !== 'identifier' || arg?.type !== 'identifier') return;
      const b = bindingOf(arg, scopes);
      if (!b || !isSharedMap(b, spawn, facts)) return;
      const p = cs.bindings.find((x) => x.id.equals(n));
      if (!p || p.refs.some((r) => r.context === 'assign' || r.context === 'address')) return;
      const inG = calleeAccesses(callee, p.refs.filter((r) => r.owner.id === callee.id).map((r) => r.id), facts, undefined);
      if (inG.length === 0) return;
      judge(spawn, spawner, b.name, b.decl, inG, laterAccesses(spawn, spawner, b.refs, (r) => r.id, scopes, facts, spawns), loop, scopes, out, facts);
    });
    return;
  }
  if (fnExpr.type !== 'selector_expression') return;
  const obj = fnExpr.childForFieldName('operand');
  const method = fnExpr.childForFieldName('field')?.text;
  if (obj?.type !== 'identifier' || !method) return;
  const ob = bindingOf(obj, scopes);
  const typeName = ob ? pointeeType(ob) : undefined;
  if (!ob || !typeName) return;
  if (ob.refs.some((r) => r.context === 'address' || (r.context === 'assign' && (r.owner.id !== ob.owner.id || r.id.startIndex >= spawn.stmt.startIndex)))) return;
  const decl = (declarationsOf(facts).methods.get(method) ?? []).find((f) => {
    const recvType = f.childForFieldName('receiver')?.namedChildren.find((c) => c?.type === 'parameter_declaration')?.childForFieldName('type');
    return recvType?.type === 'pointer_type' && namedTypeOf(recvType.namedChild(0)) === typeName;
  });
  if (!decl) return;
  const cs = facts.scopesOf(decl);
  const recv = cs.bindings.find((b) => b.kind === 'receiver');
  if (cs.hasGoto || !recv || recv.refs.some((r) => r.context === 'assign' || r.context === 'address')) return;
  const byField = new Map<string, Node[]>();
  for (const r of recv.refs) {
    const sel = r.id.parent;
    const field = sel?.childForFieldName('field')?.text;
    if (r.context !== 'selector' || r.owner.id !== decl.id || !sel || !field) continue;
    byField.set(field, [...(byField.get(field) ?? []), sel]);
  }
  for (const [field, sels] of byField) {
    const steps = facts.pkg.resolveFields(typeName, [field]);
    if (!steps || steps.length !== 1 || !facts.pkg.isMapField(steps[0].field)) continue;
    const inG = calleeAccesses(decl, sels, facts, { from: `${recv.name}.`, to: `${ob.name}.` });
    if (inG.length === 0) continue;
    const refs = ob.refs.filter((r) => r.context === 'selector' && r.id.parent?.childForFieldName('field')?.text === field);
    const inS = laterAccesses(spawn, spawner, refs, (r) => r.id.parent ?? undefined, scopes, facts, spawns);
    judge(spawn, spawner, `${ob.name}.${field}`, ob.decl, inG, inS, loop, scopes, out, facts);
  }
}

/** The file's functions by name (the first of each, as a search in source order finds) and its methods by name. */
function declarationsOf(facts: FileFacts): { functions: Map<string, Node>; methods: Map<string, Node[]> } {
  const cache = cacheOf(facts);
  if (!cache.declarations) {
    const functions = new Map<string, Node>();
    const methods = new Map<string, Node[]>();
    for (const f of facts.functions) {
      const name = f.childForFieldName('name')?.text;
      if (name === undefined) continue;
      if (f.type === 'function_declaration') {
        if (!functions.has(name)) functions.set(name, f);
      } else {
        const list = methods.get(name);
        if (list) list.push(f);
        else methods.set(name, [f]);
      }
    }
    cache.declarations = { functions, methods };
  }
  return cache.declarations;
}

/** The callee's accesses through `exprs`, before anything that might order them; lock names renamed from the receiver to the caller's variable. */
function calleeAccesses(callee: Node, exprs: Node[], facts: FileFacts, rename: { from: string; to: string } | undefined): Access[] {
  const body = callee.childForFieldName('body');
  if (!body) return [];
  const out: Access[] = [];
  for (const e of exprs) {
    const a = classifyExpr(e, facts);
    if (!a || a.lock.unsure) continue;
    if (barrierBetween(facts, body.startIndex, a.node.startIndex)) continue;
    if (rename) {
      const held = new Map<string, LockMode>();
      for (const [x, m] of a.lock.held) held.set(x.startsWith(rename.from) ? rename.to + x.slice(rename.from.length) : x, m);
      a.lock = { ...a.lock, held };
    }
    out.push(a);
  }
  return out;
}

/** `T` when a binding provably holds a `*T` for a struct type of this package: a `*T` parameter or receiver, `&T{…}`, `new(T)`. */
function pointeeType(b: Binding): string | undefined {
  if (b.kind === 'param' || b.kind === 'receiver') {
    const t = b.decl.childForFieldName('type');
    return t?.type === 'pointer_type' ? namedTypeOf(t.namedChild(0)) : undefined;
  }
  const v = initialValue(b);
  if (!v) return undefined;
  if (v.type === 'unary_expression' && v.childForFieldName('operator')?.type === '&') {
    const lit = v.childForFieldName('operand');
    return lit?.type === 'composite_literal' ? namedTypeOf(lit.childForFieldName('type')) : undefined;
  }
  if (v.type === 'call_expression' && v.childForFieldName('function')?.text === 'new') {
    return namedTypeOf(v.childForFieldName('arguments')?.namedChild(0) ?? null);
  }
  return undefined;
}
