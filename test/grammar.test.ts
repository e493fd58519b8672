// The pinned tree-sitter-go grammar (grammars/tree-sitter-go.wasm) with the pinned web-tree-sitter
// runtime: the versions are exact pins, the grammar's ABI is one the runtime accepts, the wasm has
// not changed silently, the bundles ship the same files, and modern Go parses without errors.
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Language, LANGUAGE_VERSION, MIN_COMPATIBLE_VERSION } from 'web-tree-sitter';
import type { GoParser } from '../server/src/core/parse/parser';
import { loadParser, ROOT, WASM } from './helpers/core';
import { HAS_GO } from './helpers/go';

/** sha256 of grammars/tree-sitter-go.wasm as pinned (tree-sitter-go 0.25.0). Update it only on purpose. */
const GRAMMAR_SHA256 = 'e787accaac7da403515a65ca119a060530dfe976b1adb0bcc4afc7d2c2a17ced';

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };

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
    const pin = manifest.dependencies['web-tree-sitter'];
    expect(pin).toMatch(/^\d+\.\d+\.\d+$/); // no ^, ~, range or tag
    const installed = JSON.parse(readFileSync(join(dirname(WASM.runtime), 'package.json'), 'utf8')) as { version: string };
    expect(installed.version).toBe(pin);
    const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { version?: string }> };
    expect(lock.packages['node_modules/web-tree-sitter']?.version).toBe(pin);
  });

  it('has the pinned grammar wasm, byte for byte', () => {
    expect(sha256(join(ROOT, 'grammars', 'tree-sitter-go.wasm'))).toBe(GRAMMAR_SHA256);
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
