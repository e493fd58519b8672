// The pinned tree-sitter-go grammar (grammars/tree-sitter-go.wasm, built from grammars/tree-sitter-go/
// by scripts/build-grammar.mjs) with the pinned web-tree-sitter runtime: the versions are exact pins,
// the grammar's ABI is one the runtime accepts, the wasm has not changed silently and was built from
// the grammar.js in the repository, the bundles ship the same files, and modern Go (up to Go 1.27's
// syntax) parses without errors into the node shapes the rules read.
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Language, LANGUAGE_VERSION, MIN_COMPATIBLE_VERSION, type Tree } from 'web-tree-sitter';
import type { GoParser } from '../server/src/core/parse/parser';
import { loadParser, ROOT, WASM } from './helpers/core';
import { goroot, HAS_GO, REQUIRE_GO } from './helpers/go';

/** sha256 of grammars/tree-sitter-go.wasm as pinned (tree-sitter-go 0.25.0 with MapScope's changes, see grammars/README.md). Update it only on purpose. */
const GRAMMAR_SHA256 = 'e787accaac7da403515a65ca119a060530dfe976b1adb0bcc4afc7d2c2a17ced';

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
// web-tree-sitter is bundled into dist/, so it is a devDependency: pinned all the same.
const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };

interface BuildManifest {
  upstream: { package: string; version: string; grammarJsSha256: string };
  grammarJsSha256: string;
  treeSitterJsonSha256: string;
  treeSitterCli: { crate: string; version: string; abi: number };
  toolchain: { debian: Record<string, string>; flags: string[] };
  wasmSha256: string;
}
/** What scripts/build-grammar.mjs built the wasm from and with. */
const build = JSON.parse(readFileSync(join(ROOT, 'grammars', 'tree-sitter-go.manifest.json'), 'utf8')) as BuildManifest;

const MODERN_GO = `package main

import (
	"fmt"
	"iter"
	"maps"
	"slices"
)

type Number interface {
	~int | ~int64 | ~float64
}

func Sum[T Number](xs ...T) T {
	var s T
	for _, x := range xs {
		s += x
	}
	return s
}

type Pair[K comparable, V any] struct {
	Key K
	Val V
}

type List[T any] struct{ items []T }

func (l *List[T]) All() iter.Seq2[int, T] { return slices.All(l.items) }

// A generic type alias (Go 1.24).
type Items[T any] = List[T]

func Pairs[K comparable, V any](m map[K]V) iter.Seq2[K, V] {
	return func(yield func(K, V) bool) {
		for k, v := range m {
			if !yield(k, v) {
				return
			}
		}
	}
}

func Count(n int) iter.Seq[int] {
	return func(yield func(int) bool) {
		for i := range n {
			if !yield(i) {
				return
			}
		}
	}
}

func main() {
	for i := range 10 {
		_ = i
	}
	for range 3 {
	}
	for i := range Count(5) {
		fmt.Println(i)
	}
	for k, v := range Pairs(map[string]int{"a": 1}) {
		fmt.Println(k, v)
	}
	push := func(yield func(int) bool) { yield(1) }
	for x := range push {
		fmt.Println(x)
	}
	m := maps.Collect(Pairs(map[int]string{1: "x"}))
	l := &Items[int]{items: []int{1, 2}}
	for i, v := range l.All() {
		fmt.Println(i, v)
	}
	fmt.Println(Sum[int](1, 2, 3), Sum(1.5, 2.5), m, Pair[string, int]{"a", 1})
}
`;

describe('versions', () => {
  it('pins web-tree-sitter exactly, and that version is the one installed', () => {
    const pin = manifest.devDependencies['web-tree-sitter'];
    expect(pin).toMatch(/^\d+\.\d+\.\d+$/); // no ^, ~, range or tag
    const installed = JSON.parse(readFileSync(join(dirname(WASM.runtime), 'package.json'), 'utf8')) as { version: string };
    expect(installed.version).toBe(pin);
    const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { version?: string }> };
    expect(lock.packages['node_modules/web-tree-sitter']?.version).toBe(pin);
  });

  it('has the pinned grammar wasm, byte for byte', () => {
    expect(sha256(join(ROOT, 'grammars', 'tree-sitter-go.wasm'))).toBe(GRAMMAR_SHA256);
  });

  it('was built from the grammar.js in the repository, with pinned tools (rebuild: node scripts/build-grammar.mjs)', () => {
    // An edited grammar.js or tree-sitter.json without a rebuild fails here.
    expect(sha256(join(ROOT, 'grammars', 'tree-sitter-go', 'grammar.js'))).toBe(build.grammarJsSha256);
    expect(sha256(join(ROOT, 'grammars', 'tree-sitter-go', 'tree-sitter.json'))).toBe(build.treeSitterJsonSha256);
    expect(build.wasmSha256).toBe(GRAMMAR_SHA256);
    expect(build.upstream).toEqual({ package: 'tree-sitter-go', version: '0.25.0', grammarJsSha256: '53e114833c6769d8a86b9e2dfab8bb68b0aaf185e7008a5c572bfa21b77aff1b' });
    expect(build.treeSitterCli).toEqual({ crate: 'tree-sitter-cli', version: '0.25.8', abi: 15 });
    for (const version of Object.values(build.toolchain.debian)) expect(version).toMatch(/^[\w.:~+-]+$/); // exact Debian versions
    expect(build.toolchain.flags).toEqual(expect.arrayContaining(['-fPIC', '-shared', '-Wl,--export=tree_sitter_go']));
  });

  it('ships the same wasm files in dist/ as it tests with', () => {
    expect(sha256(join(ROOT, 'dist', 'tree-sitter-go.wasm'))).toBe(GRAMMAR_SHA256);
    expect(sha256(join(ROOT, 'dist', 'web-tree-sitter.wasm'))).toBe(sha256(WASM.runtime));
  });
});

describe('the grammar with the runtime', () => {
  let parser: GoParser;
  beforeAll(async () => {
    parser = await loadParser();
  });

  it('loads, with an ABI version the runtime supports', async () => {
    // Set by Parser.init (loadParser ran it).
    expect(LANGUAGE_VERSION).toBeGreaterThan(0);
    expect(MIN_COMPATIBLE_VERSION).toBeGreaterThan(0);
    expect(MIN_COMPATIBLE_VERSION).toBeLessThanOrEqual(LANGUAGE_VERSION);
    const abi = parser.language.abiVersion;
    expect(abi).toBeGreaterThanOrEqual(MIN_COMPATIBLE_VERSION);
    expect(abi).toBeLessThanOrEqual(LANGUAGE_VERSION);
    expect(parser.language.name).toBe('go');
    // Loading it again from the file gives the same language.
    const again = await Language.load(WASM.go);
    expect(again.abiVersion).toBe(abi);
    expect(again.nodeTypeCount).toBe(parser.language.nodeTypeCount);
  });

  it('parses generics, range over int and iterators without errors', () => {
    const tree = parser.parse(MODERN_GO);
    try {
      const root = tree.rootNode;
      expect(root.hasError).toBe(false);
      expect(root.text).toBe(MODERN_GO);
      // Generics: type parameter lists on functions, types and methods' receivers; instantiations.
      expect(root.descendantsOfType('type_parameter_list').length).toBeGreaterThanOrEqual(5);
      expect(root.descendantsOfType('type_arguments').length).toBeGreaterThanOrEqual(4);
      expect(root.descendantsOfType('type_constraint').length + root.descendantsOfType('type_elem').length).toBeGreaterThan(0);
      // The generic alias.
      const alias = root.descendantsOfType('type_alias');
      expect(alias.map((n) => n.text)).toEqual(['Items[T any] = List[T]']);
      // Range over int: `for i := range 10` and `for range 3`.
      const ranges = root.descendantsOfType('range_clause');
      const rightOf = (n: (typeof ranges)[number]) => n.childForFieldName('right')?.text;
      expect(ranges.map(rightOf)).toEqual(expect.arrayContaining(['10', '3', 'n', 'Count(5)', 'push', 'l.All()']));
      // Iterators: func(yield func(K, V) bool) literals.
      expect(root.descendantsOfType('func_literal').length).toBe(3);
    } finally {
      tree.delete();
    }
  });

  it.skipIf(!HAS_GO)('uses a Go program that the Go toolchain accepts (needs `go`)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mapscope-grammar-'));
    try {
      writeFileSync(join(dir, 'go.mod'), 'module example.com/modern\n\ngo 1.24\n');
      writeFileSync(join(dir, 'main.go'), MODERN_GO);
      expect(execFileSync('gofmt', ['-l', 'main.go'], { cwd: dir, encoding: 'utf8' })).toBe('');
      execFileSync('go', ['vet', '.'], { cwd: dir, encoding: 'utf8', stdio: 'pipe', env: { ...process.env, GOFLAGS: '-mod=mod', GOTOOLCHAIN: 'local' } });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** Go 1.26 syntax that tree-sitter-go 0.25.0 rejected, and the shapes the rules read. */
const GO126 = `package main

import "fmt"

type J struct{}

func (J) method() {}

type T struct{ A int }

func labels(n int) {
	if n > 0 {
		goto L
	}
	if n < 0 {
		goto L1
	}
L:
L1:
}

func main() {
	p := new(1)
	q := new(uint64(0))
	r := new(T{A: 1})
	s := new(T)
	n := 3
	m := make(map[int]string, n)
	pm := (make)(map[int]string, n)
	f := (*struct{ J }).method
	g := struct{ J }.method
	h := interface{ String() string }.String
	e := (*J).method
	labels(n)
	f(&struct{ J }{})
	g(struct{ J }{})
	fmt.Println(*p, *q, r.A, s.A, len(m), len(pm), h(fmt.Stringer(nil)) == "", e == nil)
}
`;

/** Go 1.27: methods with type parameters. */
const GO127 = `package main

type Option[T any] struct{ v T }

func (o Option[T]) Map[U any](f func(T) U) Option[U] { return Option[U]{f(o.v)} }

func main() {
	_ = Option[int]{1}.Map(func(i int) string { return "" })
}
`;

/**
 * gofmt and `go build` of a one-file module with the Go at `root`; throws with the compiler's output
 * when it fails. (Not `go vet`: go1.26.8's vet panics on `struct{ J }.method`, which compiles.)
 */
function compiles(source: string, goLine: string, root: string): void {
  const dir = mkdtempSync(join(tmpdir(), 'mapscope-grammar-'));
  try {
    writeFileSync(join(dir, 'go.mod'), `module example.com/current\n\ngo ${goLine}\n`);
    writeFileSync(join(dir, 'main.go'), source);
    expect(execFileSync(join(root, 'bin', 'gofmt'), ['-l', 'main.go'], { cwd: dir, encoding: 'utf8' })).toBe('');
    const env = { ...process.env, GOFLAGS: '-mod=mod', GOTOOLCHAIN: 'local' };
    execFileSync(join(root, 'bin', 'go'), ['build', '-o', join(dir, 'main'), '.'], { cwd: dir, encoding: 'utf8', stdio: 'pipe', env });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('Go 1.26 and 1.27 syntax', () => {
  let parser: GoParser;
  beforeAll(async () => {
    parser = await loadParser();
  });

  /** Parses `source` (which must parse cleanly) and hands `read` its root. */
  function withRoot<R>(source: string, read: (root: Tree['rootNode']) => R): R {
    const tree = parser.parse(source);
    try {
      expect(tree.rootNode.hasError).toBe(false);
      return read(tree.rootNode);
    } finally {
      tree.delete();
    }
  }

  /** The right-hand side of `name := …` in `source`, as an S-expression. */
  const rhs = (root: Tree['rootNode'], name: string) =>
    root.descendantsOfType('short_var_declaration').find((d) => d?.childForFieldName('left')?.text === name)?.childForFieldName('right')?.namedChild(0)?.toString();

  it('new(expr) gives the expression as an ordinary argument; new(T) and make(map[K]V, n) keep their types', () => {
    withRoot(GO126, (root) => {
      expect(rhs(root, 'p')).toBe('(call_expression function: (identifier) arguments: (argument_list (int_literal)))');
      expect(rhs(root, 'q')).toBe('(call_expression function: (identifier) arguments: (argument_list (call_expression function: (identifier) arguments: (argument_list (int_literal)))))');
      expect(rhs(root, 'r')).toBe(
        '(call_expression function: (identifier) arguments: (argument_list (composite_literal type: (type_identifier) body: (literal_value (keyed_element key: (literal_element (identifier)) value: (literal_element (int_literal)))))))',
      );
      expect(rhs(root, 's')).toBe('(call_expression function: (identifier) arguments: (argument_list (type_identifier)))');
      expect(rhs(root, 'm')).toBe('(call_expression function: (identifier) arguments: (argument_list (map_type key: (type_identifier) value: (type_identifier)) (identifier)))');
      expect(rhs(root, 'pm')).toBe(
        '(call_expression function: (parenthesized_expression (identifier)) arguments: (argument_list (map_type key: (type_identifier) value: (type_identifier)) (identifier)))',
      );
    });
  });

  it('reads method expressions on type literals, and keeps (*T).m an expression', () => {
    withRoot(GO126, (root) => {
      const struct = '(struct_type (field_declaration_list (field_declaration type: (type_identifier))))';
      expect(rhs(root, 'f')).toBe(`(selector_expression operand: (parenthesized_type (pointer_type ${struct})) field: (field_identifier))`);
      expect(rhs(root, 'g')).toBe(`(selector_expression operand: ${struct} field: (field_identifier))`);
      expect(rhs(root, 'h')).toBe(
        '(selector_expression operand: (interface_type (method_elem name: (field_identifier) parameters: (parameter_list) result: (type_identifier))) field: (field_identifier))',
      );
      expect(rhs(root, 'e')).toBe('(selector_expression operand: (parenthesized_expression (unary_expression operand: (identifier))) field: (field_identifier))');
    });
  });

  it('reads labels in a row before }, and a last declaration with no line break after it', () => {
    withRoot(GO126, (root) => {
      const labels = root.descendantsOfType('labeled_statement').map((n) => n?.toString());
      expect(labels[0]).toBe('(labeled_statement label: (label_name) (labeled_statement label: (label_name)))');
    });
    for (const last of ['type T int', 'const C = 1', 'var v = 1', 'func f() {}', 'type S struct {\n\tA\n}']) {
      withRoot(`package p\n\n${last}`, (root) => expect(root.namedChildren.map((n) => n?.type)).toHaveLength(2));
    }
  });

  it('reads methods with type parameters (Go 1.27)', () => {
    withRoot(GO127, (root) => {
      const method = root.descendantsOfType('method_declaration')[0]!;
      expect(method.childForFieldName('name')?.text).toBe('Map');
      expect(method.childForFieldName('type_parameters')?.toString()).toBe('(type_parameter_list (type_parameter_declaration name: (identifier) type: (type_constraint (type_identifier))))');
      expect(method.childForFieldName('parameters')?.text).toBe('(f func(T) U)');
    });
  });

  it.skipIf(!HAS_GO)('uses programs that Go 1.26 and go1.27.3 accept (needs `go`; go1.27.3 through the module proxy)', () => {
    compiles(GO126, '1.26', goroot()!);
    const go127 = goroot('go1.27.3');
    if (go127 === undefined) {
      if (REQUIRE_GO) throw new Error('MAPSCOPE_REQUIRE_GO=1 but GOTOOLCHAIN=go1.27.3 cannot be fetched');
      console.warn('mapscope tests: go1.27.3 cannot be fetched: the Go 1.27 program is NOT compiled (SKIPPED)');
      return;
    }
    compiles(GO127, '1.27', go127);
  });
});
