// The syntax of one top-level function (with every closure inside it), read in one walk: the parent
// of every node the walk visits, and the scopes and bindings Go's rules give its identifiers — a
// `:=` or `var` name is in scope only after its spec, `:=` redeclares (assigns) a name already in
// the same scope, if/for/switch/case open implicit blocks, closures see their enclosing function's
// locals.
//
// Why parents: web-tree-sitter finds a node's parent by descending from the root, so `node.parent`
// costs the node's depth, and walking up from a deep node costs depth squared (a 10,000-level
// nesting took minutes). Every upward question the analyses ask goes through `parent()` here,
// answered from a map filled top-down. The walk uses an explicit stack (files nest 7,000+ levels),
// and a name is looked up in one step from a stack of bindings per name, not scope by scope.
import type { Node } from 'web-tree-sitter';
import type { FunctionAnalysis } from '../analysis/analysis';

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

/** An identifier that names nothing local: a package-level declaration, an import or a builtin. */
export interface FreeRef {
  id: Node;
  context: RefContext;
  owner: Node;
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

/** The expression a `:=` or `var … =` gives a binding, by position in the lists; undefined for other bindings or unbalanced lists. */
export function initialValue(b: Binding): Node | undefined {
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
  const i = left.findIndex((n) => n.id === b.id.id);
  return i >= 0 ? values[i] : undefined;
}

/** The type written in a binding's declaration (`var x T`, a parameter, a named result), if any. */
export function declaredType(b: Binding): Node | null {
  const d = b.decl;
  if (d.type === 'parameter_declaration' || d.type === 'variadic_parameter_declaration' || d.type === 'var_spec') return d.childForFieldName('type');
  return null;
}

/**
 * The statement list of a block (or a case), or undefined when it has no statements. Not simply the
 * first named child: a comment after the `{` comes before it.
 */
export function statementList(block: Node | null | undefined): Node | undefined {
  if (!block) return undefined;
  for (const c of block.namedChildren) if (c?.type === 'statement_list') return c;
  return undefined;
}

export function isFunctionNode(node: Node): boolean {
  return FUNCTION_TYPES.has(node.type);
}

export class FunctionSyntax {
  readonly bindings: Binding[] = [];
  readonly free: FreeRef[] = [];
  /** The function has `goto`: textual order no longer bounds what runs before what. */
  hasGoto = false;
  /** Parent of every node the walk visited, by node id. */
  private readonly parents = new Map<number, Node>();
  private index?: ScopeIndex;

  constructor(readonly fn: Node) {}

  /** The node's parent, from the walk (or, for a node it did not visit, from the tree). */
  parent(node: Node): Node | null {
    return this.parents.get(node.id) ?? (node.id === this.fn.id ? null : node.parent);
  }

  /** The innermost function or closure strictly containing a node. */
  ownerOf(node: Node): Node | undefined {
    for (let p = this.parent(node); p; p = this.parent(p)) if (FUNCTION_TYPES.has(p.type)) return p;
    return undefined;
  }

  /** The nearest ancestor of a node (not the node) of one of the types, stopping at `stop` types (a closure, by default). */
  ancestor(node: Node, types: ReadonlySet<string>, stop: ReadonlySet<string> = FUNCTION_TYPES): Node | undefined {
    for (let p = this.parent(node); p; p = this.parent(p)) {
      if (types.has(p.type)) return p;
      if (stop.has(p.type)) return undefined;
    }
    return undefined;
  }

  /** The binding an identifier declares or refers to. */
  bindingAt(id: Node): Binding | undefined {
    return this.lookups().bindingAt.get(id.startIndex);
  }

  /** The reference an identifier makes, when it refers to a local binding. */
  referenceAt(id: Node): Reference | undefined {
    return this.lookups().refAt.get(id.startIndex);
  }

  /** The free identifier at a place, when the identifier names nothing local. */
  freeAt(id: Node): FreeRef | undefined {
    return this.lookups().freeAt.get(id.startIndex);
  }

  /** References made inside one function or closure, grouped by binding (bindings in declaration order). */
  refsIn(owner: Node): ReadonlyMap<Binding, Reference[]> {
    return this.lookups().refsByOwner.get(owner.id) ?? new Map<Binding, Reference[]>();
  }

  /** Free identifiers inside one function or closure. */
  freeIn(owner: Node): readonly FreeRef[] {
    return this.lookups().freeByOwner.get(owner.id) ?? [];
  }

  /** Free identifiers with one name, anywhere in the function. */
  freeNamed(name: string): readonly FreeRef[] {
    return this.lookups().freeByName.get(name) ?? [];
  }

  /**
   * Whether the function declares a local (or parameter) of this name anywhere: then a type name of
   * the package spelled the same may be shadowed where it is used (`new(config)` with a variable
   * `config` copies the variable, Go 1.26), and a reader that cannot tell stays silent.
   */
  declares(name: string): boolean {
    return this.lookups().names.has(name);
  }

  /** Names of the function's `var` bindings (locals, including `:=`). */
  get varNames(): ReadonlySet<string> {
    return this.lookups().varNames;
  }

  private lookups(): ScopeIndex {
    this.index ??= buildIndex(this);
    return this.index;
  }

  /** Records a parent found by the walk. */
  setParent(child: Node, parent: Node): void {
    this.parents.set(child.id, parent);
  }
}


interface ScopeIndex {
  bindingAt: Map<number, Binding>;
  refAt: Map<number, Reference>;
  freeAt: Map<number, FreeRef>;
  refsByOwner: Map<number, Map<Binding, Reference[]>>;
  freeByOwner: Map<number, FreeRef[]>;
  freeByName: Map<string, FreeRef[]>;
  varNames: Set<string>;
  names: Set<string>;
}

function buildIndex(s: FunctionSyntax): ScopeIndex {
  const index: ScopeIndex = {
    bindingAt: new Map(),
    refAt: new Map(),
    freeAt: new Map(),
    refsByOwner: new Map(),
    freeByOwner: new Map(),
    freeByName: new Map(),
    varNames: new Set(),
    names: new Set(),
  };
  for (const b of s.bindings) {
    if (!index.bindingAt.has(b.id.startIndex)) index.bindingAt.set(b.id.startIndex, b);
    if (b.kind === 'var') index.varNames.add(b.name);
    index.names.add(b.name);
    for (const r of b.refs) {
      if (!index.bindingAt.has(r.id.startIndex)) index.bindingAt.set(r.id.startIndex, b);
      if (!index.refAt.has(r.id.startIndex)) index.refAt.set(r.id.startIndex, r);
      let byBinding = index.refsByOwner.get(r.owner.id);
      if (!byBinding) index.refsByOwner.set(r.owner.id, (byBinding = new Map()));
      const list = byBinding.get(b);
      if (list) list.push(r);
      else byBinding.set(b, [r]);
    }
  }
  for (const f of s.free) {
    if (!index.freeAt.has(f.id.startIndex)) index.freeAt.set(f.id.startIndex, f);
    push(index.freeByOwner, f.owner.id, f);
    push(index.freeByName, f.id.text, f);
  }
  return index;
}

/** Appends `v` to the list `m` keeps under `k`. */
export function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}

export const functionSyntax: FunctionAnalysis<FunctionSyntax> = {
  id: 'syntax',
  kind: 'function',
  requires: [],
  run: (_pass, fn) => walk(fn),
};

type Task =
  | { op: 'visit'; node: Node; parent?: Node }
  | { op: 'push'; owner?: Node }
  | { op: 'pop' }
  | { op: 'declare'; ids: Node[]; kind: BindingKind; decl: Node; redeclare: boolean };

interface Scope {
  /** The names declared in this scope. */
  names: Map<string, Binding>;
  owner: Node;
}

/** Exported for tests that check the walk alone; analyses ask `pass.resultFor(functionSyntax, fn)`. */
export function walk(fn: Node): FunctionSyntax {
  const result = new FunctionSyntax(fn);
  const scopes: Scope[] = [];
  const owners: Node[] = [];
  /** The bindings in scope for each name, innermost last. */
  const visible = new Map<string, Binding[]>();
  const tasks: Task[] = [{ op: 'visit', node: fn }];

  const reference = (id: Node, context: RefContext) => {
    const owner = owners[owners.length - 1];
    const stack = visible.get(id.text);
    const binding = stack?.[stack.length - 1];
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
      if (existing) {
        // A second declaration of the name in one scope does not compile; the later one wins here.
        const stack = visible.get(id.text)!;
        stack[stack.lastIndexOf(existing)] = binding;
      } else {
        const stack = visible.get(id.text);
        if (stack) stack.push(binding);
        else visible.set(id.text, [binding]);
      }
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
      for (const name of scope.names.keys()) {
        const stack = visible.get(name)!;
        stack.pop();
        if (stack.length === 0) visible.delete(name);
      }
      if (owners.length > 0 && scope.owner === owners[owners.length - 1] && (scopes.length === 0 || scopes[scopes.length - 1].owner !== scope.owner)) owners.pop();
      continue;
    }
    if (task.op === 'declare') {
      declare(task.ids, task.kind, task.decl, task.redeclare);
      continue;
    }
    const node = task.node;
    if (task.parent) result.setParent(node, task.parent);
    const type = node.type;
    if (OPAQUE_TYPES.has(type)) continue;
    if (type === 'identifier') {
      reference(node, contextOf(node, task.parent ?? null, result));
      continue;
    }
    // Later tasks are pushed first: the stack pops them in source order.
    const later: Task[] = [];
    const visit = (c: Node | null) => {
      if (c) later.push({ op: 'visit', node: c, parent: node });
    };
    if (FUNCTION_TYPES.has(type)) {
      later.push({ op: 'push', owner: node });
      const receiver = node.childForFieldName('receiver');
      if (receiver) for (const t of paramDeclarations(receiver, 'receiver')) later.push(t);
      const params = node.childForFieldName('parameters');
      if (params) for (const t of paramDeclarations(params, 'param')) later.push(t);
      const results = node.childForFieldName('result');
      if (results?.type === 'parameter_list') for (const t of paramDeclarations(results, 'result')) later.push(t);
      const body = node.childForFieldName('body');
      if (body) {
        result.setParent(body, node);
        for (const c of body.namedChildren) if (c) later.push({ op: 'visit', node: c, parent: body });
      }
      later.push({ op: 'pop' });
    } else if (type === 'short_var_declaration' || ((type === 'range_clause' || type === 'receive_statement') && hasDefine(node))) {
      // `:=` in a statement may redeclare a name of the same scope; in a range or select clause it
      // opens a scope of its own.
      const left = node.childForFieldName('left');
      if (left) {
        result.setParent(left, node);
        for (const id of identifiersOf(left)) result.setParent(id, left);
      }
      visit(node.childForFieldName('right'));
      later.push({ op: 'declare', ids: identifiersOf(left), kind: 'var', decl: node, redeclare: type === 'short_var_declaration' });
    } else if (type === 'var_spec' || type === 'const_spec') {
      visit(node.childForFieldName('value'));
      const names = node.childrenForFieldName('name').filter((n): n is Node => n?.type === 'identifier');
      for (const n of names) result.setParent(n, node);
      later.push({ op: 'declare', ids: names, kind: type === 'var_spec' ? 'var' : 'const', decl: node, redeclare: false });
    } else if (type === 'type_switch_statement') {
      later.push({ op: 'push' });
      visit(node.childForFieldName('initializer'));
      visit(node.childForFieldName('value'));
      const alias = node.childForFieldName('alias');
      if (alias) {
        result.setParent(alias, node);
        for (const id of identifiersOf(alias)) result.setParent(id, alias);
        later.push({ op: 'declare', ids: identifiersOf(alias), kind: 'var', decl: node, redeclare: false });
      }
      for (const c of node.namedChildren) if (c && (c.type === 'type_case' || c.type === 'default_case')) visit(c);
      later.push({ op: 'pop' });
    } else if (type === 'keyed_element') {
      // In a struct literal the key names a field, not a variable; in a map literal it is an
      // expression. Without types we cannot tell, so a bare identifier key is left unresolved:
      // it is never a write, and for a map literal a read is all it could be.
      const key = node.childForFieldName('key');
      const keyExpr = key?.namedChild(0);
      if (key && keyExpr && keyExpr.type !== 'identifier') visit(key);
      visit(node.childForFieldName('value'));
    } else {
      if (type === 'goto_statement') result.hasGoto = true;
      const scoped = SCOPE_TYPES.has(type);
      if (scoped) later.push({ op: 'push' });
      for (const c of node.namedChildren) visit(c);
      if (scoped) later.push({ op: 'pop' });
    }
    for (let i = later.length - 1; i >= 0; i--) tasks.push(later[i]);
  }
  return result;
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
function contextOf(id: Node, parent: Node | null, syntax: FunctionSyntax): RefContext {
  if (!parent) return 'read';
  switch (parent.type) {
    case 'unary_expression':
      return parent.childForFieldName('operator')?.type === '&' ? 'address' : 'read';
    case 'selector_expression':
      return parent.childForFieldName('operand')?.id === id.id ? 'selector' : 'read';
    case 'index_expression':
      return parent.childForFieldName('operand')?.id === id.id ? 'index' : 'read';
    case 'inc_statement':
    case 'dec_statement':
      return 'incdec';
    case 'expression_list': {
      const holder = syntax.parent(parent);
      if (!holder || holder.childForFieldName('left')?.id !== parent.id) return 'read';
      if (holder.type === 'assignment_statement' || holder.type === 'range_clause' || holder.type === 'receive_statement') {
        return 'assign';
      }
      return 'read';
    }
    default:
      return 'read';
  }
}
