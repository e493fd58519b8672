// The `mapscope.*` settings as the server reads them, with defaults and validation: a bad value
// falls back to the default instead of stopping analysis.
import type { RuleSettings } from '../core/analyze';
import type { Severity } from '../core/findings';
import { parseGoVersion, type GoVersion } from '../core/go-version';
import { RULES } from '../core/rules';

export interface RawSettings {
  goVersion?: unknown;
  rules?: unknown;
  defaultMapSize?: unknown;
  profile?: unknown;
  profileHotSeverity?: unknown;
  profileHotShare?: unknown;
}

export interface Settings {
  /** Explicit Go version, or undefined to detect it. */
  go?: GoVersion;
  rules: RuleSettings;
  /** A pprof file to load and watch (`mapscope.profile`). */
  profile?: string;
  /** What a map-without-hint finding on a hot site rises to; undefined keeps its severity. */
  profileHotSeverity?: Severity;
  /** The share of a profile (0–1) a site's growth must take to be hot. */
  profileHotShare: number;
}

/** `mapscope.profileHotShare`'s default, in percent. */
export const DEFAULT_HOT_SHARE_PERCENT = 1;

const SEVERITIES = new Set<Severity>(['error', 'warning', 'information', 'hint']);

export function readSettings(raw: RawSettings | null | undefined): Settings {
  const go = typeof raw?.goVersion === 'string' && raw.goVersion.trim() !== '' ? parseGoVersion(raw.goVersion) : undefined;
  const enabled = new Set(RULES.map((r) => r.id));
  const severity = new Map<string, Severity>();
  const rules = raw?.rules;
  if (rules && typeof rules === 'object') {
    for (const [id, value] of Object.entries(rules as Record<string, unknown>)) {
      if (!value || typeof value !== 'object') continue;
      const v = value as { enabled?: unknown; severity?: unknown };
      if (v.enabled === false) enabled.delete(id);
      if (typeof v.severity === 'string' && SEVERITIES.has(v.severity as Severity)) severity.set(id, v.severity as Severity);
    }
  }
  const size = raw?.defaultMapSize;
  const defaultMapSize = typeof size === 'number' && Number.isSafeInteger(size) && size >= 0 && size <= 50_000_000 ? size : undefined;
  const profile = typeof raw?.profile === 'string' && raw.profile.trim() !== '' ? raw.profile.trim() : undefined;
  const hot = raw?.profileHotSeverity === undefined ? 'warning' : raw.profileHotSeverity;
  const share = raw?.profileHotShare;
  const profileHotShare = (typeof share === 'number' && share >= 0 && share <= 100 ? share : DEFAULT_HOT_SHARE_PERCENT) / 100;
  return {
    ...(go ? { go } : {}),
    rules: { enabled, severity, ...(defaultMapSize !== undefined ? { defaultMapSize } : {}) },
    ...(profile ? { profile } : {}),
    ...(typeof hot === 'string' && SEVERITIES.has(hot as Severity) ? { profileHotSeverity: hot as Severity } : {}),
    profileHotShare,
  };
}
