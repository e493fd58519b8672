// What one package (the files of a directory with the same package clause) declares, merged from
// the files' summaries: named types with their map fields, methods, and package-level variables.
import { guessedImportName, type FileImport, type ImportGraph, type PackageContext } from './imports';
import type { Registration } from './registrations';
import type { FileSummary } from './summary';
import type { ConstInfo, FieldInfo, FuncInfo, MethodInfo, PackageVar, TypeInfo } from './types';

export interface FieldStep {
  field: FieldInfo;
  owner: TypeInfo;
}

/** How a function of the package runs a func argument (PackageIndex.paramRun). */
export interface PackageRun {
  goroutine: boolean;
  /** The function called, and its file. */
  name: string;
  file: string;
}

export class PackageIndex {
  readonly types: Layers<TypeInfo>;
  private readonly vars: Layers<PackageVar>;
  readonly funcs: Layers<FuncInfo>;
  readonly consts: Layers<ConstInfo>;
  private readonly importsByFile: Layers<readonly FileImport[]>;
  /** The package clause's name ('' without files). */
  readonly name: string;
  private readonly linkname: boolean;
  /**
   * What the first file declares, and the others: the editor's own file comes first, and its
   * siblings' summaries stay the same objects while it is edited, so their layer is made once.
   */
  private readonly first: Declared;
  private readonly rest: Declared;

  /** Its import path, when the loader that made it knows it. */
  readonly importPath?: string;
  /** How it reaches the packages its files import; undefined: it knows only itself. */
  readonly graph?: ImportGraph;

  /**
   * `previous`: an index of the same package before an edit (the editor makes one per keystroke).
   * What it worked out about other packages and about which types hold maps is kept when the edit
   * changed nothing that depends on: the same import graph, the same imports, the same types.
   */
  constructor(
    readonly summaries: readonly FileSummary[],
    context: PackageContext = {},
    previous?: PackageIndex,
  ) {
    this.importPath = context.importPath;
    this.graph = context.graph;
    this.first = new Declared(summaries.slice(0, 1));
    this.rest = previous?.rest.madeOf(summaries, 1) ? previous.rest : new Declared(summaries.slice(1));
    // A name declared twice is a compile error (Go reports the second as redeclared): the first
    // declaration stands, so a duplicate typed below it (in the editor) changes nothing the index says.
    this.types = new Layers(this.first.types, this.rest.types);
    this.vars = new Layers(this.first.vars, this.rest.vars);
    this.funcs = new Layers(this.first.funcs, this.rest.funcs);
    this.consts = new Layers(this.first.consts, this.rest.consts);
    this.importsByFile = new Layers(this.first.importsByFile, this.rest.importsByFile);
    this.linkname = this.first.linkname || this.rest.linkname;
    this.name = summaries[0]?.packageName ?? '';
    // With the other files' layer kept, only the first file's imports and types can differ.
    const sameRest = previous?.rest === this.rest;
    if (
      previous &&
      previous.graph === this.graph &&
      previous.importPath === this.importPath &&
      (sameRest ? sameImports(previous.first.importsByFile, this.first.importsByFile) : sameImports(previous.importsByFile, this.importsByFile))
    ) {
      this.importMemo = previous.importMemo;
      this.importPaths = previous.importPaths;
      // Another package's types hold no range of this package's files: they stay true as they are.
      this.foreignTypes = previous.foreignTypes;
      if (sameRest ? sameTypes(previous.first.types, this.first.types) : sameTypes(previous.types, this.types)) this.mapFields = previous.mapFields;
    }
  }

  /** A package-level variable by name. */
  variable(name: string): PackageVar | undefined {
    return this.vars.get(name);
  }

  private readonly byMethodName = new Map<string, readonly MethodInfo[]>();

  /** Every method of the package's types with this name, whatever its receiver. */
  methodsNamed(name: string): readonly MethodInfo[] {
    let list = this.byMethodName.get(name);
    if (!list) this.byMethodName.set(name, (list = joined(this.first.methodsNamed(name), this.rest.methodsNamed(name))));
    return list;
  }

  /**
   * How the package's function `callee` (or, with `method`, every method of that name, which must
   * agree) runs its func argument `arg`, from the summaries (param-facts.ts), following hand-overs
   * `depth` calls deep: in a goroutine it starts, or in its caller's; undefined when it may not run
   * it, or when unsure. `name` and `file` are the callee's.
   */
  paramRun(callee: string, method: boolean, arg: number, depth: number): PackageRun | undefined {
    const f = method ? undefined : this.funcs.get(callee);
    const infos: readonly (FuncInfo | MethodInfo)[] = method ? this.methodsNamed(callee) : f ? [f] : [];
    let found: PackageRun | undefined;
    for (const info of infos) {
      const r = this.paramRunOf(info, arg, depth);
      if (!r || (found && found.goroutine !== r.goroutine)) return undefined;
      found ??= r;
    }
    return found;
  }

  private registered?: Set<string>;

  /**
   * The package's types whose values some function of the package registers as a gRPC service
   * (`pb.RegisterXxxServer(s, &impl{})`, registrations.ts): the server runs their RPC methods
   * concurrently. Only a Register function of an imported package counts, and only a type of
   * this package, named or returned (`T` or `*T`) by a function of it.
   */
  registeredTypes(): ReadonlySet<string> {
    if (!this.registered) {
      const registered = new Set<string>();
      // Asked on every keystroke (the editor's key): each layer lists its few registering calls once.
      for (const { file, r } of [...this.first.registrations(), ...this.rest.registrations()]) {
        if (!this.importsName(file, r.qualifier)) continue;
        const t = r.type ?? resultTypeName(this.funcs.get(r.call ?? '')?.sig);
        if (t !== undefined && this.types.has(t)) registered.add(t);
      }
      this.registered = registered;
    }
    return this.registered;
  }

  /** Whether a function or method of a file other than `file` hands a func parameter to a function or method named `name`. */
  handsTo(name: string, file: string): boolean {
    return [this.first, this.rest].some((layer) => elsewhere(layer.handOvers().get(name), file));
  }

  private readonly spawners = new Map<string, ReadonlySet<string>>();

  /**
   * The names of the functions and methods of the package's files other than `file` whose
   * summaries say they may run a func parameter in a goroutine (themselves or by handing it on).
   */
  spawnersOutside(file: string): ReadonlySet<string> {
    let names = this.spawners.get(file);
    if (!names) {
      const found = new Set<string>();
      for (const layer of [this.first, this.rest]) for (const [name, files] of layer.spawners()) if (elsewhere(files, file)) found.add(name);
      this.spawners.set(file, (names = found));
    }
    return names;
  }

  /** How one function or method of the package runs its func argument `arg` (see paramRun). */
  paramRunOf(info: FuncInfo | MethodInfo, arg: number, depth: number): PackageRun | undefined {
    for (const fact of info.runs ?? []) {
      if (fact.param !== arg) continue;
      if (!fact.via) return { goroutine: fact.goroutine, name: info.name, file: info.file };
      // `q.F(f)` of a package the file imports calls no function of this one.
      if (depth <= 0 || (fact.via.qualifier !== undefined && this.importsName(info.file, fact.via.qualifier))) continue;
      const inner = this.paramRun(fact.via.callee, fact.via.method, fact.via.arg, depth - 1);
      // A goroutine the callee starts may be waited for after the hand-over.
      if (!inner || (!fact.goroutine && inner.goroutine && fact.waitsAfter)) continue;
      return { goroutine: fact.goroutine || inner.goroutine, name: info.name, file: info.file };
    }
    return undefined;
  }

  /** The methods declared on a named type of this package. */
  methodsOf(typeName: string): readonly MethodInfo[] {
    let list = this.methodLists.get(typeName);
    if (!list) this.methodLists.set(typeName, (list = joined(this.first.methods.get(typeName) ?? [], this.rest.methods.get(typeName) ?? [])));
    return list;
  }

  private readonly methodLists = new Map<string, readonly MethodInfo[]>();

  /**
   * The package a file of this one names `name` by its imports (`http` in `http.Get`), through the
   * import graph; undefined when no import binds that name or the graph cannot find the package.
   */
  imported(file: string, name: string): PackageIndex | undefined {
    if (!this.graph || name === '_' || name === '.') return undefined;
    const key = `${file}\u0000${name}`;
    if (this.importMemo.has(key)) return this.importMemo.get(key);
    let found: PackageIndex | undefined;
    let count = 0;
    for (const imp of this.importsByFile.get(file) ?? []) {
      if (imp.alias === '_' || imp.alias === '.') continue;
      if (imp.alias !== undefined && imp.alias !== name) continue;
      if (imp.alias === undefined && this.nameAt(imp.path) !== name) continue;
      found = this.graph.package(imp.path);
      count++;
    }
    // Two imports binding one name do not compile: know nothing.
    if (count !== 1) found = undefined;
    this.importMemo.set(key, found);
    return found;
  }

  private readonly importMemo: Map<string, PackageIndex | undefined> = new Map();

  /** The name an import of this path binds without an alias, if the graph finds the package. */
  private nameAt(path: string): string | undefined {
    return this.graph?.nameOf ? this.graph.nameOf(path) : this.graph?.package(path)?.name;
  }

  /** Whether a file of this package binds `name` to an import (known package or not). */
  importsName(file: string, name: string): boolean {
    for (const imp of this.importsByFile.get(file) ?? []) {
      if (imp.alias === '_' || imp.alias === '.') continue;
      if (imp.alias !== undefined ? imp.alias === name : guessedImportName(imp.path) === name || this.nameAt(imp.path) === name) return true;
    }
    return false;
  }

  /** The packages a file imports with `.`, when the graph knows them all (else undefined: any name may come from one). */
  dotImports(file: string): PackageIndex[] | undefined {
    const out: PackageIndex[] = [];
    for (const imp of this.importsByFile.get(file) ?? []) {
      if (imp.alias !== '.') continue;
      const p = this.graph?.package(imp.path);
      if (!p) return undefined;
      out.push(p);
    }
    return out;
  }

  /**
   * Whether some type of the package may satisfy `p`: a pre-filter, answered once per layer and
   * predicate (a type that another file's of the same name shadows may count, never a miss).
   */
  mayHaveType(p: (t: TypeInfo) => boolean): boolean {
    return this.first.anyType(p) || this.rest.anyType(p);
  }

  private _varNames?: string[];

  /** The names of the package-level variables (not `_`). */
  varNames(): string[] {
    this._varNames ??= [...this.vars.keys()].filter((n) => n !== '_');
    return this._varNames;
  }

  /** The `map[K]V` a type name stands for, when it is a map type (see typeNamed). */
  mapTypeOf(typeName: string | undefined): TypeInfo | undefined {
    const t = this.typeNamed(typeName);
    return t?.kind === 'map' ? t : undefined;
  }

  struct(typeName: string | undefined): TypeInfo | undefined {
    const t = this.typeNamed(typeName);
    return t?.kind === 'struct' ? t : undefined;
  }

  method(typeName: string, name: string): MethodInfo | undefined {
    const local = this.methodsOf(typeName).find((m) => m.name === name);
    if (local || !this.graph || !/[.#]/.test(typeName)) return local;
    const f = this.foreign(typeName);
    return f?.pkg.method(f.name, name);
  }

  /**
   * A named type by the name the rules give it: `T` of this package, `q.T` of the package a file
   * imports as `q` (every file that imports `q` must agree on the path), or `path#T`, the name
   * the fields of another package's types give the types of that package. Another package's type
   * comes with its fields' type names in that last form, and their texts qualified by its name.
   */
  typeNamed(typeName: string | undefined): TypeInfo | undefined {
    if (!typeName) return undefined;
    const local = this.types.get(typeName);
    if (local || !this.graph || !/[.#]/.test(typeName)) return local;
    if (this.foreignTypes.has(typeName)) return this.foreignTypes.get(typeName) ?? undefined;
    let found: TypeInfo | undefined;
    const f = this.foreign(typeName);
    const t = f?.pkg.types.get(f.name);
    if (f && t) {
      const p = f.pkg;
      const qualify = (text: string) => text.replace(/(?<![.\w])([\p{L}_][\p{L}\p{Nd}_]*)(?![\w.])/gu, (m) => (p.types.has(m) && p.name ? `${p.name}.${m}` : m));
      found = {
        ...t,
        name: typeName,
        typeText: qualify(t.typeText),
        fields: t.fields.map((x) => ({ ...x, typeText: qualify(x.typeText), valueTypeName: p.canonicalName(x.valueTypeName, f.path) })),
      };
    }
    this.foreignTypes.set(typeName, found ?? null);
    return found;
  }

  private readonly foreignTypes: Map<string, TypeInfo | null> = new Map();

  /** `q.T` or `path#T` → the package and the type's own name there. */
  private foreign(typeName: string): { pkg: PackageIndex; name: string; path: string } | undefined {
    const hash = typeName.lastIndexOf('#');
    let path: string | undefined;
    let name: string;
    if (hash >= 0) {
      path = typeName.slice(0, hash);
      name = typeName.slice(hash + 1);
    } else {
      const dot = typeName.indexOf('.');
      name = typeName.slice(dot + 1);
      // Only exported names are reachable through a qualifier.
      if (!/^\p{Lu}/u.test(name)) return undefined;
      path = this.importPathOf(typeName.slice(0, dot));
    }
    const pkg = path ? this.graph?.package(path) : undefined;
    return pkg && path ? { pkg, name, path } : undefined;
  }

  /** A type name as one of this package's declarations writes it, made canonical (`path#T`) for a package that imports this one. */
  private canonicalName(name: string | undefined, ownPath: string): string | undefined {
    if (name === undefined) return undefined;
    if (name.includes('#')) return name;
    const dot = name.indexOf('.');
    if (dot < 0) return `${this.importPath ?? ownPath}#${name}`;
    const path = this.importPathOf(name.slice(0, dot));
    return path ? `${path}#${name.slice(dot + 1)}` : undefined;
  }

  private readonly importPaths: Map<string, string | undefined> = new Map();

  /** The import path every file of the package that binds `q` binds it to; undefined if none or they differ. */
  private importPathOf(q: string): string | undefined {
    if (this.importPaths.has(q)) return this.importPaths.get(q);
    const path = this.bindingOf(q);
    this.importPaths.set(q, path);
    return path;
  }

  private bindingOf(q: string): string | undefined {
    let path: string | undefined;
    for (const imports of this.importsByFile.values()) {
      for (const imp of imports) {
        if (imp.alias === '_' || imp.alias === '.') continue;
        const binds = imp.alias !== undefined ? imp.alias === q : this.nameAt(imp.path) === q;
        if (!binds) continue;
        if (path !== undefined && path !== imp.path) return undefined;
        path = imp.path;
      }
    }
    return path;
  }

  isMapField(field: FieldInfo): boolean {
    return !field.embedded && (field.isMapLiteral || this.mapTypeOf(field.valueTypeName) !== undefined);
  }

  /**
   * Resolves `x.a.b` on a value of struct type `typeName` to the fields it walks, promoting through
   * embedded structs held by value (Go's shallowest-depth rule; an ambiguous name resolves to
   * nothing). Undefined when a step is not a field we know: a method, a pointer embedding, a
   * type from another package.
   */
  resolveFields(typeName: string, selectors: readonly string[]): FieldStep[] | undefined {
    const steps: FieldStep[] = [];
    let current = this.struct(typeName);
    for (const sel of selectors) {
      if (!current) return undefined;
      const path = this.findField(current, sel);
      if (!path) return undefined;
      for (const s of path) steps.push(s);
      const last = path[path.length - 1].field;
      current = this.struct(last.valueTypeName);
    }
    return steps;
  }

  private readonly mapFields: Map<string, boolean> = new Map();

  /** `typeName` is a struct of this package with a map-typed field somewhere (see mapFieldPaths). */
  hasMapFields(typeName: string): boolean {
    let v = this.mapFields.get(typeName);
    if (v === undefined) this.mapFields.set(typeName, (v = this.struct(typeName) !== undefined && this.mapFieldPaths(typeName).length > 0));
    return v;
  }

  /** Every field path from `typeName` to a map-typed field, through struct fields held by value. */
  mapFieldPaths(typeName: string, depth = 4): FieldStep[][] {
    const out: FieldStep[][] = [];
    const walk = (t: TypeInfo, prefix: FieldStep[], seen: Set<string>) => {
      for (const field of t.fields) {
        const step = { field, owner: t };
        if (this.isMapField(field)) out.push([...prefix, step]);
        const inner = this.struct(field.valueTypeName);
        if (inner && !seen.has(inner.name) && prefix.length + 1 < depth) {
          walk(inner, [...prefix, step], new Set([...seen, inner.name]));
        }
      }
    };
    const root = this.struct(typeName);
    if (root) walk(root, [], new Set([root.name]));
    return out;
  }

  /**
   * A package-level variable that is nil forever: unexported (no other package can assign it),
   * declared with a map type and no value, never assigned or address-taken in any file of the
   * package, and no `//go:linkname` anywhere that could reach it.
   */
  neverAssignedNilMap(name: string): PackageVar | undefined {
    const v = this.vars.get(name);
    // Asked of the few nil map variables: no union of every file's names, made on each keystroke.
    if (!v || !v.nilMap || this.linkname || this.summaries.some((s) => s.assignedNames.has(name))) return undefined;
    if (name[0] !== name[0].toLowerCase() || name[0] === '_') return undefined;
    if (!v.typeText.startsWith('map[') && !this.mapTypeOf(v.typeText)) return undefined;
    return v;
  }

  private findField(t: TypeInfo, name: string): FieldStep[] | undefined {
    // Breadth-first by embedding depth: the shallowest match wins, two at one depth are ambiguous.
    let level: { type: TypeInfo; path: FieldStep[] }[] = [{ type: t, path: [] }];
    const seen = new Set<string>([t.name]);
    // An embedded type we cannot look into (another package's, or behind a pointer) may hold the
    // name at a shallower depth than a match found further down: then we cannot say which wins.
    let opaqueAbove = false;
    while (level.length > 0) {
      const found: FieldStep[][] = [];
      const next: { type: TypeInfo; path: FieldStep[] }[] = [];
      let opaqueHere = false;
      for (const { type, path } of level) {
        for (const field of type.fields) {
          const step = [...path, { field, owner: type }];
          if (field.name === name) found.push(step);
          else if (field.embedded) {
            const inner = this.struct(field.valueTypeName);
            if (!inner) opaqueHere = true;
            else if (!seen.has(inner.name)) {
              seen.add(inner.name);
              next.push({ type: inner, path: step });
            }
          }
        }
      }
      if (found.length > 0) return found.length === 1 && !opaqueAbove ? found[0] : undefined;
      opaqueAbove ||= opaqueHere;
      level = next;
    }
    return undefined;
  }
}

/** Values by name, in one map or two layers. */
type Named<V extends object> = Layers<V> | ReadonlyMap<string, V>;

function sameImports(a: Named<readonly FileImport[]>, b: Named<readonly FileImport[]>): boolean {
  if (a.size !== b.size) return false;
  for (const [file, xs] of a.entries()) {
    const ys = b.get(file);
    if (!ys || ys.length !== xs.length || xs.some((x, i) => x.path !== ys[i].path || x.alias !== ys[i].alias)) return false;
  }
  return true;
}

/** The same named types with the same fields: what hasMapFields reads (ranges aside). */
function sameTypes(a: Named<TypeInfo>, b: Named<TypeInfo>): boolean {
  if (a.size !== b.size) return false;
  for (const [name, x] of a.entries()) {
    const y = b.get(name);
    if (!y) return false;
    if (x === y) continue;
    if (x.kind !== y.kind || x.typeText !== y.typeText || x.generic !== y.generic || x.alias !== y.alias || x.fields.length !== y.fields.length) return false;
    for (let i = 0; i < x.fields.length; i++) {
      const f = x.fields[i];
      const g = y.fields[i];
      if (f.name !== g.name || f.embedded !== g.embedded || f.typeText !== g.typeText || f.valueTypeName !== g.valueTypeName || f.isMapLiteral !== g.isMapLiteral) return false;
    }
  }
  return true;
}

/** `T` of a signature whose one result is `T` or `*T` (`(addr string) *server`), without type parameters. */
function resultTypeName(sig: string | undefined): string | undefined {
  if (sig === undefined || sig.startsWith('[')) return undefined;
  return /\)[ \t]*\*?[ \t]*([\p{L}_][\p{L}\p{Nd}_]*)[ \t]*$/u.exec(sig.trim())?.[1];
}

/** What a run of files declares, merged in their order: the first declaration of a name stands. */
class Declared {
  readonly types = new Map<string, TypeInfo>();
  readonly methods = new Map<string, MethodInfo[]>();
  readonly vars = new Map<string, PackageVar>();
  readonly funcs = new Map<string, FuncInfo>();
  readonly consts = new Map<string, ConstInfo>();
  readonly importsByFile = new Map<string, readonly FileImport[]>();
  readonly linkname: boolean;

  constructor(readonly summaries: readonly FileSummary[]) {
    let linkname = false;
    const first = <T>(m: Map<string, T>, name: string, v: T) => {
      if (!m.has(name)) m.set(name, v);
    };
    for (const s of summaries) {
      for (const t of s.types) first(this.types, t.name, t);
      for (const [name, list] of s.methods) {
        const all = this.methods.get(name);
        // A copy, never the summary's own list: the summaries outlive this index.
        if (!all) this.methods.set(name, list.slice());
        else for (const m of list) all.push(m);
      }
      for (const v of s.vars) first(this.vars, v.name, v);
      // Summaries made before these fields existed (a cache) lack them: such a package knows no funcs.
      for (const f of s.funcs ?? []) first(this.funcs, f.name, f);
      for (const c of s.consts ?? []) first(this.consts, c.name, c);
      this.importsByFile.set(s.path, s.imports ?? []);
      linkname ||= s.linkname;
    }
    this.linkname = linkname;
  }

  /** Whether it was made of `summaries` from `from` on, the same objects. */
  madeOf(summaries: readonly FileSummary[], from: number): boolean {
    if (summaries.length - from !== this.summaries.length) return false;
    for (let i = 0; i < this.summaries.length; i++) if (summaries[from + i] !== this.summaries[i]) return false;
    return true;
  }

  private registering?: { file: string; r: Registration }[];

  /** The gRPC registrations its functions make (registrations.ts), with their files. */
  registrations(): readonly { file: string; r: Registration }[] {
    if (!this.registering) {
      this.registering = [];
      for (const { file, f } of this.functions()) for (const r of f.registers ?? []) this.registering.push({ file, r });
    }
    return this.registering;
  }

  private handing?: Map<string, Set<string>>;

  /** The names of the functions its functions hand a func parameter to, with the files of those that do. */
  handOvers(): ReadonlyMap<string, ReadonlySet<string>> {
    if (!this.handing) {
      this.handing = new Map();
      for (const { file, f } of this.functions()) for (const r of f.runs ?? []) if (r.via) addTo(this.handing, r.via.callee, file);
    }
    return this.handing;
  }

  private spawning?: Map<string, Set<string>>;

  /** The names of its functions and methods that may run a func parameter in a goroutine, with their files. */
  spawners(): ReadonlyMap<string, ReadonlySet<string>> {
    if (!this.spawning) {
      this.spawning = new Map();
      for (const { file, f } of this.functions()) if (f.runs?.some((r) => r.goroutine || r.via)) addTo(this.spawning, f.name, file);
    }
    return this.spawning;
  }

  /** Every function and method, with its file. */
  private *functions(): IterableIterator<{ file: string; f: FuncInfo | MethodInfo }> {
    for (const s of this.summaries) {
      for (const f of s.funcs ?? []) yield { file: s.path, f };
      for (const ms of s.methods.values()) for (const f of ms) yield { file: s.path, f };
    }
  }

  private readonly typeChecks = new Map<(t: TypeInfo) => boolean, boolean>();

  anyType(p: (t: TypeInfo) => boolean): boolean {
    let v = this.typeChecks.get(p);
    if (v === undefined) {
      v = false;
      for (const t of this.types.values()) {
        if (!p(t)) continue;
        v = true;
        break;
      }
      this.typeChecks.set(p, v);
    }
    return v;
  }

  private byName?: Map<string, MethodInfo[]>;

  methodsNamed(name: string): readonly MethodInfo[] {
    if (!this.byName) {
      this.byName = new Map();
      for (const list of this.methods.values()) {
        for (const m of list) {
          const same = this.byName.get(m.name);
          if (same) same.push(m);
          else this.byName.set(m.name, [m]);
        }
      }
    }
    return this.byName.get(name) ?? [];
  }
}

/** Two maps read as one: the first's entries, then those of the second whose names the first lacks. */
export class Layers<V extends object> {
  constructor(
    private readonly a: ReadonlyMap<string, V>,
    private readonly b: ReadonlyMap<string, V>,
  ) {}

  /** Values are declarations, never undefined: a miss in the first map is a name it lacks. */
  get(name: string): V | undefined {
    return this.a.get(name) ?? this.b.get(name);
  }

  has(name: string): boolean {
    return this.a.has(name) || this.b.has(name);
  }

  get size(): number {
    let n = this.a.size;
    for (const k of this.b.keys()) if (!this.a.has(k)) n++;
    return n;
  }

  *entries(): IterableIterator<[string, V]> {
    yield* this.a.entries();
    for (const e of this.b.entries()) if (!this.a.has(e[0])) yield e;
  }

  *keys(): IterableIterator<string> {
    for (const [k] of this.entries()) yield k;
  }

  *values(): IterableIterator<V> {
    for (const [, v] of this.entries()) yield v;
  }
}

/** Two lists as one, without a copy when one is empty. */
function joined<T>(a: readonly T[], b: readonly T[]): readonly T[] {
  return a.length === 0 ? b : b.length === 0 ? a : [...a, ...b];
}

function addTo(m: Map<string, Set<string>>, name: string, file: string): void {
  const files = m.get(name);
  if (files) files.add(file);
  else m.set(name, new Set([file]));
}

/** Whether one of `files` is not `file`. */
function elsewhere(files: ReadonlySet<string> | undefined, file: string): boolean {
  if (!files) return false;
  for (const f of files) if (f !== file) return true;
  return false;
}
