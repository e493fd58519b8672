// The package names a file's imports bind: the alias, else the import path's last element (minus a
// major-version suffix), as the go command names packages. Read with one query over the tree.
import type { FileAnalysis } from '../analysis/analysis';
import { compiledQuery } from '../analysis/queries';

const IMPORT_QUERY = `(import_spec name: (_)? @alias path: (_) @path) @spec`;

export const importNames: FileAnalysis<ReadonlySet<string>> = {
  id: 'imports',
  kind: 'file',
  requires: [],
  run(pass) {
    const q = compiledQuery(pass.unit.tree.language, IMPORT_QUERY);
    const names = new Set<string>();
    for (const m of q.matches(pass.unit.tree.rootNode)) {
      const alias = m.captures.find((c) => c.name === 'alias')?.node.text;
      const path = m.captures.find((c) => c.name === 'path')?.node.text.replace(/^["`]|["`]$/g, '') ?? '';
      const parts = path.split('/');
      let last = parts[parts.length - 1];
      if (/^v\d+$/.test(last) && parts.length > 1) last = parts[parts.length - 2];
      names.add(alias ?? last.replace(/^go-/, '').replace(/[.-].*$/, ''));
    }
    return names;
  },
};
