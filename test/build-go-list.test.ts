// The build-constraint evaluator and the `./...` walk against the real thing: for several
// GOOS/GOARCH (and -tags) values, the files MapScope builds in every package of the Go standard
// library must be exactly the files `go list` reports (GoFiles, CgoFiles, TestGoFiles,
// XTestGoFiles), and `$GOROOT/src/...` must name exactly the packages `go list ./...` names there.
import { execFileSync } from 'node:child_process';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NEWEST_GO } from '../server/src/core/go-version';
import { resolveBuildConfig } from '../server/src/node/build-config';
import { filesUnder } from '../server/src/node/build-files';
import { expandPatterns } from '../server/src/node/patterns';
import { HAS_GO } from './helpers/go';

const CONFIGS: { goos: string; goarch: string; tags?: string[] }[] = [
  { goos: 'linux', goarch: 'amd64' },
  { goos: 'windows', goarch: 'amd64' },
  { goos: 'darwin', goarch: 'arm64' },
  { goos: 'js', goarch: 'wasm' },
  { goos: 'wasip1', goarch: 'wasm' },
  { goos: 'freebsd', goarch: '386' },
  { goos: 'plan9', goarch: 'arm' },
  { goos: 'android', goarch: 'arm64' },
  { goos: 'ios', goarch: 'arm64' },
  { goos: 'illumos', goarch: 'amd64' },
  { goos: 'aix', goarch: 'ppc64' },
  { goos: 'linux', goarch: 'riscv64', tags: ['purego', 'netgo', 'osusergo'] },
];

describe.skipIf(!HAS_GO)('build constraints against go list on the standard library (needs go on PATH)', () => {
  const src = HAS_GO ? join(execFileSync('go', ['env', 'GOROOT'], { encoding: 'utf8' }).trim(), 'src') : '';

  it.each(CONFIGS.map((c) => [`${c.goos}/${c.goarch}${c.tags ? ` -tags=${c.tags.join(',')}` : ''}`, c] as const))('%s', (_name, c) => {
    const env = { ...process.env, GOOS: c.goos, GOARCH: c.goarch, GOFLAGS: '' };
    const format = '{{.Dir}}|{{join .GoFiles ","}},{{join .CgoFiles ","}},{{join .TestGoFiles ","}},{{join .XTestGoFiles ","}}';
    const tagArgs = c.tags ? [`-tags=${c.tags.join(',')}`] : [];
    const listed = execFileSync('go', ['list', '-e', ...tagArgs, '-f', format, './...'], { cwd: src, env, encoding: 'utf8', maxBuffer: 64 << 20 });
    const want = new Map<string, string[]>();
    for (const line of listed.split('\n').filter(Boolean)) {
      const [dir, files] = line.split('|');
      want.set(dir, files.split(',').filter(Boolean).sort());
    }
    const { config } = resolveBuildConfig({ goos: c.goos, goarch: c.goarch, ...(c.tags ? { tags: c.tags } : {}) }, { mayRunGo: true, fallbackGo: NEWEST_GO });
    expect([config.goos, config.goarch]).toEqual([c.goos, c.goarch]);

    // The packages: `$GOROOT/src/...` walked by MapScope, against go list ./... there.
    const { targets, warnings } = expandPatterns([join(src, '...')], src, config);
    expect(warnings).toEqual([]);
    expect(targets.map((t) => t.dir).sort()).toEqual([...want.keys()].sort());
    expect(want.size).toBeGreaterThan(150);

    // The files of each package.
    const differ: string[] = [];
    for (const [dir, files] of want) {
      const got = filesUnder(dir, config).withTests.map((f) => basename(f)).sort();
      if (got.join(',') !== files.join(',')) differ.push(`${dir}: go list ${files.join(',')} / mapscope ${got.join(',')}`);
    }
    expect(differ).toEqual([]);
  });
});
