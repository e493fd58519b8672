// ARCHITECTURE.md's invariants that a scan can check: core/ imports no editor, no LSP and no file
// system, and no call spreads a collection into its arguments.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
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

// Issue 18: `f(...xs)` passes every element as an argument, and V8 throws past about 125,000
// (a file with that many findings made `check` fail). No call or `new` in the shipped code spreads
// a collection into its arguments; loops or concat do it instead.
/** Spreads of lists bounded by construction: a rule's documentation, console.log's own arguments. */
const BOUNDED_SPREADS = new Set(['server/src/core/rules/docs.ts', 'server/src/lsp/main.ts']);

it('no call in server/, client/ or common/ spreads a collection into its arguments', () => {
  const offenders: string[] = [];
  for (const dir of ['server', 'client', 'common']) {
    for (const file of tsFiles(join(ROOT, dir))) {
      if (BOUNDED_SPREADS.has(relative(ROOT, file))) continue;
      const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
      const visit = (node: ts.Node): void => {
        if (ts.isSpreadElement(node) && (ts.isCallExpression(node.parent) || ts.isNewExpression(node.parent))) {
          const { line } = source.getLineAndCharacterOfPosition(node.getStart());
          offenders.push(`${relative(ROOT, file)}:${line + 1}: ${node.parent.getText().slice(0, 80)}`);
        }
        ts.forEachChild(node, visit);
      };
      visit(source);
    }
  }
  expect(offenders).toEqual([]);
});
