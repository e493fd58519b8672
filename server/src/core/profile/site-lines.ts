// Which map site a line of Go code creates or writes: the one place the profile attribution asks
// MapScope's facts (map creations, index writes, scopes), so it can be re-pointed when the facts
// change. A line creates a site when a `make(map…)` call or a map literal spans it (a literal's
// element lines too: the compiler assigns its entries there). A line writes a site when an index
// write on it (`m[k] = v`, `m[k]++`) writes a variable whose every assignment in the function is
// that site; a parameter, a receiver, a package-level variable or a struct field is named as
// such, for the caller to follow (the call on the caller's line, the package's other files).
// Anything else — a value from elsewhere, a map inside a map, an address taken — is "unknown" or
// "open", never guessed.
import type { Node } from 'web-tree-sitter';
import { Pass } from '../analysis/pass';
import { importNames } from '../analyses/imports';
import { indexWrites } from '../analyses/index-writes';
import { mapCreations } from '../analyses/map-creations';
import { functionSyntax, type Binding } from '../analyses/syntax';
import { passOptions } from '../analyze';
import type { PackageIndex } from '../index/package-index';
import { byteRange, type SourceUnit } from '../index/summary';
import { mapSites, type MapSite, type SitesOptions } from '../sites';

/** A site of one file (MapSite.id is its start byte offset). */
export interface SiteRef {
  file: string;
  id: string;
}

/** What an expression that is written to (or passed along) holds. */
export type Target =
  /** Sites assigned to it; `open` when something else may be assigned too (a call's result, another map, `&m`). */
  | { kind: 'sites'; refs: SiteRef[]; open: boolean }
  /** The enclosing function's parameter (0-based, the receiver excluded), or its receiver (-1). */
  | { kind: 'param'; index: number }
  /** A package-level variable. */
  | { kind: 'global'; name: string }
  /** A struct field, by name. */
  | { kind: 'field'; name: string }
  /** Not linked to a site; `map` when the code shows it is a map (its declared type, a map field). */
  | { kind: 'unknown'; expr: string; map?: boolean };

export interface LineFacts {
  /** Sites whose creation spans this line, innermost last. */
  creates: SiteRef[];
  /** The index writes on this line: the written expression and what it holds. */
  writes: { expr: string; target: Target }[];
}

/** The map sites of one file and the roles of its lines, computed on demand and cached. */
export class SiteLines {
  readonly sites: MapSite[];
  /** The analyses' pass over this file, for the map creations, index writes and scopes. */
  private readonly pass: Pass;
  /** Creations by the UTF-16 offset of their node, with their site. */
  private readonly creationAt = new Map<number, { site: MapSite; node: Node }>();
  private readonly lineCache = new Map<number, LineFacts>();
  private creatorsByLine?: Map<number, SiteRef[]>;
  private writesByLine?: Map<number, Node[]>;
  private _assignees?: { globals: Map<string, SiteRef[]>; fields: Map<string, SiteRef[]> };

  constructor(
    readonly unit: SourceUnit,
    readonly pkg: PackageIndex,
    options: SitesOptions,
  ) {
    this.pass = Pass.create(unit, pkg, passOptions({ go: options.go, ...(options.language ? { language: options.language } : {}) }));
    this.sites = mapSites(unit, pkg, options);
    const byId = new Map(this.sites.map((s) => [s.id, s]));
    for (const c of this.pass.result(mapCreations)) {
      const site = byId.get(String(byteRange(c.node, unit.lines).start));
      if (site) this.creationAt.set(c.node.startIndex, { site, node: c.node });
    }
  }

  site(id: string): MapSite | undefined {
    return this.sites.find((s) => s.id === id);
  }

  /** 1-based line and byte column of a site's start. */
  position(site: MapSite): { line: number; column: number } {
    return this.unit.lines.lineColumn(site.range.start);
  }

  line(line: number): LineFacts {
    let f = this.lineCache.get(line);
    if (!f) {
      f = { creates: this.creators().get(line) ?? [], writes: (this.writeNodes().get(line) ?? []).map((index) => this.writeOf(index)) };
      this.lineCache.set(line, f);
    }
    return f;
  }

  /**
   * What the argument at `index` (-1: the receiver) of a call to `callee` on this line holds; the
   * calls of that name on one line must agree. Undefined when there is no such call.
   */
  callArgument(line: number, callee: string, index: number): Target | undefined {
    const calls = this.unit.tree.rootNode.descendantsOfType('call_expression', { row: line - 1, column: 0 }, { row: line, column: 0 });
    const targets: Target[] = [];
    for (const call of calls) {
      if (call.startPosition.row > line - 1 || call.endPosition.row < line - 1) continue;
      const fn = call.childForFieldName('function');
      const name = fn?.type === 'selector_expression' ? fn.childForFieldName('field')?.text : fn?.type === 'identifier' ? fn.text : undefined;
      if (name !== callee) continue;
      let arg: Node | null | undefined;
      if (index < 0) arg = fn?.type === 'selector_expression' ? fn.childForFieldName('operand') : undefined;
      else arg = call.childForFieldName('arguments')?.namedChildren.filter((n) => n !== null && n.type !== 'comment')[index];
      targets.push(arg ? this.targetOf(arg) : { kind: 'unknown', expr: call.text });
    }
    if (targets.length === 0) return undefined;
    return targets.length === 1 ? targets[0] : mergeTargets(targets);
  }

  /** Sites this file assigns to package-level variables and to struct fields, by name. */
  get assignees(): { globals: Map<string, SiteRef[]>; fields: Map<string, SiteRef[]> } {
    if (!this._assignees) {
      const globals = new Map<string, SiteRef[]>();
      const fields = new Map<string, SiteRef[]>();
      const add = (m: Map<string, SiteRef[]>, name: string, site: MapSite) => m.set(name, [...(m.get(name) ?? []), this.ref(site)]);
      for (const { site, node } of this.creationAt.values()) {
        const to = assignee(node);
        if (!to) continue;
        if (to.type === 'selector_expression') {
          const field = to.childForFieldName('field')?.text;
          if (field) add(fields, field, site);
        } else if (to.type === 'field_identifier' || (to.type === 'identifier' && to.parent?.type === 'literal_element')) {
          add(fields, to.text, site);
        } else if (to.type === 'identifier') {
          if (!this.isLocal(to)) add(globals, to.text, site);
        }
      }
      this._assignees = { globals, fields };
    }
    return this._assignees;
  }

  /** The struct types of the package with a map-typed field of this name. */
  mapFieldOwners(name: string): string[] {
    const owners: string[] = [];
    for (const t of this.pkg.types.values()) if (t.kind === 'struct' && t.fields.some((f) => f.name === name && this.pkg.isMapField(f))) owners.push(t.name);
    return owners;
  }

  private ref(site: MapSite): SiteRef {
    return { file: this.unit.path, id: site.id };
  }

  private creators(): Map<number, SiteRef[]> {
    if (!this.creatorsByLine) {
      this.creatorsByLine = new Map();
      // Source order: a creation nested in another comes later, so it ends up last (innermost).
      for (const { site, node } of [...this.creationAt.values()].sort((a, b) => a.node.startIndex - b.node.startIndex)) {
        for (let row = node.startPosition.row; row <= node.endPosition.row; row++) {
          const list = this.creatorsByLine.get(row + 1) ?? [];
          list.push(this.ref(site));
          this.creatorsByLine.set(row + 1, list);
        }
      }
    }
    return this.creatorsByLine;
  }

  private writeNodes(): Map<number, Node[]> {
    if (!this.writesByLine) {
      this.writesByLine = new Map();
      const seen = new Set<number>();
      for (const w of this.pass.result(indexWrites).all) {
        // indexWrites finds the index expression right before the operator; in `a[i], b[i] = …`
        // the others are its siblings on the left-hand side.
        const list = w.index.parent;
        const targets = list?.type === 'expression_list' ? list.namedChildren.filter((n): n is Node => n?.type === 'index_expression') : [w.index];
        for (const index of targets) {
          if (seen.has(index.startIndex)) continue;
          seen.add(index.startIndex);
          const line = index.startPosition.row + 1;
          this.writesByLine.set(line, [...(this.writesByLine.get(line) ?? []), index]);
        }
      }
    }
    return this.writesByLine;
  }

  private writeOf(index: Node): { expr: string; target: Target } {
    const operand = index.childForFieldName('operand');
    return { expr: operand?.text ?? index.text, target: operand ? this.targetOf(operand) : { kind: 'unknown', expr: index.text } };
  }

  /** What an expression holds, as far as the function's scopes tell. */
  private targetOf(expr: Node): Target {
    let e: Node | null = expr;
    while (e?.type === 'parenthesized_expression') e = e.namedChild(0);
    if (!e) return { kind: 'unknown', expr: expr.text };
    if (e.type === 'selector_expression') {
      const field = e.childForFieldName('field')?.text;
      const operand = e.childForFieldName('operand');
      // `pkg.Var` names another package's variable; a local's field is a field.
      if (field && operand?.type === 'identifier' && !this.isLocal(operand) && this.pass.result(importNames).has(operand.text)) return { kind: 'unknown', expr: e.text };
      return field ? { kind: 'field', name: field } : { kind: 'unknown', expr: e.text };
    }
    if (e.type !== 'identifier') return { kind: 'unknown', expr: e.text };
    const fn = this.pass.functionAt(e.startIndex);
    const binding = fn ? this.pass.resultFor(functionSyntax, fn).bindingAt(e) : undefined;
    if (!binding) return this.pkg.varNames().includes(e.text) ? { kind: 'global', name: e.text } : { kind: 'unknown', expr: e.text };
    const unknown = { kind: 'unknown' as const, expr: e.text, ...(this.declaredMap(binding) ? { map: true } : {}) };
    if (binding.kind === 'param' || binding.kind === 'receiver') {
      // Only the top-level function's own parameters: a closure's frame has no name a caller's call shows.
      if (binding.owner.type === 'func_literal') return unknown;
      return { kind: 'param', index: binding.kind === 'receiver' ? -1 : paramIndex(binding) };
    }
    if (binding.kind !== 'var' && binding.kind !== 'result') return unknown;
    const t = this.sourcesOf(binding);
    return t.kind === 'unknown' ? unknown : t;
  }

  /** Whether a variable's declared type is a map (`map[K]V`, or a map type of the package). */
  private declaredMap(binding: Binding): boolean {
    const type = binding.decl.childForFieldName('type');
    if (!type) return false;
    return type.type === 'map_type' || this.pkg.mapTypeOf(type.type === 'type_identifier' ? type.text : undefined) !== undefined;
  }

  /** A package variable declared with a map type, or a map field of a struct of the package. */
  isMapName(kind: 'global' | 'field', name: string): boolean {
    if (kind === 'field') return this.mapFieldOwners(name).length > 0;
    const v = this.pkg.summaries.flatMap((s) => s.vars).find((x) => x.name === name);
    return v !== undefined && (v.typeText.startsWith('map[') || this.pkg.mapTypeOf(v.typeText) !== undefined);
  }

  private isLocal(id: Node): boolean {
    const fn = this.pass.functionAt(id.startIndex);
    return fn !== undefined && this.pass.resultFor(functionSyntax, fn).bindingAt(id) !== undefined;
  }

  /** The sites a variable is ever assigned in its function; open when anything else is assigned or its address is taken. */
  private sourcesOf(binding: Binding): Target {
    const refs: SiteRef[] = [];
    let open = false;
    const source = (value: Node | undefined) => {
      const e = value ? unparen(value) : undefined;
      const creation = e ? this.creationAt.get(e.startIndex) : undefined;
      if (creation && e!.equals(creation.node)) {
        if (!refs.some((r) => r.id === creation.site.id)) refs.push(this.ref(creation.site));
      } else open = true;
    };
    if (binding.decl.type === 'short_var_declaration' || binding.decl.type === 'var_spec') {
      const value = valueFor(binding.decl, binding.id);
      if (value !== null) source(value);
    } else if (binding.kind !== 'result') open = true; // range variables and the like
    for (const r of binding.refs) {
      if (r.context === 'address') open = true;
      if (r.context !== 'assign') continue;
      const list = r.id.parent;
      const stmt = list?.parent;
      if (stmt?.type === 'assignment_statement' && stmt.childForFieldName('operator')?.type === '=') source(valueFor(stmt, r.id) ?? undefined);
      else if (stmt?.type === 'short_var_declaration') source(valueFor(stmt, r.id) ?? undefined);
      else open = true;
    }
    return refs.length > 0 ? { kind: 'sites', refs, open } : { kind: 'unknown', expr: binding.name };
  }
}

/** Combines what several expressions hold: their sites together, open if any is; unknown if any is unknown. */
export function mergeTargets(targets: Target[]): Target {
  const refs: SiteRef[] = [];
  let open = false;
  for (const t of targets) {
    if (t.kind !== 'sites') return targets.every((x) => x.kind === t.kind && JSON.stringify(x) === JSON.stringify(t)) ? t : { kind: 'unknown', expr: 'several maps' };
    for (const r of t.refs) if (!refs.some((x) => x.file === r.file && x.id === r.id)) refs.push(r);
    open ||= t.open;
  }
  return { kind: 'sites', refs, open };
}

function unparen(n: Node): Node {
  let e: Node = n;
  while (e.type === 'parenthesized_expression' && e.namedChild(0)) e = e.namedChild(0)!;
  return e;
}

/** The value assigned to `id` by a declaration or assignment with equal-length sides; null when it has no value, undefined when it cannot be told. */
function valueFor(stmt: Node, id: Node): Node | null | undefined {
  let names: Node[];
  let values: Node[];
  if (stmt.type === 'var_spec') {
    names = stmt.childrenForFieldName('name').filter((n): n is Node => n !== null);
    const value = stmt.childForFieldName('value');
    if (!value) return null;
    values = value.namedChildren.filter((n): n is Node => n !== null && n.type !== 'comment');
  } else {
    names = stmt.childForFieldName('left')?.namedChildren.filter((n): n is Node => n !== null && n.type !== 'comment') ?? [];
    values = stmt.childForFieldName('right')?.namedChildren.filter((n): n is Node => n !== null && n.type !== 'comment') ?? [];
  }
  const i = names.findIndex((n) => n.equals(id));
  return i >= 0 && names.length === values.length ? values[i] : undefined;
}

/** The variable, field or package variable a creation is assigned to: its identifier, selector or literal key. */
function assignee(creation: Node): Node | undefined {
  const parent = creation.parent;
  if (parent?.type === 'literal_element') {
    const keyed = parent.parent;
    if (keyed?.type !== 'keyed_element' || keyed.namedChild(0)?.equals(parent)) return undefined;
    const key = keyed.namedChild(0)?.namedChild(0);
    return key?.type === 'identifier' || key?.type === 'field_identifier' ? key : undefined;
  }
  if (parent?.type !== 'expression_list') return undefined;
  const holder = parent.parent;
  if (holder?.type === 'var_spec') {
    const values = parent.namedChildren.filter((n): n is Node => n !== null && n.type !== 'comment');
    const names = holder.childrenForFieldName('name').filter((n): n is Node => n !== null);
    const i = values.findIndex((v) => v.equals(creation));
    return names.length === values.length ? names[i] : undefined;
  }
  if (holder?.type !== 'assignment_statement' && holder?.type !== 'short_var_declaration') return undefined;
  if (!holder.childForFieldName('right')?.equals(parent)) return undefined;
  const values = parent.namedChildren.filter((n): n is Node => n !== null && n.type !== 'comment');
  const left = holder.childForFieldName('left')?.namedChildren.filter((n): n is Node => n !== null && n.type !== 'comment') ?? [];
  const i = values.findIndex((v) => v.equals(creation));
  return left.length === values.length ? left[i] : undefined;
}

/** A parameter's position among its function's parameters (names counted in order; `_` and unnamed count too). */
function paramIndex(binding: Binding): number {
  const list = binding.decl.parent;
  let i = 0;
  for (const p of list?.namedChildren ?? []) {
    if (!p || (p.type !== 'parameter_declaration' && p.type !== 'variadic_parameter_declaration')) continue;
    const names = p.childrenForFieldName('name').filter((n): n is Node => n !== null);
    if (names.length === 0) {
      i++;
      continue;
    }
    for (const n of names) {
      if (n.equals(binding.id)) return i;
      i++;
    }
  }
  return -2;
}
