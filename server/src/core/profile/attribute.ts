// Map costs from pprof profiles, attributed to the map sites of the code. Each sample goes to its
// innermost user frame and line (the first frame in a file of the code being looked at). Heap
// profiles trim the runtime's frames, so an allocation lands on the user's line itself; CPU profiles
// keep them, and the frame just inside the user's says which map operation it was (and any growth
// or evacuation frame below it, that it was growth). Then the line decides:
//  - a line that creates a site (`make`, a literal's lines) holds its initial allocation;
//  - a line that writes a site's map holds its growth; a write through a parameter is followed to
//    the caller's line, a package variable or struct field to the package's make calls for it;
//  - a line whose writes could be several maps is split by allocation size when only one of them
//    can make that size, and otherwise reported as ambiguous: never guessed.
// Sizes a site's map cannot make (the engine says which it can) are other allocations on the line.
// Then the engine turns each site's allocations into the entries it held (infer.ts).
import type { ByteRange } from '../findings';
import { formatCount } from '../../../../common/format';
import type { GoVersion } from '../go-version';
import type { MapSite } from '../sites';
import { engineTarget } from '../timelines';
import { valueIndex, type DecodedProfile, type Frame, type ProfileKind, type Sample } from './decode';
import { implOfFrame, isGrowthFrame, isRuntimeFrame, mapOpOf } from './frames';
import { allocationSizes, resolveGoTarget, type AllocationSizes } from '../engine';
import { bytesWithHint, hintForInitial, inferSize, maxOf, type EngineTarget, type SizeRange } from './infer';
import { mergeTargets, type SiteLines, type SiteRef, type Target } from './site-lines';

/** Where the attribution reads the code a profile names. The front end owns the parsed files. */
export interface ProfileSources {
  /** The local file a path recorded in the profile stands for, or undefined when it is not part of the code. */
  localFile(profilePath: string): string | undefined;
  /** A local file's sites and line roles; undefined when it cannot be read. */
  lines(file: string): SiteLines | undefined;
  /** The .go files of a local file's package, itself included. */
  packageFiles(file: string): string[];
}

export interface AttributionOptions {
  /** The Go the code targets: it decides the engine's map implementation unless the profile's frames show the other one. */
  go: GoVersion;
  /** A site whose growth takes at least this share of the profile (bytes allocated, or CPU) is hot. Default 0.01. */
  hotShare?: number;
}

export interface HeapFigures {
  allocBytes: number;
  allocObjects: number;
  inuseBytes: number;
  inuseObjects: number;
}

export interface MeasuredSite {
  file: string;
  /** MapSite.id in that file (its start byte offset). */
  siteId: string;
  /** 1-based line and UTF-8 byte column. */
  line: number;
  column: number;
  /** The make call or literal, in UTF-8 byte offsets of the text attributed. */
  range: ByteRange;
  kind: MapSite['kind'];
  type: string;
  name?: string;
  function?: string;
  /** The hint as written. */
  hint?: string;
  /** Heap: what the creation allocated, what growth allocated (all maps the site made). */
  initial: HeapFigures;
  growth: HeapFigures;
  /** Separately allocated keys or values (> 128 bytes), one per entry: neither initial nor growth. */
  entryBytes: number;
  /** Allocations on the site's lines that its map cannot make (another value built on the same line). */
  otherBytes: number;
  /** Maps the site made, counted by their headers, when the profile shows them. */
  maps?: number;
  /** The largest allocation recorded for the map. */
  largestBytes?: number;
  /** CPU: time in assignments on the site's write lines, the growth and evacuation part of it, and in the creation. */
  cpu?: { assignNanos: number; growthNanos: number; makeNanos: number };
  /** Growth's share of the profile: of all bytes allocated (heap) and of all CPU time (CPU). */
  share: { bytes?: number; cpu?: number };
  /** The entries the largest map held, inferred from its allocations with the engine. */
  inferred?: SizeRange;
  /** A hint covering the inferred size, what the map would allocate with it, and what that saves over the measured bytes. */
  suggestion?: { hint: number; expr?: string; withHintBytes: number; saves?: number };
  hot: boolean;
  notes: string[];
}

/** A write line whose map could be more than one site, and the costs it was not split into. */
export interface AmbiguousLine {
  file: string;
  line: number;
  candidates: { siteId: string; line: number; name?: string }[];
  reason: string;
  allocBytes: number;
  cpuNanos: number;
}

/** Map costs on a line that writes no site MapScope could link (a map from elsewhere, a map in a map, a struct field it cannot tie to one make). */
export interface UnlinkedLine {
  file: string;
  line: number;
  expr: string;
  allocBytes: number;
  cpuNanos: number;
}

export interface ProfileSummary {
  kind: ProfileKind;
  samples: number;
  /** Heap: the sampling rate in bytes; CPU: nanoseconds between samples. */
  period: number;
  durationNanos: number;
}

export interface ProfileReport {
  profiles: ProfileSummary[];
  go: string;
  impl: EngineTarget['impl'];
  /** Heap: bytes allocated in the whole profile; CPU: CPU time of the whole profile. */
  totals: { allocBytes?: number; cpuNanos?: number };
  /** Ranked by growth cost: bytes allocated by growth, then CPU time in growth. */
  sites: MeasuredSite[];
  ambiguous: AmbiguousLine[];
  unlinked: UnlinkedLine[];
  notes: string[];
}

const DEFAULT_HOT_SHARE = 0.01;

interface Rec {
  file: string;
  line: number;
  role: 'initial' | 'growth';
  candidates: SiteRef[];
  /** A candidate may hold a map that is not a site. */
  open: boolean;
  size?: number;
  heap?: HeapFigures;
  cpuNanos?: number;
  cpuGrowth?: boolean;
}

const key = (r: SiteRef) => `${r.file}\0${r.id}`;

/** Attributes the map costs in the profiles (one or more, heap and CPU) to the sites of the code. */
export function attributeProfiles(profiles: readonly DecodedProfile[], sources: ProfileSources, options: AttributionOptions): ProfileReport {
  const records: Rec[] = [];
  const unlinked = new Map<string, UnlinkedLine>();
  const totals: ProfileReport['totals'] = {};
  const evidence = { classic: 0, swiss: 0 };
  let heapRate = 0;
  const walker = new Walker(sources);

  for (const p of profiles) {
    if (p.kind === 'heap') heapRate = Math.max(heapRate, p.period);
    const ix = { ao: valueIndex(p, 'alloc_objects'), ab: valueIndex(p, 'alloc_space'), io: valueIndex(p, 'inuse_objects'), ib: valueIndex(p, 'inuse_space'), cpu: valueIndex(p, 'cpu') };
    const isHeap = p.kind === 'heap';
    for (const s of p.samples) {
      if (isHeap) totals.allocBytes = (totals.allocBytes ?? 0) + s.values[ix.ab];
      else totals.cpuNanos = (totals.cpuNanos ?? 0) + s.values[ix.cpu];
      for (const f of s.frames) {
        const impl = implOfFrame(f.fn);
        if (impl) evidence[impl]++;
      }
      const r = walker.classify(p.kind, s);
      if (!r) continue;
      const heap = isHeap ? { allocObjects: s.values[ix.ao], allocBytes: s.values[ix.ab], inuseObjects: s.values[ix.io], inuseBytes: s.values[ix.ib] } : undefined;
      const cpuNanos = isHeap ? undefined : s.values[ix.cpu];
      if (r.kind === 'unlinked') {
        const k = `${r.file}\0${r.line}`;
        const u = unlinked.get(k) ?? { file: r.file, line: r.line, expr: r.expr, allocBytes: 0, cpuNanos: 0 };
        u.allocBytes += heap?.allocBytes ?? 0;
        u.cpuNanos += cpuNanos ?? 0;
        unlinked.set(k, u);
        continue;
      }
      records.push({
        file: r.file, line: r.line, role: r.role, candidates: r.candidates, open: r.open,
        ...(s.blockSize ? { size: s.blockSize } : {}),
        ...(heap ? { heap } : {}),
        ...(cpuNanos !== undefined ? { cpuNanos, cpuGrowth: r.growth } : {}),
      });
    }
  }

  // The map implementation: what the frames show, else what the code's Go uses.
  const notes: string[] = [];
  const natural = engineTarget(options.go);
  const shown = evidence.swiss > evidence.classic ? 'swiss' : evidence.classic > evidence.swiss ? 'classic' : undefined;
  const target: EngineTarget = engineTarget(options.go, shown);
  if (shown && shown !== natural.impl) notes.push(`the profile's runtime frames are of ${shown} maps, but Go ${natural.go} uses ${natural.impl} maps: modelled as ${shown} (Go ${target.go})`);

  return new Finisher(sources, target, heapRate, options.hotShare ?? DEFAULT_HOT_SHARE, totals, notes).finish(records, [...unlinked.values()], profiles);
}

type Classified =
  | { kind: 'site'; file: string; line: number; role: 'initial' | 'growth'; candidates: SiteRef[]; open: boolean; growth: boolean }
  | { kind: 'unlinked'; file: string; line: number; expr: string };

/** Finds each sample's user line and what it does to which map. */
class Walker {
  private readonly localOf = new Map<string, string | undefined>();
  private readonly registries = new Map<string, { globals: Map<string, SiteRef[]>; fields: Map<string, SiteRef[]>; fieldOwners: (name: string) => number }>();

  constructor(private readonly sources: ProfileSources) {}

  private local(f: Frame): string | undefined {
    if (!this.localOf.has(f.file)) this.localOf.set(f.file, f.file ? this.sources.localFile(f.file) : undefined);
    return this.localOf.get(f.file);
  }

  classify(kind: ProfileKind, s: Sample): Classified | undefined {
    const u = s.frames.findIndex((f) => this.local(f) !== undefined && !isRuntimeFrame(f.fn));
    if (u < 0) return undefined;
    const inner = s.frames.slice(0, u);
    let op = u > 0 ? mapOpOf(inner[u - 1].fn) : undefined;
    if (u > 0 && !op) return undefined; // the line called something else that allocated or ran
    if (u === 0) {
      if (kind === 'cpu') return undefined; // the user's own code running, not the map's
      op = undefined; // a heap sample whose runtime frames were trimmed: the line allocated
    }
    if (op !== undefined && op !== 'make' && op !== 'assign') return undefined;
    const frame = s.frames[u];
    const file = this.local(frame)!;
    const lines = this.sources.lines(file);
    if (!lines) return undefined;
    const lf = lines.line(frame.line);
    const growth = inner.some((f) => isGrowthFrame(f.fn));
    const creates = innermost(lines, lf.creates);
    if (creates.length > 0 && (op !== 'assign' || lf.writes.length === 0)) {
      return { kind: 'site', file, line: frame.line, role: 'initial', candidates: creates, open: false, growth };
    }
    if (lf.writes.length === 0) return undefined; // an allocation on a line with no map: not a map's
    const targets = lf.writes.map((w) => this.resolve(w.target, s.frames, u));
    const known = targets.filter((t) => t.kind === 'sites');
    const merged = mergeTargets(known);
    if (known.length === 0 || merged.kind !== 'sites') {
      // A map write MapScope cannot tie to a site: said so when it is surely a map (the runtime's
      // assign frame, or the declared type), never for a slice or array element.
      const map = op === 'assign' || targets.some((t) => t.kind === 'unknown' && t.map);
      return map ? { kind: 'unlinked', file, line: frame.line, expr: lf.writes.map((w) => w.expr).join(', ') } : undefined;
    }
    return { kind: 'site', file, line: frame.line, role: 'growth', candidates: merged.refs, open: merged.open || known.length < targets.length, growth };
  }

  /** Follows parameters to the caller's call, package variables and fields to the package's make calls. */
  private resolve(t: Target, frames: Frame[], at: number): Target {
    if (t.kind === 'sites' || t.kind === 'unknown') return t;
    const file = this.local(frames[at])!;
    if (t.kind === 'param') {
      const caller = frames[at + 1];
      const callerFile = caller ? this.local(caller) : undefined;
      const lines = callerFile ? this.sources.lines(callerFile) : undefined;
      const arg = lines?.callArgument(caller.line, shortName(frames[at].fn), t.index);
      return arg ? this.resolve(arg, frames, at + 1) : { kind: 'unknown', expr: `parameter of ${frames[at].fn}` };
    }
    const reg = this.registry(file);
    const map = this.sources.lines(file)?.isMapName(t.kind, t.name) === true;
    if (t.kind === 'global') {
      const refs = reg.globals.get(t.name);
      return refs ? { kind: 'sites', refs, open: false } : { kind: 'unknown', expr: t.name, map };
    }
    // A field: only when one struct type of the package has a map field of that name.
    const refs = reg.fields.get(t.name);
    return refs && reg.fieldOwners(t.name) === 1 ? { kind: 'sites', refs, open: false } : { kind: 'unknown', expr: `.${t.name}`, map };
  }

  private registry(file: string) {
    const files = this.sources.packageFiles(file);
    const k = files.join('\0');
    let reg = this.registries.get(k);
    if (!reg) {
      const globals = new Map<string, SiteRef[]>();
      const fields = new Map<string, SiteRef[]>();
      const all = files.map((f) => this.sources.lines(f)).filter((l): l is SiteLines => l !== undefined);
      for (const l of all) {
        for (const [n, refs] of l.assignees.globals) globals.set(n, [...(globals.get(n) ?? []), ...refs]);
        for (const [n, refs] of l.assignees.fields) fields.set(n, [...(fields.get(n) ?? []), ...refs]);
      }
      const pkgLines = this.sources.lines(file);
      reg = { globals, fields, fieldOwners: (name: string) => pkgLines?.mapFieldOwners(name).length ?? 0 };
      this.registries.set(k, reg);
    }
    return reg;
  }
}

/** `main.add` → `add`; `pkg.(*Cache).put` → `put`; `pkg.fill[...]` → `fill`. */
function shortName(fn: string): string {
  const plain = fn.replace(/\[[^\]]*\]/g, '');
  return plain.slice(plain.lastIndexOf('.') + 1);
}

/** Of the sites created on a line, those that do not contain another one created there. */
function innermost(lines: SiteLines, refs: SiteRef[]): SiteRef[] {
  const sites = refs.map((r) => ({ r, s: lines.site(r.id) })).filter((x): x is { r: SiteRef; s: MapSite } => x.s !== undefined);
  const contains = (a: MapSite, b: MapSite) => a !== b && a.range.start <= b.range.start && b.range.end <= a.range.end;
  return sites.filter((x) => !sites.some((y) => contains(x.s, y.s))).map((x) => x.r);
}

interface Acc {
  ref: SiteRef;
  initial: HeapFigures;
  growth: HeapFigures;
  entryBytes: number;
  otherBytes: number;
  sizes: Map<number, number>;
  initialSizes: Map<number, number>;
  /** Sizes on lines shared with another map that may be this one's. */
  maybe: Set<number>;
  cpu?: { assignNanos: number; growthNanos: number; makeNanos: number };
  notes: Set<string>;
}

const zero = (): HeapFigures => ({ allocBytes: 0, allocObjects: 0, inuseBytes: 0, inuseObjects: 0 });

function add(a: HeapFigures, b: HeapFigures): void {
  a.allocBytes += b.allocBytes;
  a.allocObjects += b.allocObjects;
  a.inuseBytes += b.inuseBytes;
  a.inuseObjects += b.inuseObjects;
}

/** Sizes, splits, inference and ranking, once every sample has a line. */
class Finisher {
  private readonly sizeSets = new Map<string, AllocationSizes | null>();

  constructor(
    private readonly sources: ProfileSources,
    private readonly target: EngineTarget,
    private readonly heapRate: number,
    private readonly hotShare: number,
    private readonly totals: ProfileReport['totals'],
    private readonly notes: string[],
  ) {}

  private site(r: SiteRef): MapSite | undefined {
    return this.sources.lines(r.file)?.site(r.id);
  }

  /** Every size a site's map can allocate; null when its types cannot be laid out. */
  private sizes(r: SiteRef): AllocationSizes | null {
    const k = key(r);
    let sizes = this.sizeSets.get(k);
    if (sizes === undefined) {
      const site = this.site(r);
      const t = this.target;
      sizes = site?.key.layout && site.value.layout ? allocationSizes(site.key.layout, site.value.layout, resolveGoTarget(t.go, t.impl, t.goexperiment)) : null;
      this.sizeSets.set(k, sizes);
    }
    return sizes;
  }

  finish(records: Rec[], unlinked: UnlinkedLine[], profiles: readonly DecodedProfile[]): ProfileReport {
    const accs = new Map<string, Acc>();
    const acc = (ref: SiteRef): Acc => {
      let a = accs.get(key(ref));
      if (!a) accs.set(key(ref), (a = { ref, initial: zero(), growth: zero(), entryBytes: 0, otherBytes: 0, sizes: new Map(), initialSizes: new Map(), maybe: new Set(), notes: new Set() }));
      return a;
    };
    const ambiguous = new Map<string, AmbiguousLine>();
    for (const r of records) {
      let ref: SiteRef | undefined = r.candidates.length === 1 && !r.open ? r.candidates[0] : undefined;
      if (!ref && r.size !== undefined) {
        // Several maps (or one and something else) may be written here: split by what each can allocate.
        const can = r.candidates.filter((c) => this.sizes(c)?.map.has(r.size!));
        if (can.length === 1 && !r.open) {
          ref = can[0];
          acc(ref).notes.add(`line ${r.line} writes more than one map; its allocations were split by size`);
        } else if (can.length === 0) continue; // none of them makes that size: not a map's allocation
      }
      if (!ref) {
        const k = `${r.file}\0${r.line}`;
        const a = ambiguous.get(k) ?? {
          file: r.file, line: r.line,
          candidates: r.candidates.map((c) => {
            const s = this.site(c);
            const pos = s ? this.sources.lines(c.file)!.position(s) : { line: 0 };
            return { siteId: c.id, line: pos.line, ...(s?.name ? { name: s.name } : {}) };
          }),
          reason: r.open ? 'the written variable may also hold a map that no make call here creates' : 'the line writes more than one map of the same shape',
          allocBytes: 0, cpuNanos: 0,
        };
        a.allocBytes += r.heap?.allocBytes ?? 0;
        a.cpuNanos += r.cpuNanos ?? 0;
        ambiguous.set(k, a);
        if (r.size !== undefined) for (const c of r.candidates) if (this.sizes(c)?.map.has(r.size)) acc(c).maybe.add(r.size);
        continue;
      }
      const a = acc(ref);
      if (r.cpuNanos !== undefined) {
        a.cpu ??= { assignNanos: 0, growthNanos: 0, makeNanos: 0 };
        if (r.role === 'initial') a.cpu.makeNanos += r.cpuNanos;
        else {
          a.cpu.assignNanos += r.cpuNanos;
          if (r.cpuGrowth) a.cpu.growthNanos += r.cpuNanos;
        }
      }
      if (!r.heap || r.size === undefined) continue;
      const sizes = this.sizes(ref);
      if (sizes?.entries.has(r.size) && r.role === 'growth') {
        a.entryBytes += r.heap.allocBytes;
        continue;
      }
      if (!sizes || (!sizes.map.has(r.size) && r.size !== sizes.header)) {
        a.otherBytes += r.heap.allocBytes;
        continue;
      }
      add(r.role === 'initial' ? a.initial : a.growth, r.heap);
      a.sizes.set(r.size, (a.sizes.get(r.size) ?? 0) + r.heap.allocObjects);
      if (r.role === 'initial') a.initialSizes.set(r.size, (a.initialSizes.get(r.size) ?? 0) + r.heap.allocObjects);
    }
    const sites = [...accs.values()].map((a) => this.measured(a)).filter((m): m is MeasuredSite => m !== undefined);
    sites.sort((x, y) => y.growth.allocBytes - x.growth.allocBytes || (y.cpu?.growthNanos ?? 0) - (x.cpu?.growthNanos ?? 0) || x.file.localeCompare(y.file) || x.line - y.line);
    const byCost = (x: { allocBytes: number; cpuNanos: number }, y: { allocBytes: number; cpuNanos: number }) => y.allocBytes - x.allocBytes || y.cpuNanos - x.cpuNanos;
    return {
      profiles: profiles.map((p) => ({ kind: p.kind, samples: p.samples.length, period: p.period, durationNanos: p.durationNanos })),
      go: this.target.goexperiment ? `${this.target.go} ${this.target.goexperiment}` : this.target.go,
      impl: this.target.impl,
      totals: this.totals,
      sites,
      ambiguous: [...ambiguous.values()].sort(byCost),
      unlinked: unlinked.sort(byCost),
      notes: this.notes,
    };
  }

  private measured(a: Acc): MeasuredSite | undefined {
    const lines = this.sources.lines(a.ref.file);
    const site = lines?.site(a.ref.id);
    if (!lines || !site) return undefined;
    const pos = lines.position(site);
    const notes = [...a.notes];
    const m: MeasuredSite = {
      file: a.ref.file, siteId: site.id, line: pos.line, column: pos.column, range: site.range, kind: site.kind, type: site.type,
      ...(site.name ? { name: site.name } : {}),
      ...(site.function ? { function: site.function } : {}),
      ...(site.hint ? { hint: site.hint.text } : {}),
      initial: a.initial, growth: a.growth, entryBytes: a.entryBytes, otherBytes: a.otherBytes,
      ...(a.cpu ? { cpu: a.cpu } : {}),
      share: {}, hot: false, notes,
    };
    if (this.totals.allocBytes) m.share.bytes = a.growth.allocBytes / this.totals.allocBytes;
    if (this.totals.cpuNanos && a.cpu) m.share.cpu = a.cpu.growthNanos / this.totals.cpuNanos;
    m.hot = (m.share.bytes ?? 0) >= this.hotShare || (m.share.cpu ?? 0) >= this.hotShare;
    if (a.sizes.size === 0) return m;
    const largest = maxOf(a.sizes.keys());
    m.largestBytes = largest;
    const kl = site.key.layout!;
    const vl = site.value.layout!;
    const header = Math.round(a.initialSizes.get(this.sizes(a.ref)!.header) ?? 0);
    if (header > 0) m.maps = header;
    if (a.growth.allocBytes === 0) return m;
    let hint = site.hint?.value ?? 0;
    // A hint the code computes at run time: the creation's largest allocation says what it was.
    if (site.hint && site.hint.value === undefined) {
      const initial = [...a.initialSizes.keys()].filter((s) => s !== this.sizes(a.ref)!.header);
      const h = initial.length > 0 ? hintForInitial(kl, vl, this.target, maxOf(initial)) : 0;
      if (h === undefined) {
        notes.push(`the creation's allocations match no hint for ${site.type}: no size inferred`);
        return m;
      }
      hint = h;
      if (h > 0) notes.push(`the hint ${site.hint.text} was about ${formatCount(h)} at run time (from the creation's allocations)`);
    }
    const range = inferSize(kl, vl, this.target, hint, { sizes: a.sizes, maybe: a.maybe, rate: this.heapRate || 1, ...(m.maps !== undefined ? { maps: m.maps } : {}) });
    if (!range) {
      notes.push(`the engine's ${this.target.impl} map for ${site.type} (Go ${this.target.go}) makes no such sequence of allocations: no size inferred`);
      return m;
    }
    m.inferred = range;
    const suggested = range.max ?? range.min;
    const withHintBytes = bytesWithHint(kl, vl, this.target, Math.max(1, range.min), suggested);
    const measured = a.initial.allocBytes + a.growth.allocBytes;
    m.suggestion = {
      hint: suggested,
      ...(site.suggestedHint ? { expr: site.suggestedHint } : {}),
      withHintBytes,
      // What the hint saves is only known when every allocation of the map was told apart.
      ...(m.maps !== undefined && a.maybe.size === 0 ? { saves: Math.max(0, measured - m.maps * withHintBytes) } : {}),
    };
    if (a.maybe.size > 0) notes.push('some of its allocations could not be told from another map\'s on the same line: its figures are a lower bound');
    if (m.maps !== undefined && m.maps > 1) notes.push(`${m.maps} maps were made here; the size is the largest one's`);
    return m;
  }
}
