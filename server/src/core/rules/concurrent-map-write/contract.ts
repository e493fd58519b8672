// Concurrency by contract: net/http runs a handler on a goroutine per request, so a handler that
// writes a map every request shares (a map field of the `ServeHTTP` receiver, reached directly or
// through the receiver's methods; a package-level map or a captured one in a func literal given to
// `HandleFunc` or `http.HandlerFunc`) with no lock held races with itself, with no `go` statement
// in sight. A map made per request is not shared; a lock held (or unknown), a channel operation
// before the write (a semaphore), or a method that replaces the map keep the rule silent.
import type { Node } from 'web-tree-sitter';
import { effectsOf, receiverTypeName } from '../../analyses/receiver-effects';
import { initialValue } from '../../analyses/syntax';
import { byteRange } from '../../index/summary';
import type { CheckContext } from './context';
import { mapFieldKey } from './fields';
import { ID } from './judge';
import { isMapValue, isPackageMap } from './shared-maps';

const HANDLER_CALL = /\bHandle(?:r)?Func\(/g;
const WRITER = /^http\.ResponseWriter$/;
const REQUEST = /^\*http\.Request$/;

export function checkHandlers(ctx: CheckContext): void {
  for (const fn of ctx.pass.methods) {
    if (ctx.pass.inScope(fn) && fn.childForFieldName('name')?.text === 'ServeHTTP' && isHandlerSignature(fn)) checkServeHTTP(ctx, fn);
  }
  for (const m of ctx.pass.matchesOf(HANDLER_CALL)) {
    const fn = ctx.pass.functionAt(m.index);
    if (!fn || !ctx.pass.inScope(fn)) continue;
    const name = ctx.pass.unit.tree.rootNode.descendantForIndex(m.index, m.index + 6);
    const call = name?.parent?.type === 'selector_expression' ? name.parent.parent : name?.parent;
    if (call?.type !== 'call_expression') continue;
    const lit = call.childForFieldName('arguments')?.namedChildren.find((c) => c?.type === 'func_literal');
    if (lit && isHandlerSignature(lit)) checkHandlerLiteral(ctx, fn, lit);
  }
}

function isHandlerSignature(fn: Node): boolean {
  const params = fn.childForFieldName('parameters')?.namedChildren.filter((p) => p?.type === 'parameter_declaration') ?? [];
  const types = params.flatMap((p) => {
    const t = p!.childForFieldName('type')?.text.replace(/\s+/g, '') ?? '';
    return Array(Math.max(1, p!.childrenForFieldName('name').length)).fill(t);
  });
  return types.length === 2 && WRITER.test(types[0]) && REQUEST.test(types[1]);
}

function checkServeHTTP(ctx: CheckContext, method: Node): void {
  checkMethodWrites(ctx, method, 'net/http runs it on a goroutine per request', 'every request runs this at the same time as the others');
}

/**
 * A method that its framework runs on many goroutines at once (`ServeHTTP`, a gRPC service
 * method): its writes to a map field of its receiver, directly or through the receiver's methods,
 * and to a package-level map, with no lock held. `why` ends the message; `where` is said at the write.
 */
export function checkMethodWrites(ctx: CheckContext, method: Node, why: string, where: string): void {
  const type = receiverTypeName(method);
  const recv = method.childForFieldName('receiver')?.namedChildren.find((c) => c?.type === 'parameter_declaration')?.childForFieldName('name')?.text;
  const name = `\`${method.childForFieldName('name')?.text}\``;
  const body = method.childForFieldName('body');
  if (!type || !body) return;
  const effects = recv ? effectsOf(ctx.pass, method, recv, (fn, node) => ctx.orderedIn(fn, node)) : undefined;
  for (const e of effects ?? []) {
    if (!e.access.write || e.lock.held.size > 0 || e.lock.unsure) continue;
    const key = mapFieldKey(ctx, type, e.path);
    // A field the handler assigns (`h.m = make(…)`) may be a map made for this request.
    if (key === undefined || new RegExp(`\\b${recv}\\s*\\.\\s*${e.path.join('\\s*\\.\\s*')}\\s*=[^=]`).test(body.text)) continue;
    const through = e.via.length > 0 ? ` (through \`${e.via[0].childForFieldName('function')?.text}()\`)` : '';
    report(ctx, e.access.node, `${name} writes map \`${recv}.${e.path.join('.')}\`${through} with no lock held, and ${why}`, where);
  }
  for (const f of ctx.syntax(method).freeIn(method)) {
    if (!isPackageMap(ctx, f.id.text)) continue;
    const a = ctx.access(f.id);
    if (!a || !a.write || a.lock.held.size > 0 || a.lock.unsure || ctx.orderedIn(method, a.node)) continue;
    report(ctx, a.node, `${name} writes map \`${f.id.text}\` with no lock held, and ${why}`, where);
  }
}

function checkHandlerLiteral(ctx: CheckContext, fn: Node, lit: Node): void {
  const syntax = ctx.syntax(fn);
  const body = lit.childForFieldName('body');
  if (!body) return;
  for (const [b, refs] of syntax.refsIn(lit)) {
    // A captured local holding one map made outside the handler.
    if (b.owner.id === lit.id || b.refs.some((r) => r.context === 'assign' || r.context === 'address')) continue;
    const v = initialValue(b);
    if (!v || !isMapValue(v, ctx.pass.pkg)) continue;
    for (const r of refs) checkWrite(ctx, r.id, body, b.name);
  }
  for (const f of syntax.freeIn(lit)) {
    if (isPackageMap(ctx, f.id.text)) checkWrite(ctx, f.id, body, f.id.text);
  }
}

function checkWrite(ctx: CheckContext, id: Node, body: Node, name: string): void {
  const a = ctx.access(id);
  if (!a || !a.write || a.lock.held.size > 0 || a.lock.unsure || ctx.barrierBetween(body.startIndex, a.node.startIndex)) return;
  report(ctx, a.node, `the handler writes map \`${name}\` with no lock held, and net/http runs it on a goroutine per request`, 'every request runs this at the same time as the others');
}

function report(ctx: CheckContext, node: Node, message: string, where: string): void {
  const range = byteRange(node, ctx.pass.unit.lines);
  if (ctx.out.has(range.start)) return;
  const related = new Map([[range.start, { range, message: `no lock is held here, and ${where}` }]]);
  ctx.out.set(range.start, { finding: { rule: ID, severity: 'warning', message, range, fixes: [], related: [] }, related });
}
