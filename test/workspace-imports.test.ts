// The editor's side of the loader (node/workspace.ts): an open document's package reaches the
// packages it imports; editing an open document of an imported package, or a change on disk the
// client reports, makes the documents that import it be analysed afresh with the new declarations,
// and is reported so the server can re-publish them; documents that do not import it are left be.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { BuildConfig } from '../server/src/core/build/config';
import { NEWEST_GO } from '../server/src/core/go-version';
import { Workspace } from '../server/src/node/workspace';
import { FIXTURES } from './helpers/fixtures';
import { loadParser } from './helpers/core';

const LINUX: BuildConfig = { goos: 'linux', goarch: 'amd64', cgo: true, compiler: 'gc', tags: ['amd64.v1'], tests: true };
const versions = { go: NEWEST_GO, language: NEWEST_GO };
let dir: string;
let ws: Workspace;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mapscope-ws-'));
  writeFileSync(join(dir, 'go.mod'), 'module mapscope.test/fixtures\n\ngo 1.22\n');
  cpSync(join(FIXTURES, 'map-without-hint', 'pos_cross_package'), join(dir, 'map-without-hint', 'pos_cross_package'), { recursive: true });
  ws = new Workspace(await loadParser(), LINUX, { build: LINUX, paths: {} });
});

afterEach(() => {
  ws.dispose();
  rmSync(dir, { recursive: true, force: true });
});

const mainFile = () => join(dir, 'map-without-hint', 'pos_cross_package', 'main.go');
const libFile = () => join(dir, 'map-without-hint', 'pos_cross_package', 'lib', 'lib.go');
const messages = () => ws.analyze(mainFile(), versions).map((f) => f.message).sort();
const fromChannel = (text: string) => text.replace('func Load() []Item {\n\treturn []Item{{"a", 1}, {"b", 2}}\n}', 'func Load() chan Item {\n\treturn nil\n}');

it('an edit to an open document of an imported package re-analyses the documents importing it', () => {
  ws.openDocument(mainFile(), readFileSync(mainFile(), 'utf8'), 1);
  const lib = readFileSync(libFile(), 'utf8');
  ws.openDocument(libFile(), lib, 1);
  expect(messages()).toEqual([
    'map `m` is filled with up to `len(items)` entries but made without a capacity hint',
    'map `seen` is filled with up to `len(lib.Registry)` entries but made without a capacity hint',
  ]);
  // Load now returns a channel: `range items` has no length, the first finding goes.
  const edited = fromChannel(lib);
  expect(edited).not.toBe(lib);
  expect(ws.changeDocument(libFile(), [{ text: edited }], 2)).toEqual([mainFile()]);
  expect(messages()).toEqual(['map `seen` is filled with up to `len(lib.Registry)` entries but made without a capacity hint']);
  // An edit to the document itself names no other document.
  expect(ws.changeDocument(mainFile(), [{ text: readFileSync(mainFile(), 'utf8') }], 2)).toEqual([]);
});

it('a change on disk to a file of an imported package re-analyses the documents importing it', () => {
  ws.openDocument(mainFile(), readFileSync(mainFile(), 'utf8'), 1);
  expect(messages()).toHaveLength(2);
  writeFileSync(libFile(), fromChannel(readFileSync(libFile(), 'utf8')));
  expect(ws.invalidate(libFile())).toEqual([mainFile()]);
  expect(messages()).toHaveLength(1);
  // A file no open document's imports read: nothing to re-analyse.
  expect(ws.invalidate(join(dir, 'elsewhere', 'x.go'))).toEqual([]);
});
