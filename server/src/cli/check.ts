// `mapscope check [flags] PATTERN...`: the packages the patterns name (patterns.ts) under one
// build configuration (build-config.ts), checked in worker threads, printed in one format. Each
// directory's toolchain and language version come from the resolver the language server uses
// (node/go-env.ts); -v prints them with their sources, `--format json` carries them as "go".
// Exit 0: no findings; 1: findings (after --fix: findings left); 2: usage or I/O error, or a
// failure of MapScope itself, with a one-line reason on stderr.
import type { WasmPaths } from '../core/parse/parser';
import { resolveBuildConfig } from '../node/build-config';
import type { ImportsConfig } from '../node/check-imports';
import { defaultCacheDir } from '../node/disk-cache';
import type { CheckJob, DirectoryReport, PlacedFinding } from '../node/check-package';
import { describeResolution, GoResolver, statusOf, type GoResolution } from '../node/go-env';
import { jobImports } from '../node/job-order';
import { expandPatterns } from '../node/patterns';
import { parseCheckArgs } from './check-options';
import { printDiffs } from './diff-output';
import { writePlans, type FixHooks } from './fix';
import { formatJson, formatRuleError, formatSarif, formatText, formatWarning, placeOf, rel } from './format';
import { formatCheckstyle, formatGithub } from './format-ci';
import { goFlags } from './go-flags';
import { runJobs } from './pool';

export interface CliIO {
  out: (s: string) => void;
  err: (s: string) => void;
  wasm: WasmPaths;
  workerScript: string;
  version: string;
  /** The bundled standard-library snapshot (dist/stdlib-api.json.gz). */
  snapshot?: string;
  /** Test seams of --fix. */
  fixHooks?: FixHooks;
}

export async function runCheck(args: string[], io: CliIO): Promise<number> {
  const o = parseCheckArgs(args);
  const cwd = process.cwd();
  const resolver = new GoResolver({ ...goFlags(o.go), mayRunGo: true });
  const build = resolveBuildConfig(o.build, { mayRunGo: true, fallbackGo: resolver.resolve(cwd).toolchain });
  const { targets, warnings } = expandPatterns(o.patterns, cwd, build.config, build.buildTags);
  for (const w of warnings) io.err(`mapscope: warning: ${w}\n`);
  const resolutions = new Map<string, GoResolution>();
  const cacheDir = o.noCache ? undefined : defaultCacheDir();
  const imports: ImportsConfig = {
    build: build.config,
    paths: resolver.goPaths(cwd),
    ...(cacheDir ? { cacheDir } : {}),
    ...(io.snapshot ? { snapshot: io.snapshot } : {}),
  };
  if (o.verbose) io.err(`mapscope: imports from GOROOT ${imports.paths.goroot ?? '(none: the bundled snapshot)'}, module cache ${imports.paths.gomodcache ?? '(none)'}; cache ${cacheDir ?? 'off'}\n`);
  const jobs: CheckJob[] = targets.map((t) => {
    const r = resolver.resolve(t.dir);
    resolutions.set(r.folder, r);
    return {
      dir: t.dir,
      files: t.files,
      siblings: t.siblings,
      ...(t.config === build.config ? { listed: true } : {}),
      go: r.toolchain,
      language: r.language,
      ...(o.rules || o.includeGenerated ? { rules: { ...(o.rules ? { enabled: o.rules } : {}), ...(o.includeGenerated ? { includeGenerated: true } : {}) } } : {}),
      ...(o.fix || o.diff ? { fix: true } : {}),
      imports,
    };
  });
  const folders = [...resolutions.values()].sort((a, b) => a.folder.localeCompare(b.folder));
  if (o.verbose) for (const r of folders) io.err(`mapscope: Go for ${describeResolution(r)}\n`);
  const reports = await runJobs(jobs, io.wasm, io.workerScript, jobImports(jobs, imports.paths));
  let findings = reports.flatMap((r) => r.findings);
  for (const r of reports) for (const w of r.warnings) io.err(`mapscope: warning: ${formatWarning(w)}\n`);
  for (const r of reports) for (const e of r.errors) io.err(`mapscope: ${formatRuleError(e, o.debug)}\n`);
  // An I/O error or a failure of MapScope itself: the results are incomplete, which must not pass as clean.
  let failed = reports.some((r) => r.ioErrors > 0 || r.errors.length > 0);
  const plans = reports.flatMap((r) => r.plans);
  if (o.diff) {
    failed = printDiffs(plans, io) || failed;
    summary(findings, reports, io);
  } else if (o.fix) {
    const outcome = writePlans(plans, io.fixHooks);
    const written = new Set(outcome.written.map((p) => p.file));
    for (const f of findings) if (f.planned && written.has(f.file)) io.err(`mapscope: fixed ${placeOf(f.file, f.span)}: ${f.planned} (${f.rule})\n`);
    for (const p of outcome.changed) io.err(`mapscope: warning: ${rel(p.file)}: changed on disk since it was analysed; not fixed\n`);
    for (const { plan, reason } of outcome.failed) io.err(`mapscope: ${rel(plan.file)}: ${reason}; not fixed\n`);
    failed ||= outcome.failed.length > 0;
    findings = findings.filter((f) => !(f.planned && written.has(f.file)));
  }
  if (!o.diff) print(o.format, findings, reports, folders, io);
  if (failed) return 2;
  return findings.length > 0 ? 1 : 0;
}

function print(format: string, findings: PlacedFinding[], reports: DirectoryReport[], folders: GoResolution[], io: CliIO): void {
  switch (format) {
    case 'json':
      return write(io, formatJson(findings, folders.map(statusOf)));
    case 'sarif':
      return write(io, formatSarif(findings, io.version));
    case 'github':
      return write(io, formatGithub(findings));
    case 'checkstyle':
      return write(io, formatCheckstyle(findings));
    default: {
      write(io, formatText(findings));
      summary(findings, reports, io);
    }
  }
}

function summary(findings: PlacedFinding[], reports: DirectoryReport[], io: CliIO): void {
  const files = reports.reduce((n, r) => n + r.files, 0);
  io.err(`${findings.length} finding${findings.length === 1 ? '' : 's'} in ${files} file${files === 1 ? '' : 's'}\n`);
}

/** Writes a report in pieces of about a megabyte: never the whole report as one string. */
function write(io: CliIO, pieces: Iterable<string>): void {
  let buffered: string[] = [];
  let size = 0;
  for (const p of pieces) {
    buffered.push(p);
    size += p.length;
    if (size >= 1 << 20) {
      io.out(buffered.join(''));
      buffered = [];
      size = 0;
    }
  }
  if (buffered.length > 0) io.out(buffered.join(''));
}
