// An import graph held in memory, built from Go sources keyed by import path: what a loader would
// find on disk, for tests of what the index resolves across packages.
import type { ImportGraph } from '../../server/src/core/index/imports';
import { PackageIndex } from '../../server/src/core/index/package-index';
import { summarize, type SourceUnit } from '../../server/src/core/index/summary';
import { loadParser, unitOf } from './core';

export interface MemoryPackages {
  graph: ImportGraph;
  /** The package at each import path, with the graph. */
  packages: Map<string, PackageIndex>;
  /** Every file's unit, by `importPath/file`; delete their trees with `close`. */
  units: Map<string, SourceUnit>;
  close(): void;
}

/** `{ 'example.com/m/a': { 'a.go': '…' } }` → packages that reach each other through one graph. */
export async function memoryPackages(sources: Record<string, Record<string, string>>): Promise<MemoryPackages> {
  const p = await loadParser();
  const packages = new Map<string, PackageIndex>();
  const units = new Map<string, SourceUnit>();
  const graph: ImportGraph = { package: (path) => packages.get(path) };
  for (const [importPath, files] of Object.entries(sources)) {
    const us = Object.entries(files).map(([name, text]) => unitOf(p, `${importPath}/${name}`, text));
    for (const u of us) units.set(u.path, u);
    packages.set(importPath, new PackageIndex(us.map((u) => summarize(u)), { importPath, graph }));
  }
  return {
    graph,
    packages,
    units,
    close: () => {
      for (const u of units.values()) u.tree.delete();
    },
  };
}
