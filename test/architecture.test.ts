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
