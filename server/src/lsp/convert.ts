// Findings → LSP diagnostics and code actions. Byte offsets become UTF-16 positions here and only
// here, with the line index of the exact text that was analysed.
import { CodeActionKind, DiagnosticSeverity, type CodeAction, type Diagnostic, type Range, type TextEdit } from 'vscode-languageserver';
import { URI } from 'vscode-uri';
import type { ByteRange, Finding, Fix, Severity } from '../core/findings';
import type { LineIndex } from '../core/parse/positions';

export const DOCS_URL = 'https://github.com/mapscope/mapscope/blob/main/docs/rules.md';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export function toRange(range: ByteRange, lines: LineIndex): Range {
  return { start: lines.lspPosition(range.start), end: lines.lspPosition(range.end) };
}

/** Lines of files other than the one analysed, for related information; undefined when unknown. */
export type OtherLines = (path: string) => LineIndex | undefined;

/** `uri` is the analysed document's (an untitled buffer's too); related places in other files are on disk. */
export function toDiagnostic(f: Finding, uri: string, lines: LineIndex, other: OtherLines): Diagnostic {
  return {
    range: toRange(f.range, lines),
    severity: SEVERITY[f.severity],
    code: f.rule,
    codeDescription: { href: `${DOCS_URL}#${f.rule}` },
    source: 'mapscope',
    message: f.message,
    relatedInformation: f.related.flatMap((r) => {
      const l = r.file ? other(r.file) : lines;
      return l ? [{ location: { uri: r.file ? URI.file(r.file).toString() : uri, range: toRange(r.range, l) }, message: r.message }] : [];
    }),
    ...(f.data?.hint !== undefined ? { data: { hint: f.data.hint } } : {}),
  };
}

export function toCodeAction(fix: Fix, uri: string, lines: LineIndex, diagnostic: Diagnostic | undefined, kind: string = CodeActionKind.QuickFix): CodeAction {
  const edits: TextEdit[] = fix.edits.map((e) => ({ range: toRange(e.range, lines), newText: e.newText }));
  return {
    title: fix.title,
    kind,
    isPreferred: fix.isPreferred,
    ...(diagnostic ? { diagnostics: [diagnostic] } : {}),
    edit: { changes: { [uri]: edits } },
  };
}

/** The identity under which a finding's fixes are recorded and found again from a diagnostic. */
export function diagnosticKey(d: Pick<Diagnostic, 'range' | 'code' | 'message'>): string {
  const r = d.range;
  return `${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}|${String(d.code)}|${d.message}`;
}
