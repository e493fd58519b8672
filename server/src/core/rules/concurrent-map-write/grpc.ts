// Concurrency by contract, gRPC: a server runs each RPC on a goroutine of its own, so every method
// of a service implementation runs at the same time as itself. A service implementation is a type
// of this package whose struct embeds the generated `UnimplementedXxxServer` (or `UnsafeXxxServer`),
// as protoc-gen-go-grpc requires of every implementation, or whose value some function of the
// package, in any of its files, registers with a generated `pb.RegisterXxxServer(s, impl)`
// (index/registrations.ts, through the package's summaries); its RPC methods are the exported ones
// shaped as the generated interface has them: `(context.Context, *Req) (*Resp, error)` for a unary
// call, `(…, Xxx_MethodServer) error` or `(…, grpc.…StreamingServer[…]) error` for a stream. Their
// unlocked writes to receiver or package maps race (contract.ts says which writes count).
import type { Node } from 'web-tree-sitter';
import { receiverTypeName } from '../../analyses/receiver-effects';
import type { TypeInfo } from '../../index/types';
import type { CheckContext } from './context';
import { checkMethodWrites } from './contract';

const EMBEDDED_SERVICE = /(?:^|\.)(?:Unimplemented|Unsafe)\w+Server$/;
const STREAM = /(?:\w+_\w+Server|\bgrpc\.(?:ServerStreaming|ClientStreaming|BidiStreaming)Server\[.*\])$/;

export function checkServices(ctx: CheckContext): void {
  // The package's types, from its summaries: most packages implement no service at all.
  const registered = ctx.pass.pkg.registeredTypes();
  if (registered.size === 0 && !ctx.pass.pkg.mayHaveType(isService)) return;
  const services = new Map<string, boolean>();
  for (const fn of ctx.pass.methods) {
    if (!ctx.pass.inScope(fn)) continue;
    const name = fn.childForFieldName('name')?.text ?? '';
    const type = receiverTypeName(fn);
    if (!type || !/^\p{Lu}/u.test(name) || !isRpcSignature(fn)) continue;
    let service = services.get(type);
    if (service === undefined) {
      const info = ctx.pass.pkg.struct(type);
      service = (!!info && isService(info)) || (registered.has(type) && ctx.pass.pkg.types.get(type)?.generic === false);
      services.set(type, service);
    }
    if (service) checkMethodWrites(ctx, fn, 'gRPC runs it on a goroutine per call', 'every call runs this at the same time as the others');
  }
}

/** A struct type embedding a generated `Unimplemented…Server` or `Unsafe…Server`. */
function isService(t: TypeInfo): boolean {
  return t.kind === 'struct' && !t.generic && t.fields.some((f) => f.embedded && EMBEDDED_SERVICE.test(f.typeText.replace(/^\*/, '').trim()));
}

/** The shape of a generated service interface's method: unary, or a stream's. */
function isRpcSignature(fn: Node): boolean {
  const params = fn.childForFieldName('parameters')?.namedChildren.filter((p): p is Node => p?.type === 'parameter_declaration') ?? [];
  const types = params.flatMap((p) => Array<string>(Math.max(1, p.childrenForFieldName('name').length)).fill(p.childForFieldName('type')?.text.replace(/\s+/g, '') ?? ''));
  const result = fn.childForFieldName('result');
  const results = result?.type === 'parameter_list' ? result.namedChildren.filter((p): p is Node => p?.type === 'parameter_declaration').map((p) => p.childForFieldName('type')?.text.replace(/\s+/g, '') ?? '') : [result?.text ?? ''];
  if (types.length === 2 && types[0] === 'context.Context' && types[1].startsWith('*') && results.length === 2 && results[0].startsWith('*') && results[1] === 'error') return true;
  return types.length >= 1 && types.length <= 2 && STREAM.test(types[types.length - 1]) && results.length === 1 && results[0] === 'error';
}
