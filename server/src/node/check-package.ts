// Checks one directory: reads every .go file in it (siblings shape the package even when only
// some files were asked for), summarises them, analyses the requested ones, and returns findings
// already converted to line/column positions, so a worker can post them as plain data.
import { analyzeFile, packageOf, type RuleSettings } from '../core/analyze';
import type { PackageIndex } from '../core/facts/package-index';
import { summarize, type SourceUnit } from '../core/facts/summary';
import type { ByteRange, Finding } from '../core/findings';
import type { GoVersion } from '../core/go-version';
import type { GoParser } from '../core/parse/parser';
import { LineIndex } from '../core/parse/positions';
import { tooLargeToParse } from '../core/parse/size';
import { packageFiles, readGoSource } from './files';

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
  files: number;
  lines: number;
  bytes: number;
}

export interface CheckJob {
  dir: string;
  /** The files to report on; the rest of the directory only contributes facts. */
  files: string[];
  go: GoVersion;
  rules?: { enabled?: string[] };
}

export function checkDirectory(parser: GoParser, job: CheckJob): DirectoryReport {
  const report: DirectoryReport = { findings: [], warnings: [], ioErrors: 0, files: 0, lines: 0, bytes: 0 };
  const wanted = new Set(job.files);
  const units: SourceUnit[] = [];
  const all = new Set([...packageFiles(job.dir), ...job.files]);
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
      const lines = new LineIndex(read.text);
      units.push({ path, text: read.text, tree: parser.parse(read.text), lines });
    }
    const summaries = units.map((u) => summarize(u));
    const packages = new Map<string, PackageIndex>();
    const settings: RuleSettings | undefined = job.rules?.enabled ? { enabled: new Set(job.rules.enabled) } : undefined;
    units.forEach((unit, i) => {
      if (!wanted.has(unit.path)) return;
      report.files++;
      report.lines += unit.lines.lineCount;
      report.bytes += unit.lines.byteLength;
      if (unit.tree.rootNode.hasError) {
        const at = firstError(unit);
        report.warnings.push({ file: unit.path, at, message: 'syntax error; analysed where it parses' });
      }
      const name = summaries[i].packageName;
      let pkg = packages.get(name);
      if (!pkg) packages.set(name, (pkg = packageOf(summaries[i], summaries)));
      const findings = analyzeFile(unit, pkg, { go: job.go, rules: settings });
      for (const f of findings) report.findings.push(place(f, unit, units));
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

function place(f: Finding, unit: SourceUnit, units: SourceUnit[]): PlacedFinding {
  return {
    file: unit.path,
    rule: f.rule,
    severity: f.severity,
    message: f.message,
    span: spanOf(f.range, unit.lines),
    ...(f.hint !== undefined ? { hint: f.hint } : {}),
    fixes: f.fixes.map((x) => ({
      title: x.title,
      isPreferred: x.isPreferred,
      edits: x.edits.map((e) => ({ span: spanOf(e.range, unit.lines), newText: e.newText })),
    })),
    related: f.related.map((r) => {
      const file = r.file ?? unit.path;
      const lines = units.find((u) => u.path === file)?.lines ?? unit.lines;
      return { file, span: spanOf(r.range, lines), message: r.message };
    }),
  };
}
