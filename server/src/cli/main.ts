// The `mapscope` command: `check` for CI and other editors, `predict` for the map engine,
// `profile` for the map costs in Go heap and CPU profiles.
// Every failure ends as one line on stderr and exit code 2, never a stack trace.
import { join } from 'node:path';
import { snapshotPath } from '../node/check-imports';
import { UsageError } from '../node/files';
import { runCheck, type CliIO } from './check';
import { defaultWasm } from './pool';
import { runPredict } from './predict';
import { isFileForm, runPredictFile } from './predict-file';
import { runProfile } from './profile';

declare const __MAPSCOPE_VERSION__: string | undefined;

const USAGE = `usage:
  mapscope check [--format text|json|sarif|github|checkstyle] [--go VERSION] [--goexperiment LIST] [--rules id,id]
                 [--goos OS] [--goarch ARCH] [--tags tag,tag] [--tests=false] [--include-generated] [--fix | --diff] [--no-cache] [-v] [--debug] PATTERN...
      PATTERN: ./... (the module), dir/..., a directory (one package), a .go file, or an import path
  mapscope predict --key TYPE --value TYPE --entries N [--hint H] [--go VERSION | --impl classic|swiss] [--goexperiment LIST] [--seed S] [--format text|json]
  mapscope predict FILE[:LINE] [--entries N] [--hint H] [--go VERSION] [--goexperiment LIST] [--impl classic|swiss] [--format text|json] [-v]
  VERSION: 1.26, go1.27.3, or go env's form "go1.27.3 X:mapsplitgroup"; LIST: a GOEXPERIMENT such as mapsplitgroup
  mapscope profile PROFILE... [--source DIR] [--go VERSION] [--format text|json]
`;

export async function main(argv: string[], io: CliIO): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'check':
        return await runCheck(rest, io);
      case 'predict':
        return isFileForm(rest) ? await runPredictFile(rest, io) : await runPredict(rest, io.out, io.err);
      case 'profile':
        return await runProfile(rest, io);
      case '--help':
      case '-h':
      case 'help':
        io.out(USAGE);
        return 0;
      case '--version':
        io.out(`${io.version}\n`);
        return 0;
      default: {
        // design.md §3.2: every usage error is one line on stderr; the full usage is `mapscope help`.
        const what = command === undefined ? 'missing command: check, predict or profile' : command.startsWith('-') ? `unknown flag ${command}` : `unknown command "${command}"`;
        io.err(`mapscope: ${what} (try 'mapscope help')\n`);
        return 2;
      }
    }
  } catch (e) {
    if (e instanceof UsageError) io.err(`mapscope: ${e.message}\n`);
    else io.err(`mapscope: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
    return 2;
  }
}

/** Entry point of bin/mapscope.js: runs with the process's arguments and streams. */
export function cliMain(): void {
  const dist = __dirname;
  const io: CliIO = {
    out: (s) => process.stdout.write(s),
    err: (s) => process.stderr.write(s),
    wasm: defaultWasm(dist),
    workerScript: join(dist, 'check-worker.js'),
    snapshot: snapshotPath(dist),
    version: typeof __MAPSCOPE_VERSION__ === 'string' ? __MAPSCOPE_VERSION__ : 'dev',
  };
  void main(process.argv.slice(2), io).then((code) => {
    process.exitCode = code;
  });
}
