// The pipeline over one package: summaries of all its files → package index → per-file facts →
// rules → suppression. The CLI runs it per directory; the server per open file, with the other
// files of the directory contributing only their summaries.
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
  const facts = new FileFacts(unit, pkg);
  const findings: Finding[] = [];
  for (const rule of RULES) {
    if (options.rules?.enabled && !options.rules.enabled.has(rule.id)) continue;
    const severity = options.rules?.severity?.get(rule.id);
    for (const f of rule.check({ facts, go: options.go, defaultMapSize: options.rules?.defaultMapSize })) {
      if (isSuppressed(f, unit.text, unit.lines, unit.tree)) continue;
      findings.push(severity ? { ...f, severity } : f);
    }
  }
  return findings.sort((a, b) => a.range.start - b.range.start || a.rule.localeCompare(b.rule));
}
