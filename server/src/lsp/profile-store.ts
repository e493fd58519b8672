// The server's loaded profiles: the files the "Load Profile" command (mapscope/loadProfile) named
// and the one the `mapscope.profile` setting names, each read again when it changes on disk (any
// client, not only VS Code, gets a watched path that way), and their attribution to the map sites
// of the workspace, computed again shortly after the open documents change. The attribution reads
// open documents as the editor has them, so the measured sites line up with the diagnostics.
import { unwatchFile, watchFile, type Stats } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import type { LoadProfileResult } from '../../../common/protocol';
import type { GoVersion } from '../core/go-version';
import { attributeProfiles, type MeasuredSite, type ProfileReport } from '../core/profile/attribute';
import { ProfileError, type DecodedProfile } from '../core/profile/decode';
import type { GoParser } from '../core/parse/parser';
import { DiskSources, readProfileFile } from '../node/profile-sources';

/** After typing stops for this long, the attribution follows the new text. */
const RECOMPUTE_DELAY_MS = 400;
/** How often a loaded file is checked for changes (fs.watchFile polls: it survives files being replaced). */
const WATCH_INTERVAL_MS = 1000;

export interface ProfileStoreDeps {
  parser: Promise<GoParser>;
  /** The workspace folder whose code the profiles are of (undefined: the working directory). */
  root: () => string | undefined;
  /** The Go a directory's code targets. */
  go: (dir: string) => GoVersion;
  /** The text of an open document. */
  openText: (path: string) => string | undefined;
  hotShare: () => number;
  /** The loaded profiles or their attribution changed. */
  changed: () => void;
  log: (message: string) => void;
}

interface Loaded {
  profile?: DecodedProfile;
  error?: string;
}

export class ProfileStore {
  private commandPaths: string[] = [];
  private settingPath?: string;
  private readonly loaded = new Map<string, Loaded>();
  private report?: ProfileReport;
  private timer?: NodeJS.Timeout;
  private seq = 0;

  constructor(private readonly deps: ProfileStoreDeps) {}

  /** The files loaded, the setting's first. */
  get paths(): string[] {
    return [...new Set([...(this.settingPath ? [this.settingPath] : []), ...this.commandPaths])];
  }

  /** The current attribution; undefined when no profile is loaded. */
  get current(): ProfileReport | undefined {
    return this.report;
  }

  /** The measured sites of one file (none when no profile is loaded). */
  measuredIn(path: string): MeasuredSite[] {
    return this.report?.sites.filter((s) => s.file === path) ?? [];
  }

  /** Loads the command's files in place of the ones it loaded before. */
  async load(paths: readonly string[]): Promise<Pick<LoadProfileResult, 'profiles' | 'errors'>> {
    this.commandPaths = paths.map((p) => this.absolute(p));
    this.sync();
    await this.recompute();
    const errors = this.commandPaths.flatMap((p) => {
      const e = this.loaded.get(p)?.error;
      return e ? [{ path: p, message: e }] : [];
    });
    return {
      profiles: this.paths.flatMap((path) => {
        const p = this.loaded.get(path)?.profile;
        return p ? [{ path, kind: p.kind, samples: p.samples.length, period: p.period, durationNanos: p.durationNanos }] : [];
      }),
      errors,
    };
  }

  /** The `mapscope.profile` setting: a path (relative to the workspace folder) or nothing. */
  async setSettingPath(path: string | undefined): Promise<void> {
    const abs = path ? this.absolute(path) : undefined;
    if (abs === this.settingPath) return;
    this.settingPath = abs;
    this.sync();
    if (abs && this.loaded.get(abs)?.error) this.deps.log(`mapscope: the mapscope.profile setting names ${abs}: ${this.loaded.get(abs)!.error}`);
    await this.recompute();
  }

  /** The code or the settings changed (an edit, a file on disk, the hot share): attribute again once typing pauses. */
  recomputeSoon(): void {
    if (this.paths.length === 0) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.recompute(), RECOMPUTE_DELAY_MS);
  }

  /** Runs a pending attribution now (a request wants the figures for the current text). */
  async fresh(): Promise<ProfileReport | undefined> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
      await this.recompute();
    }
    return this.report;
  }

  dispose(): void {
    clearTimeout(this.timer);
    for (const p of this.loaded.keys()) unwatchFile(p);
    this.loaded.clear();
  }

  private absolute(p: string): string {
    return isAbsolute(p) ? p : resolve(this.deps.root() ?? process.cwd(), p);
  }

  /** Reads the files newly named, forgets and stops watching the others. */
  private sync(): void {
    const wanted = new Set(this.paths);
    for (const p of [...this.loaded.keys()]) {
      if (wanted.has(p)) continue;
      unwatchFile(p);
      this.loaded.delete(p);
    }
    for (const p of wanted) {
      if (this.loaded.has(p)) continue;
      this.loaded.set(p, this.read(p));
      watchFile(p, { interval: WATCH_INTERVAL_MS }, (now: Stats, before: Stats) => {
        if (now.mtimeMs === before.mtimeMs && now.size === before.size) return;
        this.loaded.set(p, this.read(p));
        void this.recompute();
      });
    }
  }

  private read(path: string): Loaded {
    try {
      return { profile: readProfileFile(path) };
    } catch (e) {
      if (e instanceof ProfileError) return { error: e.message };
      throw e;
    }
  }

  private async recompute(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const seq = ++this.seq;
    const profiles = this.paths.map((p) => this.loaded.get(p)?.profile).filter((p): p is DecodedProfile => p !== undefined);
    let report: ProfileReport | undefined;
    if (profiles.length > 0) {
      const parser = await this.deps.parser;
      if (seq !== this.seq) return;
      const root = this.deps.root() ?? process.cwd();
      const go = this.deps.go(root);
      const sources = new DiskSources(parser, root, { go, openText: this.deps.openText });
      try {
        report = attributeProfiles(profiles, sources, { go, hotShare: this.deps.hotShare() });
      } catch (e) {
        this.deps.log(`mapscope: attributing the profiles failed: ${e instanceof Error ? e.stack : String(e)}`);
      } finally {
        sources.dispose();
      }
    }
    if (seq !== this.seq) return;
    const before = JSON.stringify(this.report ?? null);
    this.report = report;
    if (JSON.stringify(report ?? null) !== before) this.deps.changed();
  }
}
