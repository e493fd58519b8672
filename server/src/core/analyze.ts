// The pipeline over one file of a package: summaries of all its files → package index → one pass
// of the analyses over this file → rules → suppression and settings. The CLI runs it per
// directory; the server per open file, with the other files of the directory contributing only
// their summaries. A rule that throws is reported once, with the file and the rule, and the other
// rules' findings stand.
import type { Carry } from './analysis/carry';
import { Pass, type PassOptions } from './analysis/pass';
import type { Finding, Severity } from './findings';
import type { GoVersion } from './go-version';
import type { PackageContext } from './index/imports';
import { PackageIndex } from './index/package-index';
import type { FileSummary, SourceUnit } from './index/summary';
import { isGenerated } from './generated';
import { RULES } from './rules';
import { isSuppressed } from './suppress';

export interface RuleSettings {
  /** Rule ids to run; all when absent. */
  enabled?: ReadonlySet<string>;
  /** Per-rule severity overrides. */
  severity?: ReadonlyMap<string, Severity>;
  /** Entries assumed when a map's size is symbolic (the `mapscope.defaultMapSize` setting). */
  defaultMapSize?: number;
  /** Report in generated files too (`--include-generated`, `mapscope.includeGenerated`); skipped by default. */
  includeGenerated?: boolean;
}

export interface AnalyzeOptions {
  /** The Go toolchain: decides the map implementation. */
  go: GoVersion;
  /** The language version (go.mod's `go` line); the toolchain's when absent. */
  language?: GoVersion;
  rules?: RuleSettings;
  /**
   * Where a rule that throws is reported (and the analysis goes on without its findings). Without
   * it the error propagates: nothing is ever dropped silently.
   */
  errors?: RuleError[];
  /** Results kept across versions of one document (the editor's; see analysis/carry.ts). */
  carry?: Carry;
}

/** A rule (or an analysis it read) failed on a file: a bug in MapScope, reported with where it happened. */
export interface RuleError {
  rule: string;
  file: string;
  message: string;
  stack?: string;
}

/** Groups summaries by package clause: `foo` and `foo_test` in one directory are two packages. */
export function packageOf(summary: FileSummary, all: readonly FileSummary[], context: PackageContext = {}): PackageIndex {
  return new PackageIndex(all.filter((s) => s.packageName === summary.packageName), context);
}

export function analyzeFile(unit: SourceUnit, pkg: PackageIndex, options: AnalyzeOptions): Finding[] {
  return finishFindings(runRules(unit, pkg, options), unit, options);
}

/** What the analyses' pass is given, from the pipeline's options. */
export function passOptions(options: AnalyzeOptions, scope?: PassOptions['scope']): PassOptions {
  return {
    go: options.go,
    language: options.language ?? options.go,
    ...(options.rules?.defaultMapSize !== undefined ? { defaultMapSize: options.rules.defaultMapSize } : {}),
    ...(scope ? { scope } : {}),
    ...(options.carry ? { carry: options.carry } : {}),
  };
}

/**
 * What the enabled rules report, before suppression comments and severity settings: the part of
 * an analysis the editor's incremental path (incremental.ts) keeps from one version to the next.
 * With a scope, only the top-level functions starting there are checked.
 */
export function runRules(unit: SourceUnit, pkg: PackageIndex, options: AnalyzeOptions, scope?: PassOptions['scope'], after?: (pass: Pass) => void, from?: Pass): Finding[] {
  if (!options.rules?.includeGenerated && isGenerated(unit.tree)) return [];
  options.carry?.begin();
  const pass = Pass.create(unit, pkg, passOptions(options, scope), from);
  try {
    return rulesOf(pass, unit, options);
  } finally {
    after?.(pass);
  }
}

function rulesOf(pass: Pass, unit: SourceUnit, options: AnalyzeOptions): Finding[] {
  const findings: Finding[] = [];
  for (const rule of RULES) {
    if (options.rules?.enabled && !options.rules.enabled.has(rule.id)) continue;
    let found: Finding[];
    try {
      found = rule.check(pass.viewFor(rule.id, rule.requires));
    } catch (e) {
      if (!options.errors) throw e;
      const err = e instanceof Error ? e : new Error(String(e));
      options.errors.push({ rule: rule.id, file: unit.path, message: err.message, ...(err.stack ? { stack: err.stack } : {}) });
      continue;
    }
    // A loop, not push(...found): a file can have more findings than a call takes arguments.
    for (const f of found) findings.push(f);
  }
  return findings;
}

/** Drops suppressed findings, applies severity settings, and sorts by position. */
export function finishFindings(raw: readonly Finding[], unit: SourceUnit, options: AnalyzeOptions): Finding[] {
  const findings: Finding[] = [];
  for (const f of raw) {
    if (isSuppressed(f, unit.text, unit.lines, unit.tree)) continue;
    const severity = options.rules?.severity?.get(f.rule);
    findings.push(severity ? { ...f, severity } : f);
  }
  return findings.sort((a, b) => a.range.start - b.range.start || a.rule.localeCompare(b.rule));
}
