// What a rule module exports: its metadata (which also generates docs/rules.md) and a check over
// one file's facts. Rules never read files and never talk LSP; they return findings with fixes.
import type { Node } from 'web-tree-sitter';
import type { FileFacts } from '../facts/file-facts';
import type { Finding, Severity } from '../findings';
import type { GoVersion } from '../go-version';

export interface RuleDocs {
  /** One sentence: what it reports. */
  summary: string;
  /** Why it matters, in a short paragraph. */
  why: string;
  /** Go code that the rule reports. */
  bad: string;
  /** The same code after the fix. */
  good: string;
  /** When the rule stays silent on purpose. */
  silentWhen: string[];
  /** What the quick fix does, and whether it is safe to apply unattended. */
  fix: string;
}

export interface RuleContext {
  facts: FileFacts;
  /** The toolchain: the map implementation and layout whose bytes a message quotes. */
  go: GoVersion;
  /** The language version (go.mod's `go` line): range over int and per-iteration loop variables (1.22), wg.Go (1.25). */
  language: GoVersion;
  /** Entries assumed when a map's size is symbolic (`len(items)`): the `mapscope.defaultMapSize` setting. */
  defaultMapSize?: number;
  /**
   * Only the top-level functions this accepts are entry points: the editor's incremental analysis
   * re-checks just the functions an edit may have changed (core/incremental.ts). A rule reports
   * nothing that starts from another function, but may read any function to check one it accepts.
   */
  only?: (fn: Node) => boolean;
}

export interface Rule {
  id: string;
  severity: Severity;
  docs: RuleDocs;
  check(ctx: RuleContext): Finding[];
}
