// Loads the parser the way the bundles do, from the pinned grammar and web-tree-sitter's runtime,
// and analyses in-memory Go sources as one package.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { analyzeFile } from '../../server/src/core/analyze';
import { PackageIndex } from '../../server/src/core/index/package-index';
import { summarize, type SourceUnit } from '../../server/src/core/index/summary';
import type { Finding } from '../../server/src/core/findings';
import { NEWEST_GO, type GoVersion } from '../../server/src/core/go-version';
import { GoParser } from '../../server/src/core/parse/parser';
import { LineIndex } from '../../server/src/core/parse/positions';

const require = createRequire(import.meta.url);
export const ROOT = join(__dirname, '..', '..');
export const WASM = {
  runtime: require.resolve('web-tree-sitter/web-tree-sitter.wasm'),
  go: join(ROOT, 'grammars', 'tree-sitter-go.wasm'),
};

let parser: Promise<GoParser> | undefined;
export function loadParser(): Promise<GoParser> {
  parser ??= GoParser.load(WASM);
  return parser;
}

export function unitOf(p: GoParser, path: string, text: string): SourceUnit {
  return { path, text, tree: p.parse(text), lines: new LineIndex(text) };
}

/** Analyses the files as one package; returns findings by path. */
export async function analyzeSources(files: Record<string, string>, go: GoVersion = NEWEST_GO): Promise<Map<string, Finding[]>> {
  const p = await loadParser();
  const units = Object.entries(files).map(([path, text]) => unitOf(p, path, text));
  try {
    const pkg = new PackageIndex(units.map((u) => summarize(u)));
    return new Map(units.map((u) => [u.path, analyzeFile(u, pkg, { go })]));
  } finally {
    for (const u of units) u.tree.delete();
  }
}
