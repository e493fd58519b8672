// The order `mapscope check` hands packages to its threads (node/job-order.ts): imported packages
// of the check before their importers, read from the import declarations' text.
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { importLevels, importsIn } from '../server/src/node/job-order';
import { ROOT } from './helpers/core';

it('reads the import paths of single and grouped import declarations, aliased or not', () => {
  const text = 'package p\n\nimport "fmt"\nimport x "example.com/x"\n\nimport (\n\t"strings"\n\t. "example.com/dot"\n\t_ "embed" // for go:embed\n)\n\nvar s = "not/an/import"\n';
  expect(importsIn(text).sort()).toEqual(['embed', 'example.com/dot', 'example.com/x', 'fmt', 'strings']);
});

it('puts a package after the packages of the check it imports', () => {
  const app = join(ROOT, 'test', 'modules', 'app');
  const jobs = [
    { dir: join(app, 'cmd', 'tool'), files: [join(app, 'cmd', 'tool', 'main.go')] },
    { dir: join(app, 'config'), files: [join(app, 'config', 'config.go')] },
    { dir: join(ROOT, 'test', 'modules', 'local'), files: [join(ROOT, 'test', 'modules', 'local', 'loc.go')] },
  ];
  // tool imports config and (through replace) local; config imports only a module-cache package.
  expect(importLevels(jobs, {}, { GOWORK: 'off' })).toEqual([1, 0, 0]);
});
