// The command line of `mapscope check`: flags as `--name value` or `--name=value`, then patterns.
import { RULES } from '../core/rules';
import { parseTags, validateArch, validateOS, type BuildFlags } from '../node/build-config';
import { UsageError } from '../node/files';
import type { Format } from './format';
import { goFlags, type GoFlags } from './go-flags';

export interface CheckOptions {
  format: Format;
  /** `--go` and `--goexperiment`, validated (go-flags.ts). */
  go: GoFlags;
  /** `-v`: say which Go each folder is checked for, and why. */
  verbose: boolean;
  /** `--debug`: print the stack of a failure of MapScope itself. */
  debug: boolean;
  rules?: string[];
  /** `--include-generated`: report in generated files (`// Code generated … DO NOT EDIT.`) too. */
  includeGenerated: boolean;
  build: BuildFlags;
  /** Write the fix-all edits. */
  fix: boolean;
  /** Print the fix-all edits as a unified diff, write nothing. */
  diff: boolean;
  /** `--no-cache`: neither read nor write the disk cache. */
  noCache: boolean;
  patterns: string[];
}

const FORMATS: readonly Format[] = ['text', 'json', 'sarif', 'github', 'checkstyle'];

export function parseCheckArgs(args: readonly string[]): CheckOptions {
  const o: CheckOptions = { format: 'text', go: {}, verbose: false, debug: false, includeGenerated: false, build: {}, fix: false, diff: false, noCache: false, patterns: [] };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const eq = a.indexOf('=');
    const name = a.startsWith('--') && eq > 0 ? a.slice(0, eq) : a;
    const value = () => {
      if (eq > 0 && a.startsWith('--')) return a.slice(eq + 1);
      if (i + 1 >= args.length) throw new UsageError(`${name} needs a value`);
      return args[++i];
    };
    switch (name) {
      case '--format': {
        const f = value();
        if (!(FORMATS as string[]).includes(f)) throw new UsageError(`--format must be ${FORMATS.slice(0, -1).join(', ')} or ${FORMATS[FORMATS.length - 1]}, not "${f}"`);
        o.format = f as Format;
        break;
      }
      case '--go':
        o.go.go = value();
        break;
      case '--goexperiment':
        o.go.goexperiment = value();
        break;
      case '-v':
      case '--verbose':
        o.verbose = true;
        break;
      case '--debug':
        o.debug = true;
        break;
      case '--rules': {
        const enabled = value().split(',').filter(Boolean);
        const known = `known: ${RULES.map((r) => r.id).join(', ')}`;
        // An empty list would run no rule and pass everything: name one at least.
        if (enabled.length === 0) throw new UsageError(`--rules needs at least one rule id (${known})`);
        const unknown = enabled.filter((id) => !RULES.some((r) => r.id === id));
        if (unknown.length > 0) throw new UsageError(`--rules: unknown rule ${unknown.join(', ')} (${known})`);
        o.rules = enabled;
        break;
      }
      case '--tags':
        o.build.tags = parseTags(value());
        break;
      case '--goos':
        o.build.goos = validateOS(value());
        break;
      case '--goarch':
        o.build.goarch = validateArch(value());
        break;
      case '--tests': {
        // A boolean, as go's analysis drivers take it: `--tests`, `--tests=false`.
        const v = eq > 0 ? a.slice(eq + 1) : 'true';
        if (v !== 'true' && v !== 'false') throw new UsageError(`--tests takes true or false (--tests=false), not "${v}"`);
        o.build.tests = v === 'true';
        break;
      }
      case '--no-cache':
        if (eq > 0) throw new UsageError(`${name} takes no value`);
        o.noCache = true;
        break;
      case '--include-generated': {
        const v = eq > 0 ? a.slice(eq + 1) : 'true';
        if (v !== 'true' && v !== 'false') throw new UsageError(`--include-generated takes true or false, not "${v}"`);
        o.includeGenerated = v === 'true';
        break;
      }
      case '--fix':
      case '--diff':
        if (eq > 0) throw new UsageError(`${name} takes no value`);
        o[name === '--fix' ? 'fix' : 'diff'] = true;
        break;
      default:
        if (a.startsWith('-') && a !== '-') throw new UsageError(`unknown flag ${a}`);
        o.patterns.push(a);
    }
  }
  goFlags(o.go); // a bad --go or --goexperiment is a usage error before anything runs
  if (o.patterns.length === 0) throw new UsageError('check needs at least one package pattern or path (./... for the whole module)');
  if (o.diff && o.format !== 'text') throw new UsageError('--diff prints a diff, not findings: it takes no --format');
  return o;
}
