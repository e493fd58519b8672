// Suppression comments (design.md §3.3), on the finding's line or alone on the line above:
//   //mapscope:ignore [rule[,rule]] [reason]
//   //nolint  //nolint:mapscope  //nolint:all  (golangci-lint's spelling; other linters' names do not count)
//   //lint:ignore mapscope reason                  (staticcheck's spelling)
import type { Tree } from 'web-tree-sitter';
import type { Finding } from './findings';
import type { LineIndex } from './parse/positions';

const DIRECTIVE = /\/\/\s*(mapscope:ignore|nolint|lint:ignore)\b(\S*)(.*)$/;

export function isSuppressed(finding: Finding, text: string, lines: LineIndex, tree: Tree): boolean {
  const { line } = lines.lspPosition(finding.range.start);
  for (const l of [line, line - 1]) {
    if (l < 0) continue;
    const start16 = lines.utf16Offset(lines.lineStartByte(l));
    const end = text.indexOf('\n', start16);
    let lineText = text.slice(start16, end < 0 ? text.length : end);
    // A CRLF line ends in '\r', which `.` does not match: the directive's `(.*)$` would fail.
    if (lineText.endsWith('\r')) lineText = lineText.slice(0, -1);
    const at = lineCommentAt(lineText, start16, tree);
    if (at < 0) continue;
    // The line above only counts when the comment stands alone on it.
    if (l !== line && lineText.slice(0, at).trim() !== '') continue;
    const m = DIRECTIVE.exec(lineText.slice(at));
    if (!m) continue;
    if (directiveCovers(m[1], m[2], m[3], finding.rule)) return true;
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

function directiveCovers(kind: string, attached: string, rest: string, rule: string): boolean {
  const words = rest.trim().split(/\s+/).filter(Boolean);
  switch (kind) {
    case 'nolint': {
      if (attached === '') return true;
      if (!attached.startsWith(':')) return false;
      const names = attached.slice(1).split(',');
      return names.includes('mapscope') || names.includes('all') || names.includes(rule);
    }
    case 'lint:ignore': {
      // `//lint:ignore Check1[,Check2] reason`: staticcheck requires a reason.
      if (attached !== '' || words.length < 2) return false;
      const names = words[0].split(',');
      return names.includes('mapscope') || names.includes(rule);
    }
    default: {
      if (attached !== '') return false;
      if (words.length === 0) return true;
      // The first word is a rule list when it looks like one; otherwise it starts the reason.
      if (!/^[a-z]+(-[a-z]+)*(,[a-z]+(-[a-z]+)*)*$/.test(words[0]) || !words[0].includes('-')) return true;
      return words[0].split(',').includes(rule);
    }
  }
}
