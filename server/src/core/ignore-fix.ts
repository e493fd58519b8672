// The "ignore on this line" quick fix: `//mapscope:ignore <rule>` alone on the line above the
// finding, where suppress.ts reads it. A comment on its own line is gofmt-clean when it is
// indented as the line it precedes (a trailing comment would be realigned by gofmt against its
// neighbours), except before a line that closes a block (`} else {`), which gofmt indents one
// level deeper. When the line above already holds a `//mapscope:ignore` list, the rule joins it.
import type { Finding, Fix } from './findings';
import type { LineIndex } from './parse/positions';
import { ignoredRules } from './suppress';

export function ignoreFix(finding: Finding, lines: LineIndex): Fix {
  const text = lines.text;
  const line = lines.lspPosition(finding.range.start).line;
  const title = `Ignore ${finding.rule} on this line (//mapscope:ignore)`;
  const here = lineText(lines, line);
  if (line > 0) {
    const above = lineText(lines, line - 1);
    const comment = above.text.trimStart();
    const list = ignoredRules(comment);
    if (Array.isArray(list)) {
      // After the list: `//mapscope:ignore a,b reason` → `//mapscope:ignore a,b,rule reason`.
      const listEnd16 = above.start16 + (above.text.length - comment.length) + /^\/\/\s*mapscope:ignore\s+\S+/.exec(comment)![0].length;
      const at = lines.byteOffset(listEnd16);
      return { title, isPreferred: false, edits: [{ range: { start: at, end: at }, newText: `,${finding.rule}` }] };
    }
  }
  const indent = /^[ \t]*/.exec(here.text)![0];
  const closes = /^[})\]]/.test(here.text.slice(indent.length));
  const newline = text[here.end16] === '\r' ? '\r\n' : '\n';
  const at = lines.lineStartByte(line);
  return {
    title,
    isPreferred: false,
    edits: [{ range: { start: at, end: at }, newText: `${indent}${closes ? '\t' : ''}//mapscope:ignore ${finding.rule}${newline}` }],
  };
}

/** A line's text without its line break, and where it starts and ends (UTF-16 offsets). */
function lineText(lines: LineIndex, line: number): { text: string; start16: number; end16: number } {
  const start16 = lines.utf16Offset(lines.lineStartByte(line));
  const nl = lines.text.indexOf('\n', start16);
  let end16 = nl < 0 ? lines.text.length : nl;
  if (lines.text[end16 - 1] === '\r') end16--;
  return { text: lines.text.slice(start16, end16), start16, end16 };
}
