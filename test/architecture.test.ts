// ARCHITECTURE.md's first invariant, enforced: core/ imports no editor, no LSP and no file system.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { expect, it } from 'vitest';
import { ROOT } from './helpers/core';

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? tsFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

it('server/src/core imports nothing from vscode, the LSP libraries or node:', () => {
  const offenders: string[] = [];
  for (const file of tsFiles(join(ROOT, 'server', 'src', 'core'))) {
    for (const m of readFileSync(file, 'utf8').matchAll(/(?:from|import|require\()\s*['"]([^'"]+)['"]/g)) {
      if (/^(vscode|vscode-languageserver|vscode-languageclient|node:|fs$|path$|child_process$|os$)/.test(m[1])) {
        offenders.push(`${relative(ROOT, file)}: ${m[1]}`);
      }
    }
  }
  expect(offenders).toEqual([]);
});

it('nothing imports a rule but the registry (rules/index.ts)', () => {
  const ruleDirs = readdirSync(join(ROOT, 'server', 'src', 'core', 'rules'), { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
  expect(ruleDirs.length).toBeGreaterThanOrEqual(3);
  const offenders: string[] = [];
  for (const file of [...tsFiles(join(ROOT, 'server', 'src')), ...tsFiles(join(ROOT, 'client', 'src'))]) {
    const rel = relative(ROOT, file);
    if (rel === join('server', 'src', 'core', 'rules', 'index.ts')) continue;
    for (const m of readFileSync(file, 'utf8').matchAll(/from\s*['"]([^'"]+)['"]/g)) {
      const target = join(file, '..', m[1]);
      const rule = ruleDirs.find((d) => target === join(ROOT, 'server', 'src', 'core', 'rules', d) || target.startsWith(join(ROOT, 'server', 'src', 'core', 'rules', d) + '/'));
      if (rule && !rel.startsWith(join('server', 'src', 'core', 'rules', rule) + '/')) offenders.push(`${rel}: ${m[1]}`);
    }
  }
  expect(offenders).toEqual([]);
});

it('analyses and rules keep no module-level caches: results live in the pass, for one parse', () => {
  const offenders: string[] = [];
  for (const dir of ['analyses', 'rules']) {
    for (const file of tsFiles(join(ROOT, 'server', 'src', 'core', dir))) {
      for (const m of readFileSync(file, 'utf8').matchAll(/^(?:export )?(?:const|let|var) (\w+)\b[^=\n]*= new (?:Weak)?(?:Map|Set)\b(?!\(\[)/gm)) {
        offenders.push(`${relative(ROOT, file)}: ${m[1]}`);
      }
    }
  }
  expect(offenders).toEqual([]);
});
