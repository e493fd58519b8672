// `mapscope check [--format text|json|sarif] [--go VERSION] [--rules id,id] PATH...`
// Exit 0: no findings; 1: findings; 2: usage or I/O error, with a one-line reason on stderr.
import { parseGoVersion, type GoVersion } from '../core/go-version';
import { RULES } from '../core/rules';
import type { WasmPaths } from '../core/parse/parser';
import type { CheckJob, DirectoryReport, PlacedFinding } from '../node/check-package';
import { collectGoFiles, UsageError } from '../node/files';
import { resolveGoVersion } from '../node/go-env';
import { formatJson, formatSarif, formatText, formatWarning, type Format } from './format';
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
  let explicitGo: GoVersion | undefined;
  let enabled: string[] | undefined;
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
      const v = value('--go');
      explicitGo = parseGoVersion(v);
      if (!explicitGo) throw new UsageError(`--go: "${v}" is not a Go version like 1.22`);
    } else if (a === '--rules' || a.startsWith('--rules=')) {
      enabled = value('--rules').split(',').filter(Boolean);
      const known = `known: ${RULES.map((r) => r.id).join(', ')}`;
      // An empty list would run no rule and pass everything: name one at least.
      if (enabled.length === 0) throw new UsageError(`--rules needs at least one rule id (${known})`);
      const unknown = enabled.filter((id) => !RULES.some((r) => r.id === id));
      if (unknown.length > 0) throw new UsageError(`--rules: unknown rule ${unknown.join(', ')} (${known})`);
    } else if (a.startsWith('-') && a !== '-') {
      throw new UsageError(`unknown flag ${a}`);
    } else paths.push(a);
  }
  if (paths.length === 0) throw new UsageError('check needs at least one path');

  const byDir = collectGoFiles(paths);
  const jobs: CheckJob[] = [...byDir].map(([dir, files]) => ({
    dir,
    files,
    go: resolveGoVersion(dir, { explicit: explicitGo, mayRunGo: true }),
    ...(enabled ? { rules: { enabled } } : {}),
  }));
  const reports = await runJobs(jobs, io.wasm, io.workerScript);
  const findings = reports.flatMap((r) => r.findings);
  for (const r of reports) for (const w of r.warnings) io.err(`mapscope: warning: ${formatWarning(w)}\n`);
  if (format === 'json') write(io, formatJson(findings));
  else if (format === 'sarif') write(io, formatSarif(findings, io.version));
  else {
    write(io, formatText(findings));
    const files = reports.reduce((n, r) => n + r.files, 0);
    io.err(`${findings.length} finding${findings.length === 1 ? '' : 's'} in ${files} file${files === 1 ? '' : 's'}\n`);
  }
  if (reports.some((r) => r.ioErrors > 0)) return 2;
  return findings.length > 0 ? 1 : 0;
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
