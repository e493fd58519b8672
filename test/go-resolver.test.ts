// The shared Go resolver (server/src/node/go-env.ts) over temporary modules: which toolchain
// (map implementation) and which language version a folder gets, from where, and that it never
// runs `go` in an untrusted workspace or lets it switch to (download) another toolchain.
// Most cases use fake `go` scripts that answer `go env -json` as cmd/go would and refuse to run
// without GOTOOLCHAIN=local; the last ones use the real toolchain.
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { goExperiments, goVersionText, mapImplementation } from '../server/src/core/go-version';
import { findGoBinary } from '../server/src/node/go-binary';
import { GoResolver, statusOf, type GoResolverOptions } from '../server/src/node/go-env';
import { compareGoVersions } from '../server/src/node/go-mod';
import { GO_VERSION, HAS_GO } from './helpers/go';

const tmp = mkdtempSync(join(tmpdir(), 'mapscope-resolver-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let n = 0;

function write(path: string, text: string): string {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  return path;
}

/**
 * A fake `go` at `path` that reports `version` from `go env -json`, logs every call, fails like
 * cmd/go on a GOEXPERIMENT it does not know, and refuses to run unless GOTOOLCHAIN=local (the
 * real one would switch toolchains, maybe download one).
 */
function fakeGo(path: string, version: string, root: string, knownExperiments = ['mapsplitgroup']): string {
  const known = ['none', ...knownExperiments.flatMap((e) => [e, `no${e}`])].join('|');
  write(path, `#!/bin/sh
echo "$* GOTOOLCHAIN=$GOTOOLCHAIN" >> "${root}/calls.log"
if [ "$GOTOOLCHAIN" != local ]; then echo "go: would switch toolchains" >&2; exit 3; fi
if [ "$1" != env ]; then exit 2; fi
IFS=,
for e in $GOEXPERIMENT; do
  case "$e" in ${known}) ;; *) echo "go: unknown GOEXPERIMENT $e" >&2; exit 2;; esac
done
unset IFS
printf '{"GOVERSION": "%s", "GOEXPERIMENT": "%s", "GOROOT": "%s", "GOENV": "%s", "GOMODCACHE": "%s", "GOOS": "linux", "GOARCH": "amd64"}\\n' \\
  "${version}" "$GOEXPERIMENT" "${root}/goroot" "\${GOENV:-${root}/user.env}" "\${GOMODCACHE:-${root}/modcache}"
`);
  chmodSync(path, 0o755);
  return path;
}

interface Setup {
  root: string;
  bin: string;
  env: NodeJS.ProcessEnv;
  calls: () => string[];
  resolve: (dir: string, opts?: Partial<GoResolverOptions>) => ReturnType<GoResolver['resolve']>;
}

/** A workspace with a fake local Go (`local`, on PATH) and GOROOT/go.env saying GOTOOLCHAIN=`gotoolchain`. */
function setup(local = 'go1.26.8', gotoolchain = 'auto', env: NodeJS.ProcessEnv = {}): Setup {
  const root = join(tmp, `w${n++}`);
  const bin = fakeGo(join(root, 'bin', 'go'), local, root);
  write(join(root, 'goroot', 'go.env'), `# the GOROOT defaults\nGOTOOLCHAIN=${gotoolchain}\n`);
  const e: NodeJS.ProcessEnv = { PATH: join(root, 'bin'), HOME: root, ...env };
  return {
    root, bin, env: e,
    calls: () => (existsSync(join(root, 'calls.log')) ? readFileSync(join(root, 'calls.log'), 'utf8').trim().split('\n') : []),
    resolve: (dir, opts = {}) => new GoResolver({ mayRunGo: true, env: e, ...opts }).resolve(dir),
  };
}

const mod = (dir: string, text: string) => write(join(dir, 'go.mod'), `module example.com/m\n\n${text}\n`);
const summary = (r: ReturnType<GoResolver['resolve']>) => ({
  toolchain: goVersionText(r.toolchain), impl: mapImplementation(r.toolchain), experiments: goExperiments(r.toolchain), language: goVersionText(r.language),
});

describe('toolchain and language version, with fake go binaries', () => {
  it('a go 1.20 module built with Go 1.26: swiss maps from go env, language 1.20 from the go line', () => {
    const s = setup();
    const dir = join(s.root, 'm');
    const gomod = mod(dir, 'go 1.20');
    const r = s.resolve(join(dir, 'pkg'));
    expect(summary(r)).toEqual({ toolchain: '1.26.8', impl: 'swiss', experiments: [], language: '1.20' });
    expect(r.toolchainSource).toBe(`go env GOVERSION (${s.bin} via PATH)`);
    expect(r.languageSource).toBe(`go.mod go line (${gomod})`);
    expect(r.folder).toBe(dir);
    expect(s.calls().every((c) => c.endsWith('GOTOOLCHAIN=local'))).toBe(true);
  });

  it('runs go env once per binary, however many directories it resolves', () => {
    const s = setup();
    mod(join(s.root, 'a'), 'go 1.22');
    mod(join(s.root, 'b'), 'go 1.23');
    const resolver = new GoResolver({ mayRunGo: true, env: s.env });
    const langs = ['a', 'a/x', 'b', 'b/y/z'].map((d) => goVersionText(resolver.resolve(join(s.root, d)).language));
    expect(langs).toEqual(['1.22', '1.22', '1.23', '1.23']);
    expect(s.calls()).toHaveLength(1);
  });

  it('a toolchain line newer than the local Go, GOTOOLCHAIN=auto: reported from the line, nothing run but the local go', () => {
    const s = setup('go1.26.8', 'auto');
    const gomod = mod(join(s.root, 'm'), 'go 1.22\n\ntoolchain go1.27.3');
    const r = s.resolve(join(s.root, 'm'));
    expect(summary(r)).toEqual({ toolchain: '1.27.3', impl: 'swiss', experiments: [], language: '1.22' });
    expect(r.toolchainSource).toBe(`go.mod toolchain line (${gomod})`);
    expect(r.notes.join(' ')).toMatch(/not installed: taken from the line, not downloaded/);
    expect(s.calls()).toEqual([expect.stringMatching(/^env -json .* GOTOOLCHAIN=local$/)]);
  });

  it('the same toolchain already in the module cache, or on PATH under its name, is asked directly', () => {
    const s = setup('go1.26.8', 'auto');
    mod(join(s.root, 'm'), 'go 1.22\n\ntoolchain go1.27.3');
    const cached = fakeGo(join(s.root, 'modcache', 'golang.org', 'toolchain@v0.0.1-go1.27.3.linux-amd64', 'bin', 'go'), 'go1.27.3', s.root);
    const r = s.resolve(join(s.root, 'm'), { goexperiment: undefined });
    expect(r.toolchainSource).toBe(`go env GOVERSION (${cached})`);
    expect(goVersionText(r.toolchain)).toBe('1.27.3');

    const t = setup('go1.26.8', 'auto');
    mod(join(t.root, 'm'), 'go 1.22\n\ntoolchain go1.27.3');
    const onPath = fakeGo(join(t.root, 'bin', 'go1.27.3'), 'go1.27.3', t.root);
    expect(t.resolve(join(t.root, 'm')).toolchainSource).toBe(`go env GOVERSION (${onPath})`);
  });

  it('GOTOOLCHAIN=local (environment over go.env) ignores the toolchain line', () => {
    const s = setup('go1.26.8', 'auto', { GOTOOLCHAIN: 'local' });
    mod(join(s.root, 'm'), 'go 1.22\n\ntoolchain go1.27.3');
    expect(summary(s.resolve(join(s.root, 'm'))).toolchain).toBe('1.26.8');
  });

  it('the user go/env file overrides GOROOT/go.env; the environment overrides both', () => {
    const s = setup('go1.26.8', 'local');
    write(join(s.root, 'user.env'), 'GOTOOLCHAIN=auto\n');
    mod(join(s.root, 'm'), 'go 1.22\n\ntoolchain go1.27.3');
    expect(summary(s.resolve(join(s.root, 'm'))).toolchain).toBe('1.27.3');
    const t = setup('go1.26.8', 'local', { GOTOOLCHAIN: 'local' });
    write(join(t.root, 'user.env'), 'GOTOOLCHAIN=auto\n');
    mod(join(t.root, 'm'), 'go 1.22\n\ntoolchain go1.27.3');
    expect(summary(t.resolve(join(t.root, 'm'))).toolchain).toBe('1.26.8');
  });

  it('GOTOOLCHAIN=go1.27.3 forces that version whatever go.mod says; +auto lets a newer line win', () => {
    const s = setup('go1.26.8', 'local', { GOTOOLCHAIN: 'go1.27.3' });
    mod(join(s.root, 'm'), 'go 1.22\n\ntoolchain go1.28.1');
    const r = s.resolve(join(s.root, 'm'));
    expect(goVersionText(r.toolchain)).toBe('1.27.3');
    expect(r.toolchainSource).toBe('GOTOOLCHAIN=go1.27.3');
    const t = setup('go1.26.8', 'local', { GOTOOLCHAIN: 'go1.27.3+auto' });
    mod(join(t.root, 'm'), 'go 1.22\n\ntoolchain go1.28.1');
    expect(goVersionText(t.resolve(join(t.root, 'm')).toolchain)).toBe('1.28.1');
  });

  it('a go line newer than the minimum selects its first release (go 1.26 → go1.26.0), as cmd/go does', () => {
    const s = setup('go1.26.8', 'local', { GOTOOLCHAIN: 'go1.25.0+auto' });
    const gomod = mod(join(s.root, 'm'), 'go 1.26');
    const r = s.resolve(join(s.root, 'm'));
    expect(goVersionText(r.toolchain)).toBe('1.26.0');
    expect(r.toolchainSource).toBe(`go.mod go line (${gomod})`);
    expect(goVersionText(r.language)).toBe('1.26');
  });

  it('`toolchain default` keeps the local Go even when the go line is newer', () => {
    const s = setup('go1.26.8', 'auto');
    mod(join(s.root, 'm'), 'go 1.27\n\ntoolchain default');
    expect(summary(s.resolve(join(s.root, 'm')))).toMatchObject({ toolchain: '1.26.8', language: '1.27' });
  });

  it('GOTOOLCHAIN=path only looks on PATH: a missing toolchain is reported from the line', () => {
    const s = setup('go1.26.8', 'path');
    mod(join(s.root, 'm'), 'go 1.22\n\ntoolchain go1.27.3');
    fakeGo(join(s.root, 'modcache', 'golang.org', 'toolchain@v0.0.1-go1.27.3.linux-amd64', 'bin', 'go'), 'go1.27.3', s.root);
    const r = s.resolve(join(s.root, 'm'));
    expect(r.toolchainSource).toMatch(/^go\.mod toolchain line/);
  });

  it('go.work decides the toolchain switch; each module keeps its own go line as its language', () => {
    const s = setup('go1.26.8', 'auto');
    const work = write(join(s.root, 'ws', 'go.work'), 'go 1.26\n\ntoolchain go1.27.3\n\nuse ./m\n');
    const gomod = mod(join(s.root, 'ws', 'm'), 'go 1.21');
    const r = s.resolve(join(s.root, 'ws', 'm'));
    expect(summary(r)).toMatchObject({ toolchain: '1.27.3', language: '1.21' });
    expect(r.toolchainSource).toBe(`go.work toolchain line (${work})`);
    expect(r.languageSource).toBe(`go.mod go line (${gomod})`);
    // Outside any module but inside the workspace, the go.work go line is the language.
    const loose = s.resolve(join(s.root, 'ws', 'tools'));
    expect(loose.languageSource).toBe(`go.work go line (${work})`);
    // GOWORK=off: back to go.mod, which has no toolchain line.
    const t = setup('go1.26.8', 'auto', { GOWORK: 'off' });
    write(join(t.root, 'ws', 'go.work'), 'go 1.26\n\ntoolchain go1.27.3\n');
    mod(join(t.root, 'ws', 'm'), 'go 1.21');
    expect(summary(t.resolve(join(t.root, 'ws', 'm'))).toolchain).toBe('1.26.8');
  });

  it('untrusted: go is never run; the toolchain line, else the newest modelled Go — never the go line', () => {
    const s = setup();
    const gomod = mod(join(s.root, 'a'), 'go 1.20\n\ntoolchain go1.25.4');
    mod(join(s.root, 'b'), 'go 1.20');
    const a = s.resolve(join(s.root, 'a'), { mayRunGo: false });
    expect(summary(a)).toEqual({ toolchain: '1.25.4', impl: 'swiss', experiments: [], language: '1.20' });
    expect(a.toolchainSource).toBe(`go.mod toolchain line (${gomod})`);
    const b = s.resolve(join(s.root, 'b'), { mayRunGo: false });
    expect(summary(b)).toEqual({ toolchain: '1.27', impl: 'swiss', experiments: [], language: '1.20' });
    expect(b.toolchainSource).toBe('newest Go MapScope models');
    expect(b.notes).toContain('go env not run: the workspace is not trusted');
    expect(s.calls()).toEqual([]);
  });

  it('no go anywhere (trusted): the same fallbacks, with the reason noted', () => {
    const s = setup();
    mod(join(s.root, 'm'), 'go 1.20');
    const r = s.resolve(join(s.root, 'm'), { env: { PATH: join(s.root, 'nothing'), HOME: s.root }, editor: {} });
    if (!existsSync('/usr/local/go/bin/go') && !existsSync('/usr/local/bin/go')) {
      expect(r.toolchainSource).toBe('newest Go MapScope models');
      expect(r.notes[0]).toMatch(/no go binary found/);
    } else {
      // vscode-go's default install locations are looked at when PATH lacks go.
      expect(r.toolchainSource).toMatch(/via a default install location\)$/);
    }
    expect(goVersionText(r.language)).toBe('1.20');
  });

  it('the setting wins over everything, and says so; an explicit GOEXPERIMENT is applied and named', () => {
    const s = setup();
    mod(join(s.root, 'm'), 'go 1.20\n\ntoolchain go1.25.4');
    const r = s.resolve(join(s.root, 'm'), {
      go: { value: { major: 1, minor: 27, patch: 3 }, from: 'setting mapscope.goVersion' },
      goexperiment: { value: 'mapsplitgroup', from: 'setting mapscope.goExperiment' },
    });
    expect(summary(r)).toEqual({ toolchain: '1.27.3', impl: 'swiss', experiments: ['mapsplitgroup'], language: '1.20' });
    expect(r.toolchainSource).toBe('setting mapscope.goVersion; GOEXPERIMENT=mapsplitgroup from setting mapscope.goExperiment');
    expect(s.calls()).toEqual([]);
  });

  it('GOEXPERIMENT=mapsplitgroup from go env; dropped (with a note) for a Go that has no such experiment', () => {
    const s = setup('go1.27.3', 'local', { GOEXPERIMENT: 'mapsplitgroup' });
    mod(join(s.root, 'm'), 'go 1.22');
    expect(summary(s.resolve(join(s.root, 'm'))).experiments).toEqual(['mapsplitgroup']);
    expect(statusOf(s.resolve(join(s.root, 'm'))).toolchain).toMatchObject({ version: '1.27.3', impl: 'swiss', experiments: ['mapsplitgroup'] });
    // A 1.26 go stops on the unknown experiment: MapScope asks again without it, then drops it.
    const t = setup('go1.26.8', 'local', { GOEXPERIMENT: 'mapsplitgroup' });
    fakeGo(t.bin, 'go1.26.8', t.root, []);
    mod(join(t.root, 'm'), 'go 1.22');
    const r = t.resolve(join(t.root, 'm'));
    expect(summary(r), r.notes.join(' | ')).toMatchObject({ toolchain: '1.26.8', experiments: [] });
    expect(r.notes.join(' ')).toMatch(/GOEXPERIMENT=mapsplitgroup does not exist in Go 1\.26/);
    expect(t.calls()).toHaveLength(2);
  });

  it('a go.mod without a go line means 1.16; no go.mod means the toolchain\'s own version', () => {
    const s = setup();
    write(join(s.root, 'old', 'go.mod'), 'module example.com/old\n');
    expect(summary(s.resolve(join(s.root, 'old'))).language).toBe('1.16');
    const loose = s.resolve(join(s.root, 'loose'));
    expect(goVersionText(loose.language)).toBe('1.26.8');
    expect(loose.languageSource).toMatch(/^no go\.mod/);
    expect(loose.folder).toBe(join(s.root, 'loose'));
  });

  it('never looks for go.mod above the workspace folder', () => {
    const s = setup();
    mod(s.root, 'go 1.20\n\ntoolchain go1.25.4');
    const inside = join(s.root, 'ws', 'pkg');
    const r = s.resolve(inside, { roots: [join(s.root, 'ws')], mayRunGo: false });
    expect(r.languageSource).toMatch(/^no go\.mod/);
    expect(r.toolchainSource).toBe('newest Go MapScope models');
    // Without a workspace folder (the CLI), the go.mod above counts.
    expect(s.resolve(inside, { mayRunGo: false }).toolchainSource).toMatch(/^go\.mod toolchain line/);
  });

  it('finds go where vscode-go does: go.alternateTools, $GOBIN, go.goroot, PATH', () => {
    const s = setup();
    const alt = fakeGo(join(s.root, 'alt', 'mygo'), 'go1.25.1', s.root);
    const gobin = fakeGo(join(s.root, 'gobin', 'go'), 'go1.24.2', s.root);
    const goroot = fakeGo(join(s.root, 'sdk', 'bin', 'go'), 'go1.23.9', s.root);
    const named = fakeGo(join(s.root, 'bin', 'go1.22.3'), 'go1.22.3', s.root);
    expect(findGoBinary({ alternateGo: alt, goroot: join(s.root, 'sdk') }, { ...s.env, GOBIN: join(s.root, 'gobin') })).toEqual({ path: alt, why: 'go.alternateTools setting' });
    expect(findGoBinary({ goroot: join(s.root, 'sdk') }, { ...s.env, GOBIN: join(s.root, 'gobin') })?.path).toBe(gobin);
    expect(findGoBinary({ goroot: join(s.root, 'sdk') }, s.env)).toEqual({ path: goroot, why: 'go.goroot setting' });
    expect(findGoBinary({ goroot: '${env:SDK}' }, { ...s.env, SDK: join(s.root, 'sdk') })?.path).toBe(goroot);
    expect(findGoBinary({ alternateGo: 'go1.22.3' }, s.env)?.path).toBe(named);
    expect(findGoBinary({}, s.env)).toEqual({ path: s.bin, why: 'PATH' });
    // The server passes vscode-go's settings through; the toolchain then comes from that Go.
    mod(join(s.root, 'm'), 'go 1.20');
    expect(summary(s.resolve(join(s.root, 'm'), { editor: { goroot: join(s.root, 'sdk') } })).toolchain).toBe('1.23.9');
  });

  it('compares Go versions as cmd/go does', () => {
    const ordered = ['1.20', '1.21', '1.21rc1', '1.21.0', '1.21.1', '1.22', '1.22.0'];
    for (let i = 1; i < ordered.length; i++) expect(compareGoVersions(ordered[i - 1], ordered[i]), `${ordered[i - 1]} < ${ordered[i]}`).toBeLessThan(0);
  });
});

describe.skipIf(!HAS_GO)('with the real go toolchain', () => {
  if (!HAS_GO) console.warn('go-resolver test: `go` is not on PATH: the checks against the real go command are SKIPPED');
  const local = GO_VERSION ? /go(1\.\d+(?:\.\d+)?)/.exec(GO_VERSION)?.[1] : undefined;

  it('a go 1.20 module: the installed Go decides the map, the go line the language', () => {
    const root = join(tmp, `real${n++}`);
    mod(root, 'go 1.20');
    const r = new GoResolver({ mayRunGo: true, env: { ...process.env, GOTOOLCHAIN: 'local' } }).resolve(root);
    expect(goVersionText(r.toolchain)).toBe(local);
    expect(r.toolchainSource).toMatch(/^go env GOVERSION \(/);
    expect(goVersionText(r.language)).toBe('1.20');
  });

  it('GOTOOLCHAIN=auto and a newer toolchain line: reported from the line, and the go command downloaded nothing', () => {
    const root = join(tmp, `real${n++}`);
    const gomod = mod(root, 'go 1.22\n\ntoolchain go1.99.1');
    const modcache = join(root, 'modcache');
    mkdirSync(modcache);
    // GOPROXY=off as a second guard: a download attempt would fail rather than fetch.
    const env = { ...process.env, GOTOOLCHAIN: 'auto', GOMODCACHE: modcache, GOPROXY: 'off' };
    const r = new GoResolver({ mayRunGo: true, env }).resolve(root);
    expect(goVersionText(r.toolchain)).toBe('1.99.1');
    expect(r.toolchainSource).toBe(`go.mod toolchain line (${gomod})`);
    expect(readdirSync(modcache)).toEqual([]);
    // What the go command itself would do there: switch to go1.99.1 (and fail to fetch it).
    let err = '';
    try {
      execFileSync('go', ['version'], { cwd: root, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (e) {
      err = (e as { stderr: string }).stderr;
    }
    expect(err).toMatch(/go1\.99\.1/);
  });
});
