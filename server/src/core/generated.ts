// Generated Go files, as Go defines them (https://go.dev/s/generatedcode, go/ast.IsGenerated): a
// line `// Code generated … DO NOT EDIT.` in a comment before the package clause. Nobody edits such
// a file by hand, so a finding there asks for a change its generator would undo; like staticcheck
// and golangci-lint, the rules skip them unless asked (`--include-generated`,
// `mapscope.includeGenerated`). They still contribute their declarations to the package index.
import type { Tree } from 'web-tree-sitter';

const PREFIX = '// Code generated ';
const SUFFIX = ' DO NOT EDIT.';

export function isGenerated(tree: Tree): boolean {
  // Sibling by sibling: the header comes first, and reading every top-level node costs a keystroke.
  for (let n = tree.rootNode.firstChild; n; n = n.nextSibling) {
    if (n.type === 'package_clause') return false;
    if (n.type !== 'comment' || !n.text.includes(PREFIX)) continue;
    // go/ast checks each line of the comment's text, block comments included; go/scanner drops
    // the carriage returns of CRLF files from a comment's text first.
    for (const line of n.text.replace(/\r/g, '').split('\n')) {
      if (line.startsWith(PREFIX) && line.endsWith(SUFFIX) && line.length >= PREFIX.length + SUFFIX.length) return true;
    }
  }
  return false;
}
