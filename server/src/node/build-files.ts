// A directory's Go files under one build configuration: what go/build's ImportDir keeps (GoFiles,
// CgoFiles, TestGoFiles, XTestGoFiles) and why it leaves the others out. A file that cannot be
// read or decoded is kept, so that the check reports it rather than dropping it silently.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { configIncluding, exclusion, fileConstraints, type BuildConfig, type Exclusion, type FileConstraints } from '../core/build/config';
import { packageFiles } from './files';

export interface DirectoryFiles {
  /** Built under the configuration, tests included whatever the configuration says (go list counts them to decide a directory is a package). */
  withTests: string[];
  /** What the configuration builds. */
  files: string[];
  excluded: Map<string, Exclusion>;
}

/** The constraints of a file on disk, from its head; undefined when it cannot be read. */
export function constraintsOnDisk(file: string): FileConstraints | undefined {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch {
    return undefined;
  }
  // A file that is not UTF-8 is still classified (invalid bytes become U+FFFD), then skipped with a warning.
  return fileConstraints(basename(file), bytes.toString('utf8'));
}

export function filesUnder(dir: string, config: BuildConfig): DirectoryFiles {
  const withTestsConfig = config.tests ? config : { ...config, tests: true };
  const out: DirectoryFiles = { withTests: [], files: [], excluded: new Map() };
  for (const file of packageFiles(dir)) {
    const f = constraintsOnDisk(file);
    const why = f ? exclusion(withTestsConfig, f) : undefined;
    if (why) {
      out.excluded.set(file, why);
      continue;
    }
    out.withTests.push(file);
    if (!config.tests && file.endsWith('_test.go')) out.excluded.set(file, 'test');
    else out.files.push(file);
  }
  return out;
}

/** The configuration a named file is checked under: the base one if it builds the file, else one that does (see configIncluding). */
export function configForFile(file: string, base: BuildConfig): BuildConfig {
  const f = constraintsOnDisk(file);
  return f ? configIncluding(base, f) : base;
}
