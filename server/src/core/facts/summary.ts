// A file's contribution to its package, computed from its top-level declarations plus one query:
// named types, methods, package-level map variables and the package-level names it may assign.
// Summaries hold no tree nodes, so the server keeps them for closed files after freeing their trees.
import { Query, type Language, type Node, type Tree } from 'web-tree-sitter';
import type { ByteRange } from '../findings';
import type { LineIndex } from '../parse/positions';
import { namedTypeOf, type FieldInfo, type MethodInfo, type PackageVar, type TypeInfo } from './types';

export interface FileSummary {
  path: string;
  packageName: string;
  types: TypeInfo[];
  /** Methods by receiver type name. */
  methods: Map<string, MethodInfo[]>;
  vars: PackageVar[];
  /** Names this file assigns or takes the address of anywhere: `x = …`, `&x`, `for x = range`. */
  assignedNames: Set<string>;
  /** `//go:linkname` lets another package write any variable of this one. */
  linkname: boolean;
}

export interface SourceUnit {
  path: string;
  text: string;
  tree: Tree;
  lines: LineIndex;
}

export function byteRange(node: Node, lines: LineIndex): ByteRange {
  return { start: lines.byteOffset(node.startIndex), end: lines.byteOffset(node.endIndex) };
}

/**
 * Names that may be assigned, read off the text: every word left of an assignment operator on its
 * line (`a, b = …`, `x += …`, `for k, v = range`), every `&name` and `name++`. A superset of the
 * names really assigned (comments and strings add some), which can only make the rules quieter,
 * at a fraction of the cost of a query over the whole tree.
 */
const ASSIGNMENT_LHS = /^[ \t]*([\w., \t]+?)[ \t]*(?:[-+*/%&|^]|<<|>>|&\^)?=(?!=)/gm;
const ADDRESS_OR_INCDEC = /&[ \t]*(\w+)|\+\+|--/g;
const VALUE_RECEIVER_QUERY = `(assignment_statement left: (expression_list (selector_expression operand: (identifier) @recv field: (field_identifier) @field)))`;

const queries = new WeakMap<Language, { receiverFields: Query }>();
function queriesFor(language: Language) {
  let q = queries.get(language);
  if (!q) {
    q = { receiverFields: new Query(language, VALUE_RECEIVER_QUERY) };
    queries.set(language, q);
  }
  return q;
}

export function summarize(unit: SourceUnit): FileSummary {
  const { tree, lines, path } = unit;
  const root = tree.rootNode;
  const q = queriesFor(tree.language);
  const summary: FileSummary = {
    path,
    packageName: '',
    types: [],
    methods: new Map(),
    vars: [],
    assignedNames: new Set(),
    linkname: unit.text.includes('//go:linkname'),
  };
  for (const decl of root.namedChildren) {
    if (!decl) continue;
    switch (decl.type) {
      case 'package_clause':
        summary.packageName = decl.namedChild(0)?.text ?? '';
        break;
      case 'type_declaration':
        for (const spec of decl.namedChildren) {
          if (spec?.type === 'type_spec') summary.types.push(typeInfo(spec, unit));
        }
        break;
      case 'method_declaration': {
        const m = methodInfo(decl, unit, q.receiverFields);
        if (!m) break;
        const list = summary.methods.get(m.typeName) ?? [];
        list.push(m.info);
        summary.methods.set(m.typeName, list);
        break;
      }
      case 'var_declaration':
        summary.vars.push(...packageVars(decl, lines, path));
        break;
    }
  }
  for (const m of unit.text.matchAll(ASSIGNMENT_LHS)) for (const w of m[1].matchAll(/\w+/g)) summary.assignedNames.add(w[0]);
  for (const m of unit.text.matchAll(ADDRESS_OR_INCDEC)) {
    const name = m[1] ?? /(\w+)[ \t]*$/.exec(unit.text.slice(Math.max(0, m.index - 64), m.index))?.[1];
    if (name) summary.assignedNames.add(name);
  }
  return summary;
}

function typeInfo(spec: Node, unit: SourceUnit): TypeInfo {
  const name = spec.childForFieldName('name')?.text ?? '';
  const typeNode = spec.childForFieldName('type');
  const info: TypeInfo = {
    name,
    file: unit.path,
    kind: 'other',
    fields: [],
    typeText: typeNode?.text ?? '',
    generic: spec.childForFieldName('type_parameters') !== null,
    range: byteRange(spec, unit.lines),
  };
  if (typeNode?.type === 'map_type') info.kind = 'map';
  if (typeNode?.type === 'struct_type') {
    info.kind = 'struct';
    const list = typeNode.namedChildren.find((c) => c?.type === 'field_declaration_list');
    for (const field of list?.namedChildren ?? []) {
      if (field?.type === 'field_declaration') info.fields.push(...fieldInfos(field, unit.lines));
    }
  }
  return info;
}

function fieldInfos(field: Node, lines: LineIndex): FieldInfo[] {
  const typeNode = field.childForFieldName('type');
  const typeText = typeNode?.text ?? '';
  const names = field.childrenForFieldName('name').filter((n): n is Node => n !== null);
  const range = byteRange(field, lines);
  if (names.length === 0) {
    // Embedded: `T`, `*T`, `pkg.T`, `T[int]`. The field is named after the type.
    const pointer = typeNode?.type === 'pointer_type';
    const inner = pointer ? typeNode?.namedChild(0) ?? null : typeNode;
    const base = inner?.type === 'qualified_type' ? inner.childForFieldName('name') : inner;
    const name = base?.type === 'generic_type' ? base.childForFieldName('type')?.text : base?.text;
    return [
      {
        name: name ?? typeText,
        embedded: true,
        typeText,
        valueTypeName: pointer ? undefined : namedTypeOf(inner),
        isMapLiteral: false,
        range,
      },
    ];
  }
  return names.map((n) => ({
    name: n.text,
    embedded: false,
    typeText,
    valueTypeName: namedTypeOf(typeNode),
    isMapLiteral: typeNode?.type === 'map_type',
    range,
  }));
}

function methodInfo(decl: Node, unit: SourceUnit, receiverFields: Query): { typeName: string; info: MethodInfo } | undefined {
  const receiver = decl.childForFieldName('receiver')?.namedChildren.find((c) => c?.type === 'parameter_declaration');
  const recvType = receiver?.childForFieldName('type');
  if (!receiver || !recvType) return undefined;
  const pointerReceiver = recvType.type === 'pointer_type';
  const typeName = namedTypeOf(pointerReceiver ? recvType.namedChild(0) : recvType);
  if (!typeName) return undefined;
  const info: MethodInfo = {
    name: decl.childForFieldName('name')?.text ?? '',
    pointerReceiver,
    assignedFields: [],
    file: unit.path,
    range: byteRange(decl.childForFieldName('name') ?? decl, unit.lines),
  };
  const recvName = receiver.childForFieldName('name')?.text;
  const body = decl.childForFieldName('body');
  if (!pointerReceiver && recvName && body) {
    let recv: Node | undefined;
    for (const c of receiverFields.captures(body)) {
      if (c.name === 'recv') recv = c.node;
      else if (recv?.text === recvName) {
        info.assignedFields.push({ name: c.node.text, range: byteRange(c.node.parent ?? c.node, unit.lines) });
      }
    }
  }
  return { typeName, info };
}

function packageVars(decl: Node, lines: LineIndex, path: string): PackageVar[] {
  const specs: Node[] = [];
  for (const c of decl.namedChildren) {
    if (c?.type === 'var_spec') specs.push(c);
    else if (c?.type === 'var_spec_list') for (const s of c.namedChildren) if (s?.type === 'var_spec') specs.push(s);
  }
  const vars: PackageVar[] = [];
  for (const spec of specs) {
    const typeNode = spec.childForFieldName('type');
    const hasValue = spec.childForFieldName('value') !== null;
    const names = spec.childrenForFieldName('name').filter((n): n is Node => n?.type === 'identifier');
    for (const n of names) {
      vars.push({
        name: n.text,
        file: path,
        nilMap: !hasValue && typeNode !== null,
        typeText: typeNode?.text ?? '',
        range: byteRange(n, lines),
        standalone: specs.length === 1 && names.length === 1 && spec.parent?.type === 'var_declaration',
        specRange: byteRange(spec, lines),
      });
    }
  }
  return vars;
}
