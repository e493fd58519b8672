// Where the build configuration comes from: go list's build context (with GOFLAGS's -tags, and
// --tags replacing them), or, without Go, the host with the default tool tags and the release tags
// of the version the code targets. The go list values are checked against `go env` and `go list`
// run here; the host values against Node's own idea of the platform.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { parseTags, resolveBuildConfig } from '../server/src/node/build-config';
import { HAS_GO } from './helpers/go';

const GO122 = { major: 1, minor: 22 } as const;

describe('without Go (an untrusted workspace, or no toolchain)', () => {
  it('is the host platform, cgo on, the default microarchitecture tags and the release tags up to the code\'s Go', () => {
    const { config, source } = resolveBuildConfig({}, { mayRunGo: false, fallbackGo: GO122 });
    expect(source).toBe('host');
    const goos = { linux: 'linux', darwin: 'darwin', win32: 'windows' }[process.platform as string];
    const goarch = { x64: 'amd64', arm64: 'arm64' }[process.arch as string];
    if (goos) expect(config.goos).toBe(goos);
    if (goarch) expect(config.goarch).toBe(goarch);
    expect(config.compiler).toBe('gc');
    expect(config.tests).toBe(true);
    expect(config.tags.filter((t) => /^go1\.\d+$/.test(t))).toEqual(Array.from({ length: 22 }, (_, i) => `go1.${i + 1}`));
    if (goarch === 'amd64') expect(config.tags).toContain('amd64.v1');
  });

  it('takes --goos, --goarch and --tags, and turns cgo off when cross-compiling, as go does', () => {
    const { config } = resolveBuildConfig({ goos: 'plan9', goarch: 'arm', tags: ['integration'], tests: false }, { mayRunGo: false, fallbackGo: GO122 });
    expect(config).toMatchObject({ goos: 'plan9', goarch: 'arm', cgo: false, tests: false });
    expect(config.tags).toEqual(expect.arrayContaining(['integration', 'arm.5', 'arm.6', 'arm.7']));
  });
});

describe('--tags', () => {
  it('splits on commas and, as go still accepts, on spaces', () => {
    expect(parseTags('a,b')).toEqual(['a', 'b']);
    expect(parseTags('a b')).toEqual(['a', 'b']);
    expect(parseTags('goexperiment.rangefunc')).toEqual(['goexperiment.rangefunc']);
    expect(() => parseTags('a,b=c')).toThrow(/"b=c" is not a build tag/);
  });
});

describe.skipIf(!HAS_GO)('from go list (needs go on PATH)', () => {
  it('is go\'s own context: GOOS, GOARCH, cgo, tool and release tags', () => {
    const { config, source } = resolveBuildConfig({}, { mayRunGo: true, fallbackGo: GO122 });
    expect(source).toBe('go list');
    const [goos, goarch, cgo, version] = execFileSync('go', ['env', 'GOOS', 'GOARCH', 'CGO_ENABLED', 'GOVERSION'], { encoding: 'utf8' }).split('\n');
    expect([config.goos, config.goarch, config.cgo]).toEqual([goos, goarch, cgo === '1']);
    const minor = Number(/^go1\.(\d+)/.exec(version)![1]);
    expect(config.tags).toContain(`go1.${minor}`);
    expect(config.tags).not.toContain(`go1.${minor + 1}`);
    const toolTags = execFileSync('go', ['list', '-f', '{{join context.ToolTags " "}}', 'unsafe'], { encoding: 'utf8' }).trim().split(' ');
    expect(config.tags).toEqual(expect.arrayContaining(toolTags));
  });
});
