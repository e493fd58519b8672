// The seam between one package and the packages it imports. The index of a package knows only its
// own files; what an imported package declares comes through an ImportGraph, which a loader fills
// from the same module, the standard library or the module cache. A graph never downloads or builds:
// a path it cannot resolve is undefined, and what depends on it stays unknown (the rules stay silent).
import type { PackageIndex } from './package-index';

/** How a package reaches the packages it imports. Never downloads or builds: unknown → undefined → silence. */
export interface ImportGraph {
  /** The package at this import path (as written in an import spec, unquoted), if it can be found. */
  package(importPath: string): PackageIndex | undefined;
  /**
   * The name its package clause gives the package at this path, without reading its declarations:
   * what an import without an alias binds. Asked for every import of a file to find the one that
   * binds a qualifier, so a graph that can answer it cheaply should; without it, `package` answers.
   */
  nameOf?(importPath: string): string | undefined;
}

/** One import spec of a file, as its summary records it. */
export interface FileImport {
  /** The import path, unquoted (`net/http`). */
  path: string;
  /**
   * The name written before the path: an alias, `.` for a dot import, `_` for a blank one;
   * undefined when there is none (the file then uses the imported package's own name).
   */
  alias?: string;
}

/** What a PackageIndex knows about where it sits, besides its files. */
export interface PackageContext {
  /** Its import path, when a loader knows it (`example.com/m/internal/config`). */
  importPath?: string;
  /** How it reaches its imports; without one it knows only its own declarations. */
  graph?: ImportGraph;
}

/**
 * The name an import without an alias most likely binds, from its path alone: the last element,
 * minus a major-version suffix (`/v2`) and a `go-` prefix or `.`/`-` suffix, as most packages are
 * named. Only a guess: the imported package's own clause decides, when the graph knows the package.
 */
export function guessedImportName(path: string): string {
  const parts = path.split('/');
  let last = parts[parts.length - 1];
  if (/^v\d+$/.test(last) && parts.length > 1) last = parts[parts.length - 2];
  return last.replace(/^go-/, '').replace(/[.-].*$/, '');
}
