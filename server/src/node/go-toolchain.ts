// Which toolchain `go build` would run in a directory, decided the way cmd/go's toolchain.Select
// does (go1.26 src/cmd/go/internal/toolchain/select.go), but without ever running or downloading
// another Go: GOTOOLCHAIN is `local`, `auto` (= local+auto), `path` (= local+path), `goX.Y.Z`, or
// `goX.Y.Z+auto|+path`; with +auto/+path a go.work (else go.mod) `toolchain` line newer than the
// minimum raises it, then a `go` line newer still (`go 1.27` → go1.27.0); `toolchain default`
// keeps the minimum. A toolchain other than the local one is asked directly only when it is
// already installed: on PATH under its name (as Exec looks first) or unpacked in the module cache.
import { join } from 'node:path';
import type { GoEnv } from './go-command';
import { isExecutable, lookPath } from './go-binary';
import {
  compareGoVersions, findGoWork, findUp, isLangVersion, isValidGoVersion, readModuleFile, versionOfToolchain,
} from './go-mod';

export interface ToolchainSelection {
  /** `local`, or the toolchain name the build would switch to (`go1.27.3`). */
  name: string;
  /** Why, in words: `go.mod toolchain line (/p/go.mod)`, `GOTOOLCHAIN=go1.27.3`, `local`. */
  why: string;
  /** GOTOOLCHAIN's `path` mode: only PATH is searched, nothing is downloaded. */
  pathOnly: boolean;
}

/** The toolchain cmd/go would select in `dir` (bound: never read go.mod/go.work above it). */
export function selectToolchain(dir: string, local: GoEnv, localVersion: string, bound?: string): ToolchainSelection | { error: string } {
  const localSel = { name: 'local', why: 'local', pathOnly: false };
  // GOTOOLCHAIN arrived in 1.21; module mode must be on for the switch to happen at all.
  if (compareGoVersions(localVersion, '1.21') < 0 || local.config('GO111MODULE') === 'off') return localSel;
  const setting = local.config('GOTOOLCHAIN');
  if (setting === '') return localSel;
  let min = `go${localVersion}`;
  let minVers = localVersion;
  let mode = '';
  if (setting === 'auto' || setting === 'path') mode = setting;
  else {
    const plus = setting.indexOf('+');
    const first = plus < 0 ? setting : setting.slice(0, plus);
    if (first !== 'local') {
      const v = versionOfToolchain(first);
      if (!v) return { error: `invalid GOTOOLCHAIN "${setting}"` };
      min = first;
      minVers = v;
    }
    if (plus >= 0) {
      mode = setting.slice(plus + 1);
      if (mode !== 'auto' && mode !== 'path') return { error: `invalid GOTOOLCHAIN "${setting}": only version suffixes are +auto and +path` };
    }
  }
  let name = min;
  let why = `GOTOOLCHAIN=${setting}`;
  if (mode !== '') {
    const file = findGoWork(dir, local.config('GOWORK'), bound, local.goroot) ?? findUp(dir, 'go.mod', bound);
    const mf = file ? readModuleFile(file) : undefined;
    if (mf && mf.toolchain !== 'default') {
      if (mf.toolchain) {
        const v = versionOfToolchain(mf.toolchain);
        if (!v) return { error: `invalid toolchain "${mf.toolchain}" in ${mf.path}` };
        if (compareGoVersions(v, minVers) > 0) {
          name = mf.toolchain;
          minVers = v;
          why = `${mf.kind} toolchain line (${mf.path})`;
        }
      }
      if (mf.go && isValidGoVersion(mf.go) && compareGoVersions(mf.go, minVers) > 0) {
        // From 1.21 a `go` line names a language; its first toolchain is X.Y.0 (golang.org/issue/62278).
        name = `go${mf.go}${isLangVersion(mf.go) && compareGoVersions(mf.go, '1.21') >= 0 ? '.0' : ''}`;
        minVers = mf.go;
        why = `${mf.kind} go line (${mf.path})`;
      }
    }
  }
  if (name === `go${localVersion}` || name === 'local') return localSel;
  return { name, why, pathOnly: mode === 'path' };
}

/** Where an installed copy of toolchain `name` is: on PATH under its own name, or unpacked in the module cache. */
export function installedToolchain(name: string, local: GoEnv, pathOnly: boolean, env: NodeJS.ProcessEnv): { path: string; where: string } | undefined {
  const onPath = lookPath(name, env.PATH ?? env.Path);
  if (onPath) return { path: onPath, where: 'PATH' };
  if (pathOnly || !local.gomodcache) return undefined;
  const dir = join(local.gomodcache, `golang.org/toolchain@v0.0.1-${name}.${local.goos}-${local.goarch}`);
  const bin = join(dir, 'bin', process.platform === 'win32' ? 'go.exe' : 'go');
  return isExecutable(bin) ? { path: bin, where: 'module cache' } : undefined;
}
