// Loads the parser the way the bundles do, from the pinned grammar and web-tree-sitter's runtime,
// and analyses in-memory Go sources as one package.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { releaseTags, type BuildConfig } from '../../server/src/core/build/config';
import { analyzeDirectory } from '../../server/src/node/check-package';
import { builtFingerprints } from '../../server/src/node/fingerprint';
import { PackageLoader } from '../../server/src/node/package-loader';
import { loadSnapshot } from '../../server/src/node/stdlib-snapshot';
import { goroot, HAS_GO } from './go';
import { analyzeFile } from '../../server/src/core/analyze';
import { PackageIndex } from '../../server/src/core/index/package-index';
import { summarize, type FileSummary, type SourceUnit } from '../../server/src/core/index/summary';
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

/** The summary of a file of this text, its tree freed. */
export function summaryOf(p: GoParser, path: string, text: string): FileSummary {
  const u = unitOf(p, path, text);
  try {
    return summarize(u);
  } finally {
    u.tree.delete();
  }
}

/**
 * Analyses files on disk package by package (one per directory), as `mapscope check` does: each
 * package reaches the others, the standard library (GOROOT, else the bundled snapshot) and the
 * module cache through the import loader. No disk cache. Returns findings by path.
 */
export async function analyzePackages(files: readonly string[], go: GoVersion = NEWEST_GO): Promise<Map<string, Finding[]>> {
  const p = await loadParser();
  const root = HAS_GO ? goroot() : undefined;
  const build: BuildConfig = { goos: 'linux', goarch: 'amd64', cgo: true, compiler: 'gc', tags: ['amd64.v1', ...releaseTags(go.minor)], tests: true };
  const snapshot = loadSnapshot(join(ROOT, 'server', 'data', 'stdlib-api.json.gz'), builtFingerprints()?.summary);
  const loader = new PackageLoader(p, { build, paths: root ? { goroot: root } : {}, snapshot: () => snapshot });
  const byDir = new Map<string, string[]>();
  for (const f of files) byDir.set(dirname(f), [...(byDir.get(dirname(f)) ?? []), f]);
  const out = new Map<string, Finding[]>();
  for (const [dir, list] of byDir) {
    const report = analyzeDirectory(p, { files: list, siblings: list }, { go }, (unit, findings) => out.set(unit.path, findings), undefined, { loader, graph: loader.graphFor(dir) });
    if (report.errors.length > 0) throw new Error(report.errors.map((e) => `${e.file}: ${e.rule}: ${e.message}`).join('\n'));
  }
  return out;
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
