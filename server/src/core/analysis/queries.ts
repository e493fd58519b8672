// Compiled tree-sitter queries, one per grammar and query text. Compiling a query costs more than
// running it over a file, and the result depends only on the grammar, so this is the one cache that
// outlives a parse: it holds no tree, no text and nothing that differs between files.
import { Query, type Language } from 'web-tree-sitter';

const compiled = new Map<Language, Map<string, Query>>();

export function compiledQuery(language: Language, source: string): Query {
  let bySource = compiled.get(language);
  if (!bySource) compiled.set(language, (bySource = new Map()));
  let q = bySource.get(source);
  if (!q) bySource.set(source, (q = new Query(language, source)));
  return q;
}
