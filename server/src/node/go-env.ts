// The two Go versions a folder targets (design.md §3.5), resolved the same way by the CLI and the
// language server, each with the source it came from:
//
// toolchain (decides the map implementation and layout):
//   1. the `mapscope.goVersion` setting or `--go`;
//   2. the Go the workspace uses (go-binary.ts), asked with `go env` (go-command.ts) once per
//      binary, never in an untrusted workspace; when GOTOOLCHAIN and the go.work/go.mod
//      `toolchain`/`go` lines make the build switch to another toolchain (go-toolchain.ts), that
//      one is asked if it is installed, and otherwise reported from the line, never downloaded;
//   3. go.work's or go.mod's `toolchain` line;
//   4. the newest Go MapScope models.
//   GOEXPERIMENT comes from the same `go env` (else $GOEXPERIMENT), or the `mapscope.goExperiment`
//   setting / `--goexperiment`, which win.
// language (per-iteration loop variables, range over int, wg.Go):
//   the nearest go.mod's `go` line (1.16 when it has none, as cmd/go assumes); outside a module,
//   the go.work `go` line, else the toolchain's own version (what the compiler then uses).
// go.mod and go.work are never looked for above the workspace folder that holds the directory.
import { delimiter, dirname, join, resolve } from 'node:path';
import type { StatusParams } from '../../../common/protocol';
import {
  goExperimentError, goExperiments, goVersionText, mapImplementation, NEWEST_GO, parseGoVersion, withGoExperiment,
  type GoVersion,
} from '../core/go-version';
import { findGoBinary, type EditorGoSettings } from './go-binary';
import { goEnvOf } from './go-command';
import { findGoWork, findUp, readModuleFile, versionOfToolchain, within } from './go-mod';
import { installedToolchain, selectToolchain } from './go-toolchain';
import type { GoPaths } from './import-resolver';

/** A version given by the user, with where it was given (`setting mapscope.goVersion`, `--go`). */
export interface GivenSetting<T> {
  value: T;
  from: string;
}

export interface GoResolverOptions {
  /** The setting or flag that fixes the toolchain. */
  go?: GivenSetting<GoVersion>;
  /** The setting or flag that fixes GOEXPERIMENT (`mapsplitgroup`, `none`). */
  goexperiment?: GivenSetting<string>;
  /** Whether running `go` is allowed: false in an untrusted workspace. */
  mayRunGo: boolean;
  /** vscode-go's settings that choose the Go binary. */
  editor?: EditorGoSettings;
  /** The editor's workspace folders: go.mod/go.work are not looked for above the one holding a directory. */
  roots?: readonly string[];
  env?: NodeJS.ProcessEnv;
}

export interface GoResolution {
  /** The module root (go.mod's directory), else the directory itself. */
  folder: string;
  toolchain: GoVersion;
  toolchainSource: string;
  language: GoVersion;
  languageSource: string;
  /** What else happened on the way (a `go env` that failed, an experiment dropped), for the log. */
  notes: string[];
}

/** The oldest language version cmd/go assumes for a go.mod without a `go` line (gover.DefaultGoModVersion). */
const DEFAULT_GO_MOD_VERSION = '1.16';

/** `go1.26.8` (a GOVERSION) → its version text and GoVersion. */
function versionOf(goversion: string): { text: string; version: GoVersion } | undefined {
  const text = versionOfToolchain(goversion.trim().split(/\s/)[0]);
  const version = text ? parseGoVersion(text) : undefined;
  return text && version ? { text, version } : undefined;
}

/** A toolchain found by steps 1–4, with what its `go env` said about GOEXPERIMENT and GOWORK. */
interface FoundToolchain {
  version: GoVersion;
  source: string;
  goexperiment?: string;
  gowork?: string;
  goroot?: string;
}

export class GoResolver {
  private readonly byDir = new Map<string, GoResolution>();
  private readonly env: NodeJS.ProcessEnv;

  constructor(private readonly opts: GoResolverOptions) {
    this.env = opts.env ?? process.env;
  }

  /** Both versions for the code in `dir`, computed once per directory. */
  resolve(dir: string): GoResolution {
    const key = resolve(dir);
    let r = this.byDir.get(key);
    if (!r) this.byDir.set(key, (r = this.compute(key)));
    return r;
  }

  /**
   * Where the standard library's source and the module cache are for code in `dir`: the Go the
   * workspace uses, asked with `go env` (once per binary); in an untrusted workspace, where Go is
   * not run, $GOROOT and $GOMODCACHE (else $GOPATH/pkg/mod, ~/go/pkg/mod), which are only read.
   */
  goPaths(dir: string): GoPaths {
    if (this.opts.mayRunGo) {
      const bin = findGoBinary(this.opts.editor, this.env, this.boundOf(resolve(dir)));
      const env = bin ? goEnvOf(bin.path, this.env) : undefined;
      if (env && !('error' in env)) return { ...(env.goroot ? { goroot: env.goroot } : {}), ...(env.gomodcache ? { gomodcache: env.gomodcache } : {}) };
    }
    const gopath = (this.env.GOPATH ?? '').split(delimiter).find(Boolean) ?? (this.env.HOME ? join(this.env.HOME, 'go') : undefined);
    const gomodcache = this.env.GOMODCACHE || (gopath ? join(gopath, 'pkg', 'mod') : undefined);
    return { ...(this.env.GOROOT ? { goroot: this.env.GOROOT } : {}), ...(gomodcache ? { gomodcache } : {}) };
  }

  /** Whether `dir` was resolved already (a fresh resolution is announced; a cached one is not). */
  has(dir: string): boolean {
    return this.byDir.has(resolve(dir));
  }

  private boundOf(dir: string): string | undefined {
    let best: string | undefined;
    for (const root of this.opts.roots ?? []) if (within(dir, root) && (!best || root.length > best.length)) best = resolve(root);
    return best;
  }

  private compute(dir: string): GoResolution {
    const bound = this.boundOf(dir);
    const notes: string[] = [];
    const tc = this.toolchain(dir, bound, notes);
    let toolchain = tc.version;
    let toolchainSource = tc.source;
    const exp = this.opts.goexperiment ?? (tc.goexperiment !== undefined ? { value: tc.goexperiment, from: 'go env GOEXPERIMENT' } : undefined)
      ?? (this.env.GOEXPERIMENT ? { value: this.env.GOEXPERIMENT, from: '$GOEXPERIMENT' } : undefined);
    if (exp) {
      const withExp = withGoExperiment(toolchain, exp.value);
      const bad = goExperimentError(withExp);
      if (bad) notes.push(`${bad}: GOEXPERIMENT=${exp.value} (${exp.from}) ignored`);
      else {
        toolchain = withExp;
        const shown = goExperiments(withExp);
        if (shown.length > 0 && exp.from !== 'go env GOEXPERIMENT') toolchainSource += `; GOEXPERIMENT=${shown.join(',')} from ${exp.from}`;
      }
    }

    const gomod = findUp(dir, 'go.mod', bound);
    let language: GoVersion;
    let languageSource: string;
    const mod = gomod ? readModuleFile(gomod) : undefined;
    const work = gomod ? undefined : findGoWork(dir, tc.gowork ?? this.env.GOWORK ?? '', bound, tc.goroot);
    const workFile = work ? readModuleFile(work) : undefined;
    if (mod) {
      const v = mod.go ? parseGoVersion(mod.go) : undefined;
      language = v ?? parseGoVersion(DEFAULT_GO_MOD_VERSION)!;
      languageSource = v ? `go.mod go line (${mod.path})` : `go.mod without a go line (${mod.path}): Go's default ${DEFAULT_GO_MOD_VERSION}`;
      if (mod.go && !v) notes.push(`go.mod go line "${mod.go}" is not a Go version`);
    } else if (workFile?.go && parseGoVersion(workFile.go)) {
      language = parseGoVersion(workFile.go)!;
      languageSource = `go.work go line (${workFile.path})`;
    } else {
      language = { major: 1, minor: toolchain.minor, ...(toolchain.patch !== undefined ? { patch: toolchain.patch } : {}) };
      languageSource = 'no go.mod: the toolchain\'s own version';
    }
    return { folder: mod ? dirname(mod.path) : dir, toolchain, toolchainSource, language, languageSource, notes };
  }

  /** Steps 1–4 of the toolchain. */
  private toolchain(dir: string, bound: string | undefined, notes: string[]): FoundToolchain {
    if (this.opts.go) return { version: this.opts.go.value, source: this.opts.go.from };
    if (!this.opts.mayRunGo) notes.push('go env not run: the workspace is not trusted');
    else {
      const asked = this.askGo(dir, bound, notes);
      if (asked) return asked;
    }
    const file = findGoWork(dir, this.env.GOWORK ?? '', bound) ?? findUp(dir, 'go.mod', bound);
    const mf = file ? readModuleFile(file) : undefined;
    const line = mf?.toolchain && mf.toolchain !== 'default' ? versionOfToolchain(mf.toolchain) : undefined;
    const v = line ? parseGoVersion(line) : undefined;
    if (v && mf) return { version: v, source: `${mf.kind} toolchain line (${mf.path})` };
    return { version: NEWEST_GO, source: 'newest Go MapScope models' };
  }

  /** Step 2: the Go the workspace uses, or the toolchain it would switch to. */
  private askGo(dir: string, bound: string | undefined, notes: string[]): FoundToolchain | undefined {
    const bin = findGoBinary(this.opts.editor, this.env, bound);
    if (!bin) {
      notes.push('no go binary found (go.alternateTools, $GOBIN, go.goroot/$GOROOT, PATH, default install locations)');
      return undefined;
    }
    const local = goEnvOf(bin.path, this.env);
    if ('error' in local) {
      notes.push(local.error);
      return undefined;
    }
    const lv = versionOf(local.version);
    if (!lv) {
      notes.push(`${bin.path}: unrecognised GOVERSION "${local.version}"`);
      return undefined;
    }
    const ctx = { gowork: local.config('GOWORK'), goroot: local.goroot };
    const sel = selectToolchain(dir, local, lv.text, bound);
    if ('error' in sel) {
      notes.push(`${bin.path}: ${sel.error}; the go command would stop here`);
      return undefined;
    }
    if (sel.name === 'local') {
      return { version: lv.version, source: `go env GOVERSION (${bin.path} via ${bin.why})`, goexperiment: local.goexperiment, ...ctx };
    }
    const installed = installedToolchain(sel.name, local, sel.pathOnly, this.env);
    if (installed) {
      const other = goEnvOf(installed.path, this.env);
      const ov = 'error' in other ? undefined : versionOf(other.version);
      if (ov && !('error' in other)) {
        notes.push(`${sel.why} selects ${sel.name} over ${bin.path}; asked the copy in the ${installed.where}`);
        return { version: ov.version, source: `go env GOVERSION (${installed.path})`, goexperiment: other.goexperiment, ...ctx };
      }
      notes.push('error' in other ? other.error : `${installed.path}: unrecognised GOVERSION "${other.version}"`);
    }
    const named = versionOfToolchain(sel.name);
    const v = named ? parseGoVersion(named) : undefined;
    if (!v) {
      notes.push(`${sel.why} names ${sel.name}, which is not a Go version MapScope reads`);
      return undefined;
    }
    notes.push(`${sel.why} makes ${bin.path} (${local.version}) switch to ${sel.name}, which is not installed: taken from the line, not downloaded`);
    return { version: v, source: sel.why, goexperiment: local.goexperiment, ...ctx };
  }
}

/** `1.27.3 (swiss, mapsplitgroup)`: a toolchain as the log and the CLI show it. */
export function describeToolchain(v: GoVersion): string {
  return `${goVersionText(v)} (${[mapImplementation(v), ...goExperiments(v)].join(', ')})`;
}

/** One line for the log and `mapscope check -v`. */
export function describeResolution(r: GoResolution): string {
  return `${r.folder}: toolchain Go ${describeToolchain(r.toolchain)} from ${r.toolchainSource}; language Go ${goVersionText(r.language)} from ${r.languageSource}`
    + (r.notes.length > 0 ? ` [${r.notes.join('; ')}]` : '');
}

/** The `mapscope/status` notification's content for a resolution (STATUS-PROTOCOL). */
export function statusOf(r: GoResolution): StatusParams {
  return {
    folder: r.folder,
    toolchain: {
      version: goVersionText(r.toolchain),
      source: r.toolchainSource,
      impl: mapImplementation(r.toolchain),
      experiments: goExperiments(r.toolchain),
    },
    language: { version: goVersionText(r.language), source: r.languageSource },
  };
}
