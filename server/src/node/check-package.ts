// Checks one package directory: reads the package's files under the build configuration (siblings
// shape the package even when only some files were asked for), summarises them, analyses the
// requested ones, and returns findings already converted to line/column positions, so a worker
// can post them as plain data. With `fix`, it also returns each file's fix-all edits and the hash
// of the bytes they were computed from, so the writer can tell a file changed since.
import { dirname } from 'node:path';
import { analyzeFile, packageOf, type AnalyzeOptions, type RuleError, type RuleSettings } from '../core/analyze';
import { fixAll } from '../core/fix-all';
import type { PackageIndex } from '../core/index/package-index';
import { summarize, type FileSummary, type SourceUnit } from '../core/index/summary';
import type { ByteRange, Finding } from '../core/findings';
import type { GoVersion } from '../core/go-version';
import type { GoParser } from '../core/parse/parser';
import { LineIndex } from '../core/parse/positions';
import { tooLargeToParse } from '../core/parse/size';
import { readGoSource, sha256 } from './files';
import { checkEnvironment, type CheckEnvironment, type ImportsConfig } from './check-imports';
import { hashList } from './disk-cache';
import type { PackageLoader, PackageStamp, RecordingGraph } from './package-loader';

export interface Place {
  /** 1-based. */
  line: number;
  /** 1-based, UTF-8 bytes. */
  column: number;
  /** 1-based, UTF-16 code units (SARIF's default column kind). */
  column16: number;
}

export interface Span {
  start: Place;
  end: Place;
}

export interface PlacedFinding {
  file: string;
  rule: string;
  severity: Finding['severity'];
  message: string;
  span: Span;
  hint?: string;
  fixes: { title: string; isPreferred: boolean; edits: { span: Span; newText: string }[] }[];
  related: { file: string; span: Span; message: string }[];
  /** With `fix`: the title of its safe fix, which its file's FilePlan applies. */
  planned?: string;
}

/** What --fix would write to one file: disjoint edits in UTF-8 byte offsets of the text after any BOM. */
export interface FilePlan {
  file: string;
  /** sha256 (hex) of the file's bytes when it was analysed. */
  sha256: string;
  edits: { start: number; end: number; newText: string }[];
}

/** A file skipped or analysed in part; front ends print the path their own way (the CLI: relative). */
export interface CheckWarning {
  file: string;
  /** Where in the file, for a syntax error. */
  at?: { line: number; column: number };
  message: string;
}

export interface DirectoryReport {
  findings: PlacedFinding[];
  /** Skipped files, syntax errors: one line each. */
  warnings: CheckWarning[];
  /** Files that could not be read at all (an I/O error, exit 2). */
  ioErrors: number;
  /** Failures of MapScope itself (a rule that threw), with the file and the rule: the rest was analysed. */
  errors: RuleError[];
  files: number;
  lines: number;
  bytes: number;
  /** With `fix`: one plan per file that has safe fixes. */
  plans: FilePlan[];
}

export interface CheckJob {
  dir: string;
  /** The files to report on. */
  files: string[];
  /** The package's files under the build configuration, the reported ones included; the others only contribute facts. */
  siblings: string[];
  /** The toolchain (map implementation) and the language version (go.mod's `go` line). */
  go: GoVersion;
  language: GoVersion;
  rules?: { enabled?: string[]; includeGenerated?: boolean };
  /** Plan the fix-all edits of each reported file. */
  fix?: boolean;
  /** `siblings` are the directory's files as `imports.build` lists them (a package pattern, not a file named under another configuration). */
  listed?: boolean;
  /** Where imported packages and the cache are; without it the package knows only itself. */
  imports?: ImportsConfig;
}

/**
 * A package's report, from the cache when nothing it was computed from changed: the same bytes in
 * the same files under the same settings, and every package its analysis read through the import
 * graph (PackageLoader.stamps) still the same files with the same bytes and imports resolving the
 * same way. The analysis is a function of exactly these, so the cached report is the report.
 * A report with a failure of MapScope or an unreadable file is not kept. `summarised` is called
 * once the package's summaries are in the loader (and the disk cache), before its rules run.
 */
export function checkDirectory(parser: GoParser, job: CheckJob, summarised?: () => void): DirectoryReport {
  if (!job.imports) return checkUncached(parser, job);
  const env = checkEnvironment(parser, job.imports);
  const key = env.reports ? reportKey(job, env) : undefined;
  if (key !== undefined) {
    const hit = asCachedReport(env.reports!.get(key));
    if (hit && env.loader.importsHold(hit.asked, job.dir) && hit.stamps.every((s) => env.loader.stampHolds(s, job.dir))) return hit.report;
  }
  if (job.listed) env.loader.listed(job.dir, job.siblings);
  const graph = env.loader.graphFor(job.dir);
  const report = checkUncached(parser, job, { loader: env.loader, graph, ...(summarised ? { summarised } : {}) });
  if (key !== undefined && report.errors.length === 0 && report.ioErrors === 0) {
    const entry: CachedReport = { asked: env.loader.stampOfAsked(graph), stamps: env.loader.stamps(graph), report };
    env.reports!.set(key, entry);
  }
  return report;
}

interface CachedReport {
  asked: [string, string | null][];
  stamps: PackageStamp[];
  report: DirectoryReport;
}

function asCachedReport(v: unknown): CachedReport | undefined {
  const e = v as Partial<CachedReport> | undefined;
  if (!e || typeof e !== 'object' || !Array.isArray(e.asked) || !Array.isArray(e.stamps) || !e.report || !Array.isArray(e.report.findings) || !Array.isArray(e.report.plans)) return undefined;
  return e as CachedReport;
}

/** Everything a package's report depends on besides its imports: settings and its files' bytes. */
function reportKey(job: CheckJob, env: CheckEnvironment): string | undefined {
  const parts: string[] = [env.fingerprints!.analysis, JSON.stringify({ ...job, imports: { build: job.imports!.build, paths: job.imports!.paths } })];
  for (const file of new Set([...job.siblings, ...job.files])) {
    const sha = env.loader.fileSha(file);
    // An unreadable file is reported, and a report with an I/O error is not cached anyway.
    if (sha === undefined) return undefined;
    parts.push(file, sha);
  }
  return hashList(parts);
}

function checkUncached(parser: GoParser, job: CheckJob, imports?: CheckImports): DirectoryReport {
  const findings: PlacedFinding[] = [];
  const plans: FilePlan[] = [];
  const hashes = new Map<string, string>();
  const rules: RuleSettings | undefined = job.rules
    ? { ...(job.rules.enabled ? { enabled: new Set(job.rules.enabled) } : {}), ...(job.rules.includeGenerated ? { includeGenerated: true } : {}) }
    : undefined;
  const report = analyzeDirectory(parser, job, { go: job.go, language: job.language, rules }, (unit, found, linesOf) => {
    // No fixes for a file that does not parse: its edits come from a recovered tree.
    const plan = job.fix && !unit.tree.rootNode.hasError ? fixAll(found) : undefined;
    for (const f of found) {
      const planned = plan?.fixed.includes(f) ? f.fixes.find((x) => x.safeForFixAll)?.title : undefined;
      findings.push({ ...place(f, unit, linesOf), ...(planned !== undefined ? { planned } : {}) });
    }
    if (plan && plan.edits.length > 0) {
      plans.push({ file: unit.path, sha256: hashes.get(unit.path)!, edits: plan.edits.map((e) => ({ start: e.range.start, end: e.range.end, newText: e.newText })) });
    }
  }, job.fix ? hashes : undefined, imports);
  return { ...report, findings, plans };
}

/** The loader a check reads imported packages through, and the graph of the package it analyses. */
export interface CheckImports {
  loader: PackageLoader;
  graph: RecordingGraph;
  /** Called once the package's summaries are stored, before the analysis. */
  summarised?: () => void;
}

/**
 * Analyses the requested files of one package directory, its siblings under the build
 * configuration shaping the package, and hands each file's findings to `visit` while its tree is
 * alive (the CLI places them; the language server's workspace check turns them into diagnostics).
 * `linesOf` gives the lines of any file of the package (for related places in siblings). A rule
 * that throws is reported in `errors`; with `hashes`, the sha256 of each requested file's bytes is
 * recorded there (what --fix checks before writing). With `imports`, the package reaches the
 * packages it imports, and a sibling that is only read for its declarations is not parsed when
 * the loader has its summary already.
 */
export function analyzeDirectory(
  parser: GoParser,
  target: { files: readonly string[]; siblings: readonly string[] },
  options: AnalyzeOptions,
  visit: (unit: SourceUnit, findings: Finding[], linesOf: (file: string) => LineIndex | undefined) => void,
  hashes?: Map<string, string>,
  imports?: CheckImports,
): Omit<DirectoryReport, 'findings' | 'plans'> {
  const report: Omit<DirectoryReport, 'findings' | 'plans'> = { warnings: [], ioErrors: 0, errors: [], files: 0, lines: 0, bytes: 0 };
  const wanted = new Set(target.files);
  const units: SourceUnit[] = [];
  const summaries: FileSummary[] = [];
  const unitSummaries: FileSummary[] = [];
  const lines = new Map<string, LineIndex>();
  const all = new Set([...target.siblings, ...target.files]);
  try {
    for (const path of all) {
      const read = readGoSource(path);
      if (!read.ok) {
        if (wanted.has(path)) {
          report.warnings.push({ file: path, message: `skipped: ${read.reason}` });
          if (read.reason.startsWith('cannot read')) report.ioErrors++;
        }
        continue;
      }
      const large = tooLargeToParse(read.text);
      if (large) {
        if (wanted.has(path)) report.warnings.push({ file: path, message: `skipped: ${large.reason}` });
        continue;
      }
      const sha = hashes || imports ? sha256(read.bytes) : '';
      if (hashes && wanted.has(path)) hashes.set(path, sha);
      const index = new LineIndex(read.text);
      lines.set(path, index);
      const known = imports && !wanted.has(path) ? imports.loader.cachedSummary(path, sha) : undefined;
      if (known) {
        summaries.push(known);
        continue;
      }
      const unit = { path, text: read.text, tree: parser.parse(read.text), lines: index };
      units.push(unit);
      const summary = summarize(unit);
      imports?.loader.remember(path, sha, summary);
      summaries.push(summary);
      unitSummaries.push(summary);
    }
    const linesOf = (file: string) => lines.get(file);
    const packages = new Map<string, PackageIndex>();
    const dir = target.files.length > 0 ? dirname(target.files[0]) : undefined;
    if (dir !== undefined) imports?.loader.storePackage(dir);
    imports?.summarised?.();
    const context = imports && dir !== undefined ? { importPath: imports.loader.importPathOf(dir), graph: imports.graph } : {};
    units.forEach((unit, i) => {
      if (!wanted.has(unit.path)) return;
      report.files++;
      report.lines += unit.lines.lineCount;
      report.bytes += unit.lines.byteLength;
      if (unit.tree.rootNode.hasError) {
        const at = firstError(unit);
        report.warnings.push({ file: unit.path, at, message: 'syntax error; analysed where it parses' });
      }
      const name = unitSummaries[i].packageName;
      let pkg = packages.get(name);
      // An external test package (`foo_test`) is a package of its own, importing `foo` like any other.
      if (!pkg) packages.set(name, (pkg = packageOf(unitSummaries[i], summaries, name.endsWith('_test') ? { graph: context.graph } : context)));
      let found: Finding[];
      try {
        found = analyzeFile(unit, pkg, { ...options, errors: report.errors });
      } catch (e) {
        // Outside any one rule (suppression, positions): the file's findings are lost, not the run.
        const err = e instanceof Error ? e : new Error(String(e));
        report.errors.push({ rule: '(pipeline)', file: unit.path, message: err.message, ...(err.stack ? { stack: err.stack } : {}) });
        return;
      }
      visit(unit, found, linesOf);
    });
  } finally {
    for (const u of units) u.tree.delete();
  }
  return report;
}

function firstError(unit: SourceUnit): { line: number; column: number } {
  const cursor = unit.tree.walk();
  try {
    // Descend along the first child that contains an error, without recursion.
    for (;;) {
      const node = cursor.currentNode;
      if (node.isError || node.isMissing) return unit.lines.lineColumn(unit.lines.byteOffset(node.startIndex));
      let moved = cursor.gotoFirstChild();
      while (moved && !(cursor.currentNode.hasError || cursor.currentNode.isMissing)) moved = cursor.gotoNextSibling();
      if (!moved) return unit.lines.lineColumn(unit.lines.byteOffset(node.startIndex));
    }
  } finally {
    cursor.delete();
  }
}

export function spanOf(range: ByteRange, lines: LineIndex): Span {
  const at = (offset: number): Place => {
    const lc = lines.lineColumn(offset);
    return { ...lc, column16: lines.lspPosition(offset).character + 1 };
  };
  return { start: at(range.start), end: at(range.end) };
}

function place(f: Finding, unit: SourceUnit, linesOf: (file: string) => LineIndex | undefined): PlacedFinding {
  return {
    file: unit.path,
    rule: f.rule,
    severity: f.severity,
    message: f.message,
    span: spanOf(f.range, unit.lines),
    ...(typeof f.data?.hint === 'string' ? { hint: f.data.hint } : {}),
    fixes: f.fixes.map((x) => ({
      title: x.title,
      isPreferred: x.isPreferred,
      edits: x.edits.map((e) => ({ span: spanOf(e.range, unit.lines), newText: e.newText })),
    })),
    related: f.related.map((r) => {
      const file = r.file ?? unit.path;
      const lines = linesOf(file) ?? unit.lines;
      return { file, span: spanOf(r.range, lines), message: r.message };
    }),
  };
}
