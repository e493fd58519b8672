// The pipeline over one package: summaries of all its files → package index → per-file facts →
// rules → suppression. The CLI runs it per directory; the server per open file, with the other
// files of the directory contributing only their summaries.
import type { Node } from 'web-tree-sitter';
import { FileFacts } from './facts/file-facts';
import { PackageIndex } from './facts/package-index';
import type { FileSummary, SourceUnit } from './facts/summary';
import type { Finding, Severity } from './findings';
import type { GoVersion } from './go-version';
import { RULES } from './rules';
import { isSuppressed } from './suppress';

export interface RuleSettings {
  /** Rule ids to run; all when absent. */
  enabled?: ReadonlySet<string>;
  /** Per-rule severity overrides. */
  severity?: ReadonlyMap<string, Severity>;
  /** Entries assumed when a map's size is symbolic (the `mapscope.defaultMapSize` setting). */
  defaultMapSize?: number;
}

export interface AnalyzeOptions {
  go: GoVersion;
  rules?: RuleSettings;
}

/** Groups summaries by package clause: `foo` and `foo_test` in one directory are two packages. */
export function packageOf(summary: FileSummary, all: readonly FileSummary[]): PackageIndex {
  return new PackageIndex(all.filter((s) => s.packageName === summary.packageName));
}

export function analyzeFile(unit: SourceUnit, pkg: PackageIndex, options: AnalyzeOptions): Finding[] {
  return finishFindings(runRules(new FileFacts(unit, pkg), options), unit, options);
}

/**
 * What the enabled rules report, before suppression comments and severity settings: the part of
 * an analysis the editor's incremental path (incremental.ts) keeps from one version to the next.
 * With `only`, just the top-level functions it accepts are checked.
 */
export function runRules(facts: FileFacts, options: AnalyzeOptions, only?: (fn: Node) => boolean): Finding[] {
  const findings: Finding[] = [];
  for (const rule of RULES) {
    if (options.rules?.enabled && !options.rules.enabled.has(rule.id)) continue;
    for (const f of rule.check({ facts, go: options.go, defaultMapSize: options.rules?.defaultMapSize, ...(only ? { only } : {}) })) findings.push(f);
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
