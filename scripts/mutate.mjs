// Mutation check: applies one-line mutants of the production code, one at a time, runs the tests
// that should notice, and reports each mutant killed (some test failed) or survived (all passed).
// A surviving mutant is a change of behaviour no test can see. The source is restored after each
// mutant, and on Ctrl-C.
//
//   node scripts/mutate.mjs            every mutant
//   node scripts/mutate.mjs 3 5        only those (1-based)
//
// Exit 0 when every mutant is killed, 1 when one survives, 2 when a mutant no longer applies (its
// `find` text is gone: update the list with the code).
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Each: what it breaks, where, the text replaced (must occur exactly once), and the tests to run. */
const MUTANTS = [
  {
    what: 'peak bytes reported as the live bytes at the end',
    file: 'server/src/core/engine/predict.ts',
    find: 'peakBytes: first.rec.peakBytes,',
    replace: 'peakBytes: first.rec.liveBytes,',
    tests: ['test/engine/engine.test.ts'],
  },
  {
    what: 'Go 1.22 malloc headers moved to 1.23',
    file: 'server/src/core/engine/allocator.ts',
    find: 'mallocHeaders: goMinor >= 22',
    replace: 'mallocHeaders: goMinor >= 23',
    tests: ['test/engine/engine.test.ts'],
  },
  {
    what: 'Go 1.21 load factor as 1.20\'s',
    file: 'server/src/core/engine/map-shape.ts',
    find: 'loadFactorNum: target.minor === 21 ? 12 : 13',
    replace: 'loadFactorNum: 13',
    tests: ['test/engine/engine.test.ts'],
  },
  {
    what: 'switch cases ordered: each case runs on into the next (nil-map-write sees an assignment in an earlier case)',
    file: 'server/src/core/analyses/control-flow.ts',
    find: "const entry = list(statementListOf(cases[i]), next, { ...inner, fall: following });",
    replace: "const entry = list(statementListOf(cases[i]), following, { ...inner, fall: following });",
    tests: ['test/rules.test.ts'],
  },
  {
    what: 'no barrier check inside a goroutine',
    file: 'server/src/core/rules/concurrent-map-write/spawns.ts',
    find: '      if (ctx.barrierBetween(litBody.startIndex, a.node.startIndex)) continue;\n',
    replace: '',
    tests: ['test/rules.test.ts'],
  },
  {
    what: 'a loop that ends in return counted as starting many goroutines',
    file: 'server/src/core/rules/concurrent-map-write/ordering.ts',
    find: "/^(break_statement|return_statement)$/.test(last)",
    replace: "/^(break_statement)$/.test(last)",
    tests: ['test/rules.test.ts'],
  },
  {
    what: 'an inner loop whose count depends on the outer loop (triangular) counted as a product',
    file: 'server/src/core/analyses/fills.ts',
    find: '    if (c.names.some((n) => declared.has(n))) return undefined; // an inner count depends on an outer loop\n',
    replace: '',
    tests: ['test/rules.test.ts'],
  },
  {
    what: 'a map copy recognised whatever value the loop stores',
    file: 'server/src/core/analyses/fills.ts',
    find: " || fill.insert.childForFieldName('right')?.text !== count.vars[1]",
    replace: '',
    tests: ['test/map-without-hint.test.ts'],
  },
  {
    what: 'a map copy recognised whatever the source map\'s type',
    file: 'server/src/core/analyses/fills.ts',
    find: 'return srcType !== undefined && same(srcType) ? src.text : undefined;',
    replace: 'return src.text;',
    tests: ['test/map-without-hint.test.ts'],
  },
  {
    what: 'a return in the loop no longer makes the count an upper bound',
    file: 'server/src/core/analyses/fills.ts',
    find: "    if (j.kind === 'return' || j.kind === 'no-return') {\n      early = true;",
    replace: "    if (j.kind === 'return' || j.kind === 'no-return') {\n      early = false;",
    tests: ['test/rules.test.ts'],
  },
  {
    what: 'an event in the write\'s own statement ignored (nil-map-write)',
    file: 'server/src/core/rules/nil-map-write/index.ts',
    find: '      if (e.node.startIndex < own) return true;',
    replace: '      if (e.node.startIndex < own) continue;',
    tests: ['test/rules.test.ts'],
  },
  {
    what: 'RLock treated as excluding writers',
    file: 'server/src/core/rules/concurrent-map-write/judge.ts',
    find: "if (other && (mode === 'write' || other === 'write')) return false;",
    replace: 'if (other) return false;',
    tests: ['test/rules.test.ts'],
  },
  {
    what: 'a lock held on some paths only counted as held',
    file: 'server/src/core/analyses/locks.ts',
    find: '  for (const x of f.may) if (!f.must.has(x)) unsure = true;',
    replace: '',
    tests: ['test/rules.test.ts', 'test/analyses.test.ts'],
  },
  {
    what: 'a no-return call (panic, os.Exit) falls through to the next statement',
    file: 'server/src/core/analyses/control-flow.ts',
    find: "        if (call && isNoReturnCall(call)) {\n          g.edge(self, EXIT);",
    replace: "        if (call && isNoReturnCall(call)) {\n          g.edge(self, next);",
    tests: ['test/rules.test.ts', 'test/analyses.test.ts'],
  },
  {
    what: 'a rule reading an analysis it did not declare is allowed',
    file: 'server/src/core/analysis/pass.ts',
    find: '    if (this.consumer && !this.consumer.allowed.has(analysis)) {',
    replace: '    if (false && this.consumer && !this.consumer.allowed.has(analysis)) {',
    tests: ['test/analyses.test.ts'],
  },
  {
    what: 'the keyword of `import "x"` read as the import\'s alias (the incremental analysis misses its package name)',
    file: 'server/src/core/incremental.ts',
    find: ".replace(/^import\\b/, '')",
    replace: '',
    tests: ['test/incremental.test.ts'],
  },
  {
    what: 'a type holding a changed type not followed (the incremental analysis keeps stale sizes)',
    file: 'server/src/core/incremental.ts',
    find: '      if (resized.has(t.name)) continue;',
    replace: '      continue;',
    tests: ['test/incremental.test.ts'],
  },
  {
    what: 'line breaks in a declaration treated as spaces (`id int` and `id⏎int` read alike)',
    file: 'server/src/core/incremental.ts',
    find: ".replace(/ ?\\n[\\s]*/g, '\\n')",
    replace: ".replace(/\\s+/g, ' ')",
    tests: ['test/incremental.test.ts'],
  },
];

const only = process.argv.slice(2).map(Number).filter((n) => n > 0);
const chosen = MUTANTS.map((m, i) => ({ ...m, n: i + 1 })).filter((m) => only.length === 0 || only.includes(m.n));

let restore;
process.on('SIGINT', () => {
  restore?.();
  process.exit(130);
});

// The chosen tests must pass on the unchanged code, or every mutant would look killed.
const allTests = [...new Set(chosen.flatMap((m) => m.tests))];
const base = spawnSync(process.execPath, [join(root, 'node_modules', 'vitest', 'vitest.mjs'), 'run', ...allTests], { cwd: root, encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' } });
if (base.status !== 0) {
  console.error(`the tests fail before any mutant is applied:\n${base.stdout.slice(-3000)}${base.stderr.slice(-2000)}`);
  process.exit(2);
}

const results = [];
for (const m of chosen) {
  const path = join(root, m.file);
  const original = readFileSync(path, 'utf8');
  const at = original.indexOf(m.find);
  if (at < 0 || original.indexOf(m.find, at + 1) >= 0) {
    results.push({ ...m, outcome: at < 0 ? 'STALE (text not found)' : 'STALE (text found twice)' });
    continue;
  }
  restore = () => writeFileSync(path, original);
  writeFileSync(path, original.slice(0, at) + m.replace + original.slice(at + m.find.length));
  const started = Date.now();
  const r = spawnSync(process.execPath, [join(root, 'node_modules', 'vitest', 'vitest.mjs'), 'run', ...m.tests], { cwd: root, encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' } });
  restore();
  restore = undefined;
  const seconds = ((Date.now() - started) / 1000).toFixed(0);
  // The first failing test, so a kill by a crash or a broken import is told from a kill by an assertion.
  const failed = /(?:FAIL|×)\s+(.+)/.exec(r.stdout.replace(/\x1b\[[0-9;]*m/g, ''))?.[1]?.trim();
  results.push({ ...m, outcome: r.status === 0 ? 'SURVIVED' : 'killed', seconds });
  console.log(`${m.n}. ${results.at(-1).outcome.padEnd(8)} ${m.what} (${seconds} s)${failed ? `\n     by ${failed}` : ''}`);
}

const survived = results.filter((r) => r.outcome === 'SURVIVED');
const stale = results.filter((r) => r.outcome.startsWith('STALE'));
for (const r of stale) console.log(`${r.n}. ${r.outcome}: ${r.what} (${r.file})`);
console.log(`\n${results.length - survived.length - stale.length} of ${results.length} mutants killed, ${survived.length} survived, ${stale.length} stale`);
process.exit(stale.length > 0 ? 2 : survived.length > 0 ? 1 : 0);
