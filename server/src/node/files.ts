// Listing and reading Go files (which directories a check covers is patterns.ts's business).
// A file that is not UTF-8 text is skipped with a warning rather than analysed as garbage.
// A symbolic link named *.go counts as a Go file, as go/build counts it, unless it leads to a
// directory; one that leads nowhere is kept, so that reading it reports the I/O error.
import { createHash } from 'node:crypto';
import { lstatSync, readdirSync, readFileSync, statSync, type Dirent } from 'node:fs';
import { basename, dirname, join } from 'node:path';

export class UsageError extends Error {}

/** The hex sha256 of a file's bytes: how --fix tells that a file changed since it was analysed. */
export const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

/** Every .go file in a directory, before build constraints are applied. */
export function packageFiles(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((e) => isGoFile(dir, e))
      .map((e) => join(dir, e.name))
      .sort();
  } catch {
    return [];
  }
}

/** A directory entry that is a .go file: a regular file, or a symbolic link that is not to a directory. */
function isGoFile(dir: string, e: Dirent): boolean {
  if (!e.name.endsWith('.go')) return false;
  if (e.isFile()) return true;
  if (!e.isSymbolicLink()) return false; // a directory named x.go is walked as one; FIFOs and sockets are not Go
  try {
    return statSync(join(dir, e.name)).isFile();
  } catch {
    return true; // dangling or a loop: readGoSource says which
  }
}

export type ReadResult = { ok: true; text: string; bytes: Buffer } | { ok: false; reason: string };

const utf8 = new TextDecoder('utf-8', { fatal: true });

export function readGoSource(file: string): ReadResult {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'error';
    if (code === 'ENOENT' && hasUndecodableName(file)) {
      return { ok: false, reason: 'the file name is not valid UTF-8, which MapScope cannot open (go vet cannot either)' };
    }
    return { ok: false, reason: `cannot read (${code})${code === 'ELOOP' ? ': a symbolic link loop' : code === 'ENOENT' && isSymlink(file) ? ': a symbolic link to a missing file' : ''}` };
  }
  if (bytes.includes(0)) return { ok: false, reason: 'binary file (NUL byte)' };
  try {
    let text = utf8.decode(bytes);
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1); // Go accepts one leading BOM
    return { ok: true, text, bytes };
  } catch {
    return { ok: false, reason: 'not valid UTF-8' };
  }
}

/**
 * Whether `file` came from a directory listing of a name that is not UTF-8: Node decodes such a
 * name with U+FFFD in place of the bad bytes, and that string names no file. Checked only after
 * an open failed, against the directory's raw names.
 */
function hasUndecodableName(file: string): boolean {
  const name = basename(file);
  if (!name.includes('\uFFFD')) return false;
  try {
    return readdirSync(dirname(file), { encoding: 'buffer' }).some((raw) => raw.toString('utf8') === name && !Buffer.from(name, 'utf8').equals(raw));
  } catch {
    return false;
  }
}

function isSymlink(file: string): boolean {
  try {
    return lstatSync(file).isSymbolicLink();
  } catch {
    return false;
  }
}
