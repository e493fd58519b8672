// `mapscope check [--format text|json|sarif] [--go VERSION] [--goexperiment LIST] [--rules id,id] [-v] [--debug] PATH...`
// Exit 0: no findings; 1: findings; 2: usage or I/O error, with a one-line reason on stderr.
// Each directory's toolchain and language version come from the resolver the language server
// uses (node/go-env.ts); -v prints them with their sources, `--format json` carries them as "go".
import { RULES } from '../core/rules';
import type { WasmPaths } from '../core/parse/parser';
import type { CheckJob, DirectoryReport, PlacedFinding } from '../node/check-package';
import { collectGoFiles, UsageError } from '../node/files';
import { describeResolution, GoResolver, statusOf, type GoResolution } from '../node/go-env';
import { formatJson, formatRuleError, formatSarif, formatText, formatWarning, type Format } from './format';
import { goFlags, type GoFlags } from './go-flags';
import { runJobs } from './pool';

export interface CliIO {
  out: (s: string) => void;
  err: (s: string) => void;
  wasm: WasmPaths;
  workerScript: string;
  version: string;
}

export interface CheckSummary {
  reports: DirectoryReport[];
  findings: PlacedFinding[];
}

export async function runCheck(args: string[], io: CliIO): Promise<number> {
  let format: Format = 'text';
  const go: GoFlags = {};
  let verbose = false;
  let enabled: string[] | undefined;
  let debug = false;
  const paths: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const value = (name: string) => {
      const eq = a.indexOf('=');
      if (eq >= 0) return a.slice(eq + 1);
      if (i + 1 >= args.length) throw new UsageError(`${name} needs a value`);
      return args[++i];
    };
    if (a === '--format' || a.startsWith('--format=')) {
      const f = value('--format');
      if (f !== 'text' && f !== 'json' && f !== 'sarif') throw new UsageError(`--format must be text, json or sarif, not "${f}"`);
      format = f;
    } else if (a === '--go' || a.startsWith('--go=')) {
      go.go = value('--go');
    } else if (a === '--goexperiment' || a.startsWith('--goexperiment=')) {
      go.goexperiment = value('--goexperiment');
    } else if (a === '-v' || a === '--verbose') {
      verbose = true;
    } else if (a === '--rules' || a.startsWith('--rules=')) {
      enabled = value('--rules').split(',').filter(Boolean);
      const known = `known: ${RULES.map((r) => r.id).join(', ')}`;
      // An empty list would run no rule and pass everything: name one at least.
      if (enabled.length === 0) throw new UsageError(`--rules needs at least one rule id (${known})`);
      const unknown = enabled.filter((id) => !RULES.some((r) => r.id === id));
      if (unknown.length > 0) throw new UsageError(`--rules: unknown rule ${unknown.join(', ')} (${known})`);
    } else if (a === '--debug') {
      debug = true;
    } else if (a.startsWith('-') && a !== '-') {
      throw new UsageError(`unknown flag ${a}`);
    } else paths.push(a);
  }
  if (paths.length === 0) throw new UsageError('check needs at least one path');

  const resolver = new GoResolver({ ...goFlags(go), mayRunGo: true });
  const byDir = collectGoFiles(paths);
  const resolutions = new Map<string, GoResolution>();
  const jobs: CheckJob[] = [...byDir].map(([dir, files]) => {
    const r = resolver.resolve(dir);
    resolutions.set(r.folder, r);
    return { dir, files, go: r.toolchain, language: r.language, ...(enabled ? { rules: { enabled } } : {}) };
  });
  const folders = [...resolutions.values()].sort((a, b) => a.folder.localeCompare(b.folder));
  if (verbose) for (const r of folders) io.err(`mapscope: Go for ${describeResolution(r)}\n`);
  const reports = await runJobs(jobs, io.wasm, io.workerScript);
  const findings = reports.flatMap((r) => r.findings);
  for (const r of reports) for (const w of r.warnings) io.err(`mapscope: warning: ${formatWarning(w)}\n`);
  for (const r of reports) for (const e of r.errors) io.err(`mapscope: ${formatRuleError(e, debug)}\n`);
  if (format === 'json') io.out(formatJson(findings, folders.map(statusOf)));
  else if (format === 'sarif') io.out(formatSarif(findings, io.version));
  else {
    io.out(formatText(findings));
    const files = reports.reduce((n, r) => n + r.files, 0);
    io.err(`${findings.length} finding${findings.length === 1 ? '' : 's'} in ${files} file${files === 1 ? '' : 's'}\n`);
  }
  // An I/O error or a failure of MapScope itself: the results are incomplete, which must not pass as clean.
  if (reports.some((r) => r.ioErrors > 0 || r.errors.length > 0)) return 2;
  return findings.length > 0 ? 1 : 0;
}

