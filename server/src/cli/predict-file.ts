// `mapscope predict FILE[:LINE] [--entries N] [--hint H] [--go VERSION] [--goexperiment LIST]
// [--impl classic|swiss] [--format text|json] [-v]` (design.md §3.2): the map sites of a file as the growth panel shows them,
// from the same core functions (core/sites.ts, core/timelines.ts); one site when LINE is given
// (the one on that line, else the nearest). Lines are 1-based, columns 1-based UTF-8 bytes.
// Exit 0, or 2 with one line on stderr for a usage or I/O error.
import { existsSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { PackageIndex } from '../core/index/package-index';
import { summarize, type SourceUnit } from '../core/index/summary';
import { mapImplementation } from '../core/go-version';
import { GoParser } from '../core/parse/parser';
import { LineIndex } from '../core/parse/positions';
import { tooLargeToParse } from '../core/parse/size';
import { mapSites, siteAt, type MapSite, type SiteType } from '../core/sites';
import { engineTarget, siteTimelines, TimelineError, type SiteTimelines, type TimelineEvent, type VariantTimeline } from '../core/timelines';
import { spanOf, type Span } from '../node/check-package';
import { resolveBuildConfig } from '../node/build-config';
import { configForFile, filesUnder } from '../node/build-files';
import { readGoSource, UsageError } from '../node/files';
import { describeResolution, GoResolver } from '../node/go-env';
import type { CliIO } from './check';
import { commandFailed } from './command-error';
import { goFlags, type GoFlags } from './go-flags';

const USAGE = 'usage: mapscope predict FILE[:LINE] [--entries N] [--hint H] [--go VERSION] [--goexperiment LIST] [--impl classic|swiss] [--format text|json] [-v]';
const FLAGS = new Set(['entries', 'hint', 'go', 'goexperiment', 'impl', 'format']);

/** Whether `predict`'s arguments name a file (this form) rather than --key/--value. */
export function isFileForm(args: readonly string[]): boolean {
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a.startsWith('-')) {
      if (!a.includes('=')) i++;
      continue;
    }
    return true;
  }
  return false;
}

interface Options {
  file: string;
  line?: number;
  entries?: number;
  hint?: number;
  go: GoFlags;
  impl?: 'classic' | 'swiss';
  format: 'text' | 'json';
  verbose: boolean;
}

function parse(args: readonly string[]): Options {
  const flags = new Map<string, string>();
  const positional: string[] = [];
  let verbose = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '-h' || a === '--help') throw new UsageError(USAGE);
    if (a === '-v' || a === '--verbose') {
      verbose = true;
      continue;
    }
    const m = /^--?([a-z]+)(?:=(.*))?$/.exec(a);
    if (!m) {
      positional.push(a);
      continue;
    }
    if (!FLAGS.has(m[1])) throw new UsageError(`unknown flag --${m[1]} with a FILE; ${USAGE}`);
    let v = m[2];
    if (v === undefined) {
      if (i + 1 >= args.length) throw new UsageError(`flag --${m[1]} needs a value`);
      v = args[++i];
    }
    if (flags.has(m[1])) throw new UsageError(`flag --${m[1]} given twice`);
    flags.set(m[1], v);
  }
  if (positional.length !== 1) throw new UsageError(positional.length === 0 ? USAGE : `one FILE[:LINE] at a time; ${USAGE}`);
  let file = positional[0];
  let line: number | undefined;
  const at = /^(.*):(\d+)$/.exec(file);
  if (at && !existsSync(file)) {
    file = at[1];
    line = Number(at[2]);
    if (line < 1) throw new UsageError(`line numbers start at 1, got ${at[2]}`);
  }
  const count = (name: string) => {
    const v = flags.get(name);
    if (v === undefined) return undefined;
    const n = Number(v.replace(/_/g, ''));
    if (!/^\d[\d_]*$/.test(v) || !Number.isSafeInteger(n) || n > 50_000_000) throw new UsageError(`--${name} must be an integer from 0 to 50000000, got "${v}"`);
    return n;
  };
  const go: GoFlags = {
    ...(flags.has('go') ? { go: flags.get('go') } : {}),
    ...(flags.has('goexperiment') ? { goexperiment: flags.get('goexperiment') } : {}),
  };
  const impl = flags.get('impl');
  if (impl !== undefined && impl !== 'classic' && impl !== 'swiss') throw new UsageError(`--impl must be classic or swiss, got "${impl}"`);
  const format = flags.get('format') ?? 'text';
  if (format !== 'text' && format !== 'json') throw new UsageError(`--format must be text or json, got "${format}"`);
  return {
    file, format, go, verbose,
    ...(line !== undefined ? { line } : {}),
    ...(count('entries') !== undefined ? { entries: count('entries') } : {}),
    ...(count('hint') !== undefined ? { hint: count('hint') } : {}),
    ...(impl ? { impl } : {}),
  };
}

interface Analysed {
  site: MapSite;
  span: Span;
  fixSpans: Span[];
  timelines?: SiteTimelines;
  error?: string;
}

export async function runPredictFile(args: string[], io: CliIO): Promise<number> {
  try {
    const o = parse(args);
    const path = resolve(o.file);
    if (!path.endsWith('.go')) throw new UsageError(`${o.file}: not a .go file`);
    const read = readGoSource(path);
    if (!read.ok) throw new UsageError(`${o.file}: ${read.reason === 'cannot read (ENOENT)' ? 'no such file' : read.reason}`);
    const large = tooLargeToParse(read.text);
    if (large) throw new UsageError(`${o.file}: ${large.reason}`);
    const dir = dirname(path);
    const resolution = new GoResolver({ ...goFlags(o.go), mayRunGo: true }).resolve(dir);
    const { toolchain: go, language } = resolution;
    if (o.verbose) io.err(`mapscope: Go for ${describeResolution(resolution)}\n`);
    const parser = await GoParser.load(io.wasm);
    const units: SourceUnit[] = [];
    let analysed: Analysed[];
    try {
      const unit: SourceUnit = { path, text: read.text, tree: parser.parse(read.text), lines: new LineIndex(read.text) };
      units.push(unit);
      // The directory's other files shape the package (named types across files): those built
      // with this file, under the host's configuration or, if it leaves this file out, one that builds it.
      const base = resolveBuildConfig({}, { mayRunGo: true, fallbackGo: go }).config;
      for (const sibling of filesUnder(dir, configForFile(path, base)).files) {
        if (sibling === path) continue;
        const r = readGoSource(sibling);
        if (r.ok && !tooLargeToParse(r.text)) units.push({ path: sibling, text: r.text, tree: parser.parse(r.text), lines: new LineIndex(r.text) });
      }
      const summaries = units.map((u) => summarize(u));
      const pkg = new PackageIndex(summaries.filter((s) => s.packageName === summaries[0].packageName));
      let sites = mapSites(unit, pkg, { go, language });
      if (o.line !== undefined) {
        if (o.line > unit.lines.lineCount) throw new UsageError(`${o.file} has ${unit.lines.lineCount} lines, not ${o.line}`);
        const one = onLine(sites, unit.lines, o.line);
        sites = one ? [one] : [];
      }
      analysed = sites.map((site) => {
        const a: Analysed = { site, span: spanOf(site.range, unit.lines), fixSpans: site.fix?.edits.map((e) => spanOf(e.range, unit.lines)) ?? [] };
        try {
          a.timelines = siteTimelines(site, { go, ...(o.impl ? { impl: o.impl } : {}), ...(o.entries !== undefined ? { entries: o.entries } : {}), ...(o.hint !== undefined ? { hint: o.hint } : {}) });
        } catch (e) {
          if (!(e instanceof TimelineError)) throw e;
          a.error = e.message;
        }
        return a;
      });
    } finally {
      for (const u of units) u.tree.delete();
    }
    const file = relative(process.cwd(), path) || path;
    const target = engineTarget(go, o.impl);
    const goShown = target.goexperiment ? `${target.go} ${target.goexperiment}` : target.go;
    io.out(o.format === 'json' ? `${JSON.stringify(json(file, goShown, o.impl ?? mapImplementation(go), analysed), null, 2)}\n` : text(file, analysed));
    return 0;
  } catch (e) {
    return commandFailed('predict', e, io.err);
  }
}

/** The site on a 1-based line (the innermost of those spanning it), else the nearest. */
function onLine(sites: MapSite[], lines: LineIndex, line: number): MapSite | undefined {
  const start = lines.lineStartByte(line - 1);
  const end = line < lines.lineCount ? lines.lineStartByte(line) - 1 : lines.byteLength;
  const spanning = sites.filter((s) => s.range.start <= end && s.range.end >= start);
  if (spanning.length > 0) return spanning.reduce((a, b) => (b.range.end - b.range.start < a.range.end - a.range.start ? b : a));
  return siteAt(sites, start);
}

const flat = (s: Span) => ({ line: s.start.line, column: s.start.column, endLine: s.end.line, endColumn: s.end.column });

function typeJson(t: SiteType) {
  return { text: t.text, ...(t.layout ? { size: t.layout.size, align: t.layout.align, pointers: t.layout.pointers } : {}), ...(t.indirect ? { indirect: true } : {}) };
}

function variantJson(v: VariantTimeline) {
  return {
    hint: v.hint,
    ...v.totals,
    capacity: v.capacity,
    events: v.events,
    ...(v.spread ? { spread: v.spread } : {}),
  };
}

function json(file: string, go: string, impl: string, sites: Analysed[]) {
  return {
    version: 1,
    file,
    go,
    impl,
    sites: sites.map(({ site, span, fixSpans, timelines, error }) => ({
      ...flat(span),
      id: site.id,
      kind: site.kind,
      type: site.type,
      ...(site.name ? { name: site.name } : {}),
      ...(site.function ? { function: site.function } : {}),
      key: typeJson(site.key),
      value: typeJson(site.value),
      ...(site.shape ? { shape: site.shape } : {}),
      ...(site.hint ? { hint: site.hint } : {}),
      size: site.size,
      ...(site.suggestedHint ? { suggestedHint: site.suggestedHint } : {}),
      ...(site.fix ? { fix: { title: site.fix.title, edits: site.fix.edits.map((e, i) => ({ ...flat(fixSpans[i]), newText: e.newText })) } } : {}),
      assumptions: site.assumptions,
      ...(timelines
        ? {
            prediction: {
              go: timelines.go,
              impl: timelines.impl,
              entries: timelines.entries,
              entriesSource: timelines.entriesSource,
              runs: timelines.runs,
              asIs: variantJson(timelines.asIs),
              withHint: variantJson(timelines.withHint),
              savings: timelines.savings,
              notes: timelines.notes,
            },
          }
        : { error }),
    })),
  };
}

function layoutText(t: SiteType): string {
  if (!t.layout) return `${t.text}: cannot lay out`;
  const l = t.layout;
  return `${t.text}: ${l.size} B, align ${l.align}${l.pointers ? ', pointers' : ''}${t.indirect ? ', stored indirectly' : ''}`;
}

function table(rows: string[][], rightAligned: boolean[]): string[] {
  const widths = rows[0].map((_, i) => rows.reduce((w, r) => Math.max(w, r[i].length), 0));
  return rows.map((r) => r.map((c, i) => (rightAligned[i] ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd());
}

function eventRows(events: TimelineEvent[]): string[][] {
  return events.map((e) => [
    e.count ? `${e.insert}–${e.lastInsert}` : String(e.insert),
    e.count ? `overflow ×${e.count}` : e.kind,
    String(e.bytes),
    `${e.capacityBefore}→${e.capacityAfter}`,
    e.detail,
  ]);
}

function text(file: string, sites: Analysed[]): string {
  if (sites.length === 0) return `${file}: no map sites\n`;
  const out: string[] = [];
  for (const { site, span, timelines: t, error } of sites) {
    const what = `${site.name ? `${site.name} := ` : ''}${site.kind === 'make' ? `make(${site.type}${site.hint ? `, ${site.hint.text}` : ''})` : `${site.type}{…}`}`;
    out.push(`${file}:${span.start.line}:${span.start.column}: ${what}${site.function ? ` in ${site.function}` : ''}`);
    out.push(`  key   ${layoutText(site.key)}`);
    out.push(`  value ${layoutText(site.value)}`);
    if (site.shape) {
      out.push(`  classic bucket ${site.shape.bucketBytes} B; swiss slot ${site.shape.slotBytes} B, group ${site.shape.groupBytes} B${site.shape.perEntryBytes ? `; ${site.shape.perEntryBytes} B per entry` : ''}`);
    }
    out.push(`  hint: ${site.hint ? site.hint.text : 'none'}; size: ${site.size.description}`);
    if (site.suggestedHint) out.push(`  suggested hint: ${site.suggestedHint} (${site.fix?.title ?? 'no fix'})`);
    for (const a of site.assumptions) out.push(`  assumption: ${a}`);
    if (!t) {
      out.push(`  no prediction: ${error}`, '');
      continue;
    }
    out.push(`  Go ${t.go} (${t.impl} map), ${t.entries} entries${t.entriesSource === 'default' ? ' (assumed; --entries N to change)' : ''}, ${t.runs} seed${t.runs === 1 ? '' : 's'}`);
    for (const n of t.notes) if (!site.assumptions.includes(n) && !n.includes('entries assumed')) out.push(`  note: ${n}`);
    const stat = (v: VariantTimeline, f: 'totalBytes' | 'peakBytes' | 'liveBytes' | 'growths') =>
      v.spread && v.spread[f].min !== v.spread[f].max ? `${v.totals[f]} (${v.spread[f].min}–${v.spread[f].max})` : String(v.totals[f]);
    out.push('');
    const totals = table(
      [
        ['', 'as is', `with hint ${t.withHint.hint}`, 'saved'],
        ['growths', stat(t.asIs, 'growths'), stat(t.withHint, 'growths'), String(t.savings.growths)],
        ['allocated (B)', stat(t.asIs, 'totalBytes'), stat(t.withHint, 'totalBytes'), String(t.savings.totalBytes)],
        ['peak live (B)', stat(t.asIs, 'peakBytes'), stat(t.withHint, 'peakBytes'), String(t.savings.peakBytes)],
        ['final live (B)', stat(t.asIs, 'liveBytes'), stat(t.withHint, 'liveBytes'), String(t.savings.liveBytes)],
      ],
      [false, true, true, true],
    );
    for (const l of totals) out.push(`  ${l}`);
    out.push('');
    out.push(`  growth events as is (hint ${t.asIs.hint}):`);
    for (const l of table([['insert', 'kind', 'bytes', 'capacity', 'detail'], ...eventRows(t.asIs.events)], [true, false, true, false, false])) out.push(`    ${l}`);
    out.push('');
  }
  return out.join('\n');
}
