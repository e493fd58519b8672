// The order `mapscope check` hands packages to its worker threads: a package after the packages
// of the check it imports, so that its analysis finds their summaries already made (in the same
// thread, or in the disk cache from the other) instead of parsing their files a second time just
// to read their declarations. Only an order, never a result: the imports are read with a regular
// expression from the files' text, and a wrong read costs time, not findings.
import { readFileSync } from 'node:fs';
import { moduleContextOf, resolveImport, type GoPaths } from './import-resolver';

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
 * For each job (a package directory with its files), how deep it sits in the imports among the
 * jobs: 0 for one that imports none of the others, else one more than the deepest it imports.
 */
export function importLevels(jobs: readonly { dir: string; files: readonly string[] }[], paths: GoPaths, env: NodeJS.ProcessEnv = process.env): number[] {
  const byDir = new Map<string, number>();
  jobs.forEach((j, i) => byDir.set(j.dir, i));
  const contexts = new Map<string, ReturnType<typeof moduleContextOf>>();
  const deps = jobs.map((j) => {
    let ctx = contexts.get(j.dir);
    if (!contexts.has(j.dir)) contexts.set(j.dir, (ctx = moduleContextOf(j.dir, env)));
    const found = new Set<number>();
    for (const file of j.files) {
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch {
        continue;
      }
      for (const path of importsIn(text)) {
        const r = resolveImport(path, ctx, paths);
        const k = r?.kind === 'dir' ? byDir.get(r.dir) : undefined;
        if (k !== undefined && k !== byDir.get(j.dir)) found.add(k);
      }
    }
    return [...found];
  });
  const levels: number[] = new Array(jobs.length).fill(-1);
  const visiting = new Set<number>();
  const level = (i: number): number => {
    if (levels[i] >= 0) return levels[i];
    // A cycle is not Go; read from a regular expression it may still appear: cut it.
    if (visiting.has(i)) return 0;
    visiting.add(i);
    let l = 0;
    for (const d of deps[i]) l = Math.max(l, level(d) + 1);
    visiting.delete(i);
    levels[i] = l;
    return l;
  };
  for (let i = 0; i < jobs.length; i++) level(i);
  return levels;
}
