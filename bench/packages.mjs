#!/usr/bin/env node
// `mapscope check ./...` against `go list ./...` on real modules: for each module root and each
// platform, the packages and files MapScope visits (the same pattern walk and build configuration
// the CLI uses) and the ones go list reports, the differences by name, and the CLI's own run on
// the module (findings, files, wall time). Needs go on PATH and the modules' dependencies in the
// module cache (go list resolves imports).
//
//   node bench/packages.mjs DIR... [--platforms linux/amd64,windows/amd64,darwin/arm64]
import { execFileSync, spawnSync } from 'node:child_process';
import { realpathSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { bundleCore, root } from './lib.mjs';

const args = process.argv.slice(2);
const at = args.indexOf('--platforms');
const platforms = (at >= 0 ? args.splice(at, 2)[1] : 'linux/amd64,windows/amd64,darwin/arm64').split(',');
// go list reports real paths: a module reached through a symbolic link must be compared by its real one.
const dirs = args.map((d) => realpathSync(d));
if (dirs.length === 0) {
  console.error('usage: node bench/packages.mjs DIR... [--platforms os/arch,...]');
  process.exit(2);
}

const core = await bundleCore('packages-core', {
  resolveBuildConfig: 'server/src/node/build-config',
  expandPatterns: 'server/src/node/patterns',
  NEWEST_GO: 'server/src/core/go-version',
});

const rows = [];
for (const dir of dirs) {
  for (const platform of platforms) {
    const [goos, goarch] = platform.split('/');
    const env = { ...process.env, GOOS: goos, GOARCH: goarch, GOFLAGS: process.env.GOFLAGS ?? '' };
    const listed = execFileSync('go', ['list', '-e', '-f', '{{.Dir}}|{{join .GoFiles ","}},{{join .CgoFiles ","}},{{join .TestGoFiles ","}},{{join .XTestGoFiles ","}}', './...'], { cwd: dir, env, encoding: 'utf8', maxBuffer: 256 << 20 });
    const goPkgs = new Map(
      listed
        .split('\n')
        .filter(Boolean)
        .map((l) => {
          const [d, files] = l.split('|');
          return [d, files.split(',').filter(Boolean).sort()];
        }),
    );
    const { config } = core.resolveBuildConfig({ goos, goarch }, { mayRunGo: true, fallbackGo: core.NEWEST_GO });
    const { targets, warnings } = core.expandPatterns(['./...'], dir, config);
    const ours = new Map(targets.map((t) => [t.dir, t.files.map((f) => basename(f)).sort()]));
    const onlyGo = [...goPkgs.keys()].filter((d) => !ours.has(d));
    const onlyUs = [...ours.keys()].filter((d) => !goPkgs.has(d));
    const fileDiffs = [...goPkgs].filter(([d, f]) => ours.has(d) && ours.get(d).join(',') !== f.join(','));
    const goFiles = [...goPkgs.values()].reduce((n, f) => n + f.length, 0);
    const ourFiles = [...ours.values()].reduce((n, f) => n + f.length, 0);
    const t0 = performance.now();
    const cli = spawnSync(process.execPath, [join(root, 'bin', 'mapscope.js'), 'check', '--goos', goos, '--goarch', goarch, '--format', 'json', './...'], { cwd: dir, encoding: 'utf8', maxBuffer: 256 << 20 });
    const wallMs = performance.now() - t0;
    const findings = cli.status === 0 || cli.status === 1 ? JSON.parse(cli.stdout).findings : undefined;
    const row = {
      module: basename(dir),
      platform,
      goListPackages: goPkgs.size,
      mapscopePackages: ours.size,
      goListFiles: goFiles,
      mapscopeFiles: ourFiles,
      onlyGoList: onlyGo.map((d) => relative(dir, d) || '.'),
      onlyMapscope: onlyUs.map((d) => relative(dir, d) || '.'),
      filesDiffer: fileDiffs.map(([d]) => relative(dir, d) || '.'),
      warnings,
      cliExit: cli.status,
      findings: findings?.length,
      byRule: findings && Object.fromEntries(Object.entries(findings.reduce((m, f) => ({ ...m, [f.rule]: (m[f.rule] ?? 0) + 1 }), {}))),
      wallMs: Math.round(wallMs),
    };
    rows.push(row);
    console.log(JSON.stringify(row));
  }
}
const same = rows.every((r) => r.onlyGoList.length === 0 && r.onlyMapscope.length === 0 && r.filesDiffer.length === 0);
console.log(`\n${rows.length} module×platform runs; packages and files ${same ? 'identical to go list in every one' : 'DIFFER from go list (see above)'}`);
process.exitCode = same ? 0 : 1;
