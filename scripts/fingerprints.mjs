// The fingerprints that key MapScope's disk cache (server/src/node/fingerprint.ts): a hash of the
// code that produces what is cached, taken from an esbuild bundle of it, plus the grammar and the
// version. A change to the summariser (or to anything it imports) changes the summary fingerprint
// and a change to any rule or analysis changes the analysis fingerprint, with or without a version
// bump, so a stale entry can never be read back. scripts/build.mjs, bench/corpus.mjs and
// vitest.config.ts inject them as __MAPSCOPE_FINGERPRINTS__.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

function bundleHash(entry) {
  const out = buildSync({
    entryPoints: [join(root, entry)],
    bundle: true,
    write: false,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    logLevel: 'silent',
    // Only our code decides what is cached; node_modules are pinned by the version and the grammar.
    packages: 'external',
  });
  return createHash('sha256').update(out.outputFiles[0].contents).digest('hex');
}

/** { summary, analysis }: hex sha256 digests. */
export function fingerprints() {
  const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const grammar = createHash('sha256').update(readFileSync(join(root, 'grammars', 'tree-sitter-go.wasm'))).digest('hex');
  const runtime = createHash('sha256').update(readFileSync(require.resolve('web-tree-sitter/web-tree-sitter.wasm'))).digest('hex');
  const base = `${version}\n${grammar}\n${runtime}\n`;
  const digest = (s) => createHash('sha256').update(s).digest('hex');
  // A report read the bundled standard library when there was no GOROOT: it depends on that too.
  const snapshotFile = join(root, 'server', 'data', 'stdlib-api.json.gz');
  const snapshot = existsSync(snapshotFile) ? createHash('sha256').update(readFileSync(snapshotFile)).digest('hex') : 'none';
  return {
    summary: digest(`${base}summary ${bundleHash('server/src/core/index/summary.ts')}`),
    analysis: digest(`${base}analysis ${bundleHash('server/src/node/check-package.ts')} ${snapshot}`),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) console.log(JSON.stringify(fingerprints()));
