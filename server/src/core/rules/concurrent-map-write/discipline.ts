// Lock discipline, as RacerD infers it for Java: a type that has a mutex is meant to be used from
// several goroutines, and a map field that most of its methods touch only while holding one of its
// mutexes is guarded by that mutex. An access to it in another method without that mutex races with
// them; a write while holding it only for reading (`RLock`) races with every reader and writer.
// Evidence must be strong: at least two accesses hold the guard, and more accesses hold it than
// not. Accesses whose method's entry state is unknown (guarded-fields.ts) are neither evidence nor
// suspects, and a method that holds some other mutex for writing may be guarded by that one.
import type { Node } from 'web-tree-sitter';
import { guardedFields, type FieldUse, type GuardedType } from '../../analyses/guarded-fields';
import { RECV } from '../../analyses/receiver-effects';
import type { Fix } from '../../findings';
import type { CheckContext } from './context';
import { ID } from './judge';

/** Evidence needed: accesses holding the guard. */
const MIN_GUARDED = 2;

export function checkDiscipline(ctx: CheckContext): void {
  for (const t of ctx.pass.result(guardedFields)) {
    for (const [key, uses] of t.fields) judgeField(ctx, t, key, uses);
  }
}

function judgeField(ctx: CheckContext, t: GuardedType, key: string, uses: readonly FieldUse[]): void {
  // Writes under a read lock only: a bug whatever the other accesses do.
  for (const u of uses) {
    if (!u.write || !ctx.pass.inScope(u.method)) continue;
    const modes = [...u.lock.held].filter(([x]) => t.mutexes.includes(x));
    const read = modes.find(([, m]) => m === 'read');
    if (read && !modes.some(([, m]) => m === 'write') && ![...u.lock.held.values()].includes('write')) {
      const lock = lockName(read[0], u.recv);
      report(ctx, u, key, `${methodName(u.method)} writes map \`${u.recv}.${key}\` holding \`${lock}\` only for reading, which lets other readers and writers in`, [], {
        range: u,
        message: `only \`${lock}.RLock()\` is held here: use \`${lock}.Lock()\``,
      });
    }
  }
  let guard: string | undefined;
  let count = 0;
  for (const x of t.mutexes) {
    const n = uses.filter((u) => u.lock.held.has(x)).length;
    if (n > count) [guard, count] = [x, n];
  }
  if (!guard || count < MIN_GUARDED) return;
  const guarded = uses.filter((u) => u.lock.held.has(guard));
  const unguarded = uses.filter((u) => !u.lock.held.has(guard));
  if (guarded.length <= unguarded.length) return;
  const guardedWrite = guarded.some((u) => u.write);
  for (const u of unguarded) {
    if (!ctx.pass.inScope(u.method) || (!u.write && !guardedWrite)) continue;
    // Another mutex held for writing may be what guards this method's accesses.
    if ([...u.lock.held.values()].includes('write')) continue;
    const lock = lockName(guard, u.recv);
    if (!suspect(ctx, t, u, key, lock)) continue;
    const partners = guarded.filter((g) => u.write || g.write);
    const verb = u.write ? 'writes' : 'reads';
    report(
      ctx,
      u,
      key,
      `${methodName(u.method)} ${verb} map \`${u.recv}.${key}\` without \`${lock}\`, which ${guarded.length === 1 ? 'the other access holds' : `${guarded.length} other accesses hold`}`,
      partners,
      { range: u, message: `no lock is held here: take \`${lock}.Lock()\` here too` },
      wrapFix(ctx, u, guard),
    );
  }
}

/** Names of methods that set a value up or tear it down, which callers run alone by contract. */
const SETUP_OR_TEARDOWN = /^(?:close|stop|shutdown|init|reset|unmarshal|decode|restore|setup|register)/i;

/**
 * Whether an unguarded access is a race and not a phase of the value's life the type leaves to its
 * callers. A method that takes the guard itself yet touches the map outside it (`len(c.m)` before
 * `c.mu.Lock()`) knows the map is shared: always. A method that never takes it may run before the
 * value is shared or after its goroutines stopped (`Convert` after the fetches, `GetServiceInfo`
 * after registration): only a write counts, not in a setup or teardown method, and not when the
 * type lets callers hold its lock (a `Lock` method, an embedded mutex). A method that replaces
 * the map (`c.m = make(…)`) is making a new one: never.
 */
function suspect(ctx: CheckContext, t: GuardedType, u: FieldUse, key: string, lock: string): boolean {
  const name = u.method.childForFieldName('name')?.text ?? '';
  // An unexported method runs where its callers call it, maybe after their goroutines are waited
  // for (telegraf's cleanupStaleCache after wg.Wait()): only methods any client may call count.
  if (!/^\p{Lu}/u.test(name)) return false;
  const body = u.method.childForFieldName('body')?.text ?? '';
  const path = key.replace(/\./g, '\\s*\\.\\s*');
  if (new RegExp(`\\b${u.recv}\\s*\\.\\s*${path}\\s*=[^=]`).test(body)) return false;
  if (body.includes(`${lock}.Lock()`) || body.includes(`${lock}.RLock()`)) return true;
  if (!u.write) return false;
  if (SETUP_OR_TEARDOWN.test(name)) return false;
  return !t.mutexes.includes(RECV) && ctx.pass.pkg.method(t.name, 'Lock') === undefined;
}

function report(ctx: CheckContext, u: FieldUse, key: string, message: string, partners: readonly FieldUse[], own: { range: FieldUse; message: string }, fix?: Fix): void {
  const range = u.range;
  if (ctx.out.has(range.start)) return;
  const related = new Map([[range.start, { range, message: own.message }]]);
  for (const p of partners) {
    const r = p.range;
    const held = [...p.lock.held.keys()].find((x) => x.startsWith(RECV));
    related.set(r.start, { range: r, message: `\`${p.recv}.${key}\` is ${p.write ? 'written' : 'read'} here holding \`${lockName(held ?? RECV, p.recv)}\`` });
  }
  ctx.out.set(range.start, { finding: { rule: ID, severity: 'warning', message, range, fixes: fix ? [fix] : [], related: [] }, related });
}

/** `c.mu` for `\0.mu` in a method whose receiver is `c`; `c` for an embedded mutex. */
function lockName(lock: string, recv: string): string {
  return lock.startsWith(RECV) ? recv + lock.slice(RECV.length) : lock;
}

function methodName(m: Node): string {
  return `\`${m.childForFieldName('name')?.text ?? 'the method'}\``;
}

/** Wraps the statement an unguarded access is in with the guard's Lock/Unlock, when that statement is a simple one of its own line and the method holds no lock at all. */
function wrapFix(ctx: CheckContext, u: FieldUse, guard: string): Fix | undefined {
  if (u.lock.held.size > 0 || !u.access) return undefined;
  const syntax = ctx.syntax(u.method);
  let stmt: Node | null = u.access.node;
  while (stmt && !SIMPLE.has(stmt.type)) {
    if (stmt.type.endsWith('_statement') || stmt.type === 'block' || stmt.type === 'func_literal') return undefined;
    stmt = syntax.parent(stmt);
  }
  if (!stmt || syntax.parent(stmt)?.type !== 'statement_list' || stmt.text.includes('\n')) return undefined;
  const text = ctx.pass.unit.text;
  const lineStart = text.lastIndexOf('\n', stmt.startIndex - 1) + 1;
  const indent = text.slice(lineStart, stmt.startIndex);
  const lineEnd = text.indexOf('\n', stmt.endIndex);
  if (!/^[ \t]*$/.test(indent) || !/^[ \t]*(?:\/\/.*)?$/.test(text.slice(stmt.endIndex, lineEnd < 0 ? text.length : lineEnd))) return undefined;
  const lock = lockName(guard, u.recv);
  const lines = ctx.pass.unit.lines;
  // The Unlock goes after a trailing comment, which stays with its statement.
  const r = { start: lines.byteOffset(stmt.startIndex), end: lines.byteOffset(lineEnd < 0 ? text.length : lineEnd) };
  return {
    title: `Hold ${lock} around this statement`,
    // Not preferred, and not for Fix All: whether this mutex is the right one here is the reader's
    // call (the preferred fixes are the exact ones --fix and Fix All apply).
    isPreferred: false,
    edits: [
      { range: { start: r.start, end: r.start }, newText: `${lock}.Lock()\n${indent}` },
      { range: { start: r.end, end: r.end }, newText: `\n${indent}${lock}.Unlock()` },
    ],
  };
}

const SIMPLE = new Set(['expression_statement', 'assignment_statement', 'inc_statement', 'dec_statement', 'short_var_declaration']);
