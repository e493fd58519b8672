// The build-constraint evaluator (core/build/): `//go:build` and `// +build` syntax and evaluation,
// where in a file the go command reads them, file-name suffixes, and the configuration the editor
// picks for a file the workspace configuration leaves out. Expected values come from the go
// command's documentation (`go help buildconstraint`, go/build) and are written here;
// build-go-list.test.ts checks the same code against `go list` on the standard library.
import { describe, expect, it } from 'vitest';
import { ConstraintError, evaluate, parseGoBuild, parsePlusBuild, plusBuildText, tagsOf } from '../server/src/core/build/constraint';
import { configIncluding, exclusion, fileConstraints, matchTag, osArchSuffix, releaseTags, type BuildConfig } from '../server/src/core/build/config';
import { headEnd, packageClauseName, readHeader } from '../server/src/core/build/header';
import { matchPattern, treeCanMatch } from '../server/src/core/build/pkgpattern';

const LINUX: BuildConfig = { goos: 'linux', goarch: 'amd64', cgo: true, compiler: 'gc', tags: ['amd64.v1', ...releaseTags(22)], tests: true };
const holds = (expr: string, tags: string[]) => evaluate(parseGoBuild(expr), (t) => tags.includes(t));

describe('//go:build expressions', () => {
  it.each([
    ['linux', ['linux'], true],
    ['linux', ['darwin'], false],
    ['linux && amd64', ['linux', 'amd64'], true],
    ['linux && amd64', ['linux', 'arm64'], false],
    ['linux || darwin', ['darwin'], true],
    ['!windows', ['linux'], true],
    ['!windows', ['windows'], false],
    // && binds tighter than ||
    ['a || b && c', ['a'], true],
    ['a || b && c', ['b'], false],
    ['(a || b) && c', ['b', 'c'], true],
    ['(a || b) && c', ['a'], false],
    ['!(a && b)', ['a'], true],
    ['!(a && b)', ['a', 'b'], false],
    ['go1.21 && !go1.22', ['go1.21'], true],
    ['ignore', ['linux'], false],
    ['goexperiment.rangefunc', ['goexperiment.rangefunc'], true],
    ['日本', ['日本'], true], // tags are Unicode letters and digits
    ['  linux\t&&\tcgo  ', ['linux', 'cgo'], true],
  ] as const)('%s with %j is %s', (expr, tags, want) => {
    expect(holds(expr, [...tags])).toBe(want);
  });

  it.each([
    ['', 'unexpected end of expression'],
    ['linux &&', 'unexpected end of expression'],
    ['linux & amd64', 'invalid syntax at &'],
    ['linux | amd64', 'invalid syntax at |'],
    ['!!linux', 'double negation not allowed'],
    ['(linux', 'missing close paren'],
    ['(linux && ', 'missing close paren'],
    ['linux)', 'unexpected token )'],
    ['linux amd64', 'unexpected token amd64'],
    ['linux,amd64', 'invalid syntax at ,'],
    ['a-b', 'invalid syntax at -'],
  ])('rejects %j: %s', (expr, message) => {
    expect(() => parseGoBuild(expr)).toThrow(new ConstraintError(message));
  });

  it('rejects an expression of more than 1,000 operands, as go does', () => {
    const tags = (n: number) => Array.from({ length: n }, (_, i) => `t${i}`).join(' || ');
    expect(() => parseGoBuild(tags(1000))).not.toThrow();
    expect(() => parseGoBuild(tags(1001))).toThrow('build expression too large');
  });

  it('lists the tags an expression mentions', () => {
    expect([...tagsOf(parseGoBuild('(linux || darwin) && !cgo && foo.bar'))].sort()).toEqual(['cgo', 'darwin', 'foo.bar', 'linux']);
  });
});

describe('// +build lines', () => {
  it.each([
    ['linux darwin', ['darwin'], true], // spaces: OR
    ['linux,amd64', ['linux'], false], // commas: AND
    ['linux,amd64', ['linux', 'amd64'], true],
    ['!windows,!plan9', ['linux'], true],
    ['!windows,!plan9', ['plan9'], false],
    ['a-b', ['a-b'], false], // an invalid word stands for `ignore`
    ['!', ['linux'], false],
    ['!!linux', ['linux'], false],
    ['', ['linux'], false], // an empty line means ignore
  ] as const)('%j with %j is %s', (text, tags, want) => {
    expect(evaluate(parsePlusBuild(text), (t) => (tags as readonly string[]).includes(t))).toBe(want);
  });

  it('recognises `// +build` and `//+build` but not `// +buildx`', () => {
    expect(plusBuildText('// +build linux')).toBe('linux');
    expect(plusBuildText('//+build linux')).toBe('linux');
    expect(plusBuildText('// +buildlinux')).toBeUndefined();
    expect(plusBuildText('/* +build linux */')).toBeUndefined();
  });
});

describe('where the go command reads constraints', () => {
  it('takes //go:build from the comments before the package clause, blank lines or not', () => {
    expect(readHeader('//go:build linux\npackage p\n').goBuild).toBe('//go:build linux');
    expect(readHeader('// Copyright\n\n//go:build linux\n\n// Package p does.\npackage p\n').goBuild).toBe('//go:build linux');
    expect(readHeader('/* a\nb */\n//go:build linux\npackage p\n').goBuild).toBe('//go:build linux');
  });

  it('ignores //go:build after the package clause, inside /* */, or as //go:buildx', () => {
    expect(readHeader('package p\n\n//go:build linux\n').goBuild).toBeUndefined();
    expect(readHeader('/*\n//go:build linux\n*/\npackage p\n').goBuild).toBeUndefined();
    expect(readHeader('//go:buildlinux\npackage p\n').goBuild).toBeUndefined();
  });

  it('flags two //go:build lines, which go rejects', () => {
    const f = fileConstraints('a.go', '//go:build linux\n//go:build amd64\n\npackage p\n');
    expect(f.invalid).toBe(true);
    expect(exclusion(LINUX, f)).toBe('invalid build constraint');
    expect(fileConstraints('b.go', '//go:build linux &&\n\npackage p\n').invalid).toBe(true);
  });

  it('counts // +build lines only above a blank line, and only without a //go:build line', () => {
    const plus = (text: string) => exclusion(LINUX, fileConstraints('a.go', text));
    expect(plus('// +build windows\n\npackage p\n')).toBe('build constraints');
    expect(plus('// +build windows\npackage p\n')).toBeUndefined(); // a package doc comment, not a constraint
    expect(plus('// +build windows\n// +build linux\n\npackage p\n')).toBe('build constraints'); // lines AND together
    expect(plus('//go:build linux\n// +build windows\n\npackage p\n')).toBeUndefined(); // //go:build wins
  });

  it('finds an import of "C" in any form of the import section, and nothing after it', () => {
    const c = (text: string) => readHeader(text).importsC;
    expect(c('package p\n\nimport "C"\n')).toBe(true);
    expect(c('package p\n\n// #include <stdio.h>\nimport "C"\n')).toBe(true);
    expect(c('package p\n\n/*\n#include <stdio.h>\n*/\nimport "C"\n')).toBe(true);
    expect(c('package p\n\nimport (\n\t"fmt"\n\t"C"\n)\n')).toBe(true);
    expect(c('package p\nimport "fmt"; import `C`\n')).toBe(true);
    expect(c('package p\n\nimport (\n\tfoo "fmt"\n\t. "strings"\n\t_ "C"\n)\n')).toBe(true);
    expect(c('package p\n\nimport "fmt"\n\nfunc f() { _ = "C" }\n')).toBe(false);
    expect(c('package p\n\nimport "fmt"\n\nvar x = `\nimport "C"\n`\n')).toBe(false);
    expect(c('package p\n\n// import "C"\nimport "fmt"\n')).toBe(false);
  });

  // Every text above and a few heads that end in awkward places.
  const heads = [
    '//go:build linux\npackage p\n',
    '// Copyright\n\n//go:build linux\n\n// Package p does.\npackage p\n\nfunc f() {}\n',
    '/* a\nb */\n//go:build linux\npackage p\n',
    '/*\n//go:build linux\n*/\npackage p\n',
    '// +build windows\n// +build linux\n\npackage p\n\nvar x = 1\n',
    'package p\n\n/*\n#include <stdio.h>\n*/\nimport "C"\n\nfunc f() {}\n',
    'package p\n\nimport (\n\tfoo "fmt"\n\t. "strings"\n\t_ "C"\n)\n\ntype T int\n',
    'package p\nimport "fmt"; import `C`\nconst c = 1\n',
    'package p\n\nimport "fmt"\n\nvar x = `\nimport "C"\n`\n',
    'package p\n\nimport "fmt"\nimport "os"\n\n/* a comment\nover lines */\nfunc f() {}\n',
    'package p\n\nimport (\n\t"fmt" /* unterminated\n',
    'package p\n',
    'package p',
    'x = 1\npackage p\n',
  ];

  it.each(heads)('reads the same from the head (headEnd) as from the whole text: %j', (text) => {
    const end = headEnd(text);
    const head = end === undefined ? text : text.slice(0, end);
    expect(readHeader(head)).toEqual(readHeader(text));
    expect(packageClauseName(head)).toBe(packageClauseName(text));
    expect(fileConstraints('a.go', head)).toEqual(fileConstraints('a.go', text));
  });

  it('says when a prefix of a file ends before its head does (read more), and where the head ends', () => {
    // Cut inside the imports, a block comment, a string, or the package name: the head may go on.
    expect(headEnd('package p\n\nimport (\n\t"fmt"\n')).toBeUndefined();
    expect(headEnd('package p\n\n/* a comment that')).toBeUndefined();
    expect(headEnd('package p\n\nimport "fm')).toBeUndefined();
    expect(headEnd('package pa')).toBeUndefined();
    expect(headEnd('// Copyright\n// more')).toBeUndefined();
    // The line of the first declaration after the imports ends it.
    const text = 'package p\n\nimport "fmt"\n\nfunc f() { fmt.Println() }\nvar x = 1\n';
    expect(text.slice(0, headEnd(text))).toBe('package p\n\nimport "fmt"\n\nfunc f() { fmt.Println() }\n');
  });
});

describe('file names and tags', () => {
  it.each([
    ['a.go', []],
    ['linux.go', []], // no prefix: not a suffix
    ['a_linux.go', ['linux']],
    ['a_amd64.go', ['amd64']],
    ['a_linux_amd64.go', ['linux', 'amd64']],
    ['a_linux_test.go', ['linux']],
    ['a_linux_amd64_test.go', ['linux', 'amd64']],
    ['a_amd64_linux.go', ['linux']], // arch then OS: only the last element counts
    ['a_unix.go', []], // unix is a tag, not a file suffix
    ['a_test.go', []],
    ['a_linux.pb.go', ['linux']], // the name ends at its first dot
    ['a_foo_linux.go', ['linux']],
  ])('%s is constrained to %j', (name, want) => {
    expect(osArchSuffix(name)).toEqual(want);
  });

  it('matches the go command special tags', () => {
    const android: BuildConfig = { ...LINUX, goos: 'android', goarch: 'arm64', cgo: false };
    expect(matchTag(android, 'linux')).toBe(true); // android implies linux
    expect(matchTag(android, 'unix')).toBe(true);
    expect(matchTag(android, 'cgo')).toBe(false);
    expect(matchTag({ ...LINUX, goos: 'ios' }, 'darwin')).toBe(true);
    expect(matchTag({ ...LINUX, goos: 'illumos' }, 'solaris')).toBe(true);
    expect(matchTag({ ...LINUX, goos: 'windows' }, 'unix')).toBe(false);
    expect(matchTag({ ...LINUX, goos: 'js', goarch: 'wasm' }, 'unix')).toBe(false);
    expect(matchTag(LINUX, 'gc')).toBe(true);
    expect(matchTag(LINUX, 'gccgo')).toBe(false);
    expect(matchTag(LINUX, 'go1.22')).toBe(true);
    expect(matchTag(LINUX, 'go1.23')).toBe(false);
    expect(matchTag({ ...LINUX, tags: [...LINUX.tags, 'goexperiment.boringcrypto'] }, 'boringcrypto')).toBe(true);
    expect(exclusion(android, fileConstraints('a_linux.go', 'package p\n'))).toBeUndefined(); // the suffix too
  });

  it('leaves out _ and . files, tests when asked, and cgo files without cgo', () => {
    const ex = (c: BuildConfig, name: string, text = 'package p\n') => exclusion(c, fileConstraints(name, text));
    expect(ex(LINUX, '_a.go')).toBe('name');
    expect(ex(LINUX, '.a.go')).toBe('name');
    expect(ex(LINUX, 'a_test.go')).toBeUndefined();
    expect(ex({ ...LINUX, tests: false }, 'a_test.go')).toBe('test');
    expect(ex({ ...LINUX, cgo: false }, 'c.go', 'package p\n\nimport "C"\n')).toBe('cgo');
    expect(ex(LINUX, 'c.go', 'package p\n\nimport "C"\n')).toBeUndefined();
    expect(ex(LINUX, 'a_windows.go')).toBe('os/arch suffix');
    expect(ex(LINUX, 'gen.go', '//go:build ignore\n\npackage main\n')).toBe('build constraints');
  });
});

describe('the configuration that includes a file (the editor)', () => {
  const including = (name: string, text = 'package p\n', base = LINUX) => configIncluding(base, fileConstraints(name, text));

  it('is the base configuration when that builds the file', () => {
    expect(including('a_linux.go')).toBe(LINUX);
  });

  it('switches GOOS and GOARCH for a suffix', () => {
    expect(including('a_windows.go')).toMatchObject({ goos: 'windows', goarch: 'amd64' });
    expect(including('a_darwin_arm64.go')).toMatchObject({ goos: 'darwin', goarch: 'arm64' });
    expect(including('a_arm64_test.go', 'package p\n', { ...LINUX, tests: false })).toMatchObject({ goos: 'linux', goarch: 'arm64', tests: true });
  });

  it('satisfies a //go:build line with the fewest changes', () => {
    expect(including('w.go', '//go:build windows\n\npackage p\n')).toMatchObject({ goos: 'windows', goarch: 'amd64' });
    expect(including('w.go', '//go:build linux && arm64\n\npackage p\n')).toMatchObject({ goos: 'linux', goarch: 'arm64' });
    const tagged = including('i.go', '//go:build integration\n\npackage p\n');
    expect(tagged.tags).toContain('integration');
    expect(including('g.go', '//go:build ignore\n\npackage main\n').tags).toContain('ignore');
    expect(including('n.go', '//go:build !cgo\n\npackage p\n').cgo).toBe(false);
    const both = including('x.go', '//go:build (windows || plan9) && !race && purego\n\npackage p\n');
    expect(both).toMatchObject({ goos: 'windows' });
    expect(both.tags).toContain('purego');
    expect(both.tags).not.toContain('race');
    expect(including('u.go', '//go:build unix\n\npackage p\n', { ...LINUX, goos: 'windows' }).goos).toBe('linux');
  });

  it('turns cgo on for a file that imports "C"', () => {
    expect(including('c.go', 'package p\n\nimport "C"\n', { ...LINUX, cgo: false }).cgo).toBe(true);
  });

  it('falls back to the suffix alone when nothing satisfies the constraint', () => {
    const c = including('x_windows.go', '//go:build linux\n\npackage p\n');
    expect(c).toMatchObject({ goos: 'windows' });
  });
});

describe('package patterns (cmd/internal/pkgpattern)', () => {
  it.each([
    ['./...', './x', true],
    ['./...', '.', true],
    ['x/...', 'x', true],
    ['x/...', 'x/y/z', true],
    ['x/...', 'xy', false],
    ['x...', 'xy', true],
    ['x/.../z', 'x/y/z', true],
    ['x/.../z', 'x/z', false],
    ['./...', './vendor', true], // a vendor directory itself may be a package
    ['./...', './vendor/x', false], // but not what it holds
    ['./...', './a/vendor/x', false],
    ['./vendor/...', './vendor/x', true],
    ['./a/vendor/...', './a/vendor/x/y', true],
    ['./a/vendor/...', './a/vendor/x/vendor/y', false],
    ['example.com/m/...', 'example.com/m', true],
    ['example.com/m/...', 'example.com/m/internal/x', true],
  ])('%s matches %s: %s', (pattern, name, want) => {
    expect(matchPattern(pattern)(name)).toBe(want);
  });

  it('prunes trees that cannot match', () => {
    expect(treeCanMatch('example.com/m/sub/...')('example.com/m')).toBe(true);
    expect(treeCanMatch('example.com/m/sub/...')('example.com/other')).toBe(false);
    expect(treeCanMatch('example.com/m/sub')('example.com/m/sub/deeper')).toBe(false);
  });
});
