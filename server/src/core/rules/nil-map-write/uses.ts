// What the references of a tracked variable do to one of its nil field paths: the events that could
// make it non-nil (an assignment, `&x`, a pointer handed on, a pointer-receiver method call, a
// `return` with values for a named result) and the value-receiver calls that only initialize a copy.
import type { Node } from 'web-tree-sitter';
import type { FlowGraphs } from '../../analyses/control-flow';
import type { FunctionSyntax, Reference } from '../../analyses/syntax';
import type { ByteRange } from '../../findings';
import type { FieldStep, PackageIndex } from '../../index/package-index';
import { pathKey, type Tracked } from './track';

export interface Event {
  node: Node;
  owner: Node;
  /** The reference's start (-1 for a `return`): a write's own reference is never its event. */
  ref: number;
}

export interface ValueCall {
  call: Node;
  method: string;
  /** The field the method assigns on its copy, when it does. */
  assigned?: { name: string; range: ByteRange; file: string };
  ref: number;
}

export interface Uses {
  /** Events that could make the path non-nil, in source order. */
  events: Event[];
  /** Some event is in a closure: it may run before any write. */
  inClosure: boolean;
  /** Value-receiver method calls on the path (reported with the finding). */
  valueCalls: ValueCall[];
}

export function usesOf(t: Tracked, steps: FieldStep[], syntax: FunctionSyntax, flows: FlowGraphs, pkg: PackageIndex): Uses {
  const events: Event[] = [];
  const valueCalls: ValueCall[] = [];
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
        const use = selectorUse(r, t, steps, syntax, pkg);
        if (use.kind === 'event') events.push({ node: r.id, owner: r.owner, ref });
        else if (use.kind === 'value-call') valueCalls.push({ call: use.node, method: use.method, ...(use.assigned ? { assigned: use.assigned } : {}), ref });
        break;
      }
    }
  }
  if (t.origin.kind === 'result') {
    const owner = t.binding.owner;
    for (const j of flows.of(owner).jumps) {
      if (j.kind === 'return' && j.node.namedChildCount > 0) events.push({ node: j.node, owner, ref: -1 });
    }
  }
  events.sort((a, b) => a.node.startIndex - b.node.startIndex);
  const owner = t.binding.owner.id;
  return { events, inClosure: events.some((e) => e.owner.id !== owner), valueCalls };
}

type SelectorUse =
  | { kind: 'none' }
  | { kind: 'event' }
  | { kind: 'value-call'; node: Node; method: string; assigned?: { name: string; range: ByteRange; file: string } };

/** What `x.a.b…` does to the tracked field path `steps`. */
function selectorUse(r: Reference, t: Tracked, steps: FieldStep[], syntax: FunctionSyntax, pkg: PackageIndex): SelectorUse {
  const names: string[] = [];
  let top = r.id;
  for (let p = syntax.parent(top); p?.type === 'selector_expression' && p.childForFieldName('operand')?.id === top.id; p = syntax.parent(top)) {
    top = p;
    names.push(p.childForFieldName('field')!.text);
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
    // A method value or call on a value receiver gets a copy: it cannot initialize our map.
    const rest = pathKey(steps.slice(prefix.length));
    const assigned = method.assignedFields.find((a) => a.name === rest.split('.')[0]);
    return { kind: 'value-call', node: top, method: method.name, ...(assigned ? { assigned: { ...assigned, file: method.file } } : {}) };
  }
  const key = pathKey(resolved);
  const isPrefix = key === target || target.startsWith(key + '.');
  if (!isPrefix) return { kind: 'none' };
  const parent = syntax.parent(top);
  if (!parent) return { kind: 'none' };
  if (parent.type === 'unary_expression' && parent.childForFieldName('operator')?.type === '&') return { kind: 'event' };
  if (parent.type === 'expression_list') {
    const holder = syntax.parent(parent);
    if (holder?.childForFieldName('left')?.id === parent.id && holder.type !== 'short_var_declaration') return { kind: 'event' };
  }
  return { kind: 'none' };
}
