// What a rule module exports: its metadata (which also generates docs/rules.md), the analyses it
// reads, and a check that decides and phrases. Rules compute nothing another rule or the panel
// could need: that is an analysis's job (core/analyses/). Rules never read files and never talk
// LSP; they return findings with fixes, starting only from the top-level functions the pass has in
// scope (`pass.inScope`), and a finding's ranges, related places and fix edits touch every function
// it depends on, unless an analysis it requires declares that dependency (analysis.ts).
import type { AnyAnalysis, Dependency } from '../analysis/analysis';
import type { Pass } from '../analysis/pass';
import type { Finding, Severity } from '../findings';

export interface RuleDocs {
  /** One sentence: what it reports. */
  summary: string;
  /** Why it matters, in a short paragraph. */
  why: string;
  /** Go code that the rule reports (a test checks it does). */
  bad: string;
  /** The same code after the fix (a test checks the rule is silent on it). */
  good: string;
  /** When the rule stays silent on purpose. */
  silentWhen: string[];
  /** What the quick fix does, and whether it is safe to apply unattended. */
  fix: string;
}

export interface Rule {
  id: string;
  severity: Severity;
  docs: RuleDocs;
  /** The analyses `check` reads; the pass refuses any other. */
  requires: readonly AnyAnalysis[];
  /** What `check` itself reads beyond the function a finding starts from (see Dependency). */
  dependsOn?: readonly Dependency[];
  check(pass: Pass): Finding[];
}
