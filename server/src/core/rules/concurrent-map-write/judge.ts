// Whether the accesses of a goroutine and of what runs beside it race, and how the finding says it:
// one short sentence on the racing access, every other racing access and the goroutine's start as
// related places, with the lock held or missing at each and the lock advice where it applies.
import type { Node } from 'web-tree-sitter';
import type { Spawn } from '../../analyses/goroutines';
import { lockRoot } from '../../analyses/locks';
import { initialValue, type Binding } from '../../analyses/syntax';
import { byteRange } from '../../index/summary';
import { contains, type Access, type CheckContext } from './context';

export const ID = 'concurrent-map-write';

type Shape = 'loop' | 'goroutine' | 'spawner' | 'other-later' | 'other-earlier';

/** Who the other side is (the spawning function's name) and what it does to the map (`reads`, `writes`). */
interface Detail {
  who?: string;
  other?: string;
  /** For the loop shape: the per-iteration mutex the write holds. */
  ownLock?: string;
}

/**
 * Judges one map a goroutine shares: (1) goroutines started in a loop against each other, the map
 * declared outside the loop; (2) the goroutine against the function that started it and the
 * goroutines it starts later.
 */
export function judge(ctx: CheckContext, spawn: Spawn, spawner: Node, name: string, decl: Node | undefined, inG: Access[], inS: Access[], loop: Node | undefined): void {
  if (loop && !spawn.limited && (!decl || !contains(loop, decl))) {
    // A mutex made in each iteration (`w := &worker{}`, `var mu sync.Mutex` in the body) is each
    // goroutine's own: it excludes no other goroutine of the loop.
    const own = perIterationLocks(ctx, spawn, loop, inG);
    const shared = own.size === 0 ? inG : inG.map((a) => withoutLocks(a, own));
    for (const [i, w] of shared.entries()) {
      if (!w.write) continue;
      const partners = shared.filter((a) => races(w, a));
      const ownLock = [...inG[i].lock.held.keys()].find((x) => own.has(x));
      if (partners.length > 0) report(ctx, w, name, 'loop', partners, spawn, shared, { ownLock, other: partners.some((p) => p.write && p.lock.held.size === 0) ? 'writes' : 'reads' });
    }
  }
  if (inS.length === 0) return;
  const localLocks = ctx.syntax(spawn.fn).varNames;
  const who = functionName(spawner);
  const all = [...inG, ...inS];
  for (const g of inG) {
    for (const s of inS) {
      if (!races(g, s)) continue;
      // A lock the goroutine holds and the spawner does not may be held by the spawner's caller,
      // unless it is a local of this function.
      const gOnly = [...g.lock.held.keys()].filter((x) => !s.lock.held.has(x));
      if (!s.by && gOnly.length > 0 && s.lock.held.size === 0 && gOnly.some((x) => !localLocks.has(lockRoot(x)))) continue;
      // One finding per racing pair, on the goroutine's write when it writes, else on the other's.
      if (s.by) {
        if (g.write) report(ctx, g, name, 'other-later', [s], spawn, all, { other: verb(s) });
        else report(ctx, s, name, 'other-earlier', [g], spawn, all, { other: verb(g) });
      } else if (g.write) report(ctx, g, name, 'goroutine', [s], spawn, all, { who, other: verb(s) });
      else report(ctx, s, name, 'spawner', [g], spawn, all, { who, other: verb(g) });
    }
  }
}

/** The call an access is made through, as the judged function writes it: `` `t.reset()` ``. */
function callName(via: readonly Node[]): string {
  return `\`${via[0].childForFieldName('function')?.text ?? 'the call'}()\``;
}

/** The locks held by the goroutines' accesses whose mutex is a variable made in each iteration of the loop, never reassigned. */
function perIterationLocks(ctx: CheckContext, spawn: Spawn, loop: Node, inG: Access[]): Set<string> {
  const out = new Set<string>();
  const syntax = ctx.syntax(spawn.fn);
  for (const a of inG) {
    for (const x of a.lock.held.keys()) {
      if (out.has(x)) continue;
      const root = lockRoot(x);
      const goroutine = spawn.literal ?? spawn.call;
      const b = syntax.bindings.find((c) => c.name === root && contains(loop, c.decl) && c.refs.some((r) => contains(goroutine, r.id)));
      if (b && b.kind === 'var' && b.refs.every((r) => r.context !== 'assign' && r.context !== 'address') && madeHere(b)) out.add(x);
    }
  }
  return out;
}

/** A variable whose value is made by its declaration: `&T{…}`, `T{…}`, `new(T)`, or `var x T` with no value. */
function madeHere(b: Binding): boolean {
  const v = initialValue(b);
  if (!v) return b.decl.type === 'var_spec' && b.decl.childForFieldName('value') === null && b.decl.childForFieldName('type') !== null;
  const inner = v.type === 'unary_expression' && v.childForFieldName('operator')?.type === '&' ? v.childForFieldName('operand') : v;
  return inner?.type === 'composite_literal' || (inner?.type === 'call_expression' && inner.childForFieldName('function')?.text === 'new');
}

function withoutLocks(a: Access, drop: ReadonlySet<string>): Access {
  const held = new Map([...a.lock.held].filter(([x]) => !drop.has(x)));
  return { ...a, lock: { ...a.lock, held } };
}

const verb = (a: Access) => (a.write ? 'writes' : 'reads');

function functionName(fn: Node): string {
  return fn.type === 'func_literal' ? 'the enclosing function literal' : `\`${fn.childForFieldName('name')?.text ?? 'the function'}\``;
}

/** Two accesses conflict: one writes, and no mutex is held by both with at least one holding it for writing. */
export function races(a: Access, b: Access): boolean {
  if (!a.write && !b.write) return false;
  for (const [x, mode] of a.lock.held) {
    const other = b.lock.held.get(x);
    if (other && (mode === 'write' || other === 'write')) return false;
  }
  return true;
}

function messageOf(shape: Shape, map: string, w: Access, d: Detail): string {
  const own = [...w.lock.held].find(([, m]) => m === 'write')?.[0];
  switch (shape) {
    case 'loop':
      if (d.ownLock) return `every goroutine this loop starts writes map ${map} under its own \`${d.ownLock}\`, which excludes none of the others`;
      return own
        ? `the goroutines this loop starts write map ${map} under \`${own}\` but ${d.other === 'writes' ? 'also write' : 'read'} it without \`${own}\``
        : `every goroutine this loop starts writes map ${map}, and nothing orders them`;
    case 'other-later':
      return `the goroutine writes map ${map} while a goroutine started after it ${d.other} it`;
    case 'other-earlier':
      return `this goroutine writes map ${map} while a goroutine started before it ${d.other} it`;
    case 'goroutine':
      return `the goroutine writes map ${map} while ${d.who} ${d.other} it after starting it`;
    case 'spawner':
      return `${d.who} writes map ${map} while the goroutine it started ${d.other} it`;
  }
}

function report(ctx: CheckContext, w: Access, name: string, shape: Shape, partners: Access[], spawn: Spawn, all: Access[], detail: Detail): void {
  const lines = ctx.pass.unit.lines;
  const range = byteRange(w.node, lines);
  const map = `\`${name}\``;
  let pending = ctx.out.get(range.start);
  if (!pending) {
    pending = { finding: { rule: ID, severity: 'warning', message: messageOf(shape, w.via ? `${map} (through ${callName(w.via)})` : map, w, detail), range, fixes: [], related: [] }, related: new Map() };
    ctx.out.set(range.start, pending);
    const rlocks = [...w.lock.held].filter(([, m]) => m === 'read').map(([x]) => x);
    if (rlocks.length > 0) {
      pending.related.set(range.start, { range, message: `only \`${rlocks[0]}.RLock()\` is held here, which does not exclude other writers: use \`${rlocks[0]}.Lock()\`` });
    } else if (w.lock.held.size === 0) {
      const guard = all.map((a) => [...a.lock.held].find(([, m]) => m === 'write')?.[0]).find((x) => x !== undefined);
      if (guard) pending.related.set(range.start, { range, message: `no lock is held here, while other accesses hold \`${guard}\`: take \`${guard}.Lock()\` here too` });
    }
  }
  const startLabel =
    spawn.kind === 'go'
      ? 'the goroutine is started here'
      : spawn.kind === 'errgroup'
        ? 'the goroutine is started here by errgroup Go'
        : spawn.kind === 'waitgroup'
          ? 'the goroutine is started here by WaitGroup.Go'
          : `the goroutine is started here by \`${spawn.runner?.name}\``;
  const s = byteRange(spawn.stmt.type === 'go_statement' ? spawn.stmt : spawn.call, lines);
  // Where the function given the func runs it: the finding depends on that function's body, or,
  // in another file of the package, on what its summary says of it.
  const run = spawn.runner?.run;
  const at = run && byteRange(run.at, lines);
  const declared = run?.elsewhere && `(declared in ${baseName(run.elsewhere.file)})`;
  const label = at?.start === s.start && declared ? `${startLabel} ${declared}` : startLabel;
  pending.related.set(s.start, { range: s, message: shape === 'loop' ? `${label}, once per iteration` : label });
  if (run && at && at.start !== s.start) {
    const runner = `\`${run.runner.childForFieldName('name')?.text ?? spawn.runner?.name}\``;
    const message = run.elsewhere
      ? `${runner} hands it here to \`${run.elsewhere.name}\` ${declared}, which ${run.goroutine ? 'starts the goroutine' : 'calls it'}`
      : run.goroutine
        ? `${runner} starts the goroutine here`
        : `${runner} calls it here`;
    pending.related.set(at.start, { range: at, message });
  }
  for (const p of partners) {
    if (p.by) {
      const o = byteRange(p.by.stmt.type === 'go_statement' ? p.by.stmt : p.by.call, lines);
      pending.related.set(o.start, { range: o, message: 'the other goroutine is started here' });
    }
    const r = byteRange(p.node, lines);
    if (r.start === range.start) continue;
    const through = p.via ? `, through ${callName(p.via)},` : '';
    pending.related.set(r.start, { range: r, message: `${map} is ${p.write ? 'written' : 'read'} here${through}${p.lock.held.size ? '' : ' with no lock held'}` });
  }
}

/** A file's name without its directory, for a message. */
function baseName(path: string): string {
  return path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
}
