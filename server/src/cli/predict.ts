// `mapscope predict --key TYPE --value TYPE --entries N ...` (design.md §3.2): the engine's
// growth timeline for one map type, as a table or as JSON. Usage errors return 2 with one line
// on `err`, never a stack trace.

import {
  GoTypeSyntaxError, GoVersionError, layoutOf, parseGoType, predict, PredictError, WorkloadError,
  type GrowthEvent, type Layout, type Prediction,
} from '../core/engine/index';
import { UsageError } from '../node/files';
import { commandFailed } from './command-error';

const USAGE = 'usage: mapscope predict --key TYPE --value TYPE --entries N [--hint H] '
  + '[--go VERSION | --impl classic|swiss] [--goexperiment LIST] [--seed S] [--runs R] '
  + '[--workload fill|churn:<size>:<ops>|update:<size>:<ops>] [--format text|json]';

const VALUE_FLAGS = new Set(['key', 'value', 'entries', 'hint', 'go', 'impl', 'seed', 'runs', 'workload', 'format', 'goexperiment']);

function parseArgs(args: string[]): Map<string, string> {
  const opts = new Map<string, string>();
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '-h' || a === '--help') throw new UsageError(USAGE);
    const m = /^--?([a-z]+)(?:=(.*))?$/.exec(a);
    if (!m) {
      throw new UsageError(`unexpected argument "${a}" (the predict FILE[:LINE] form is not available here); ${USAGE}`);
    }
    const name = m[1];
    if (!VALUE_FLAGS.has(name)) throw new UsageError(`unknown flag --${name}; ${USAGE}`);
    let v = m[2];
    if (v === undefined) {
      if (i + 1 >= args.length) throw new UsageError(`flag --${name} needs a value`);
      v = args[++i];
    }
    if (opts.has(name)) throw new UsageError(`flag --${name} given twice`);
    opts.set(name, v);
  }
  return opts;
}

function intFlag(opts: Map<string, string>, name: string, min: number, max: number): number | undefined {
  const v = opts.get(name);
  if (v === undefined) return undefined;
  const s = v.replace(/_/g, '');
  if (!/^-?\d+$/.test(s)) throw new UsageError(`--${name} must be an integer, got "${v}"`);
  const n = Number(s);
  if (!Number.isSafeInteger(n) || n < min || n > max) throw new UsageError(`--${name} must be between ${min} and ${max}, got ${v}`);
  return n;
}

function layoutFlag(opts: Map<string, string>, name: 'key' | 'value'): Layout {
  const v = opts.get(name);
  if (v === undefined) throw new UsageError(`missing --${name}; ${USAGE}`);
  try {
    return layoutOf(parseGoType(v));
  } catch (e) {
    if (e instanceof GoTypeSyntaxError) throw new UsageError(`--${name}: ${e.message}`);
    throw e;
  }
}

/** The JSON shape of design.md §3.2 (plus a few fields that only add information). */
export function predictionJson(p: Prediction): object {
  const layout = (l: Layout) => ({ size: l.size, align: l.align, pointers: l.pointers, ...(l.assumptions ? { assumptions: l.assumptions } : {}) });
  return {
    impl: p.impl,
    go: p.go,
    key: layout(p.key),
    value: layout(p.value),
    entries: p.entries,
    hint: p.hint,
    workload: p.workload,
    seed: p.seed,
    events: p.events.map((e) => ({
      insert: e.insert, kind: e.kind, bytes: e.bytes, capacityBefore: e.capacityBefore,
      capacityAfter: e.capacityAfter, moved: e.moved, ...(e.op ? { op: e.op } : {}), detail: e.detail,
    })),
    totalBytes: p.totalBytes,
    liveBytes: p.liveBytes,
    peakBytes: p.peakBytes,
    perEntryBytes: p.perEntryBytes,
    ...(p.assumptions.length ? { assumptions: p.assumptions } : {}),
    ...(p.notes.length ? { notes: p.notes } : {}),
    ...(p.spread ? { spread: p.spread } : {}),
  };
}

function fmtBytes(n: number): string {
  if (n < 10_000) return `${n} B`;
  if (n < 10_000_000) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1048576).toFixed(1)} MiB`;
}

function pad(s: string, w: number, right = true): string {
  return right ? s.padStart(w) : s.padEnd(w);
}

/** Consecutive overflow-only events are folded into one row so the table stays readable. */
function textRows(events: GrowthEvent[]): string[][] {
  const rows: string[][] = [];
  let run: GrowthEvent[] = [];
  const flush = () => {
    if (run.length === 0) return;
    const bytes = run.reduce((s, e) => s + e.bytes, 0);
    const first = run[0].insert;
    const last = run[run.length - 1].insert;
    rows.push([run.length === 1 ? String(first) : `${first}–${last}`, run.length === 1 ? 'overflow' : `overflow ×${run.length}`,
      String(bytes), String(run[run.length - 1].capacityAfter), '', run.length === 1 ? run[0].detail || 'overflow bucket' : 'overflow buckets']);
    run = [];
  };
  for (const e of events) {
    if (e.kind === 'overflow') { run.push(e); continue; }
    flush();
    rows.push([String(e.insert) + (e.op ? ` (${e.op})` : ''), e.kind, String(e.bytes), `${e.capacityBefore}→${e.capacityAfter}`, String(e.moved), e.detail]);
  }
  flush();
  return rows;
}

export function predictionText(p: Prediction): string {
  const lines: string[] = [];
  const l = (x: Layout) => `${x.size} B, align ${x.align}${x.pointers ? ', pointers' : ''}`;
  lines.push(`Go ${p.go} (${p.impl} map), workload ${p.workload}, ${p.entries} entries, hint ${p.hint}, seed ${p.seed}`);
  lines.push(`key: ${l(p.key)}; value: ${l(p.value)}${p.perEntryBytes ? `; ${p.perEntryBytes} B per entry for indirect key/value` : ''}`);
  for (const a of p.assumptions) lines.push(`assumption: ${a}`);
  for (const n of p.notes) lines.push(`note: ${n}`);
  lines.push('');
  const header = ['insert', 'kind', 'bytes', 'capacity', 'moved', 'detail'];
  const rows = textRows(p.events);
  const widths = header.map((h, i) => rows.reduce((w, r) => Math.max(w, r[i].length), h.length));
  const fmt = (r: string[]) => r.map((c, i) => pad(c, widths[i], i !== 1 && i !== 5)).join('  ').trimEnd();
  lines.push(fmt(header));
  for (const r of rows) lines.push(fmt(r));
  lines.push('');
  lines.push(`total allocated: ${p.totalBytes} B (${fmtBytes(p.totalBytes)})`);
  lines.push(`live at the end: ${p.liveBytes} B (${fmtBytes(p.liveBytes)})`);
  lines.push(`peak live:       ${p.peakBytes} B (${fmtBytes(p.peakBytes)})`);
  if (p.spread) {
    const s = p.spread;
    const st = (x: { min: number; median: number; max: number }) => `${x.min} / ${x.median} / ${x.max}`;
    lines.push('');
    lines.push(`over ${s.runs} seeds (min / median / max):`);
    lines.push(`  total bytes: ${st(s.totalBytes)}`);
    lines.push(`  peak bytes:  ${st(s.peakBytes)}`);
    if (s.overflowBytes) lines.push(`  overflow bytes: ${st(s.overflowBytes)}`);
    if (s.tables) lines.push(`  tables: ${st(s.tables)}; splits: ${st(s.splits!)}`);
    const varying = s.events.filter((e) => e.insert.min !== e.insert.max || e.runs !== s.runs);
    if (varying.length) {
      lines.push('  events whose insert number depends on the hash seed:');
      for (const e of varying.slice(0, 40)) {
        lines.push(`    #${e.ordinal} ${e.kind}: insert ${st(e.insert)}${e.runs !== s.runs ? ` (in ${e.runs} of ${s.runs} runs)` : ''}`);
      }
      if (varying.length > 40) lines.push(`    … ${varying.length - 40} more`);
    }
  }
  return lines.join('\n');
}

export async function runPredict(args: string[], out: (s: string) => void, err: (s: string) => void): Promise<number> {
  try {
    const opts = parseArgs(args);
    const key = layoutFlag(opts, 'key');
    const value = layoutFlag(opts, 'value');
    const workload = opts.get('workload') ?? 'fill';
    let entries = intFlag(opts, 'entries', 0, 50_000_000);
    if (entries === undefined) {
      if (workload === 'fill') throw new UsageError(`missing --entries; ${USAGE}`);
      entries = 0;
    }
    const impl = opts.get('impl');
    if (impl !== undefined && impl !== 'classic' && impl !== 'swiss') throw new UsageError(`--impl must be classic or swiss, got "${impl}"`);
    const format = opts.get('format') ?? 'text';
    if (format !== 'text' && format !== 'json') throw new UsageError(`--format must be text or json, got "${format}"`);
    let p: Prediction;
    try {
      p = predict(key, value, {
        entries,
        hint: intFlag(opts, 'hint', -(2 ** 53 - 1), 2 ** 53 - 1),
        go: opts.get('go'),
        impl: impl as 'classic' | 'swiss' | undefined,
        goexperiment: opts.get('goexperiment'),
        seed: intFlag(opts, 'seed', 0, 2 ** 32 - 1),
        runs: intFlag(opts, 'runs', 1, 1000),
        workload,
      });
    } catch (e) {
      if (e instanceof PredictError || e instanceof WorkloadError || e instanceof GoVersionError) throw new UsageError(e.message);
      throw e;
    }
    out(format === 'json' ? JSON.stringify(predictionJson(p), null, 2) : predictionText(p));
    return 0;
  } catch (e) {
    return commandFailed('predict', e, err);
  }
}
