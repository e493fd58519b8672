// The CI formats of `mapscope check`: GitHub Actions workflow commands, one annotation per finding
// (https://docs.github.com/actions/reference/workflow-commands-for-github-actions), and checkstyle
// XML (https://checkstyle.org/result_reports.html), which Jenkins, GitLab and reviewdog read.
// Paths are relative to the working directory, so run it at the repository root; lines and
// columns are 1-based, columns in UTF-8 bytes as in the text format.
import type { PlacedFinding } from '../node/check-package';
import { placeOf, rel } from './format';

const GITHUB_LEVEL = { error: 'error', warning: 'warning', information: 'notice', hint: 'notice' } as const;

/** A workflow command's message: `%`, CR and LF escaped, as @actions/core escapes them. */
export const escapeData = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
/** A property value also escapes `:` and `,`, which delimit properties. */
export const escapeProperty = (s: string) => escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

/** One workflow command per finding, yielded a finding at a time (see format.ts). */
export function* formatGithub(findings: readonly PlacedFinding[]): Generator<string> {
  for (const f of findings) {
    const { start, end } = f.span;
    const props: [string, string | number][] = [['file', rel(f.file).split('\\').join('/')], ['line', start.line]];
    // GitHub takes columns only for a one-line range.
    if (end.line === start.line) props.push(['col', start.column], ['endColumn', end.column]);
    else props.push(['endLine', end.line]);
    props.push(['title', `MapScope ${f.rule}`]);
    const related = f.related.map((r) => `\n${placeOf(r.file, r.span)}: ${r.message}`).join('');
    const fixes = f.fixes.map((x) => `\nfix: ${x.title}`).join('');
    yield `::${GITHUB_LEVEL[f.severity]} ${props.map(([k, v]) => `${k}=${escapeProperty(String(v))}`).join(',')}::${escapeData(f.message + related + fixes)}\n`;
  }
}

const CHECKSTYLE_SEVERITY = { error: 'error', warning: 'warning', information: 'info', hint: 'info' } as const;

/** An XML attribute value; characters XML 1.0 cannot hold at all are dropped. */
export const escapeXml = (s: string) =>
  s
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\t/g, '&#9;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;');

/** The findings grouped by file, yielded a line at a time (see format.ts). */
export function* formatCheckstyle(findings: readonly PlacedFinding[]): Generator<string> {
  const byFile = new Map<string, PlacedFinding[]>();
  for (const f of findings) {
    const name = rel(f.file);
    let list = byFile.get(name);
    if (!list) byFile.set(name, (list = []));
    list.push(f);
  }
  // version: the report format's, as the tools that imitate checkstyle write it.
  yield '<?xml version="1.0" encoding="UTF-8"?>\n<checkstyle version="4.3">\n';
  for (const [name, list] of byFile) {
    yield `  <file name="${escapeXml(name)}">\n`;
    for (const f of list) {
      const s = f.span.start;
      yield `    <error line="${s.line}" column="${s.column}" severity="${CHECKSTYLE_SEVERITY[f.severity]}" message="${escapeXml(f.message)}" source="mapscope.${f.rule}"/>\n`;
    }
    yield '  </file>\n';
  }
  yield '</checkstyle>\n';
}
