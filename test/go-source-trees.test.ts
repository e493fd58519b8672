// The grammar against the Go source tree itself: every .go file under src/ of the installed Go and of
// go1.27.3 (fetched through the module proxy, as CI does) parses with no ERROR or MISSING node,
// except the files listed below, each with why. Both lists are checked against the real Go parser
// (gofmt of the same toolchain), and an exclusion that is no longer needed fails the test.
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Tree } from 'web-tree-sitter';
import { loadParser } from './helpers/core';
import { goroot, HAS_GO, REQUIRE_GO } from './helpers/go';

/** The Go 1.27 release checked besides the installed Go. */
const GO127 = 'go1.27.3';

/**
 * Tests of syntax errors: the Go parser rejects them too. The value is gofmt's first complaint
 * (go1.27.3's, or go1.26.8's for a file go1.27.3 no longer has).
 */
const SYNTAX_ERROR_ON_PURPOSE: Record<string, string> = {
  'cmd/compile/internal/syntax/testdata/issue20789.go': "9:51: expected '(', found u",
  'cmd/compile/internal/syntax/testdata/issue23385.go': '10:5: expected boolean expression, found assignment (missing parentheses around composite literal?)',
  'cmd/compile/internal/syntax/testdata/issue23434.go': '11:38: expected type, found newline',
  'cmd/compile/internal/syntax/testdata/issue31092.go': "11:35: expected ';', found ':='",
  'cmd/compile/internal/syntax/testdata/issue43527.go': '9:52: missing type constraint',
  'cmd/compile/internal/syntax/testdata/issue43674.go': "7:50: expected type, found ')'",
  'cmd/compile/internal/syntax/testdata/issue46558.go': "11:3: expected operand, found 'case'",
  'cmd/compile/internal/syntax/testdata/issue47704.go': "8:8: expected operand, found ']'",
  'cmd/compile/internal/syntax/testdata/issue48382.go': '7:108: empty type parameter list',
  'cmd/compile/internal/syntax/testdata/issue49205.go': "10:98: expected ';', found int",
  'cmd/compile/internal/syntax/testdata/issue49482.go': '29:47: unexpected comma; expecting ]',
  'cmd/compile/internal/syntax/testdata/issue52391.go': "15:28: expected type, found '~'",
  'cmd/compile/internal/syntax/testdata/issue56022.go': "7:53: expected 'IDENT', found '{'",
  'cmd/compile/internal/syntax/testdata/issue60599.go': '8:5: expected boolean expression, found assignment (missing parentheses around composite literal?)',
  'cmd/compile/internal/syntax/testdata/issue65790.go': "12:6: expected ';', found status",
  'cmd/compile/internal/syntax/testdata/issue68589.go': "7:44: expected type, found 'type'",
  'cmd/compile/internal/syntax/testdata/issue70957.go': "7:79: expected 'IDENT', found ';'",
  'cmd/compile/internal/syntax/testdata/sample.go': "25:44: expected ';', found ','",
  'cmd/compile/internal/syntax/testdata/smoketest.go': "70:42: expected operand, found ']'",
  'cmd/compile/internal/syntax/testdata/tparams.go': '7:49: missing type constraint',
  'cmd/compile/internal/syntax/testdata/typeset.go': '52:53: missing type parameter name or invalid array length',
  'cmd/compile/internal/types2/testdata/local/issue47996.go': '8:32: missing type constraint',
  'cmd/compile/internal/types2/testdata/local/issue68183.go': "13:2: illegal character U+2639 '☹'",
  'cmd/cover/testdata/ranges/ranges.go': "6:1: illegal character U+00AB '«'",
  'go/parser/testdata/issue42951/not_a_file.go/invalid.go': "1:1: expected 'package', found This",
  'internal/types/testdata/check/expr3.go': '22:8: middle index required in 3-index slice',
  'internal/types/testdata/check/issues0.go': '263:5: missing condition in if statement',
  'internal/types/testdata/check/stmt0.go': '232:6: expression in go must be function call',
  'internal/types/testdata/check/typeinst0.go': '35:46: expected type argument list',
  'internal/types/testdata/check/vardecl.go': "17:6: expected type, found ';'",
  'internal/types/testdata/examples/functions.go': '211:8: empty type parameter list',
  'internal/types/testdata/examples/types.go': "109:51: expected ';', found '['",
  'internal/types/testdata/fixedbugs/issue39634.go': '89:26: interface method must have no type parameters',
  'internal/types/testdata/fixedbugs/issue43190.go': '10:8: missing import path',
  'internal/types/testdata/fixedbugs/issue45635.go': '13:10: expected type argument list',
  'internal/types/testdata/fixedbugs/issue46403.go': "10:12: expected operand, found ']'",
  'internal/types/testdata/fixedbugs/issue48827.go': '18:79: expected type, found 1',
  'internal/types/testdata/fixedbugs/issue50427.go': '10:20: interface method must have no type parameters',
  'internal/types/testdata/fixedbugs/issue50427a.go': '12:20: interface method must have no type parameters',
  'internal/types/testdata/fixedbugs/issue50427b.go': '10:20: interface method must have no type parameters',
  'internal/types/testdata/fixedbugs/issue51658.go': "11:8: expected type, found '{'",
};

/**
 * Type-checker tests whose error is a construct outside the specification's syntax. The Go parser
 * lets it through and leaves the error to the type checker; the grammar follows the specification
 * (https://go.dev/ref/spec), so these stay errors. None of them compiles.
 */
const OUTSIDE_THE_SPEC: Record<string, string> = {
  'internal/types/testdata/check/constdecl.go': '`const _ int`: a constant with a type and no value (ConstSpec = IdentifierList [ [ Type ] "=" ExpressionList ])',
  'internal/types/testdata/check/decls0.go': '`type iA0 [...]byte`: `[...]T` outside a composite literal',
  'internal/types/testdata/fixedbugs/issue42987.go': '`[...]byte("foo")`: `[...]T` outside a composite literal',
  'internal/types/testdata/check/expr0.go': '`~x` as an expression: `~` only marks a type in a constraint (unary_op has no `~`)',
  'internal/types/testdata/fixedbugs/issue58612.go': '`x.(type)` outside a type switch guard',
};

/** Every .go file under `dir`, as paths relative to it with `/` separators, sorted. */
function goFiles(dir: string): string[] {
  const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.go') && statSync(join(dir, f)).isFile());
  return files.map((f) => f.split('\\').join('/')).sort();
}

/** Where the first ERROR or MISSING node is, for the failure message (a missing hidden token has no node to point at). */
function firstError(tree: Tree): string {
  const cursor = tree.walk();
  try {
    for (;;) {
      const node = cursor.currentNode;
      if (node.isError || node.isMissing) return `${node.startPosition.row + 1}:${node.startPosition.column + 1} ${node.isMissing ? `MISSING ${node.type}` : 'ERROR'}`;
      if (node.hasError && cursor.gotoFirstChild()) continue;
      while (!cursor.gotoNextSibling()) if (!cursor.gotoParent()) return 'MISSING (a hidden token)';
    }
  } finally {
    cursor.delete();
  }
}

/** The excluded files gofmt rejects, out of `files` (one gofmt run: it names each file it cannot parse). */
function rejectedByGofmt(root: string, files: string[]): Promise<Set<string>> {
  return new Promise((resolve, reject) => {
    const gofmt = join(root, 'bin', 'gofmt');
    execFile(gofmt, ['-l', '-e', ...files], { cwd: join(root, 'src'), maxBuffer: 64 << 20 }, (err, _stdout, stderr) => {
      if (err && typeof err.code !== 'number') return reject(err);
      resolve(new Set(files.filter((f) => stderr.split('\n').some((line) => line.startsWith(`${f}:`)))));
    });
  });
}

async function checkTree(root: string): Promise<void> {
  const src = join(root, 'src');
  const parser = await loadParser();
  const broken: string[] = [];
  const excluded: string[] = [];
  const stale: string[] = [];
  const files = goFiles(src);
  for (const file of files) {
    const tree = parser.parse(readFileSync(join(src, file), 'utf8'));
    try {
      const isExcluded = file in SYNTAX_ERROR_ON_PURPOSE || file in OUTSIDE_THE_SPEC;
      if (isExcluded) excluded.push(file);
      if (isExcluded && !tree.rootNode.hasError) stale.push(file);
      if (!isExcluded && tree.rootNode.hasError) broken.push(`${file}:${firstError(tree)}`);
    } finally {
      tree.delete();
    }
  }
  expect(files.length).toBeGreaterThan(5000); // the whole tree was read
  expect(broken).toEqual([]);
  expect(stale).toEqual([]); // an exclusion that parses now is no longer needed: remove it
  // The Go parser agrees: it rejects the syntax-error tests and accepts the others.
  const rejected = await rejectedByGofmt(root, excluded);
  expect(excluded.filter((f) => f in SYNTAX_ERROR_ON_PURPOSE && !rejected.has(f))).toEqual([]);
  expect(excluded.filter((f) => f in OUTSIDE_THE_SPEC && rejected.has(f))).toEqual([]);
}

describe('the Go source trees parse without errors', () => {
  it.skipIf(!HAS_GO)('the installed Go (`go env GOROOT`)', async () => {
    const root = goroot();
    expect(root).toBeDefined();
    await checkTree(root!);
  }, 600_000);

  it.skipIf(!HAS_GO)(GO127, async (ctx) => {
    const root = goroot(GO127);
    if (root === undefined) {
      // CI (MAPSCOPE_REQUIRE_GO=1) must check it; elsewhere the go command may have no network.
      if (REQUIRE_GO) throw new Error(`MAPSCOPE_REQUIRE_GO=1 but GOTOOLCHAIN=${GO127} cannot be fetched`);
      console.warn(`mapscope tests: ${GO127} cannot be fetched: its source tree is NOT parsed (SKIPPED)`);
      ctx.skip();
    }
    await checkTree(root!);
  }, 600_000);
});
