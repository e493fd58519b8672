// The text, JSON and SARIF formats of `mapscope check` (design.md §3.2; format-ci.ts has the CI
// ones). Paths are relative to the working directory; lines and columns are 1-based, columns in
// UTF-8 bytes (SARIF: UTF-16, its default).
import { relative, sep } from 'node:path';
import type { StatusParams } from '../../../common/protocol';
import { RULES } from '../core/rules';
import type { RuleError } from '../core/analyze';
import type { CheckWarning, PlacedFinding, Span } from '../node/check-package';

export type Format = 'text' | 'json' | 'sarif' | 'github' | 'checkstyle';

/** A path as every format prints it: relative to the working directory. */
export const rel = (file: string) => relative(process.cwd(), file) || file;

/** `path:line:col`, as go vet prints a position. */
export const placeOf = (file: string, s: Span) => `${rel(file)}:${s.start.line}:${s.start.column}`;

/** A warning as `path[:line:col]: message`, the path relative to the working directory like a finding's. */
export function formatWarning(w: CheckWarning): string {
  return `${rel(w.file)}${w.at ? `:${w.at.line}:${w.at.column}` : ''}: ${w.message}`;
}

/** A failure of MapScope itself on a file: one line, and with `--debug` the stack after it. */
export function formatRuleError(e: RuleError, debug: boolean): string {
  // '(pipeline)': outside any one rule, so nothing of the file or directory was analysed.
  const line =
    e.rule === '(pipeline)'
      ? `${rel(e.file)}: internal error, not analysed: ${e.message}${e.stack ? ' (--debug prints the stack)' : ''}`
      : `${rel(e.file)}: internal error in ${e.rule}: ${e.message} (the rest of the file was analysed; --debug prints the stack)`;
  return debug && e.stack ? `${line}\n${e.stack}` : line;
}

// Each format is written a finding at a time: 200,000 findings make 400 MB of SARIF, near the
// largest string V8 can hold, so the whole report is never one string.

export function* formatText(findings: readonly PlacedFinding[]): Generator<string> {
  for (const f of findings) {
    const out = [`${placeOf(f.file, f.span)}: ${f.severity}: ${f.message} (${f.rule})`];
    for (const r of f.related) out.push(`    ${placeOf(r.file, r.span)}: ${r.message}`);
    for (const x of f.fixes) out.push(`    fix: ${x.title}`);
    yield `${out.join('\n')}\n`;
  }
}

const flat = (s: Span) => ({ line: s.start.line, column: s.start.column, endLine: s.end.line, endColumn: s.end.column });

const jsonFinding = (f: PlacedFinding) => ({
  file: rel(f.file),
  ...flat(f.span),
  rule: f.rule,
  severity: f.severity,
  message: f.message,
  ...(f.hint !== undefined ? { hint: f.hint } : {}),
  fixes: f.fixes.map((x) => ({ title: x.title, isPreferred: x.isPreferred, edits: x.edits.map((e) => ({ ...flat(e.span), newText: e.newText })) })),
  related: f.related.map((r) => ({ file: rel(r.file), ...flat(r.span), message: r.message })),
});

/**
 * The JSON report: `version`, `findings` (design.md §3.2), and `go`, the toolchain and language
 * version with their sources (the `mapscope/status` shape, folder relative) of the first folder
 * checked, with every folder under `folders` when they differ.
 */
export function formatJson(findings: readonly PlacedFinding[], go: readonly StatusParams[] = []): Generator<string> {
  const folder = (s: StatusParams) => ({ ...s, folder: relative(process.cwd(), s.folder) || '.' });
  const distinct = new Set(go.map((s) => JSON.stringify({ ...s, folder: '' })));
  const goPart = go.length > 0 ? { go: { ...folder(go[0]), ...(distinct.size > 1 ? { folders: go.map(folder) } : {}) } } : {};
  return streamArray({ version: 1, ...goPart, findings: ITEMS }, findings, jsonFinding);
}

const SARIF_LEVEL = { error: 'error', warning: 'warning', information: 'note', hint: 'note' } as const;
const DOCS = 'https://github.com/mapscope/mapscope/blob/main/docs/rules.md';

const region = (s: Span) => ({ startLine: s.start.line, startColumn: s.start.column16, endLine: s.end.line, endColumn: s.end.column16 });
/**
 * A path as SARIF's artifactLocation.uri, a URI reference (RFC 3986): each segment percent-encoded,
 * so that a space, `#`, `%` or a non-ASCII letter in a file name does not change what it names.
 */
export function sarifUri(file: string): string {
  return rel(file).split(sep === '\\' ? /[\\/]/ : '/').map(encodeURIComponent).join('/');
}

const location = (file: string, s: Span) => ({ physicalLocation: { artifactLocation: { uri: sarifUri(file) }, region: region(s) } });

export function formatSarif(findings: readonly PlacedFinding[], version: string): Generator<string> {
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'MapScope',
            version,
            informationUri: DOCS,
            rules: RULES.map((r) => ({
              id: r.id,
              shortDescription: { text: r.docs.summary },
              fullDescription: { text: r.docs.why },
              helpUri: `${DOCS}#${r.id}`,
              defaultConfiguration: { level: SARIF_LEVEL[r.severity] },
            })),
          },
        },
        columnKind: 'utf16CodeUnits',
        results: ITEMS,
      },
    ],
  };
  return streamArray(sarif, findings, (f) => ({
          ruleId: f.rule,
          ruleIndex: RULES.findIndex((r) => r.id === f.rule),
          level: SARIF_LEVEL[f.severity],
          message: { text: f.message },
          locations: [location(f.file, f.span)],
          relatedLocations: f.related.map((r, i) => ({ id: i, ...location(r.file, r.span), message: { text: r.message } })),
          fixes: f.fixes.map((x) => ({
            description: { text: x.title },
            artifactChanges: [
              {
                artifactLocation: { uri: sarifUri(f.file) },
                replacements: x.edits.map((e) => ({ deletedRegion: region(e.span), insertedContent: { text: e.newText } })),
              },
            ],
          })),
  }));
}

/** Where streamArray puts the items in a document. */
const ITEMS = '\u0000items\u0000';

/** `JSON.stringify(doc, null, 2)` with ITEMS replaced by the array of `items`, yielded an item at a time. */
function* streamArray<T>(doc: object, items: readonly T[], toJson: (item: T) => unknown): Generator<string> {
  const text = JSON.stringify(doc, null, 2);
  const mark = JSON.stringify(ITEMS);
  const at = text.indexOf(mark);
  const head = text.slice(0, at);
  const tail = text.slice(at + mark.length);
  if (items.length === 0) {
    yield `${head}[]${tail}\n`;
    return;
  }
  const line = head.slice(head.lastIndexOf('\n') + 1);
  const indent = line.slice(0, line.length - line.trimStart().length);
  const inner = `${indent}  `;
  yield `${head}[\n`;
  for (let i = 0; i < items.length; i++) {
    const item = JSON.stringify(toJson(items[i]), null, 2).split('\n').join(`\n${inner}`);
    yield `${inner}${item}${i < items.length - 1 ? ',' : ''}\n`;
  }
  yield `${indent}]${tail}\n`;
}
