// The editor's analysis of an open document, incremental across its versions. A keystroke changes
// one top-level declaration; checking the whole file again costs every function's scope walk (about
// 10 ms on net/http/server.go), so only the functions the edit may have changed are checked, and
// the other findings of the previous version are kept, moved by the length the edit added.
//
// Which functions the edit may have changed (`rerun`):
// - the declarations whose text changed (compared with the previous version's, at their moved
//   place);
// - the functions that mention, as a word, a name through which code reads a changed declaration
//   other than a function body: a type's name and its field and method names, a variable's or
//   constant's name, a function's or method's name when its summary changed (what other functions
//   read of it), an import's package name; and, through the package's types, the names of every
//   type whose text mentions one of those (a struct holding a changed type changes size too).
//   Comments and layout do not count: a type is compared by its summary, a `var` or `const` by its
//   text without comments and spaces, an import block spec by spec;
// - the functions that read a changed one, by what the enabled rules and their analyses declare
//   they read beyond their own function (analysis.ts, Dependency): with `goroutine-callees`, every
//   function that starts one of the changed functions as a goroutine (`go f(m)`, `go x.f()`: the
//   callee's accesses are the goroutine's); with `package-vars`, every function that mentions a
//   package-level variable or constant the changed declarations declare or assign; with
//   `param-runs`, every function that names a changed function taking a func parameter
//   (`safeGo(func(){…})`: whether that starts a goroutine is safeGo's body), HELPER_DEPTH steps
//   back through functions that take one too, and the functions that take a method value of a
//   method whose effects changed (`safeGo(p.flush)`); when a function of another file of the
//   package hands its func to one of those, the whole file (its callers here name that one);
// - with `registrations`, the whole file when the set of types the package registers as gRPC
//   services changed (it is in the key: the registered methods do not name the registering call);
// - every function whose previous findings point into one of those (a finding's ranges, related
//   places and fix edits name every function it came from: the write, the goroutine's start, the
//   racing accesses), so a finding is rebuilt whole or kept whole.
// Go code reads another declaration only by naming it (an identifier, a selector), which is why a
// word search finds every reader, with false positives (comments, other things of the same name)
// that only cost time. Everything else a finding may depend on is in the key, and a different key
// checks the whole file: the Go version and rule settings, the package's other files (their
// summaries, ranges included), and of this file's summary what no single declaration says (the
// package name, `//go:linkname`, which package variables it assigns). So is an edit to the package
// clause, a dot import, or one that changes too many names to be worth the search. The result
// equals analyzeFile's on the same text: test/incremental.test.ts checks it over random edits of
// real files, anywhere and outside function bodies, and over edits that change what another
// function reports.
import type { Node } from 'web-tree-sitter';
import { dependenciesOf, type Dependency } from './analysis/analysis';
import { followsSelector, IDENT, IDENT_CHAR, isWordAt } from './analysis/words';
import { finishFindings, passOptions, runRules, type AnalyzeOptions } from './analyze';
import { Pass } from './analysis/pass';
import type { ByteRange, Finding } from './findings';
import { isGenerated } from './generated';
import type { PackageIndex } from './index/package-index';
import { assignedIn, topLevel, type DeclSummary, type FileSummary, type SourceUnit, type TopDecl } from './index/summary';
import { RULES } from './rules';
import { countSelectors, EXPORTED_METHOD, SELECTED } from './analyses/guarded-fields';
import { editWindow, startAfter } from './parse/edit-window';
import { CALL_DEPTH, carriedEffects, type CarriedEffects } from './analyses/receiver-effects';
import { HELPER_DEPTH } from './analyses/param-runs';

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
  /** What other declarations may read of it, comments and layout aside ('' for nothing). */
  sig: string;
  /** The words through which code reads it: its names, a type's field and method names, an import's package names. */
  words: string[];
  /** For an import declaration: its specs (`name "path"`), compared one by one. */
  specs: ImportSpec[] | undefined;
  /** For a type declaration: its types, compared member by member. */
  types: TypeShape[] | undefined;
  /** For a method: its receiver's type (receiverTypeOf), read once, not on every keystroke. */
  receiver: string | undefined;
}

interface TypeShape {
  name: string;
  /** The spec without comments and spaces. */
  text: string;
  /** An interface: its size never changes, whatever its methods. */
  isInterface: boolean;
  /** The spec up to its members (name, type parameters, `struct`), comments and spaces aside. */
  head: string;
  /**
   * Its fields, methods or embedded types: each member's text (comments and spaces aside), the
   * names code reads it by, and its shape: for a field, how many names it declares and its type
   * and tag, which is all its names leave of it.
   */
  members: { text: string; names: string[]; shape: string; embeds?: string }[];
}

/** What the declarations that changed are read by: names, and names of fields read only as fields. */
interface ChangedNames {
  names: Set<string>;
  fields: Set<string>;
}

interface ImportSpec {
  text: string;
  /** The names code may use for the package; undefined for a dot import (every name in the file). */
  names?: string[];
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
 * Top-level nodes whose change checks the whole file: the package name is read by every function.
 * Anything else may change locally, even into statements or errors while the user types
 * (`ixf !ok {`): those hold no function for a rule to start from, and declare nothing.
 */
const GLOBAL = new Set(['package_clause']);
/** What follows a field's name as a composite literal's key. */
const FIELD_KEY = /^\s*(?::(?!=)|\/)/;
/** What precedes the callee's name in `go f(…)` and `go x.f(…)`. */
const GO_BEFORE = new RegExp(`(?<!${IDENT_CHAR})go[ \\t]+(?:${IDENT}[ \\t]*\\.[ \\t]*)?$`, 'u');
/** A declaration that starts goroutines (the concurrency rule's own pre-filter). */
const EFFECT_READER = /\bgo\b[ \t]*[\w(]|\.Go\(/;
/** A func literal given as an argument (`safeGo(func() {…})`), which may run in a goroutine. */
const FUNC_LITERAL_ARGUMENT = /[(,]\s*func\s*\(/;
/** What follows a method's name when it is called rather than taken as a method value. */
const CALL_AFTER = /^\s*(?:\[[^\]]*\]\s*)?\(/;
const MUTEX_TYPE = /^\*?sync\.(?:RW)?Mutex$/;
/** A field shape (`1 sync.Mutex`) whose type holds a mutex, or may: any type naming one. */
const MUTEX_FIELD = /Mutex|Locker/;
const RECEIVER_TYPE = /^func[ \t]*\([ \t]*(?:\w+[ \t]+)?\*?[ \t]*(\w+)[ \t]*\)/;

/** `T` of a method declaration's text `func (r *T) …`; undefined for generic or unusual receivers. */
function receiverTypeOf(declText: string): string | undefined {
  return RECEIVER_TYPE.exec(declText)?.[1];
}

/**
 * A function declaration's text whose parameter list mentions `func` (a func parameter, which it
 * may run or pass on): the list after the receiver, the name and any type parameters.
 */
function takesFunc(declText: string): boolean {
  let i = declText.indexOf('func') + 4;
  const skip = (open: string, close: string) => {
    while (i < declText.length && /\s/.test(declText[i])) i++;
    if (declText[i] !== open) return -1;
    const from = i;
    for (let depth = 0; i < declText.length; i++) {
      if (declText[i] === open) depth++;
      else if (declText[i] === close && --depth === 0) return from;
    }
    return -1;
  };
  // The receiver, if any, then the name.
  if (skip('(', ')') >= 0) i++;
  while (i < declText.length && /[\s\w]/.test(declText[i])) i++;
  if (skip('[', ']') >= 0) i++;
  const from = skip('(', ')');
  return from >= 0 && /\bfunc\b/.test(declText.slice(from, i));
}

/** `.name` as a whole word somewhere in the text. */
function mentionsSelector(text: string, name: string): boolean {
  for (let i = text.indexOf(name); i >= 0; i = text.indexOf(name, i + 1)) {
    if (isWordAt(text, i, name, true) && text[blanksBefore(text, i) - 1] === '.') return true;
  }
  return false;
}

/** Where the run of white space that ends at `i` begins. */
function blanksBefore(text: string, i: number): number {
  let k = i;
  while (k > 0 && /\s/.test(text[k - 1])) k--;
  return k;
}

/**
 * Whether the rules read assignments of the package variable `name` (Dependency `package-vars`):
 * a map this file declares with a value is shared while nothing assigns it (concurrent-map-write),
 * and one declared with a map type and no value, in any file, is nil while nothing assigns it
 * (nil-map-write). An assignment to any other changes no verdict: `buf = …` of a local named like
 * net/http's `var buf bytes.Buffer` (a test file's) re-checked every function naming `buf`.
 */
function assignmentRead(pkg: PackageIndex, path: string, name: string): boolean {
  const v = name === '_' ? undefined : pkg.variable(name);
  if (!v) return false;
  if (v.nilMap && mayBeMap(pkg, v.typeText)) return true;
  return v.file === path || pkg.summaries.some((s) => s.path === path && s.vars.some((x) => x.name === name));
}

/**
 * Whether a declared type may be a map, by what the edit cannot change: its form (`[]T`, `*T`,
 * `chan T`, … are not; `map[K]V` is), or a type of another package. A type named in this package
 * may be changed by the same edit, so it may be a map.
 */
function mayBeMap(pkg: PackageIndex, typeText: string): boolean {
  const t = typeText.replace(/\s+/g, '');
  if (t.startsWith('map[')) return true;
  if (/^(?:\[|\*|<-|chan\b|func\b|struct\b|interface\b)/.test(t)) return false;
  return !QUALIFIED_TYPE.test(t) || pkg.mapTypeOf(t) !== undefined;
}

/** `pkg.Name`: a type declared in another package. */
const QUALIFIED_TYPE = /^\w+\.\w+$/;

/** The struct has a `sync.Mutex` or `sync.RWMutex` field (lock discipline reads only such types). */
function hasMutex(pkg: PackageIndex, type: string): boolean {
  return pkg.struct(type)?.fields.some((f) => MUTEX_TYPE.test(f.typeText.replace(/\s+/g, ''))) ?? false;
}

/** Beyond this many dirty names or functions to check, checking the whole file is as cheap. */
const MAX_NAMES = 64;

export function analyzeIncrementally(unit: SourceUnit, pkg: PackageIndex, options: AnalyzeOptions, memo?: AnalysisMemo): IncrementalResult {
  const key = keyOf(unit, pkg, options);
  const nodes = topLevel(unit);
  const plan = memo && sameKey(memo.key, key) ? planFor(unit, pkg, nodes, memo, declaredDependencies(options), options) : undefined;
  if (plan) {
    const scope = plan.decls.filter((d) => plan.rerun.has(d.start)).map((d) => ({ start: d.start, end: d.end }));
    const fresh = plan.rerun.size === 0 ? [] : runRules(unit, pkg, options, scope, (pass) => warmCarry(pass, nodes), plan.pass);
    const taken = new Set(plan.kept.map((f) => `${f.rule}\u0000${f.range.start}`));
    // A function checked again may report a place a kept finding already holds (one finding per
    // racing write, with related places from several goroutines): only the whole file merges those.
    if (!fresh.some((f) => taken.has(`${f.rule}\u0000${f.range.start}`))) {
      const raw = [...plan.kept, ...fresh];
      const memoNext: AnalysisMemo = { key, text: unit.text, byteLength: unit.lines.byteLength, decls: plan.decls, raw };
      return { findings: finishFindings(raw, unit, options), memo: memoNext, checked: plan.rerun.size };
    }
  }
  const raw = runRules(unit, pkg, options, undefined, (pass) => warmCarry(pass, nodes));
  const parts = ownParts(unit.path, pkg, nodes.length);
  const decls = nodes.map((n, j) => declOf(n, unit, parts?.[j]));
  return { findings: finishFindings(raw, unit, options), memo: { key, text: unit.text, byteLength: unit.lines.byteLength, decls, raw }, checked: 'all' };
}

interface Plan {
  decls: Decl[];
  /** UTF-16 starts of the functions to check again. */
  rerun: Set<number>;
  /** The previous findings that stand, moved to the new text. */
  kept: Finding[];
  /** The pass that worked out the edited methods' facts, whose results the rules may reuse. */
  pass?: Pass;
}

/** What the enabled rules, and the analyses they require, read beyond the functions they start from. */
function declaredDependencies(options: AnalyzeOptions): Set<Dependency> {
  const deps = new Set<Dependency>();
  for (const rule of RULES) {
    if (options.rules?.enabled && !options.rules.enabled.has(rule.id)) continue;
    for (const d of rule.dependsOn ?? []) deps.add(d);
    for (const d of dependenciesOf(rule.requires)) deps.add(d);
  }
  return deps;
}

function planFor(unit: SourceUnit, pkg: PackageIndex, nodes: TopDecl[], memo: AnalysisMemo, reads: ReadonlySet<Dependency>, options: AnalyzeOptions): Plan | undefined {
  const oldText = memo.text;
  const text = unit.text;
  const window = editWindow(oldText, text);
  const shift16 = text.length - oldText.length;
  const shiftBytes = unit.lines.byteLength - memo.byteLength;

  // Old declarations outside the window that reappear, same text, at their moved place.
  const byStart = new Map<number, number>();
  nodes.forEach((node, i) => byStart.set(node.start, i));
  const image = new Array<number>(memo.decls.length).fill(-1);
  const moved = new Array<boolean>(memo.decls.length).fill(false);
  const isImage = new Array<boolean>(nodes.length).fill(false);
  memo.decls.forEach((d, i) => {
    const at = startAfter(window, d.start, d.end);
    if (at === undefined) return;
    const j = byStart.get(at);
    // Outside the window the two texts are the same, so the same type and length mean the same text.
    if (j === undefined || isImage[j] || nodes[j].type !== d.type || nodes[j].end - nodes[j].start !== d.end - d.start) return;
    image[i] = j;
    moved[i] = d.start >= window.oldEnd;
    isImage[j] = true;
  });

  // The new declarations: the unchanged ones moved, the others read from the tree.
  const source = new Array<number>(nodes.length).fill(-1);
  image.forEach((j, i) => {
    if (j >= 0) source[j] = i;
  });
  const parts = ownParts(unit.path, pkg, nodes.length);
  if (!parts) return undefined;
  const decls: Decl[] = nodes.map((node, j) => {
    const i = source[j];
    if (i < 0) return declOf(node, unit, parts[j]);
    const d = memo.decls[i];
    return moved[i] ? movedDecl(d, shift16, shiftBytes) : d;
  });

  // What changed (before and after), and the names through which other functions may depend on
  // it, as far as the rules declare such reads: a function or method that another function starts
  // with `go name(…)` or `go x.name(…)` (its accesses are the goroutine's), and the package-level
  // variables and constants declared or assigned there (a package variable's map is shared by
  // every function).
  const dirtyOld = memo.decls.filter((_, i) => image[i] < 0);
  const dirtyNew = decls.filter((_, j) => !isImage[j]);
  const dirtyNodes = nodes.filter((_, j) => !isImage[j]);
  const dirty = [...dirtyOld, ...dirtyNew];
  if (dirty.some((d) => GLOBAL.has(d.type))) return undefined;
  const spawned = new Set<string>();
  const shared = new Set<string>();
  // A `var` or `const` declaration whose text only changed in its comments or layout (its sig
  // paired with an equal one) declares and assigns what it did.
  const sigChanged = [...unmatched(dirtyOld, dirtyNew, sigKey), ...unmatched(dirtyNew, dirtyOld, sigKey)];
  const sigChangedSet = new Set(sigChanged);
  for (const d of dirty) {
    if (reads.has('goroutine-callees') && FUNCTIONS.has(d.type)) for (const n of d.names) spawned.add(n);
    if (!reads.has('package-vars')) continue;
    const value = d.type === 'var_declaration' || d.type === 'const_declaration';
    if (value && !sigChangedSet.has(d)) continue;
    if (value) for (const n of d.names) shared.add(n);
    for (const n of assignedIn(d.text)) if (assignmentRead(pkg, unit.path, n)) shared.add(n);
  }
  // And whatever any function may read of the declarations that changed beyond a body (see the file comment).
  const changed = changedNames(dirtyOld, dirtyNew, sigChanged, pkg);
  if (!changed) return undefined;
  const { names: named, fields: renamed } = changed;
  if (spawned.size + shared.size + named.size + renamed.size > MAX_NAMES) return undefined;

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
  // What of a type's state a text names: `.f` for a map field f, `.m` for a method m of the type.
  // A method naming none of it has no receiver effects, before or after the edit.
  const methodTypes: [string, string][] = [];
  for (const d of decls) {
    const t = d.receiver;
    if (t && pkg.hasMapFields(t)) for (const n of d.names) methodTypes.push([n, t]);
  }
  const stateNames = new Map<string, { fields: string[]; methods: string[] }>();
  const stateOf = (t: string) => {
    let v = stateNames.get(t);
    if (!v) {
      const fields = [...new Set(pkg.mapFieldPaths(t).flatMap((p) => p.map((step) => step.field.name)))];
      stateNames.set(t, (v = { fields, methods: methodTypes.filter(([, mt]) => mt === t).map(([n]) => n) }));
    }
    return v;
  };
  const names = (d: Decl, list: readonly string[]) => list.some((n) => mentionsSelector(d.text, n));
  const touchesState = (d: Decl, t: string) => names(d, stateOf(t).fields) || names(d, stateOf(t).methods);
  const facts = new MethodFacts(unit, pkg, options);
  if (reads.has('receiver-methods') && !sameReceiverFacts(dirtyOld, dirtyNew, dirtyNodes, methodTypes, facts, pkg)) {
    // Which methods of a type hold its mutex around a map field is evidence for all of them that
    // touch one, and an unexported method's entry locks depend on how often the file mentions it
    // (`x.flush`, guarded-fields.ts: entryLocks), which only the changed declarations can change.
    // An exported method's come from its type's own methods' calls alone, whatever else names it.
    const types = new Set<string>();
    for (const d of dirty) {
      const t = d.receiver;
      if (t && pkg.hasMapFields(t) && hasMutex(pkg, t) && touchesState(d, t)) types.add(t);
    }
    // Joined by line breaks, which no `.name` spans.
    const before = countSelectors(dirtyOld.map((d) => d.text).join('\n'));
    const after = countSelectors(dirtyNew.map((d) => d.text).join('\n'));
    for (const [n, mt] of methodTypes) {
      if (!EXPORTED_METHOD.test(n) && !types.has(mt) && hasMutex(pkg, mt) && (before.get(n) ?? 0) !== (after.get(n) ?? 0)) types.add(mt);
    }
    if (types.size > 0) {
      decls.forEach((d, j) => {
        const t = d.receiver;
        if (t && types.has(t) && names(d, stateOf(t).fields)) add(j);
      });
    }
  }
  if (reads.has('callees')) {
    // A method's accesses to its receiver's maps are its callers' (`t.reset()`), and their callers'
    // through methods of the same receiver, CALL_DEPTH calls deep: follow the calls `x.name(`
    // back that many steps from every changed method that touches its type's state, and re-check
    // the functions on the way that read those effects.
    const relevant = (d: Decl) => {
      const t = d.receiver;
      return t !== undefined && pkg.hasMapFields(t) && touchesState(d, t);
    };
    // A changed method whose facts are the same after the edit changes nothing its callers read
    // but places, and findings citing those are rebuilt anyway (below).
    const same = (name: string) => {
      const named = (ds: readonly Decl[], ns?: readonly TopDecl[]) => ds.map((d, i) => [d, ns?.[i]] as const).filter(([d]) => d.names.includes(name));
      const b = named(dirtyOld);
      const a = named(dirtyNew, dirtyNodes);
      return sameSignatures(b.map(([d]) => d), a.map(([d]) => d), a.map(([, n]) => n!), (d, node) => facts.of(d, node));
    };
    let frontier = new Set(dirty.filter(relevant).flatMap((d) => d.names).filter((n) => !same(n)));
    const seen = new Set(frontier);
    for (let step = 0; step <= CALL_DEPTH && frontier.size > 0; step++) {
      const next = new Set<string>();
      for (const name of frontier) {
        for (let i = text.indexOf(name); i >= 0; i = text.indexOf(name, i + 1)) {
          if (!isWordAt(text, i, name, true) || !followsSelector(text, i)) continue;
          const j = declAt(decls, i, (d) => d.start, (d) => d.end, i + name.length);
          if (j < 0) continue;
          const d = decls[j];
          // Only a function that starts goroutines, or a ServeHTTP method, reads the effects of
          // the methods it calls; the methods between only pass them on. So does one that may give
          // a func literal or a method value (`safeGo(p.flush)`) to a function that starts one.
          if (EFFECT_READER.test(d.text) || d.names.includes('ServeHTTP')) add(j);
          else if (reads.has('param-runs') && (FUNC_LITERAL_ARGUMENT.test(d.text) || !CALL_AFTER.test(text.slice(i + name.length, i + name.length + 40)))) add(j);
          if (relevant(d)) for (const n of d.names) if (!seen.has(n)) next.add(n);
        }
      }
      for (const n of next) seen.add(n);
      frontier = next;
    }
  }
  if (reads.has('param-runs')) {
    // Whether `safeGo(func(){…})` starts a goroutine is in safeGo's body, and in those of the
    // functions safeGo passes its func on to, HELPER_DEPTH calls deep: from every changed function
    // that takes a func, re-check the functions that name it, and follow those that take a func
    // too.
    let frontier = new Set(dirty.filter((d) => FUNCTIONS.has(d.type) && takesFunc(d.text)).flatMap((d) => d.names));
    const seen = new Set(frontier);
    for (let step = 0; step <= HELPER_DEPTH && frontier.size > 0; step++) {
      const next = new Set<string>();
      for (const name of frontier) {
        // A function of another file hands its func to this one: its callers here name that one.
        if (pkg.handsTo(name, unit.path)) return undefined;
        for (let i = text.indexOf(name); i >= 0; i = text.indexOf(name, i + 1)) {
          if (!isWordAt(text, i, name, true)) continue;
          const j = declAt(decls, i, (d) => d.start, (d) => d.end, i + name.length);
          if (j < 0) continue;
          add(j);
          if (FUNCTIONS.has(decls[j].type) && takesFunc(decls[j].text)) for (const n of decls[j].names) if (!seen.has(n)) next.add(n);
        }
      }
      for (const n of next) seen.add(n);
      if (seen.size > MAX_NAMES) return undefined;
      frontier = next;
    }
  }
  for (const name of shared) addMentions(name, (i) => isWordAt(text, i, name));
  for (const name of named) addMentions(name, (i) => isWordAt(text, i, name, true));
  for (const name of renamed) addMentions(name, (i) => isWordAt(text, i, name, true) && isFieldMention(text, i, name));

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
  return { decls, rerun, kept, ...(facts.pass ? { pass: facts.pass } : {}) };
}

/**
 * After each analysis, whole-file or incremental, the carried effects of every method of a type
 * with map fields, so that the next edit of one can be compared with what it was (MethodFacts):
 * made from the same pass, whose syntax, accesses and locks the rules mostly worked out already.
 * The rules ask only for the methods of types with a mutex, and the Carry drops what a few
 * analyses in a row left unused: without this, an edit of any other such method found no facts
 * to compare with and re-checked all its callers. Unchanged methods are found by their place.
 */
function warmCarry(pass: Pass, nodes: readonly TopDecl[]): void {
  if (!pass.options.carry) return;
  for (const d of nodes) {
    const t = d.type === 'method_declaration' ? receiverTypeOf(d.text) : undefined;
    if (t && pass.pkg.hasMapFields(t)) pass.resultFor(carriedEffects, d.node);
  }
}

/**
 * What other functions read of a changed method, before or after the edit: its receiver effects
 * as carried (analysis/carry.ts) without their places (which map fields it touches through which
 * selectors, reading or writing, under which locks, after a barrier or not, and the methods it
 * calls on the receiver), with its name and receiver. The facts before the edit come from the
 * document's Carry, made by the last analysis or the last plan; after it, from the new tree.
 * Undefined when they are not known.
 */
class MethodFacts {
  pass?: Pass;

  constructor(
    private readonly unit: SourceUnit,
    private readonly pkg: PackageIndex,
    private readonly options: AnalyzeOptions,
  ) {}

  of(d: Decl, node?: Node): string | undefined {
    const carry = this.options.carry;
    if (!carry || d.type !== 'method_declaration') return undefined;
    let facts: CarriedEffects | undefined;
    if (node) facts = (this.pass ??= Pass.create(this.unit, this.pkg, passOptions(this.options))).resultFor(carriedEffects, node);
    else {
      const kept = carry.peek<CarriedEffects | undefined>(carriedEffects.id, d.text);
      if (!kept) return undefined;
      facts = kept.value;
    }
    const placeless = facts && {
      recv: facts.recv,
      fields: facts.fields.map((f) => [f.path, f.write, [...f.lock.held], f.lock.unsure, f.ordered]),
      calls: facts.calls.map((c) => [c.method, [...c.lock.held], c.lock.unsure, c.ordered]),
    };
    return JSON.stringify([d.names, RECEIVER_TYPE.exec(d.text)?.[0] ?? '', placeless ?? null]);
  }
}

/**
 * Whether the changed declarations say the same to the lock-discipline facts of their types
 * (guarded-fields.ts) before and after the edit: each changed pointer method's facts (MethodFacts)
 * when its type has a mutex and map fields, and how often each changed declaration names a method
 * of a type with map fields (`x.flush`: an unexported method's callers decide its entry locks). A
 * keystroke in a log message or an unrelated statement then re-checks none of the type's other
 * methods.
 */
function sameReceiverFacts(
  before: readonly Decl[],
  after: readonly Decl[],
  afterNodes: readonly TopDecl[],
  methodTypes: readonly [string, string][],
  facts: MethodFacts,
  pkg: PackageIndex,
): boolean {
  if (before.length !== after.length) return false;
  const methodNames = new Set(methodTypes.map(([n]) => n));
  const signature = (d: Decl, node?: Node): string | undefined => {
    // guarded-fields reads the effects of pointer-receiver methods of types with a mutex and map fields.
    const receiver = d.type === 'method_declaration' ? RECEIVER_TYPE.exec(d.text) : null;
    let own: string | undefined = '';
    if (receiver && receiver[0].includes('*') && pkg.hasMapFields(receiver[1]) && hasMutex(pkg, receiver[1])) own = facts.of(d, node);
    if (own === undefined) return undefined;
    const mentions = [...d.text.matchAll(SELECTED)].map((m) => m[1]).filter((n) => methodNames.has(n)).sort();
    return JSON.stringify([d.type, d.names, own, mentions]);
  };
  return sameSignatures(before, after, afterNodes, signature);
}

/** The same multiset of signatures before and after (undefined ones never match). */
function sameSignatures(before: readonly Decl[], after: readonly Decl[], afterNodes: readonly TopDecl[], signature: (d: Decl, node?: Node) => string | undefined): boolean {
  const old: string[] = [];
  for (const d of before) {
    const sig = signature(d);
    if (sig === undefined) return false;
    old.push(sig);
  }
  const now: string[] = [];
  for (let i = 0; i < after.length; i++) {
    const sig = signature(after[i], afterNodes[i].node);
    if (sig === undefined) return false;
    now.push(sig);
  }
  old.sort();
  now.sort();
  return old.length === now.length && old.every((x, i) => x === now[i]);
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

function keyOf(unit: SourceUnit, pkg: PackageIndex, options: AnalyzeOptions): Key {
  const rules = options.rules;
  const path = unit.path;
  const settings = JSON.stringify([options.go, options.language ?? null, rules?.enabled ? [...rules.enabled].sort() : null, rules?.defaultMapSize ?? null, rules?.includeGenerated ?? false]);
  // What no single declaration says; the declarations themselves are compared one by one (planFor),
  // which also covers the package variables they assign (see `shared` there). Whether the file is
  // generated (its header comment, outside every declaration) decides whether the rules run at all.
  const own = [isGenerated(unit.tree) ? 'generated' : '', ...pkg.summaries.filter((s) => s.path === path).map((s) => JSON.stringify([s.path, s.packageName, s.linkname]))];
  // Which types the package registers as gRPC services: a Register call added or removed in any
  // function (or a constructor it names now returning another type) changes which methods of
  // this file run concurrently, and those methods do not name the function that registers them.
  if (declaredDependencies(options).has('registrations')) own.push([...pkg.registeredTypes()].sort().join(','));
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

/** The summaries of this file's declarations, one per top-level node, or undefined if the package was built from another version. */
function ownParts(path: string, pkg: PackageIndex, count: number): readonly DeclSummary[] | undefined {
  const own = pkg.summaries.filter((s) => s.path === path);
  return own.length === 1 && own[0].parts.length === count ? own[0].parts : undefined;
}

function shapeOfPart(d: DeclSummary): string {
  let shape = shapes.get(d);
  if (shape === undefined) shapes.set(d, (shape = shapeOfDecl(d)));
  return shape;
}

/**
 * A declaration's summary without its ranges. Summaries are shared between versions (and a
 * declaration without ranges between places), so this is worked out about once per declaration.
 */
function shapeOfDecl(d: DeclSummary): string {
  if (d.types.length === 0 && d.methods.length === 0 && d.vars.length === 0 && !d.funcs?.length && !d.consts?.length) return '';
  // A function's signature counts: its callers' expression types read its result types.
  return JSON.stringify([
    d.types.map((t) => [t.name, t.kind, shapeOf(t.typeText), t.generic, t.typeParams ?? '', t.alias ?? false, t.fields.map((f) => [f.name, f.embedded, f.typeText, f.valueTypeName ?? '', f.isMapLiteral])]),
    d.methods.map((m) => [m.typeName, m.info.name, m.info.pointerReceiver, m.info.assignedFields.map((a) => a.name), shapeOf(m.info.receiverText), shapeOf(m.info.sig)]),
    d.vars.map((v) => [v.name, v.nilMap, v.typeText, v.standalone, v.init ?? null]),
    (d.funcs ?? []).map((f) => [f.name, shapeOf(f.sig)]),
    (d.consts ?? []).map((c) => [c.name, c.typeText, c.defaultType ?? '']),
  ]);
}

function declOf(top: TopDecl, unit: SourceUnit, part: DeclSummary | undefined): Decl {
  // The blank identifier declares nothing a function can read (`var _ Pusher = (*w)(nil)`), and
  // as a word it is in most functions (`_, err :=`).
  const names = declaredNames(top.node).filter((n) => n !== '_');
  const decl: Decl = {
    type: top.type,
    text: top.text,
    start: top.start,
    end: top.end,
    startByte: unit.lines.byteOffset(top.start),
    endByte: unit.lines.byteOffset(top.end),
    names,
    sig: '',
    words: names,
    specs: undefined,
    types: undefined,
    receiver: top.type === 'method_declaration' ? receiverTypeOf(top.text) : undefined,
  };
  switch (top.type) {
    case 'function_declaration':
    case 'method_declaration':
      // Without a summary (never, in the editor) the text stands in: any change counts.
      decl.sig = part ? shapeOfPart(part) : top.text;
      break;
    case 'type_declaration':
      decl.types = typeShapes(top.node);
      decl.sig = decl.types.map((t) => t.text).join('\n');
      break;
    case 'var_declaration':
    case 'const_declaration':
      decl.sig = withoutComments(top.text);
      break;
    case 'import_declaration':
      decl.specs = importSpecs(top.node);
      decl.sig = decl.specs.map((x) => x.text).join('\n');
      break;
  }
  return decl;
}

/**
 * The same declaration further on. Every Decl has the same fields in the same order, so this is
 * one cheap object shape: a keystroke moves every declaration after it, half a big file.
 */
function movedDecl(d: Decl, by16: number, byBytes: number): Decl {
  return {
    type: d.type,
    text: d.text,
    start: d.start + by16,
    end: d.end + by16,
    startByte: d.startByte + byBytes,
    endByte: d.endByte + byBytes,
    names: d.names,
    sig: d.sig,
    words: d.words,
    specs: d.specs,
    types: d.types,
    receiver: d.receiver,
  };
}

/** Strings (kept whole: a `//` in them starts no comment), then line and block comments. */
const STRINGS_AND_COMMENTS = /"(?:[^"\\\n]|\\.)*"|`[^`]*`|'(?:[^'\\\n]|\\.)*'|\/\/[^\n]*|\/\*[\s\S]*?\*\//g;

/**
 * The text without comments and runs of spaces: what a declaration says. Line breaks stay (one
 * for a run): Go ends a statement, a field or a spec at a line break, so `id int` and `id⏎int` differ.
 */
function withoutComments(text: string): string {
  return text
    .replace(STRINGS_AND_COMMENTS, (m) => (m.startsWith('//') ? '' : m.startsWith('/*') ? (m.includes('\n') ? '\n' : ' ') : m))
    .replace(/[ \t\r\f\v]+/g, ' ')
    .replace(/ ?\n[\s]*/g, '\n')
    .trim();
}

/**
 * The specs of an import declaration as the tree reads them: `"fmt"`, `str "strings"`, `. "math"`,
 * `_ "embed"`. From the tree, not the text, because the analyses read the tree (analyses/imports.ts):
 * in a block broken by a stray line, the parser may take that line's last word as a spec's alias
 * across a line break (`map[string]int⏎"sync"` imports sync as `int`), which a reading of the text
 * would not see, and the functions using `sync` would keep findings the whole file no longer has.
 */
function importSpecs(node: Node): ImportSpec[] {
  const specs: ImportSpec[] = [];
  for (const spec of node.descendantsOfType('import_spec')) {
    const quoted = spec?.childForFieldName('path')?.text;
    if (!spec || quoted === undefined) continue;
    const alias = spec.childForFieldName('name')?.text;
    const path = quoted.slice(1, -1);
    let names: string[] | undefined;
    if (alias === '.') names = undefined;
    else if (alias === '_') names = [];
    else if (alias) names = [alias];
    else {
      // The package name is usually the last element (`yaml` of gopkg.in/yaml.v3, `jwt` of
      // …/jwt/v5, `sqlite3` of …/go-sqlite3): every identifier in it, and the one before a version.
      const elems = path.split('/');
      let last = elems[elems.length - 1] ?? '';
      if (/^v\d+$/.test(last) && elems.length > 1) last = `${elems[elems.length - 2]}/${last}`;
      names = last.split(/[^\p{L}\p{Nd}_]+/u).filter((w) => w !== '');
    }
    specs.push({ text: `${alias ?? ''} ${quoted}`, names });
  }
  return specs;
}

/** The types a type declaration declares, member by member. */
function typeShapes(decl: Node): TypeShape[] {
  const shapes: TypeShape[] = [];
  for (const spec of decl.namedChildren) {
    if (!spec || (spec.type !== 'type_spec' && spec.type !== 'type_alias')) continue;
    const name = spec.childForFieldName('name')?.text ?? '';
    const type = spec.childForFieldName('type');
    const body = type?.type === 'struct_type' ? type.namedChildren.find((c) => c?.type === 'field_declaration_list') : type?.type === 'interface_type' ? type : undefined;
    const members: TypeShape['members'] = [];
    for (const m of body?.namedChildren ?? []) {
      if (!m || m.type === 'comment') continue;
      const text = withoutComments(m.text);
      if (m.type === 'field_declaration') {
        const names = m.childrenForFieldName('name').map((n) => n?.text ?? '').filter((n) => n !== '');
        // An embedded field is named by its type's name (`*pkg.T[int]` → T), and promotes that type's members.
        const embeds = names.length === 0 ? /([\p{L}_][\p{L}\p{Nd}_]*)\s*(?:\[[^\]]*\])?$/u.exec(text.replace(/`[^`]*`|"[^"]*"/g, '').trim())?.[1] : undefined;
        const typed = m.childForFieldName('type');
        const shape = embeds || !typed ? text : `${names.length} ${withoutComments(m.text.slice(typed.startIndex - m.startIndex))}`;
        members.push({ text, names: embeds ? [embeds] : names, shape, embeds });
      } else {
        // A method (`Name(…) …`) or an embedded interface or type set: every identifier in it.
        const method = m.type === 'method_elem' ? m.childForFieldName('name')?.text : undefined;
        members.push({ text, names: method ? [method] : [...new Set(text.match(/[\p{L}_][\p{L}\p{Nd}_]*/gu) ?? [])], shape: text });
      }
    }
    const head = withoutComments(body ? spec.text.slice(0, body.startIndex - spec.startIndex) : spec.text);
    shapes.push({ name, text: withoutComments(spec.text), isInterface: type?.type === 'interface_type', head, members });
  }
  return shapes;
}

/**
 * The names through which other functions read what changed beyond function bodies (see the file
 * comment); undefined when a change reaches every function (a dot import). `sigChanged`: the
 * changed declarations, before and after, whose sig pairs with none on the other side.
 */
function changedNames(before: readonly Decl[], after: readonly Decl[], sigChanged: readonly Decl[], pkg: PackageIndex): ChangedNames | undefined {
  const names = new Set<string>();
  const fields = new Set<string>();
  const done = (): ChangedNames => ({ names, fields });
  for (const d of sigChanged) {
    if (d.sig === '' || d.type === 'import_declaration' || d.type === 'type_declaration') continue;
    for (const w of d.words) names.add(w);
  }
  // Import blocks spec by spec: adding a line to a block of twenty changes one package name.
  const specKey = (x: ImportSpec) => x.text;
  const specsOf = (ds: readonly Decl[]) => ds.flatMap((d) => d.specs ?? []);
  for (const x of [...unmatched(specsOf(before), specsOf(after), specKey), ...unmatched(specsOf(after), specsOf(before), specKey)]) {
    if (!x.names) return undefined;
    for (const n of x.names) names.add(n);
  }
  // Types member by member: a changed field is read by its name, and the type by its own (its
  // size); an embedded type's members are read through the embedding type.
  const typesOf = (ds: readonly Decl[]) => ds.flatMap((d) => d.types ?? []);
  const typeKey = (t: TypeShape) => t.text;
  const oldTypes = typesOf(before);
  const newTypes = typesOf(after);
  const resized = new Set<string>();
  const known = pkg.summaries.flatMap((s) => s.types);
  for (const t of [...unmatched(oldTypes, newTypes, typeKey), ...unmatched(newTypes, oldTypes, typeKey)]) {
    const other = [...oldTypes, ...newTypes].filter((x) => x !== t && x.name === t.name);
    const renamed = renamedFields(t, other, pkg);
    if (renamed) {
      for (const n of renamed) fields.add(n);
      continue;
    }
    names.add(t.name);
    if (!t.isInterface || other.some((x) => !x.isInterface)) resized.add(t.name);
    for (const m of unmatched(t.members, other.flatMap((x) => x.members), (x) => x.text)) {
      for (const n of m.names) names.add(n);
      if (m.embeds) for (const e of known.filter((x) => x.name === m.embeds)) for (const f of e.fields) names.add(f.name);
    }
  }
  if (resized.size === 0 || names.size > MAX_NAMES) return done();
  // A type holding a resized one by value (a field `t T` or `a [4]T`, or `type U T`) changes size
  // with it: add its name and those fields', to a fixed point. Pointers, slices, maps and
  // interfaces hold it by reference.
  for (let grew = true; grew; ) {
    grew = false;
    for (const t of known) {
      if (resized.has(t.name)) continue;
      // A struct by its fields; any other type (`type U [4]T`) by its text.
      const parts = t.kind === 'struct' ? t.fields.map((f) => ({ text: f.typeText, name: f.name })) : [{ text: t.typeText, name: t.name }];
      const held = parts.filter((x) => holdsByValue(x.text, resized));
      if (held.length === 0) continue;
      resized.add(t.name);
      names.add(t.name);
      for (const h of held) names.add(h.name);
      grew = true;
    }
    if (names.size > MAX_NAMES) return done();
  }
  return done();
}

/**
 * The names of the fields of struct `t` that an edit renamed, when that is all it changed: the
 * same type (one before, one after), the same head, and the same members in the same order but
 * for some fields' names. Such fields are read only as `x.name` or `T{name: …}`, and the struct's
 * size and the rest of what any function reads of it stay. Not for a mutex or a field on the way
 * to a map field: which field guards a map, or holds one, is evidence for every method of the
 * type, and those name the type (their receiver), not the field. Undefined for any other change.
 */
function renamedFields(t: TypeShape, other: readonly TypeShape[], pkg: PackageIndex): string[] | undefined {
  const o = other.length === 1 ? other[0] : undefined;
  if (!o || t.isInterface || o.isInterface || t.head !== o.head || t.members.length !== o.members.length) return undefined;
  const onMapPaths = new Set(pkg.mapFieldPaths(t.name).flatMap((p) => p.map((step) => step.field.name)));
  const renamed: string[] = [];
  for (let i = 0; i < t.members.length; i++) {
    const [a, b] = [t.members[i], o.members[i]];
    if (a.text === b.text) continue;
    if (a.shape !== b.shape || a.embeds || b.embeds || MUTEX_FIELD.test(a.shape)) return undefined;
    for (const n of [...a.names, ...b.names]) {
      if (onMapPaths.has(n)) return undefined;
      renamed.push(n);
    }
  }
  return renamed.length > 0 ? renamed : undefined;
}

/** Whether a type written as `text` holds one of `types` by value: `T`, `[4]T`, `T[int]`, `struct{ … T … }`. */
function holdsByValue(text: string, types: ReadonlySet<string>): boolean {
  const t = text.replace(/^(?:\[[^\]]+\]\s*)+/, ''); // `[4]T`, not `[]T`
  if (t.startsWith('struct')) return (t.match(/[\p{L}_][\p{L}\p{Nd}_]*/gu) ?? []).some((w) => types.has(w));
  const head = /^[\p{L}_][\p{L}\p{Nd}_]*/u.exec(t)?.[0];
  return head !== undefined && types.has(head);
}

/** What a declaration says to the others, by kind: declarations with equal keys read the same. */
function sigKey(d: Decl): string {
  return `${d.type}\u0000${d.sig}`;
}

/** The items of `a` left over when each is paired with an equal one of `b` (multisets). */
function unmatched<T>(a: readonly T[], b: readonly T[], key: (x: T) => string): T[] {
  const counts = new Map<string, number>();
  for (const x of b) counts.set(key(x), (counts.get(key(x)) ?? 0) + 1);
  return a.filter((x) => {
    const k = key(x);
    const c = counts.get(k) ?? 0;
    if (c === 0) return true;
    counts.set(k, c - 1);
    return false;
  });
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
        if (c.type.endsWith('_spec_list')) {
          for (const x of c.namedChildren) if (x) specs.push(x);
        } else specs.push(c);
      }
      return specs.flatMap((spec) => spec.childrenForFieldName('name').map((n) => n?.text).filter((n): n is string => n !== undefined));
    }
    default:
      return [];
  }
}

/**
 * Whether the word `name` at `i` may read a field: after a dot (`x.name`, `f().name`, across
 * spaces and lines), or as a key before a colon (`T{name: v}`). Every read of a field is one of these.
 */
function isFieldMention(text: string, i: number, name: string): boolean {
  const k = blanksBefore(text, i);
  // A comment between the dot and the name (`x. /* … */ name`, or `x. // …` and the name on the
  // next line) counts too: never seen, but Go allows it.
  if (text[k - 1] === '.' || text[k - 1] === '/') return true;
  if (text.slice(k, i).includes('\n') && text.lastIndexOf('//', k) > text.lastIndexOf('\n', k - 1)) return true;
  return FIELD_KEY.test(text.slice(i + name.length, i + name.length + 40));
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
