// MapScope's cache on disk, shared by the CLI and the language server: file summaries (by the
// file's path and content) and whole packages' reports (by everything the analysis read). It
// lives in the user's cache directory under mapscope/, one subdirectory per code fingerprint so
// that entries of another build are never even looked at. Each entry is one file written to a
// temporary name and renamed into place, so a reader sees a whole entry or none, and parallel
// writers of one key write the same bytes anyway. An entry that cannot be read, does not parse or
// names another key is a miss: it is rebuilt and overwritten, never an error.
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { decodeValue, encodeValue } from '../core/index/summary-codec';

/** The user cache directory, as Go's os.UserCacheDir picks it, with mapscope/ under it. */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string | undefined {
  if (env.MAPSCOPE_CACHE) return env.MAPSCOPE_CACHE;
  let base: string | undefined;
  if (platform === 'win32') base = env.LocalAppData || env.LOCALAPPDATA;
  else if (platform === 'darwin') base = env.HOME ? join(env.HOME, 'Library', 'Caches') : undefined;
  else base = env.XDG_CACHE_HOME && env.XDG_CACHE_HOME.startsWith('/') ? env.XDG_CACHE_HOME : env.HOME ? join(env.HOME, '.cache') : undefined;
  if (!base) {
    try {
      base = platform === 'win32' ? undefined : join(homedir(), platform === 'darwin' ? 'Library/Caches' : '.cache');
    } catch {
      base = undefined;
    }
  }
  return base ? join(base, 'mapscope') : undefined;
}

/** A cache key: the hex sha256 of the parts, each ended by a NUL. */
export function hashText(...parts: string[]): string {
  return hashList(parts);
}

export function hashList(parts: readonly string[]): string {
  const h = createHash('sha256');
  for (const p of parts) h.update(p).update('\0');
  return h.digest('hex');
}

/** One kind of entry (`summaries`, `reports`) under one fingerprint. */
export class DiskCache {
  private readonly dir: string;
  private writable = true;

  constructor(root: string, kind: string, fingerprint: string) {
    this.dir = join(root, fingerprint.slice(0, 16), kind);
  }

  /**
   * Entries spread over 16 directories by their key's first digit: a cold check of the standard
   * library writes over a thousand entries, and making 256 directories for them cost more than
   * the crowding of 16 saves.
   */
  private file(key: string): string {
    return join(this.dir, key.slice(0, 1), `${key.slice(1)}.json`);
  }

  /** The value stored under `key` (a hex digest), or undefined: absent, damaged, foreign. */
  get(key: string): unknown {
    let text: string;
    try {
      text = readFileSync(this.file(key), 'utf8');
    } catch {
      return undefined;
    }
    try {
      const entry = decodeValue(text) as { key?: unknown; value?: unknown } | null;
      return entry !== null && typeof entry === 'object' && entry.key === key ? entry.value : undefined;
    } catch {
      return undefined;
    }
  }

  /** Stores a value; a cache that cannot be written (read-only, full) is left alone from then on. */
  set(key: string, value: unknown): void {
    if (!this.writable) return;
    const file = this.file(key);
    const tmp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      const text = encodeValue({ key, value });
      try {
        writeFileSync(tmp, text);
      } catch {
        mkdirSync(join(this.dir, key.slice(0, 1)), { recursive: true });
        writeFileSync(tmp, text);
      }
      renameSync(tmp, file);
    } catch {
      this.writable = false;
      try {
        rmSync(tmp, { force: true });
      } catch {
        // nothing was written
      }
    }
  }
}
