// A directory's Go files under one build configuration: what go/build's ImportDir keeps (GoFiles,
// CgoFiles, TestGoFiles, XTestGoFiles) and why it leaves the others out. A file that cannot be
// read or decoded is kept, so that the check reports it rather than dropping it silently.
import { closeSync, openSync, readSync } from 'node:fs';
import { basename } from 'node:path';
import { configIncluding, exclusion, fileConstraints, type BuildConfig, type Exclusion, type FileConstraints } from '../core/build/config';
import { headEnd } from '../core/build/header';
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
  const head = readHead(file);
  return head === undefined ? undefined : fileConstraints(basename(file), head);
}

/** Most heads (a licence, a package comment, the imports) fit in this many bytes. */
const HEAD_BYTES = 8192;

/**
 * The head of a Go file on disk (header.ts's headEnd: the constraints, the package clause and the
 * imports), read from its first bytes: listing the standard library's packages read every file
 * whole, several times over, for its first lines. Undefined when it cannot be read. A file that
 * is not UTF-8 is still classified (invalid bytes become U+FFFD), then skipped with a warning.
 */
export function readHead(file: string): string | undefined {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return undefined;
  }
  try {
    let buf = Buffer.allocUnsafe(HEAD_BYTES);
    let length = 0;
    for (;;) {
      const n = readSync(fd, buf, length, buf.length - length, length);
      length += n;
      const text = buf.toString('utf8', 0, length);
      if (n === 0) return text;
      const end = headEnd(text);
      if (end !== undefined) return text.slice(0, end);
      if (length === buf.length) {
        const more = Buffer.allocUnsafe(buf.length * 2);
        buf.copy(more, 0, 0, length);
        buf = more;
      }
    }
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
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
