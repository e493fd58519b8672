// The map sites of a file, as the growth panel and `mapscope predict FILE` show them: every
// `make(map[K]V[, hint])` and `map[K]V{…}` with its key and value layouts, the bucket/slot/group
// bytes the engine derives from them, the hint as written, how many entries the map will hold and
// where that number comes from, and the hint fix when map-without-hint would offer one. Sizes come
// from the fills analysis that map-without-hint reports from, so the panel and the diagnostic never
// disagree. Ranges are UTF-8 byte offsets; front ends convert them (ARCHITECTURE.md).
import type { Node } from 'web-tree-sitter';
import { Pass } from './analysis/pass';
import { countedInLoop, fills, hintFix, type Fill } from './analyses/fills';
import { growth, type Growth } from './analyses/growth';
import { mapCreations, type MapCreation } from './analyses/map-creations';
import { passOptions } from './analyze';
import { constantInt } from './constants';
import { mapShape, resolveGoTarget, type Layout } from './engine';
import type { ByteRange } from './findings';
import type { GoVersion } from './go-version';
import type { PackageIndex } from './index/package-index';
import { byteRange, type SourceUnit } from './index/summary';

/**
 * Where a site's size comes from: the elements of a literal, `len(x)` of a value whose length the
 * code states, a loop bound, the hint as written, an expression with no known value, or nothing.
 */
export type SizeSource = 'literal' | 'len' | 'loop' | 'hint' | 'symbolic' | 'unknown';

export interface SiteType {
  /** The type as written (comments dropped, lines joined). */
  text: string;
  /** Undefined when the type could not be parsed; `assumptions` on it name unknown types. */
  layout?: Layout;
  /** Larger than 128 bytes: the map stores a pointer and allocates the key or value per entry. */
  indirect?: boolean;
}

export interface SiteShape {
  /** Classic (Go ≤ 1.23): bytes of one bucket (8 tophash + 8 keys + 8 values + overflow pointer). */
  bucketBytes: number;
  /** Swiss (Go ≥ 1.24): bytes of one slot (key and value) and of one group (control word + 8 slots). */
  slotBytes: number;
  groupBytes: number;
  /** Bytes allocated per entry for indirect keys and values. */
  perEntryBytes: number;
}

export interface SiteSize {
  /** The number of entries, when known. */
  value?: number;
  source: SizeSource;
  /** The Go expression the size is (`len(items)`, `n`, `5000`); absent for `unknown`. */
  expr?: string;
  /** For a loop-derived size: keys are distinct and the loop cannot stop early, so it is exact, not an upper bound. */
  exact?: boolean;
  /** One line for people: `len(items) = 3 (items has a known length)`. */
  description: string;
}

export interface SiteEdit<R> {
  range: R;
  newText: string;
}

export interface MapSite<R = ByteRange> {
  /** Stable for one version of the text: the byte offset of the site's start. */
  id: string;
  kind: 'make' | 'literal';
  /** The `make(…)` call or the literal. */
  range: R;
  /** `map[K]V` as written. */
  type: string;
  /** The variable or field it is assigned to. */
  name?: string;
  /** The enclosing top-level function or method, and its range; absent at package level. */
  function?: string;
  functionRange?: R;
  key: SiteType;
  value: SiteType;
  shape?: SiteShape;
  /** The hint as written; a literal's hint is its element count (the compiler makes it so). */
  hint?: { text: string; value?: number };
  size: SiteSize;
  /** The hint map-without-hint's fix inserts, and the fix itself. */
  suggestedHint?: string;
  fix?: { title: string; edits: SiteEdit<R>[] };
  /** Where the loop fills it. */
  filledAt?: R;
  /** Unknown types and other guesses behind the layout. */
  assumptions: string[];
}

export interface SitesOptions {
  go: GoVersion;
  /** The language version (go.mod's `go` line); the toolchain's when absent. */
  language?: GoVersion;
  defaultMapSize?: number;
}

/** Every map site of a file, in source order. */
export function mapSites(unit: SourceUnit, pkg: PackageIndex, options: SitesOptions): MapSite[] {
  const pass = Pass.create(unit, pkg, passOptions({ go: options.go, ...(options.language ? { language: options.language } : {}), rules: { defaultMapSize: options.defaultMapSize } }));
  const creations = pass.result(mapCreations);
  if (creations.length === 0) return [];
  const filled = pass.result(fills);
  const g = pass.result(growth);
  return creations.map((c) => siteOf(pass, c, filled.get(c.node.id), g));
}

/**
 * The site containing a byte offset (the innermost), else the nearest one in the same function,
 * else the nearest one; undefined when there are none.
 */
export function siteAt(sites: readonly MapSite[], offset: number): MapSite | undefined {
  const inFunction = sites.filter((s) => s.functionRange && s.functionRange.start <= offset && offset < s.functionRange.end);
  let best: MapSite | undefined;
  let bestDistance = Infinity;
  for (const s of inFunction.length > 0 ? inFunction : sites) {
    const inside = s.range.start <= offset && offset <= s.range.end;
    // Inside: prefer the innermost (the shortest); outside: the nearest edge.
    const distance = inside ? -1 / (1 + s.range.end - s.range.start) : Math.min(Math.abs(offset - s.range.start), Math.abs(offset - s.range.end));
    if (distance < bestDistance) {
      best = s;
      bestDistance = distance;
    }
  }
  return best;
}

function siteOf(pass: Pass, c: MapCreation, fill: Fill | undefined, g: Growth): MapSite {
  const lines = pass.unit.lines;
  const range = byteRange(c.node, lines);
  const typeOf = (n: Node | null): SiteType => {
    const t = g.layout(n?.text ?? '');
    return { text: t.text, ...(t.layout ? { layout: t.layout, ...(t.layout.size > 128 ? { indirect: true } : {}) } : {}) };
  };
  const key = typeOf(c.mapType.childForFieldName('key'));
  const value = typeOf(c.mapType.childForFieldName('value'));
  const assumptions = [...new Set([...(key.layout?.assumptions ?? []), ...(value.layout?.assumptions ?? [])])];
  for (const t of [key, value]) if (!t.layout) assumptions.push(`cannot lay out ${t.text || 'the type'}`);

  const hint = hintOf(c);
  const fix = fill?.fixable && fill.worthAHint ? hintFix(pass, c, fill.count.expr) : undefined;
  const name = fill?.name ?? assignedName(c.node);
  const fnName = c.fn?.childForFieldName('name')?.text;
  return {
    id: String(range.start),
    kind: c.kind,
    range,
    type: g.layout(c.mapType.text).text,
    ...(name ? { name } : {}),
    ...(fnName ? { function: fnName, functionRange: byteRange(c.fn!, lines) } : {}),
    key,
    value,
    ...(key.layout && value.layout ? { shape: shapeOf(key.layout, value.layout) } : {}),
    ...(hint ? { hint } : {}),
    size: sizeOf(c, hint, fill, !fill && countedInLoop(pass, c)),
    ...(fix ? { suggestedHint: fill!.count.expr, fix: { title: fix.title, edits: [fix.edit] } } : {}),
    ...(fill ? { filledAt: byteRange(fill.insert, lines) } : {}),
    assumptions,
  };
}

function shapeOf(key: Layout, value: Layout): SiteShape {
  const classic = mapShape(key, value, resolveGoTarget(undefined, 'classic'));
  const swiss = mapShape(key, value, resolveGoTarget(undefined, 'swiss'));
  return { bucketBytes: classic.bucketSize, slotBytes: swiss.slotSize, groupBytes: swiss.groupSize, perEntryBytes: swiss.perEntryBytes };
}

function hintOf(c: MapCreation): MapSite['hint'] {
  if (c.kind === 'literal') return c.elements ? { text: String(c.elements), value: c.elements } : undefined;
  if (!c.hintArg) return undefined;
  const value = constantInt(c.hintArg.text);
  return { text: c.hintArg.text, ...(value !== undefined ? { value } : {}) };
}

function sizeOf(c: MapCreation, hint: MapSite['hint'], fill: Fill | undefined, counted: boolean): SiteSize {
  if (fill) {
    const { count, exact } = fill;
    const bound = exact ? '' : ' (an upper bound)';
    if (count.constant === undefined) {
      return { source: 'symbolic', expr: count.expr, exact, description: `depends on ${count.expr}${bound}` };
    }
    const value = count.constant;
    if (/^len\(/.test(count.expr)) {
      const of = count.expr.slice(4, -1);
      return { value, source: 'len', expr: count.expr, exact, description: `${count.expr} = ${value} (${of} has a known length)${bound}` };
    }
    if (count.over === 'counted' || count.over === 'int' || count.compound) {
      return { value, source: 'loop', expr: count.expr, exact, description: `the loop runs ${value} times${bound}` };
    }
    return { value, source: 'literal', expr: count.expr, exact, description: `the loop ranges over a literal of ${value} elements${bound}` };
  }
  if (counted && !hint) {
    return { source: 'unknown', description: 'not inferred: a loop counts into it (m[k]++, +=, append), so its size is the number of distinct keys; counting loops are left alone on purpose' };
  }
  if (c.kind === 'literal') {
    const n = c.elements ?? 0;
    return { value: n, source: 'literal', expr: String(n), exact: true, description: `${n} ${n === 1 ? 'entry' : 'entries'} in the literal` };
  }
  if (hint?.value !== undefined && hint.value > 0) {
    return { value: hint.value, source: 'hint', expr: hint.text, description: `the hint ${hint.text}` };
  }
  if (hint && hint.value === undefined) {
    return { source: 'symbolic', expr: hint.text, description: `depends on ${hint.text} (the hint)` };
  }
  return { source: 'unknown', description: 'not inferred: no loop with a known count fills it' };
}

/** The variable or field a creation is assigned to: `m := …`, `var m = …`, `x.m = …`, `T{m: …}`. */
function assignedName(node: Node): string | undefined {
  const name = assignedTo(node);
  return name === '_' ? undefined : name;
}

function assignedTo(node: Node): string | undefined {
  let parent = node.parent;
  if (parent?.type === 'literal_element') {
    const element = parent;
    parent = parent.parent;
    if (parent?.type !== 'keyed_element' || parent.namedChild(0)?.equals(element)) return undefined;
    return parent.namedChild(0)?.text;
  }
  if (parent?.type !== 'expression_list' || parent.namedChildCount !== 1) return undefined;
  const holder = parent.parent;
  if (holder?.type === 'short_var_declaration' || holder?.type === 'assignment_statement') {
    if (!holder.childForFieldName('right')?.equals(parent)) return undefined;
    const left = holder.childForFieldName('left');
    return left?.namedChildCount === 1 ? left.namedChild(0)!.text : undefined;
  }
  if (holder?.type === 'var_spec') {
    const names = holder.childrenForFieldName('name').filter((n): n is Node => n !== null);
    return names.length === 1 ? names[0].text : undefined;
  }
  return undefined;
}
