// Suppression comments (design.md §3.3), on the finding's line or alone on the line above. A
// directive must begin its `//` comment; each form is read the way its own tool reads it:
//   //mapscope:ignore [rule[,rule]] [reason]    ours; spaces after the `//` are tolerated; the first
//                                               word is a rule list only if it names rules alone
//   //nolint  //nolint:mapscope  //nolint:all   golangci-lint: leading '/' and ' ' trimmed, then
//                                               `nolint` followed by ' ', ':' or the end; names split
//                                               at ',', trimmed and lower-cased; a later `//` starts
//                                               the explanation; `mapscope`, `all` or a MapScope
//                                               rule id covers, other linters' names do not
//   //lint:ignore mapscope reason                staticcheck: exactly "//lint:", fields split at ' ',
//                                               the checks and a reason both required
import type { Tree } from 'web-tree-sitter';
import type { Finding } from './findings';
import type { LineIndex } from './parse/positions';
import { ruleById } from './rules';

export function isSuppressed(finding: Finding, text: string, lines: LineIndex, tree: Tree): boolean {
  const { line } = lines.lspPosition(finding.range.start);
  for (const l of [line, line - 1]) {
    if (l < 0) continue;
    const start16 = lines.utf16Offset(lines.lineStartByte(l));
    const end = text.indexOf('\n', start16);
    let lineText = text.slice(start16, end < 0 ? text.length : end);
    // A CRLF line ends in '\r', which is no part of the comment (and `.` in a regex does not match).
    if (lineText.endsWith('\r')) lineText = lineText.slice(0, -1);
    const at = lineCommentAt(lineText, start16, tree);
    if (at < 0) continue;
    // The line above only counts when the comment stands alone on it.
    if (l !== line && lineText.slice(0, at).trim() !== '') continue;
    if (directiveCovers(lineText.slice(at), finding.rule)) return true;
  }
  return false;
}

/**
 * Where the `//` comment on a line starts, or -1. A `//` inside a string, a raw string or a block
 * comment is not one: the tree says which `//` starts a comment node. Only lines with findings get
 * here, and the first `//` is almost always the comment, so this asks the tree once or twice.
 */
function lineCommentAt(lineText: string, start16: number, tree: Tree): number {
  for (let at = lineText.indexOf('//'); at >= 0; at = lineText.indexOf('//', at + 1)) {
    const node = tree.rootNode.descendantForIndex(start16 + at, start16 + at + 2);
    if (node?.type === 'comment' && node.startIndex === start16 + at) return at;
  }
  return -1;
}

/** Whether the comment (from its `//` to the end of the line) is a directive that covers the rule. */
function directiveCovers(comment: string, rule: string): boolean {
  const names = (list: string[]) => list.includes('mapscope') || list.includes(rule);

  // golangci-lint (pkg/result/processors/nolint_filter.go).
  const trimmed = comment.replace(/^[/ ]+/, '');
  if (/^nolint( |:|$)/.test(trimmed)) {
    if (trimmed.startsWith('nolint:all') || !trimmed.startsWith('nolint:')) return true;
    const list = trimmed.slice('nolint:'.length).split('//')[0].split(',').map((n) => n.trim().toLowerCase());
    return list.includes('all') || names(list);
  }

  // staticcheck (lint/lint.go parseDirective): `//lint:ignore Check1[,Check2] reason`.
  if (comment.startsWith('//lint:')) {
    const fields = comment.slice('//lint:'.length).split(' ');
    return fields[0] === 'ignore' && fields.length >= 3 && names(fields[1].split(','));
  }

  const rules = ignoredRules(comment);
  return rules === 'all' || (rules !== undefined && names(rules));
}

/**
 * What a `//mapscope:ignore` comment (from its `//`) silences: the rules its first word lists,
 * 'all', or undefined when the comment is no such directive.
 */
export function ignoredRules(comment: string): string[] | 'all' | undefined {
  const m = /^\/\/\s*mapscope:ignore(?:\s+(.*))?$/.exec(comment);
  if (!m) return undefined;
  const words = (m[1] ?? '').trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return 'all';
  // The first word is a rule list only when every item names a rule (or `mapscope`); otherwise it
  // starts the reason (`short-lived map`) and the directive covers every rule.
  const list = words[0].split(',');
  return list.every((id) => id === 'mapscope' || ruleById(id) !== undefined) ? list : 'all';
}
