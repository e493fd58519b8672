// How nil-map-write says what it found: one short sentence on the write, the reasons on the places
// they come from (the declaration, the literal, the field, the value-receiver call), and the fix that
// initializes the map where it starts nil.
import type { Node } from 'web-tree-sitter';
import type { Pass } from '../../analysis/pass';
import type { Edit, Finding, Fix, Related } from '../../findings';
import type { FieldStep } from '../../index/package-index';
import { byteRange } from '../../index/summary';
import type { PackageVar } from '../../index/types';
import { statementList } from '../../analyses/syntax';
import type { Tracked } from './track';
import type { ValueCall } from './uses';

export const ID = 'nil-map-write';

export function localFinding(pass: Pass, t: Tracked, steps: FieldStep[], index: Node, valueCalls: readonly ValueCall[], imports: ReadonlySet<string>): Finding {
  const lines = pass.unit.lines;
  const b = t.binding;
  const field = steps.length > 0 ? steps[steps.length - 1] : undefined;
  const name = field ? `${b.name}.${steps.map((s) => s.field.name).join('.')}` : b.name;
  const related: Related[] = [];
  switch (t.origin.kind) {
    case 'var':
      related.push({
        range: byteRange(b.decl, lines),
        message: t.structType
          ? `\`${b.name}\` is declared as a zero \`${t.structType}\`; nothing initializes \`${name}\` before the write`
          : `\`${b.name}\` is declared here without a value; nothing assigns it before the write`,
      });
      break;
    case 'result':
      related.push({ range: byteRange(b.id, lines), message: `named result \`${b.name}\` starts nil; nothing assigns it before the write` });
      break;
    case 'literal': {
      const from = literalValue(t.origin.literal, steps[0]?.field.name);
      const message = from?.type === 'identifier'
        ? `this literal sets \`${steps[0].field.name}\` from \`${from.text}\`, a nil map; nothing initializes it before the write`
        : `this literal leaves \`${steps[0]?.field.name ?? 'the field'}\` nil; nothing initializes it before the write`;
      related.push({ range: byteRange(t.origin.literal, lines), message });
      break;
    }
    case 'new':
      related.push({ range: byteRange(t.origin.call, lines), message: `\`new(${t.structType})\` zeroes every field, so \`${name}\` is nil` });
      break;
  }
  if (field) {
    const file = field.owner.file;
    related.push({ ...(file !== pass.unit.path ? { file } : {}), range: field.field.range, message: `field \`${field.field.name}\` is a map` });
  }
  for (const vc of valueCalls) {
    related.push({ range: byteRange(vc.call, lines), message: `\`${vc.method}\` has a value receiver: it initializes a copy of \`${b.name}\`, not \`${b.name}\`` });
    if (vc.assigned) {
      related.push({
        ...(vc.assigned.file !== pass.unit.path ? { file: vc.assigned.file } : {}),
        range: vc.assigned.range,
        message: `this assigns the copy's field, which the caller never sees`,
      });
    }
  }
  const fix = localFix(pass, t, steps, imports);
  return { rule: ID, severity: 'error', message: `write to nil map \`${name}\` panics`, range: byteRange(index, lines), fixes: fix ? [bulk(pass, fix)] : [], related };
}

/**
 * A finding without a fix: the nil guard, the `= nil`, the inner map, the pointer. Where the map
 * should come from is the author's call there (the guard may be the wrong way round).
 */
export function plainFinding(pass: Pass, name: string, index: Node, why: readonly { node: Node; message: string }[]): Finding {
  const lines = pass.unit.lines;
  return {
    rule: ID,
    severity: 'error',
    message: `write to nil map \`${name}\` panics`,
    range: byteRange(index, lines),
    fixes: [],
    related: why.map((w) => ({ range: byteRange(w.node, lines), message: w.message })),
  };
}

export function packageFinding(pass: Pass, v: PackageVar, index: Node): Finding {
  const fixes: Fix[] = [];
  if (v.standalone && v.file === pass.unit.path) {
    fixes.push(
      bulk(pass, {
        title: `Initialize ${v.name} at its declaration: ${v.name} = make(${v.typeText})`,
        isPreferred: true,
        edits: [{ range: v.specRange, newText: `${v.name} = make(${v.typeText})` }],
      }),
    );
  }
  return {
    rule: ID,
    severity: 'error',
    message: `write to nil map \`${v.name}\` panics`,
    range: byteRange(index, pass.unit.lines),
    fixes,
    related: [
      {
        ...(v.file !== pass.unit.path ? { file: v.file } : {}),
        range: v.range,
        message: `\`${v.name}\` is declared here without a value; nothing in the package assigns it`,
      },
    ],
  };
}

/**
 * Fix-all applies the fix: the write panics whenever it runs, so initializing the map changes only
 * runs that would crash. Not in tests, which may panic on purpose (`runtime/crash_test.go` does).
 */
function bulk(pass: Pass, fix: Fix): Fix {
  return pass.unit.path.endsWith('_test.go') ? fix : { ...fix, safeForFixAll: true };
}

function localFix(pass: Pass, t: Tracked, steps: FieldStep[], imports: ReadonlySet<string>): Fix | undefined {
  const lines = pass.unit.lines;
  const b = t.binding;
  const edit = (node: Node, newText: string): Edit => ({ range: byteRange(node, lines), newText });
  const fix = (title: string, edits: Edit[]): Fix => ({ title, isPreferred: true, edits });
  if (!t.structType) {
    const type = t.mapType!;
    if (t.origin.kind === 'var') {
      const decl = b.decl.parent;
      if (decl?.type !== 'var_declaration' || decl.namedChildCount !== 1 || b.decl.childrenForFieldName('name').length !== 1) return undefined;
      const text = `${b.name} := make(${type})`;
      return fix(`Initialize ${b.name} at its declaration: ${text}`, [edit(decl, text)]);
    }
    // Named result: `m = make(…)` as the body's first statement.
    const body = b.owner.childForFieldName('body');
    if (!body) return undefined;
    const first = statementList(body)?.namedChild(0);
    const text = pass.unit.text;
    // After the `{` and any comment on its line; a body on one line has no gofmt-stable place.
    const eol = text.indexOf('\n', body.startIndex);
    if (eol < 0 || !/^\s*(?:\/\/.*)?$/.test(text.slice(body.startIndex + 1, eol))) return undefined;
    const indent = first ? indentOf(text, first.startIndex) : indentOf(text, b.owner.startIndex) + '\t';
    const at = lines.byteOffset(eol);
    const stmt = `${b.name} = make(${type})`;
    return fix(`Initialize ${b.name} at the top of the function: ${stmt}`, [{ range: { start: at, end: at }, newText: `\n${indent}${stmt}` }]);
  }
  // A struct: set the one map field written here, when it is a direct field of the type.
  if (steps.length !== 1) return undefined;
  const struct = pass.pkg.struct(t.structType);
  const field = steps[0].field;
  if (!struct || struct.generic || !importable(field.typeText, imports)) return undefined;
  const init = `${field.name}: make(${field.typeText})`;
  const what = `${b.name}.${field.name}`;
  switch (t.origin.kind) {
    case 'var': {
      const decl = b.decl.parent;
      if (decl?.type !== 'var_declaration' || decl.namedChildCount !== 1 || b.decl.childrenForFieldName('name').length !== 1) return undefined;
      const text = `${b.name} := ${b.decl.childForFieldName('type')!.text}{${init}}`;
      return fix(`Initialize ${what} at the declaration: ${text}`, [edit(decl, text)]);
    }
    case 'new': {
      const text = `&${t.structType}{${init}}`;
      return fix(`Initialize ${what}: replace new(${t.structType}) with ${text}`, [edit(t.origin.call, text)]);
    }
    case 'literal': {
      let lit = t.origin.literal;
      if (lit.type === 'unary_expression') lit = lit.childForFieldName('operand')!;
      const body = lit.childForFieldName('body');
      if (!body || body.text.includes('\n')) return undefined;
      const elements = body.namedChildren.filter((n): n is Node => n !== null);
      if (elements.some((e) => e.type !== 'keyed_element')) return undefined;
      const title = `Initialize ${what} in the literal: ${init}`;
      const existing = elements.find((e) => e.childForFieldName('key')?.text === field.name);
      // `tags: tags` with `var tags map[…]…`: replacing it may leave the variable unused, which does not compile.
      if (existing && existing.childForFieldName('value')?.namedChild(0)?.type !== 'nil') return undefined;
      if (existing) return fix(title, [edit(existing, init)]);
      if (elements.length === 0) return fix(title, [edit(body, `{${init}}`)]);
      const end = lines.byteOffset(elements[elements.length - 1].endIndex);
      return fix(title, [{ range: { start: end, end }, newText: `, ${init}` }]);
    }
    default:
      return undefined;
  }
}

/** The value a struct literal (`T{…}` or `&T{…}`) gives a field, when it names it. */
function literalValue(literal: Node, field: string | undefined): Node | undefined {
  const lit = literal.type === 'unary_expression' ? literal.childForFieldName('operand') : literal;
  for (const e of lit?.childForFieldName('body')?.namedChildren ?? []) {
    if (e?.type === 'keyed_element' && e.childForFieldName('key')?.text === field) return e.childForFieldName('value')?.namedChild(0) ?? undefined;
  }
  return undefined;
}

/** The field's type may name packages the struct's file imports; the fix needs them here too. */
function importable(typeText: string, imports: ReadonlySet<string>): boolean {
  for (const m of typeText.matchAll(/\b([A-Za-z_]\w*)\./g)) if (!imports.has(m[1])) return false;
  return true;
}

function indentOf(text: string, offset: number): string {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const m = /^[ \t]*/.exec(text.slice(lineStart, offset));
  return m ? m[0] : '';
}
