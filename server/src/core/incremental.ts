// The editor's analysis of an open document, incremental across its versions. A keystroke changes
// one top-level declaration; checking the whole file again costs every function's scope walk (about
// 10 ms on net/http/server.go), so only the functions the edit may have changed are checked, and
// the other findings of the previous version are kept, moved by the length the edit added.
//
// Which functions the edit may have changed (`rerun`):
// - the declarations whose text changed (compared with the previous version's, at their moved
//   place);
// - every function that starts one of the changed functions as a goroutine (`go f(m)`,
//   `go x.f()`: the callee's accesses are the goroutine's), and every function that mentions a
//   package-level variable or constant the changed declarations declare or assign;
// - every function whose previous findings point into one of those (a finding's ranges, related
//   places and fix edits name every function it came from: the write, the goroutine's start, the
//   racing accesses), so a finding is rebuilt whole or kept whole.
// Everything else a finding may depend on is in the key, and a different key checks the whole
// file: the Go version and rule settings, the package's other files (their summaries, ranges
// included) and this file's summary without its ranges (types, methods, package variables and
// which of them are assigned). So is an edit to the package clause or the imports. The result equals analyzeFile's on the same text: test/incremental.test.ts checks
// it over random edits of real files and over edits that change what another function reports.
import type { Node } from 'web-tree-sitter';
import { finishFindings, runRules, type AnalyzeOptions } from './analyze';
import { FileFacts } from './facts/file-facts';
import type { PackageIndex } from './facts/package-index';
import { assignedIn, topLevel, type DeclSummary, type FileSummary, type SourceUnit, type TopDecl } from './facts/summary';
import { IDENT, IDENT_CHAR, isWordAt } from './facts/words';
import type { ByteRange, Finding } from './findings';

interface Decl {
  type: string;
  text: string;
  /** UTF-16 offsets, as the tree gives them. */
  start: number;
  end: number;
  startByte: number;
  endByte: number;
  /** The names it declares. */
  names: string[];
}

/** What the incremental analysis keeps of the version it analysed last. */
export interface AnalysisMemo {
  key: Key;
  text: string;
  byteLength: number;
  decls: Decl[];
  /** The rules' findings before suppression and severity settings. */
  raw: Finding[];
}

export interface IncrementalResult {
  findings: Finding[];
  memo: AnalysisMemo;
  /** How many top-level functions the rules checked again, or 'all'. */
  checked: number | 'all';
}

const FUNCTIONS = new Set(['function_declaration', 'method_declaration']);
/**
 * Top-level nodes whose change checks the whole file: what they say (the imports) is read by every
 * function. Anything else may change locally, even into statements or errors while the user types
 * (`ixf !ok {`): those hold no function for a rule to start from, and declare nothing.
 */
const GLOBAL = new Set(['package_clause', 'import_declaration']);
/** What precedes the callee's name in `go f(…)` and `go x.f(…)`. */
const GO_BEFORE = new RegExp(`(?<!${IDENT_CHAR})go[ \\t]+(?:${IDENT}[ \\t]*\\.[ \\t]*)?$`, 'u');
/** Beyond this many dirty names or functions to check, checking the whole file is as cheap. */
const MAX_NAMES = 64;

export function analyzeIncrementally(unit: SourceUnit, pkg: PackageIndex, options: AnalyzeOptions, memo?: AnalysisMemo): IncrementalResult {
  const key = keyOf(unit.path, pkg, options);
  const nodes = topLevel(unit);
  const plan = memo && sameKey(memo.key, key) ? planFor(unit, pkg, nodes, memo) : undefined;
  if (plan) {
    const scope = plan.decls.filter((d) => plan.rerun.has(d.start)).map((d) => ({ start: d.start, end: d.end }));
    const fresh = plan.rerun.size === 0 ? [] : runRules(new FileFacts(unit, pkg, scope), options, (fn) => plan.rerun.has(fn.startIndex));
    const taken = new Set(plan.kept.map((f) => `${f.rule}\u0000${f.range.start}`));
    // A function checked again may report a place a kept finding already holds (one finding per
    // racing write, with related places from several goroutines): only the whole file merges those.
    if (!fresh.some((f) => taken.has(`${f.rule}\u0000${f.range.start}`))) {
      const raw = [...plan.kept, ...fresh];
      const memoNext: AnalysisMemo = { key, text: unit.text, byteLength: unit.lines.byteLength, decls: plan.decls, raw };
      return { findings: finishFindings(raw, unit, options), memo: memoNext, checked: plan.rerun.size };
    }
  }
  const raw = runRules(new FileFacts(unit, pkg), options);
  const decls = nodes.map((n) => declOf(n, unit));
  return { findings: finishFindings(raw, unit, options), memo: { key, text: unit.text, byteLength: unit.lines.byteLength, decls, raw }, checked: 'all' };
}

interface Plan {
  decls: Decl[];
  /** UTF-16 starts of the functions to check again. */
  rerun: Set<number>;
  /** The previous findings that stand, moved to the new text. */
  kept: Finding[];
}

function planFor(unit: SourceUnit, pkg: PackageIndex, nodes: TopDecl[], memo: AnalysisMemo): Plan | undefined {
  const oldText = memo.text;
  const text = unit.text;
  // The changed window: [p, length - s) in both texts.
  let p = commonLength(oldText, text, false, Math.min(oldText.length, text.length));
  if (p > 0 && isHighSurrogate(text.charCodeAt(p - 1))) p--;
  let s = commonLength(oldText, text, true, Math.min(oldText.length, text.length) - p);
  if (s > 0 && isLowSurrogate(text.charCodeAt(text.length - s))) s--;
  const shift16 = text.length - oldText.length;
  const shiftBytes = unit.lines.byteLength - memo.byteLength;

  // Old declarations outside the window that reappear, same text, at their moved place.
  const byStart = new Map<number, number>();
  nodes.forEach((node, i) => byStart.set(node.start, i));
  const image = new Array<number>(memo.decls.length).fill(-1);
  const moved = new Array<boolean>(memo.decls.length).fill(false);
  const isImage = new Array<boolean>(nodes.length).fill(false);
  memo.decls.forEach((d, i) => {
    const after = d.start >= oldText.length - s;
    if (!after && d.end > p) return;
    const j = byStart.get(after ? d.start + shift16 : d.start);
    // Outside the window the two texts are the same, so the same type and length mean the same text.
    if (j === undefined || isImage[j] || nodes[j].type !== d.type || nodes[j].end - nodes[j].start !== d.end - d.start) return;
    image[i] = j;
    moved[i] = after;
    isImage[j] = true;
  });

  // The new declarations: the unchanged ones moved, the others read from the tree.
  const source = new Array<number>(nodes.length).fill(-1);
  image.forEach((j, i) => {
    if (j >= 0) source[j] = i;
  });
  const decls: Decl[] = nodes.map((node, j) => {
    const i = source[j];
    if (i < 0) return declOf(node, unit);
    const d = memo.decls[i];
    return moved[i] ? { ...d, start: d.start + shift16, end: d.end + shift16, startByte: d.startByte + shiftBytes, endByte: d.endByte + shiftBytes } : d;
  });

  // What changed (before and after), and the names through which other functions may depend on
  // it: a function or method that another function starts with `go name(…)` or `go x.name(…)`
  // (its accesses are the goroutine's), and the package-level variables and constants declared or
  // assigned there (a package variable's map is shared by every function). Types need no names:
  // what the rules read of them is in the key, and findings that point into them are rebuilt.
  const dirty = [...memo.decls.filter((_, i) => image[i] < 0), ...decls.filter((_, j) => !isImage[j])];
  if (dirty.some((d) => GLOBAL.has(d.type))) return undefined;
  const spawned = new Set<string>();
  const shared = new Set<string>();
  const packageVars = pkg.varNames();
  for (const d of dirty) {
    if (FUNCTIONS.has(d.type)) for (const n of d.names) spawned.add(n);
    if (d.type === 'var_declaration' || d.type === 'const_declaration') for (const n of d.names) shared.add(n);
    const assigned = new Set(assignedIn(d.text));
    for (const v of packageVars) if (assigned.has(v)) shared.add(v);
  }
  if (spawned.size + shared.size > MAX_NAMES) return undefined;

  const rerun = new Set<number>();
  const functionCount = decls.filter((d) => FUNCTIONS.has(d.type)).length;
  const add = (j: number) => {
    if (FUNCTIONS.has(decls[j].type)) rerun.add(decls[j].start);
  };
  for (let j = 0; j < decls.length; j++) if (!isImage[j]) add(j);
  const addMentions = (name: string, where: (i: number) => boolean) => {
    for (let i = text.indexOf(name); i >= 0; i = text.indexOf(name, i + 1)) {
      if (!where(i)) continue;
      const j = declAt(decls, i, (d) => d.start, (d) => d.end, i + name.length);
      if (j >= 0) add(j);
    }
  };
  for (const name of spawned) addMentions(name, (i) => isWordAt(text, i, name, true) && GO_BEFORE.test(text.slice(Math.max(0, i - 80), i)));
  for (const name of shared) addMentions(name, (i) => isWordAt(text, i, name));

  // Previous findings: each is kept only if every declaration it points into is unchanged and not
  // being checked again; else it is dropped, and every function it points into is checked again.
  const oldDeclsOf = (f: Finding): number[] => rangesOf(f).map((r) => declAt(memo.decls, r.start, (d) => d.startByte, (d) => d.endByte, r.end));
  const deps = memo.raw.map(oldDeclsOf);
  if (deps.some((ds) => ds.includes(-1))) return undefined;
  const dropped = new Array<boolean>(memo.raw.length).fill(false);
  for (let changed = true; changed; ) {
    changed = false;
    deps.forEach((ds, k) => {
      if (dropped[k] || !ds.some((i) => image[i] < 0 || rerun.has(decls[image[i]].start))) return;
      dropped[k] = true;
      changed = true;
      for (const i of ds) if (image[i] >= 0) add(image[i]);
    });
  }
  if (rerun.size > Math.max(4, functionCount / 2)) return undefined;

  const kept: Finding[] = [];
  memo.raw.forEach((f, k) => {
    if (dropped[k]) return;
    const by = (r: ByteRange) => {
      const i = declAt(memo.decls, r.start, (d) => d.startByte, (d) => d.endByte, r.end);
      return moved[i] ? shiftBytes : 0;
    };
    kept.push(moveFinding(f, by));
  });
  return { decls, rerun, kept };
}

/**
 * The key under which a previous analysis may be reused (see the file comment). The package's
 * other files count by identity: the workspace keeps a file's summary object until the file
 * changes, and comparing their contents on every keystroke would cost more than the analysis.
 */
interface Key {
  settings: string;
  own: string;
  others: readonly FileSummary[];
}

function keyOf(path: string, pkg: PackageIndex, options: AnalyzeOptions): Key {
  const rules = options.rules;
  const settings = JSON.stringify([options.go, rules?.enabled ? [...rules.enabled].sort() : null, rules?.defaultMapSize ?? null]);
  const vars = pkg.varNames();
  const own = pkg.summaries.filter((s) => s.path === path).map((s) => withoutRanges(s, vars));
  return { settings, own: own.join('\u0000'), others: pkg.summaries.filter((s) => s.path !== path) };
}

/**
 * A declared type's text as the rules read it: comments and the amount of white space do not
 * matter (the layout parser drops them; struct fields are compared one by one beside it), so a
 * keystroke in a struct's comment or indentation keeps the key.
 */
function shapeOf(typeText: string): string {
  return typeText.replace(/\/\/[^\n]*|\/\*[\s\S]*?\*\//g, ' ').replace(/\s+/g, ' ');
}

function sameKey(a: Key, b: Key): boolean {
  return a.settings === b.settings && a.own === b.own && a.others.length === b.others.length && a.others.every((s, i) => s === b.others[i]);
}

const shapes = new WeakMap<DeclSummary, string>();

function withoutRanges(s: FileSummary, vars: readonly string[]): string {
  const parts = s.parts.map((d) => {
    let shape = shapes.get(d);
    if (shape === undefined) shapes.set(d, (shape = shapeOfDecl(d)));
    return shape;
  });
  // Declarations that declare nothing (functions, comments, statements while the user types) add nothing.
  return JSON.stringify([s.path, s.packageName, s.linkname, vars.filter((v) => s.assignedNames.has(v))]) + parts.filter((p) => p !== '').join('\n');
}

/**
 * A declaration's summary without its ranges. Summaries are shared between versions (and a
 * declaration without ranges between places), so this is worked out about once per declaration.
 */
function shapeOfDecl(d: DeclSummary): string {
  if (d.types.length === 0 && d.methods.length === 0 && d.vars.length === 0) return '';
  return JSON.stringify([
    d.types.map((t) => [t.name, t.kind, shapeOf(t.typeText), t.generic, t.fields.map((f) => [f.name, f.embedded, f.typeText, f.valueTypeName ?? '', f.isMapLiteral])]),
    d.methods.map((m) => [m.typeName, m.info.name, m.info.pointerReceiver, m.info.assignedFields.map((a) => a.name)]),
    d.vars.map((v) => [v.name, v.nilMap, v.typeText, v.standalone]),
  ]);
}

function declOf(top: TopDecl, unit: SourceUnit): Decl {
  return {
    type: top.type,
    text: top.text,
    start: top.start,
    end: top.end,
    startByte: unit.lines.byteOffset(top.start),
    endByte: unit.lines.byteOffset(top.end),
    names: declaredNames(top.node),
  };
}

function declaredNames(node: Node): string[] {
  switch (node.type) {
    case 'function_declaration':
    case 'method_declaration': {
      const name = node.childForFieldName('name')?.text;
      return name ? [name] : [];
    }
    case 'type_declaration':
      return node.namedChildren.map((c) => c?.childForFieldName('name')?.text).filter((n): n is string => n !== undefined);
    case 'var_declaration':
    case 'const_declaration': {
      const specs: Node[] = [];
      for (const c of node.namedChildren) {
        if (!c) continue;
        if (c.type.endsWith('_spec_list')) for (const x of c.namedChildren) if (x) specs.push(x);
        else specs.push(c);
      }
      return specs.flatMap((spec) => spec.childrenForFieldName('name').map((n) => n?.text).filter((n): n is string => n !== undefined));
    }
    default:
      return [];
  }
}

/** The index of the declaration holding [at, until), or -1. Declarations are in order and disjoint. */
function declAt(decls: readonly Decl[], at: number, start: (d: Decl) => number, end: (d: Decl) => number, until = at): number {
  let lo = 0;
  let hi = decls.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (start(decls[mid]) <= at) lo = mid + 1;
    else hi = mid;
  }
  const i = lo - 1;
  return i >= 0 && until <= end(decls[i]) ? i : -1;
}

/** Every range of a finding in its own file: the finding, its related places here, its fix edits. */
function rangesOf(f: Finding): ByteRange[] {
  return [f.range, ...f.related.filter((r) => r.file === undefined).map((r) => r.range), ...f.fixes.flatMap((x) => x.edits.map((e) => e.range))];
}

function moveFinding(f: Finding, by: (r: ByteRange) => number): Finding {
  const move = (r: ByteRange): ByteRange => {
    const d = by(r);
    return d === 0 ? r : { start: r.start + d, end: r.end + d };
  };
  return {
    ...f,
    range: move(f.range),
    related: f.related.map((r) => (r.file === undefined ? { ...r, range: move(r.range) } : r)),
    fixes: f.fixes.map((x) => ({ ...x, edits: x.edits.map((e) => ({ ...e, range: move(e.range) })) })),
  };
}

/**
 * How many UTF-16 units two texts share at the start (or, with `fromEnd`, at the end), at most
 * `max`. Halving with slice comparisons, which V8 does a block at a time: a character loop over a
 * 100 KB file costs more than the analysis of one function.
 */
function commonLength(a: string, b: string, fromEnd: boolean, max: number): number {
  const part = (x: string, from: number, to: number) => (fromEnd ? x.slice(x.length - to, x.length - from) : x.slice(from, to));
  let lo = 0;
  let hi = max;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (part(a, lo, mid) === part(b, lo, mid)) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

function isHighSurrogate(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}

function isLowSurrogate(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}
