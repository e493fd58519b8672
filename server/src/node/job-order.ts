// Which packages of a `mapscope check` import which others, read from the files' import
// declarations, for the order the check hands them to its threads (cli/schedule.ts): a package
// after those it imports, so that its analysis finds their summaries already made (in the same
// thread, or in the disk cache from another) instead of parsing their files a second time just to
// read their declarations. Only an order, never a result: the imports are read with a regular
// expression from the files' text, and a wrong read costs time, not findings.
import { readHead } from './build-files';
import { ModuleContexts, resolveImport, type GoPaths } from './import-resolver';

const IMPORT_BLOCK = /^import\s*\(([\s\S]*?)^\)/gm;
const IMPORT_LINE = /^import\s+(?:[\w.]+\s+)?"([^"\n]+)"/gm;
const QUOTED = /"([^"\n]+)"/g;

/** The import paths a Go file's text seems to name. */
export function importsIn(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(IMPORT_LINE)) out.push(m[1]);
  for (const m of text.matchAll(IMPORT_BLOCK)) for (const q of m[1].matchAll(QUOTED)) out.push(q[1]);
  return out;
}

/**
 * The other jobs a job imports, by index. `own`: from the package's own files, what a package
 * importing it reads (Go forbids cycles among these). `tests`: from its _test.go files only, which
 * may import packages that import it (fmt's tests import testing, which imports fmt).
 */
export interface JobImports {
  own: number[];
  tests: number[];
}

export function jobImports(jobs: readonly { dir: string; files: readonly string[] }[], paths: GoPaths, env: NodeJS.ProcessEnv = process.env): JobImports[] {
  const byDir = new Map<string, number>();
  jobs.forEach((j, i) => byDir.set(j.dir, i));
  const contexts = new ModuleContexts(env);
  const found = new Map<string, number | undefined>();
  return jobs.map((j, self) => {
    const ctx = contexts.of(j.dir);
    const own = new Set<number>();
    const tests = new Set<number>();
    for (const file of j.files) {
      const text = readHead(file);
      if (text === undefined) continue;
      const into = file.endsWith('_test.go') ? tests : own;
      for (const path of importsIn(text)) {
        // The same few paths, imported by most files: asked of the file system once per module.
        const key = `${ctx?.id ?? ''}\0${path}`;
        let k = found.get(key);
        if (!found.has(key)) {
          const r = resolveImport(path, ctx, paths);
          found.set(key, (k = r?.kind === 'dir' ? byDir.get(r.dir) : undefined));
        }
        if (k !== undefined && k !== self) into.add(k);
      }
    }
    for (const k of own) tests.delete(k);
    return { own: [...own], tests: [...tests] };
  });
}
