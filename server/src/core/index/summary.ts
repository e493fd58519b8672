// A file's contribution to its package, computed from its top-level declarations plus one query:
// named types, methods, package-level map variables and the package-level names it may assign.
// Summaries hold no tree nodes, so the server keeps them for closed files after freeing their trees.
import type { Node, Query, Tree } from 'web-tree-sitter';
import { compiledQuery } from '../analysis/queries';
import { TextMatches } from '../analysis/text-matches';
import { BARRIER, GOTO_OR_LOCK } from '../analyses/barriers';
import { walk, type FunctionSyntax } from '../analyses/syntax';
import type { ByteRange } from '../findings';
import type { LineIndex } from '../parse/positions';
import type { FileImport } from './imports';
import type { SummaryCache } from './summary-cache';
import { hasFuncParam, paramRunFacts, paramUses, type ParamRunFact } from './param-facts';
import { REGISTER_CALL, registrationsIn, type Registration } from './registrations';
import { namedTypeOf, type ConstInfo, type FieldInfo, type FuncInfo, type MethodInfo, type PackageVar, type TypeInfo, type VarInit } from './types';

export interface FileSummary {
  path: string;
  packageName: string;
  types: TypeInfo[];
  /** Methods by receiver type name. */
  methods: Map<string, MethodInfo[]>;
  vars: PackageVar[];
  /** Top-level functions (not methods). */
  funcs: FuncInfo[];
  /** Package-level constants. */
  consts: ConstInfo[];
  /** Names this file assigns or takes the address of anywhere: `x = …`, `&x`, `for x = range`. */
  assignedNames: Set<string>;
  /** `//go:linkname` lets another package write any variable of this one. */
  linkname: boolean;
  /** Its import specs, in order. */
  imports: FileImport[];
  /** The summaries of its top-level declarations, in order, that the above merges. */
  parts: DeclSummary[];
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
 * Names that may be assigned, read off the text of each top-level declaration (and top-level
 * comment): every word left of an assignment operator on its line (`a, b = …`, `x += …`,
 * `for k, v = range`), every `&name` and `name++`. A superset of the
 * names really assigned (comments and strings add some), which can only make the rules quieter,
 * at a fraction of the cost of a query over the whole tree.
 */
export const ASSIGNMENT_LHS = /^[ \t]*([\w., \t]+?)[ \t]*(?:[-+*/%&|^]|<<|>>|&\^)?=(?!=)/gm;

const OTHER_LINE_BREAKS = /[\r\u2028\u2029]/;

/** ASCII word characters, `.`, `,`, space and tab: what ASSIGNMENT_LHS's left-hand side may hold. */
function isLhsChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 46 || c === 44 || c === 32 || c === 9;
}

/**
 * ASSIGNMENT_LHS on the line [start, end), by hand: its group 1 (the left-hand side) or undefined.
 * The left-hand side runs to the first character outside its class, which must begin an
 * assignment operator. The regular expression costs two thirds of a file's summary; this a scan.
 */
export function assignmentLhs(text: string, start: number, end: number): string | undefined {
  let i = start;
  while (i < end && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
  const lhsStart = i;
  while (i < end && isLhsChar(text.charCodeAt(i))) i++;
  // The operator: `=`, one of - + * / % & | ^ before it, or << >> &^.
  let op = i;
  const c = text.charCodeAt(op);
  const d = text.charCodeAt(op + 1);
  if ((c === 60 && d === 60) || (c === 62 && d === 62) || (c === 38 && d === 94)) op += 2;
  else if (c === 45 || c === 43 || c === 42 || c === 47 || c === 37 || c === 38 || c === 124 || c === 94) op += 1;
  if (op >= end || text.charCodeAt(op) !== 61 || (op + 1 < text.length && text.charCodeAt(op + 1) === 61)) return undefined;
  // Leading blanks may give the left-hand side its one required character (a line of only blanks before `=`).
  let from = lhsStart;
  if (from === i) {
    if (from === start) return undefined;
    from--;
  }
  // Blanks before the operator are not part of the left-hand side.
  let to = i;
  while (to > from + 1 && (text.charCodeAt(to - 1) === 32 || text.charCodeAt(to - 1) === 9)) to--;
  return text.slice(from, to);
}
const ADDRESS_OR_INCDEC = /&[ \t]*(\w+)|\+\+|--/g;
const VALUE_RECEIVER_QUERY = `(assignment_statement left: (expression_list (selector_expression operand: (identifier) @recv field: (field_identifier) @field)))`;

/** What one top-level declaration contributes to its file's summary. */
export interface DeclSummary {
  packageName?: string;
  types: TypeInfo[];
  methods: { typeName: string; info: MethodInfo }[];
  vars: PackageVar[];
  /** An import declaration's specs. */
  imports?: FileImport[];
  funcs?: FuncInfo[];
  consts?: ConstInfo[];
  /** Names the declaration's text may assign (see ASSIGNMENT_LHS). */
  assigned: string[];
}

/** A top-level node (declaration, comment or error) with what every pass asks of it, read once. */
export interface TopDecl {
  node: Node;
  type: string;
  /** UTF-16 offsets. */
  start: number;
  end: number;
  text: string;
}

const topLevels = new WeakMap<Tree, TopDecl[]>();

/**
 * The file's top-level nodes, read from the tree once per parse: the summary, the rules and the
 * incremental analysis all walk them on every keystroke, and each property read crosses into wasm.
 */
export function topLevel(unit: SourceUnit): TopDecl[] {
  let decls = topLevels.get(unit.tree);
  if (!decls) {
    decls = [];
    for (const node of unit.tree.rootNode.namedChildren) {
      if (!node) continue;
      const start = node.startIndex;
      const end = node.endIndex;
      decls.push({ node, type: node.type, start, end, text: unit.text.slice(start, end) });
    }
    topLevels.set(unit.tree, decls);
  }
  return decls;
}

export function summarize(unit: SourceUnit, cache?: SummaryCache): FileSummary {
  const summary: FileSummary = {
    path: unit.path,
    packageName: '',
    types: [],
    methods: new Map(),
    vars: [],
    funcs: [],
    consts: [],
    assignedNames: new Set(),
    linkname: unit.text.includes('//go:linkname'),
    imports: [],
    parts: [],
  };
  for (const decl of topLevel(unit)) {
    const d = cache ? cache.get(decl, unit) : summarizeDecl(decl, unit);
    summary.parts.push(d);
    if (d.packageName !== undefined) summary.packageName = d.packageName;
    for (const t of d.types) summary.types.push(t);
    for (const m of d.methods) {
      const list = summary.methods.get(m.typeName) ?? [];
      list.push(m.info);
      summary.methods.set(m.typeName, list);
    }
    for (const v of d.vars) summary.vars.push(v);
    if (d.imports) for (const i of d.imports) summary.imports.push(i);
    if (d.funcs) for (const f of d.funcs) summary.funcs.push(f);
    if (d.consts) for (const c of d.consts) summary.consts.push(c);
    for (const n of d.assigned) summary.assignedNames.add(n);
  }
  return summary;
}

/** One top-level declaration's contribution, with ranges in the file's byte offsets. */
export function summarizeDecl(top: TopDecl, unit: SourceUnit): DeclSummary {
  const decl = top.node;
  const d: DeclSummary = { types: [], methods: [], vars: [], assigned: assignedIn(top.text) };
  switch (top.type) {
    case 'package_clause':
      d.packageName = decl.namedChild(0)?.text ?? '';
      break;
    case 'type_declaration':
      for (const spec of decl.namedChildren) {
        if (spec?.type === 'type_spec' || spec?.type === 'type_alias') d.types.push(typeInfo(spec, unit));
      }
      break;
    case 'method_declaration': {
      const m = methodInfo(top, unit, compiledQuery(unit.tree.language, VALUE_RECEIVER_QUERY));
      if (m) d.methods.push(m);
      break;
    }
    case 'var_declaration':
      for (const v of packageVars(decl, unit.lines, unit.path)) d.vars.push(v);
      break;
    case 'import_declaration':
      d.imports = importSpecs(decl);
      break;
    case 'function_declaration': {
      const f = funcInfo(top, unit.path);
      if (f) d.funcs = [f];
      break;
    }
    case 'const_declaration':
      d.consts = constInfos(decl, unit.path);
      break;
  }
  return d;
}

/** The names a declaration's text may assign: a superset, read off the text (see ASSIGNMENT_LHS). */
export function assignedIn(text: string): string[] {
  const names = new Set<string>();
  if (OTHER_LINE_BREAKS.test(text)) {
    // `^` also starts a line after \r, U+2028 and U+2029: the regular expression says where.
    for (const m of text.matchAll(ASSIGNMENT_LHS)) for (const w of m[1].matchAll(/\w+/g)) names.add(w[0]);
  } else {
    for (let at = 0; at < text.length; ) {
      const eol = text.indexOf('\n', at);
      const end = eol < 0 ? text.length : eol;
      const lhs = assignmentLhs(text, at, end);
      if (lhs !== undefined) for (const w of lhs.matchAll(/\w+/g)) names.add(w[0]);
      at = end + 1;
    }
  }
  for (const m of text.matchAll(ADDRESS_OR_INCDEC)) {
    const name = m[1] ?? /(\w+)[ \t]*$/.exec(text.slice(Math.max(0, m.index - 64), m.index))?.[1];
    if (name) names.add(name);
  }
  return [...names];
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
    generic: false,
    range: byteRange(spec, unit.lines),
  };
  if (spec.type === 'type_alias') info.alias = true;
  const tps = spec.childForFieldName('type_parameters');
  if (tps) {
    info.generic = true;
    info.typeParams = tps.text;
  }
  if (typeNode?.type === 'map_type') info.kind = 'map';
  if (typeNode?.type === 'struct_type') {
    info.kind = 'struct';
    const list = typeNode.namedChildren.find((c) => c?.type === 'field_declaration_list');
    for (const field of list?.namedChildren ?? []) {
      if (field?.type === 'field_declaration') for (const f of fieldInfos(field, unit.lines)) info.fields.push(f);
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

/** The text between a declaration's name and its body: its signature. */
function signatureText(top: TopDecl, name: Node | null): string | undefined {
  const body = top.node.childForFieldName('body');
  if (!name) return undefined;
  return top.text.slice(name.endIndex - top.start, (body ? body.startIndex : top.end) - top.start);
}

function funcInfo(top: TopDecl, path: string): FuncInfo | undefined {
  const name = top.node.childForFieldName('name');
  const sig = signatureText(top, name);
  if (!name || sig === undefined) return undefined;
  return { name: name.text, file: path, sig, ...bodyFacts(top, sig) };
}

/**
 * What other files of the package read of a function's body: how it may run its func parameters
 * (param-facts.ts: a call of a helper declared here, `safeGo(func(){…})`, is followed through
 * this), and the gRPC services it registers (registrations.ts). Read from the declaration's own
 * text, so a summary cached by text stays true wherever the declaration moves.
 */
function bodyFacts(top: TopDecl, sig: string): { runs?: ParamRunFact[]; registers?: Registration[] } {
  let syntax: FunctionSyntax | undefined;
  const walked = () => (syntax ??= walk(top.node));
  const out: { runs?: ParamRunFact[]; registers?: Registration[] } = {};
  // The signature's text first (a string already): most functions take no func, and asking the tree costs more.
  if (sig.includes('func') && hasFuncParam(top.node)) {
    const within = (re: RegExp) => {
      let m: TextMatches | undefined;
      return (from: number, to: number) => (m ??= new TextMatches(top.text, re)).within(from - top.start, to - top.start);
    };
    const runs = paramRunFacts(paramUses(top.node, walked(), within(BARRIER), within(GOTO_OR_LOCK)));
    if (runs.length > 0) out.runs = runs;
  }
  // The word first: a plain search costs less than the pattern on every function of the package.
  if (top.text.includes('Register') && top.text.search(REGISTER_CALL) >= 0) {
    const registers = registrationsIn(top.node, top.text, top.start, walked);
    if (registers.length > 0) out.registers = registers;
  }
  return out;
}

function methodInfo(top: TopDecl, unit: SourceUnit, receiverFields: Query): { typeName: string; info: MethodInfo } | undefined {
  const decl = top.node;
  const receiver = decl.childForFieldName('receiver')?.namedChildren.find((c) => c?.type === 'parameter_declaration');
  const recvType = receiver?.childForFieldName('type');
  if (!receiver || !recvType) return undefined;
  const pointerReceiver = recvType.type === 'pointer_type';
  const typeName = namedTypeOf(pointerReceiver ? recvType.namedChild(0) : recvType);
  if (!typeName) return undefined;
  const nameNode = decl.childForFieldName('name');
  const info: MethodInfo = {
    name: nameNode?.text ?? '',
    pointerReceiver,
    assignedFields: [],
    file: unit.path,
    receiverText: recvType.text,
    sig: signatureText(top, nameNode) ?? '',
  };
  const facts = bodyFacts(top, info.sig);
  if (facts.runs) info.runs = facts.runs;
  if (facts.registers) info.registers = facts.registers;
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
    const values = !typeNode && hasValue ? spec.childForFieldName('value')?.namedChildren.filter((n): n is Node => n !== null && n.type !== 'comment') ?? [] : [];
    for (const [i, n] of names.entries()) {
      let init: VarInit | undefined;
      if (values.length === names.length) init = initOf(values[i], 0);
      else if (values.length === 1) init = initOf(values[0], i, true);
      vars.push({
        name: n.text,
        file: path,
        nilMap: !hasValue && typeNode !== null,
        typeText: typeNode?.text ?? '',
        ...(init ? { init } : {}),
        range: byteRange(n, lines),
        standalone: specs.length === 1 && names.length === 1 && spec.parent?.type === 'var_declaration',
        specRange: byteRange(spec, lines),
      });
    }
  }
  return vars;
}

function importSpecs(decl: Node): FileImport[] {
  const specs: Node[] = [];
  for (const c of decl.namedChildren) {
    if (c?.type === 'import_spec') specs.push(c);
    else if (c?.type === 'import_spec_list') for (const s of c.namedChildren) if (s?.type === 'import_spec') specs.push(s);
  }
  const out: FileImport[] = [];
  for (const spec of specs) {
    const raw = spec.childForFieldName('path')?.text;
    if (!raw) continue;
    const alias = spec.childForFieldName('name')?.text;
    const path = raw.slice(1, -1);
    out.push(alias !== undefined ? { path, alias } : { path });
  }
  return out;
}

/** The default type of a literal, by node type. */
const LITERAL_TYPES: Record<string, string> = {
  int_literal: 'int',
  float_literal: 'float64',
  imaginary_literal: 'complex128',
  rune_literal: 'rune',
  interpreted_string_literal: 'string',
  raw_string_literal: 'string',
};

/** What an initialiser says of its type (see VarInit); `multi`: one call gives every name of the spec. */
function initOf(value: Node, index: number, multi = false): VarInit | undefined {
  const literal = LITERAL_TYPES[value.type];
  if (literal) return multi ? undefined : { typeText: literal, index: 0 };
  switch (value.type) {
    case 'composite_literal':
    case 'type_conversion_expression': {
      const t = value.childForFieldName('type');
      // `[...]T{…}` counts its elements: leave it to the tree.
      return t && !multi && !t.text.startsWith('[...]') ? { typeText: t.text, index: 0 } : undefined;
    }
    case 'unary_expression': {
      const operand = value.childForFieldName('operand');
      const op = value.childForFieldName('operator')?.type ?? value.child(0)?.type;
      if (op === '&' && operand?.type === 'composite_literal' && !multi) {
        const t = operand.childForFieldName('type');
        return t ? { typeText: `*${t.text}`, index: 0 } : undefined;
      }
      return undefined;
    }
    case 'call_expression': {
      const fn = value.childForFieldName('function');
      if (!fn) return undefined;
      if (fn.type === 'identifier' && (fn.text === 'make' || fn.text === 'new')) {
        if (multi) return undefined;
        const arg = value.childForFieldName('arguments')?.namedChild(0);
        if (!arg) return undefined;
        return { typeText: fn.text === 'new' ? `*${arg.text}` : arg.text, index: 0 };
      }
      if (fn.type === 'identifier' || (fn.type === 'selector_expression' && fn.childForFieldName('operand')?.type === 'identifier')) {
        return { call: fn.text, index };
      }
      return undefined;
    }
  }
  return undefined;
}

function constInfos(decl: Node, path: string): ConstInfo[] {
  const out: ConstInfo[] = [];
  // Within a group, a spec without type and value repeats the previous one's (iota enumerations).
  let prevType = '';
  let prevDefault: string | undefined;
  for (const c of decl.namedChildren) {
    if (c?.type !== 'const_spec') continue;
    const type = c.childForFieldName('type');
    const value = c.childForFieldName('value');
    if (type) {
      prevType = type.text;
      prevDefault = undefined;
    } else if (value) {
      prevType = '';
      const first = value.namedChild(0);
      prevDefault = first ? constDefault(first) : undefined;
    }
    for (const n of c.childrenForFieldName('name')) {
      if (n?.type !== 'identifier') continue;
      out.push(prevDefault ? { name: n.text, file: path, typeText: prevType, defaultType: prevDefault } : { name: n.text, file: path, typeText: prevType });
    }
  }
  return out;
}

/** An untyped constant expression's default type, when its shape says it: a literal, `iota`, `1 << iota`. */
function constDefault(value: Node): string | undefined {
  if (value.type === 'iota') return 'int';
  if (value.type === 'identifier' && value.text === 'iota') return 'int';
  const literal = LITERAL_TYPES[value.type];
  if (literal) return literal;
  if (value.type === 'binary_expression' || value.type === 'parenthesized_expression') {
    // Integer arithmetic on literals and iota stays an untyped integer.
    const stack: Node[] = [value];
    while (stack.length > 0) {
      const n = stack.pop()!;
      if (n.type === 'binary_expression' || n.type === 'parenthesized_expression') {
        for (const k of n.namedChildren) if (k) stack.push(k);
      } else if (n.type !== 'int_literal' && n.type !== 'iota' && !(n.type === 'identifier' && n.text === 'iota')) return undefined;
    }
    return 'int';
  }
  return undefined;
}
