// The CI formats of `mapscope check`, each read back the way its consumer reads it:
// - github: GitHub Actions workflow commands, `::warning file=…,line=…,col=…,endColumn=…,title=…::message`
//   (docs.github.com/actions/reference/workflow-commands-for-github-actions), parsed and unescaped as
//   the runner does (`%25` `%0D` `%0A` everywhere, `%3A` `%2C` in properties);
// - checkstyle: XML parsed by Python's xml.etree (an independent, strict parser) and checked against
//   the shape checkstyle documents (checkstyle.org/result_reports.html: <checkstyle version> holding
//   <file name> holding <error line column severity message source>, line and column positive
//   integers, severity error|warning|info).
// File names with `%`, `,`, `:` and XML's special characters exercise the escaping.
import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { escapeData, escapeProperty } from '../server/src/cli/format-ci';
import { linesOf, removeDir, runCli, tempDir, writeTree, type JsonFinding, type JsonReport } from './helpers/cli';

const HAS_PYTHON = !spawnSync('python3', ['--version']).error;
if (!HAS_PYTHON) console.warn('mapscope tests: python3 is not on PATH: the checkstyle XML parse check is SKIPPED');

// Two files: a nil-map write (error, one-line range, one related place and a fix) and a
// concurrent write (warning) whose finding spans one line too; WEIRD has a name that needs escaping.
const NIL = 'package p\n\nfunc f() {\n\tvar m map[string]int\n\tm["a"] = 1\n}\n';
const HINT = 'package p\n\nfunc g(xs []string) map[string]int {\n\tm := make(map[string]int)\n\tfor _, x := range xs {\n\t\tm[x] = 1\n\t}\n\treturn m\n}\n';
const WEIRD_DIR = `we%ird,dir:&<x>"q'`;

let root: string;
/** The module the format tests check with ./...; the other tests write beside it. */
let proj: string;
beforeAll(() => {
  root = tempDir();
  proj = join(root, 'proj');
  writeTree(proj, { 'plain/a.go': NIL, 'plain/h.go': HINT, [`${WEIRD_DIR}/b.go`]: NIL });
});
afterAll(() => removeDir(root));

/** The runner's unescaping (actions/runner ActionCommand). */
const unescapeData = (s: string) => s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
const unescapeProperty = (s: string) => s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%3A/g, ':').replace(/%2C/g, ',').replace(/%25/g, '%');

interface Command {
  command: string;
  props: Record<string, string>;
  message: string;
}

/** One workflow command line, as the runner splits it: `::name props::message`, props `k=v` joined by `,`. */
function parseCommand(line: string): Command {
  const m = /^::([a-z]+)(?: ([^:]*))?::(.*)$/.exec(line);
  if (!m) throw new Error(`not a workflow command: ${line}`);
  const props: Record<string, string> = {};
  for (const kv of (m[2] ?? '').split(',').filter(Boolean)) {
    const eq = kv.indexOf('=');
    expect(eq, kv).toBeGreaterThan(0);
    props[kv.slice(0, eq)] = unescapeProperty(kv.slice(eq + 1));
  }
  return { command: m[1], props, message: unescapeData(m[3]) };
}


async function findings(): Promise<JsonFinding[]> {
  const r = await runCli(['check', '--format', 'json', './...'], { cwd: proj });
  return (JSON.parse(r.stdout) as JsonReport).findings;
}

describe('--format github', () => {
  it('escapes as @actions/core does', () => {
    expect(escapeData('50% done\r\nnext: a,b')).toBe('50%25 done%0D%0Anext: a,b');
    expect(escapeProperty('50% done\r\nnext: a,b')).toBe('50%25 done%0D%0Anext%3A a%2Cb');
  });

  it('prints one workflow command per finding that reads back to the finding', async () => {
    const r = await runCli(['check', '--format', 'github', './...'], { cwd: proj });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    const lines = r.stdout.split('\n');
    expect(lines.pop()).toBe(''); // ends with a newline, one command per line
    const want = await findings();
    expect(lines).toHaveLength(want.length);
    expect(want.length).toBe(3);
    lines.forEach((line, i) => {
      const c = parseCommand(line);
      const f = want[i];
      expect(c.command).toBe({ error: 'error', warning: 'warning', information: 'notice', hint: 'notice' }[f.severity]);
      expect(Object.keys(c.props)).toEqual(['file', 'line', 'col', 'endColumn', 'title']); // a one-line range: columns, no endLine
      expect(c.props).toEqual({ file: f.file, line: String(f.line), col: String(f.column), endColumn: String(f.endColumn), title: `MapScope ${f.rule}` });
      const body = c.message.split('\n');
      expect(body[0]).toBe(f.message);
      expect(body.slice(1)).toEqual([...f.related.map((x) => `${x.file}:${x.line}:${x.column}: ${x.message}`), ...f.fixes.map((x) => `fix: ${x.title}`)]);
    });
    // The escaped file name: `%`, `,` and `:` never appear raw in the properties.
    const weird = lines.find((l) => l.includes('we%25ird'))!;
    expect(weird).toContain(`file=we%25ird%2Cdir%3A&<x>"q'/b.go,`);
  });

  it('gives a range over several lines endLine and no columns', async () => {
    const dir = join(root, 'multi');
    writeTree(dir, { 'm.go': 'package p\n\nfunc g(xs []string) map[string]int {\n\tm := map[string]int{\n\t}\n\tfor _, x := range xs {\n\t\tm[x] = 1\n\t}\n\treturn m\n}\n' });
    const r = await runCli(['check', '--format', 'github', '.'], { cwd: dir });
    const [c] = linesOf(r.stdout).map(parseCommand);
    expect(c.command).toBe('notice');
    expect(c.props).toEqual({ file: 'm.go', line: '4', endLine: '5', title: 'MapScope map-without-hint' });
  });

  it('prints nothing and exits 0 without findings', async () => {
    const dir = join(root, 'clean');
    writeTree(dir, { 'c.go': 'package p\n' });
    const r = await runCli(['check', '--format', 'github', '.'], { cwd: dir });
    expect([r.code, r.stdout]).toEqual([0, '']);
  });
});

const PARSE_XML = `
import json, sys, xml.etree.ElementTree as ET
root = ET.fromstring(sys.stdin.buffer.read())
def walk(e):
    return {"tag": e.tag, "attrib": e.attrib, "text": (e.text or "").strip(), "children": [walk(c) for c in e]}
print(json.dumps(walk(root)))
`;

interface XmlNode {
  tag: string;
  attrib: Record<string, string>;
  text: string;
  children: XmlNode[];
}

describe.skipIf(!HAS_PYTHON)('--format checkstyle (python3 parses the XML)', () => {
  it('is well-formed checkstyle XML, grouped by file, that reads back to the findings', async () => {
    const r = await runCli(['check', '--format', 'checkstyle', './...'], { cwd: proj });
    expect(r.code).toBe(1);
    expect(r.stdout.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n')).toBe(true);
    const doc = JSON.parse(execFileSync('python3', ['-c', PARSE_XML], { input: r.stdout, encoding: 'utf8' })) as XmlNode;
    // The documented shape.
    expect(doc.tag).toBe('checkstyle');
    expect(Object.keys(doc.attrib)).toEqual(['version']);
    for (const file of doc.children) {
      expect(file.tag).toBe('file');
      expect(Object.keys(file.attrib)).toEqual(['name']);
      for (const error of file.children) {
        expect(error.tag).toBe('error');
        expect(error.children).toEqual([]);
        expect(Object.keys(error.attrib).sort()).toEqual(['column', 'line', 'message', 'severity', 'source']);
        expect(error.attrib.line).toMatch(/^[1-9]\d*$/);
        expect(error.attrib.column).toMatch(/^[1-9]\d*$/);
        expect(['error', 'warning', 'info']).toContain(error.attrib.severity);
      }
    }
    // The content.
    const want = await findings();
    const got = doc.children.flatMap((file) => file.children.map((e) => ({ file: file.attrib.name, ...e.attrib })));
    expect(got).toEqual(
      want.map((f) => ({
        file: f.file,
        line: String(f.line),
        column: String(f.column),
        severity: { error: 'error', warning: 'warning', information: 'info', hint: 'info' }[f.severity],
        message: f.message,
        source: `mapscope.${f.rule}`,
      })),
    );
    expect(new Set(got.map((g) => g.file))).toEqual(new Set(['plain/a.go', 'plain/h.go', `${WEIRD_DIR}/b.go`]));
    expect(doc.children.map((f) => f.attrib.name)).toHaveLength(3); // one <file> per file
  });

  it('is an empty <checkstyle> without findings', async () => {
    const dir = join(root, 'clean-xml');
    writeTree(dir, { 'c.go': 'package p\n' });
    const r = await runCli(['check', '--format', 'checkstyle', '.'], { cwd: dir });
    expect(r.code).toBe(0);
    const doc = JSON.parse(execFileSync('python3', ['-c', PARSE_XML], { input: r.stdout, encoding: 'utf8' })) as XmlNode;
    expect([doc.tag, doc.children]).toEqual(['checkstyle', []]);
  });
});
