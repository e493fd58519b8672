// Which packages of a check import which (node/job-order.ts), read from the import declarations'
// text: the packages' own files apart from their tests, whose imports may run back to the package.
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { jobImports, importsIn } from '../server/src/node/job-order';
import { readHead } from '../server/src/node/build-files';
import { ROOT } from './helpers/core';
import { removeDir, tempDir, writeTree } from './helpers/cli';

it('reads the import paths of single and grouped import declarations, aliased or not', () => {
  const text = 'package p\n\nimport "fmt"\nimport x "example.com/x"\n\nimport (\n\t"strings"\n\t. "example.com/dot"\n\t_ "embed" // for go:embed\n)\n\nvar s = "not/an/import"\n';
  expect(importsIn(text).sort()).toEqual(['embed', 'example.com/dot', 'example.com/x', 'fmt', 'strings']);
});

it('names the packages of the check a package imports, across a replace, and none outside the check', () => {
  const app = join(ROOT, 'test', 'modules', 'app');
  const jobs = [
    { dir: join(app, 'cmd', 'tool'), files: [join(app, 'cmd', 'tool', 'main.go')] },
    { dir: join(app, 'config'), files: [join(app, 'config', 'config.go')] },
    { dir: join(ROOT, 'test', 'modules', 'local'), files: [join(ROOT, 'test', 'modules', 'local', 'loc.go')] },
  ];
  // tool imports config and (through replace) local; config imports only a module-cache package.
  const got = jobImports(jobs, {}, { GOWORK: 'off' });
  expect(got.map((j) => ({ own: [...j.own].sort(), tests: j.tests }))).toEqual([
    { own: [1, 2], tests: [] },
    { own: [], tests: [] },
    { own: [], tests: [] },
  ]);
});

const root = tempDir();
afterAll(() => removeDir(root));

it('keeps the imports of _test.go files apart: they may lead back to the package tested', () => {
  writeTree(root, {
    'go.mod': 'module example.com/m\n\ngo 1.22\n',
    'a/a.go': 'package a\n\nimport "example.com/m/c"\n\nvar X = c.C\n',
    'a/a_test.go': 'package a_test\n\nimport (\n\t"testing"\n\n\t"example.com/m/a"\n\t"example.com/m/b"\n\t"example.com/m/c"\n)\n\nfunc TestA(t *testing.T) { _ = a.X; _ = b.Y; _ = c.C }\n',
    'b/b.go': 'package b\n\nimport "example.com/m/a"\n\nvar Y = a.X\n',
    'c/c.go': 'package c\n\nconst C = 1\n',
  });
  const dirs = ['a', 'b', 'c'].map((d) => join(root, d));
  const jobs = dirs.map((dir) => ({ dir, files: dir.endsWith('a') ? [join(dir, 'a.go'), join(dir, 'a_test.go')] : [join(dir, `${dir.slice(-1)}.go`)] }));
  // a's test imports a itself (not a dependency), b (which imports a: only the test leads back)
  // and c, which a's own file imports already.
  expect(jobImports(jobs, {}, { GOWORK: 'off' })).toEqual([
    { own: [2], tests: [1] },
    { own: [0], tests: [] },
    { own: [], tests: [] },
  ]);
});

it('reads imports below a package comment longer than the first bytes read of a file', () => {
  const doc = `// Package a has a long comment.\n${'// It goes on and on, as the standard library\'s doc.go files do.\n'.repeat(400)}`;
  writeTree(root, {
    'long/go.mod': 'module example.com/long\n\ngo 1.22\n',
    'long/a/doc.go': `${doc}package a\n\nimport "example.com/long/b"\n\nvar _ = b.B\n`,
    'long/b/b.go': 'package b\n\nconst B = 1',
  });
  const a = join(root, 'long', 'a', 'doc.go');
  expect(doc.length).toBeGreaterThan(16384);
  expect(readHead(a)).toBe(`${doc}package a\n\nimport "example.com/long/b"\n\nvar _ = b.B\n`);
  // A file that ends inside its head (no newline after the last token) is read whole.
  expect(readHead(join(root, 'long', 'b', 'b.go'))).toBe('package b\n\nconst B = 1');
  const jobs = ['a', 'b'].map((d) => ({ dir: join(root, 'long', d), files: [d === 'a' ? a : join(root, 'long', 'b', 'b.go')] }));
  expect(jobImports(jobs, {}, { GOWORK: 'off' })).toEqual([
    { own: [1], tests: [] },
    { own: [], tests: [] },
  ]);
});
