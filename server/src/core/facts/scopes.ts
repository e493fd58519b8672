// Scopes and bindings of one top-level function (with every closure inside it): which declaration
// each identifier names, following Go's rules — a `:=` or `var` name is in scope only after its
// spec, `:=` redeclares (assigns) a name already in the same scope, if/for/switch/case open implicit
// blocks, closures see their enclosing function's locals. Walked with an explicit stack: Go files
// nest deep enough (time/tzdata/zipdata.go) to overflow a recursive walk.
import type { Node } from 'web-tree-sitter';

export type BindingKind = 'var' | 'param' | 'result' | 'receiver' | 'const';

export interface Binding {
  name: string;
  kind: BindingKind;
  /** The identifier that declares it. */
  id: Node;
  /** The var_spec, short_var_declaration, parameter_declaration, range_clause… holding it. */
  decl: Node;
  /** The function or closure whose body declares it. */
  owner: Node;
  refs: Reference[];
}

export type RefContext =
  | 'assign' // the whole variable is assigned: `x = …`, `x, y = …`, `x op= …`, a `:=` redeclaration, `for x = range`
  | 'address' // `&x`
  | 'selector' // `x.f` (field or method; the rule looks further)
  | 'index' // `x[i]`
  | 'incdec' // `x++`
  | 'read';

export interface Reference {
  id: Node;
  binding: Binding;
  context: RefContext;
  /** Innermost function or closure containing the reference. */
  owner: Node;
}

export interface FunctionScopes {
  bindings: Binding[];
  /** Identifiers that name nothing local: package-level declarations, imports or builtins. */
  free: { id: Node; context: RefContext; owner: Node }[];
  /** The function has `goto`: textual order no longer bounds what runs before what. */
  hasGoto: boolean;
}

const FUNCTION_TYPES = new Set(['function_declaration', 'method_declaration', 'func_literal']);
const SCOPE_TYPES = new Set([
  'block',
  'if_statement',
  'for_statement',
  'expression_switch_statement',
  'type_switch_statement',
  'select_statement',
  'expression_case',
  'default_case',
  'type_case',
  'communication_case',
]);
/** Subtrees that hold no variable references worth resolving (types, literals, comments). */
const OPAQUE_TYPES = new Set([
  'comment',
  'interpreted_string_literal',
  'raw_string_literal',
  'rune_literal',
  'int_literal',
  'float_literal',
  'imaginary_literal',
  'type_identifier',
  'qualified_type',
  'pointer_type',
  'slice_type',
  'array_type',
  'map_type',
  'channel_type',
  'function_type',
  'struct_type',
  'interface_type',
  'generic_type',
  'type_declaration',
  'field_identifier',
  'package_identifier',
  'label_name',
]);

export function isFunctionNode(node: Node): boolean {
  return FUNCTION_TYPES.has(node.type);
}

type Task =
  | { op: 'visit'; node: Node }
  | { op: 'push'; owner?: Node }
  | { op: 'pop' }
  | { op: 'declare'; ids: Node[]; kind: BindingKind; decl: Node; redeclare: boolean };

interface Scope {
  names: Map<string, Binding>;
  owner: Node;
}

export function analyzeScopes(fn: Node): FunctionScopes {
  const result: FunctionScopes = { bindings: [], free: [], hasGoto: false };
  const scopes: Scope[] = [];
  const owners: Node[] = [];
  const tasks: Task[] = [{ op: 'visit', node: fn }];

  const lookup = (name: string): Binding | undefined => {
    for (let i = scopes.length - 1; i >= 0; i--) {
      const b = scopes[i].names.get(name);
      if (b) return b;
    }
    return undefined;
  };
  const reference = (id: Node, context: RefContext) => {
    const owner = owners[owners.length - 1];
    const binding = lookup(id.text);
    if (binding) binding.refs.push({ id, binding, context, owner });
    else result.free.push({ id, context, owner });
  };
  const declare = (ids: Node[], kind: BindingKind, decl: Node, redeclare: boolean) => {
    const scope = scopes[scopes.length - 1];
    for (const id of ids) {
      if (id.text === '_') continue;
      const existing = scope.names.get(id.text);
      if (redeclare && existing) {
        existing.refs.push({ id, binding: existing, context: 'assign', owner: owners[owners.length - 1] });
        continue;
      }
      const binding: Binding = { name: id.text, kind, id, decl, owner: scope.owner, refs: [] };
      scope.names.set(id.text, binding);
      result.bindings.push(binding);
    }
  };

  while (tasks.length > 0) {
    const task = tasks.pop()!;
    if (task.op === 'push') {
      if (task.owner) owners.push(task.owner);
      scopes.push({ names: new Map(), owner: owners[owners.length - 1] });
      continue;
    }
    if (task.op === 'pop') {
      const scope = scopes.pop()!;
      if (owners.length > 0 && scope.owner === owners[owners.length - 1] && isOwnerScope(scope, scopes)) owners.pop();
      continue;
    }
    if (task.op === 'declare') {
      declare(task.ids, task.kind, task.decl, task.redeclare);
      continue;
    }
    const node = task.node;
    const type = node.type;
    if (OPAQUE_TYPES.has(type)) continue;
    if (type === 'identifier') {
      reference(node, contextOf(node));
      continue;
    }
    // Later tasks are pushed first: the stack pops them in source order.
    const later: Task[] = [];
    if (FUNCTION_TYPES.has(type)) {
      later.push({ op: 'push', owner: node });
      const receiver = node.childForFieldName('receiver');
      if (receiver) for (const t of paramDeclarations(receiver, 'receiver')) later.push(t);
      const params = node.childForFieldName('parameters');
      if (params) for (const t of paramDeclarations(params, 'param')) later.push(t);
      const results = node.childForFieldName('result');
      if (results?.type === 'parameter_list') for (const t of paramDeclarations(results, 'result')) later.push(t);
      const body = node.childForFieldName('body');
      if (body) for (const c of body.namedChildren) if (c) later.push({ op: 'visit', node: c });
      later.push({ op: 'pop' });
    } else if (type === 'short_var_declaration') {
      const right = node.childForFieldName('right');
      if (right) later.push({ op: 'visit', node: right });
      later.push({ op: 'declare', ids: identifiersOf(node.childForFieldName('left')), kind: 'var', decl: node, redeclare: true });
    } else if (type === 'var_spec' || type === 'const_spec') {
      const value = node.childForFieldName('value');
      if (value) later.push({ op: 'visit', node: value });
      const names = node.childrenForFieldName('name').filter((n): n is Node => n?.type === 'identifier');
      later.push({ op: 'declare', ids: names, kind: type === 'var_spec' ? 'var' : 'const', decl: node, redeclare: false });
    } else if ((type === 'range_clause' || type === 'receive_statement') && hasDefine(node)) {
      const right = node.childForFieldName('right');
      if (right) later.push({ op: 'visit', node: right });
      later.push({ op: 'declare', ids: identifiersOf(node.childForFieldName('left')), kind: 'var', decl: node, redeclare: false });
    } else if (type === 'type_switch_statement') {
      later.push({ op: 'push' });
      const init = node.childForFieldName('initializer');
      if (init) later.push({ op: 'visit', node: init });
      const value = node.childForFieldName('value');
      if (value) later.push({ op: 'visit', node: value });
      const alias = node.childForFieldName('alias');
      if (alias) later.push({ op: 'declare', ids: identifiersOf(alias), kind: 'var', decl: node, redeclare: false });
      for (const c of node.namedChildren) {
        if (c && (c.type === 'type_case' || c.type === 'default_case')) later.push({ op: 'visit', node: c });
      }
      later.push({ op: 'pop' });
    } else if (type === 'goto_statement') {
      result.hasGoto = true;
    } else if (type === 'keyed_element') {
      // In a struct literal the key names a field, not a variable; in a map literal it is an
      // expression. Without types we cannot tell, so a bare identifier key is left unresolved:
      // it is never a write, and for a map literal a read is all it could be.
      const key = node.childForFieldName('key');
      const keyExpr = key?.namedChild(0);
      if (key && keyExpr && keyExpr.type !== 'identifier') later.push({ op: 'visit', node: key });
      const value = node.childForFieldName('value');
      if (value) later.push({ op: 'visit', node: value });
    } else {
      const scoped = SCOPE_TYPES.has(type);
      if (scoped) later.push({ op: 'push' });
      for (const c of node.namedChildren) if (c) later.push({ op: 'visit', node: c });
      if (scoped) later.push({ op: 'pop' });
    }
    for (let i = later.length - 1; i >= 0; i--) tasks.push(later[i]);
  }
  return result;
}

/** True when the popped scope was the one a function pushed (its owner is not the enclosing scope's). */
function isOwnerScope(scope: Scope, outer: Scope[]): boolean {
  return outer.length === 0 || outer[outer.length - 1].owner !== scope.owner;
}

function paramDeclarations(list: Node, kind: BindingKind): Task[] {
  const tasks: Task[] = [];
  for (const p of list.namedChildren) {
    if (!p || (p.type !== 'parameter_declaration' && p.type !== 'variadic_parameter_declaration')) continue;
    const ids = p.childrenForFieldName('name').filter((n): n is Node => n?.type === 'identifier');
    if (ids.length > 0) tasks.push({ op: 'declare', ids, kind, decl: p, redeclare: false });
  }
  return tasks;
}

function identifiersOf(list: Node | null): Node[] {
  if (!list) return [];
  return list.namedChildren.filter((n): n is Node => n?.type === 'identifier');
}

function hasDefine(node: Node): boolean {
  for (const c of node.children) if (c?.type === ':=') return true;
  return false;
}

/** How an identifier is used, read off its parent (and grandparent for assignment lists). */
export function contextOf(id: Node): RefContext {
  const parent = id.parent;
  if (!parent) return 'read';
  switch (parent.type) {
    case 'unary_expression':
      return parent.childForFieldName('operator')?.type === '&' ? 'address' : 'read';
    case 'selector_expression':
      return parent.childForFieldName('operand')?.equals(id) ? 'selector' : 'read';
    case 'index_expression':
      return parent.childForFieldName('operand')?.equals(id) ? 'index' : 'read';
    case 'inc_statement':
    case 'dec_statement':
      return 'incdec';
    case 'expression_list': {
      const holder = parent.parent;
      if (!holder || !holder.childForFieldName('left')?.equals(parent)) return 'read';
      if (holder.type === 'assignment_statement' || holder.type === 'range_clause' || holder.type === 'receive_statement') {
        return 'assign';
      }
      return 'read';
    }
    default:
      return 'read';
  }
}

type FreeRef = FunctionScopes['free'][number];

/** Lookups over one function's scopes, built once: rules asking them per goroutine or per access stay linear. */
export interface ScopeIndex {
  /** The binding an identifier declares or refers to, by the identifier's start. */
  bindingAt: Map<number, Binding>;
  /** References by the function or closure they are in, grouped by binding (bindings in declaration order). */
  refsByOwner: Map<number, Map<Binding, Reference[]>>;
  /** Free identifiers by the function or closure they are in, and by name. */
  freeByOwner: Map<number, FreeRef[]>;
  freeByName: Map<string, FreeRef[]>;
  /** Names of the function's `var` bindings (locals, including `:=`). */
  varNames: Set<string>;
}

const indexes = new WeakMap<FunctionScopes, ScopeIndex>();

export function scopeIndex(scopes: FunctionScopes): ScopeIndex {
  let index = indexes.get(scopes);
  if (index) return index;
  index = { bindingAt: new Map(), refsByOwner: new Map(), freeByOwner: new Map(), freeByName: new Map(), varNames: new Set() };
  const at = index.bindingAt;
  for (const b of scopes.bindings) {
    if (!at.has(b.id.startIndex)) at.set(b.id.startIndex, b);
    for (const r of b.refs) if (!at.has(r.id.startIndex)) at.set(r.id.startIndex, b);
    if (b.kind === 'var') index.varNames.add(b.name);
  }
  for (const b of scopes.bindings) {
    for (const r of b.refs) {
      let byBinding = index.refsByOwner.get(r.owner.id);
      if (!byBinding) index.refsByOwner.set(r.owner.id, (byBinding = new Map()));
      const list = byBinding.get(b);
      if (list) list.push(r);
      else byBinding.set(b, [r]);
    }
  }
  for (const f of scopes.free) {
    const o = index.freeByOwner.get(f.owner.id);
    if (o) o.push(f);
    else index.freeByOwner.set(f.owner.id, [f]);
    const name = f.id.text;
    const n = index.freeByName.get(name);
    if (n) n.push(f);
    else index.freeByName.set(name, [f]);
  }
  indexes.set(scopes, index);
  return index;
}
