// The `mapscope.*` settings as the server reads them, with defaults and validation: a bad value
// falls back to the default instead of stopping analysis, and is named in `problems` (the server
// logs each and shows it once as a warning), so a typo is never silently ignored.
import type { RuleSettings } from '../core/analyze';
import { OLDEST_MODELED_MINOR } from '../core/engine/go-version';
import type { Severity } from '../core/findings';
import { formatGoVersion, NEWEST_GO, parseGoVersion, type GoVersion } from '../core/go-version';
import { RULES } from '../core/rules';
import type { EditorGoSettings } from '../node/go-binary';
import { DEFAULT_MAP_SIZE } from '../core/analysis/pass';

export interface RawSettings {
  goVersion?: unknown;
  goExperiment?: unknown;
  rules?: unknown;
  defaultMapSize?: unknown;
  includeGenerated?: unknown;
  codeLens?: unknown;
  logLevel?: unknown;
  profile?: unknown;
  profileHotSeverity?: unknown;
  profileHotShare?: unknown;
}

export type LogLevel = 'error' | 'warning' | 'info' | 'debug';
export const LOG_LEVELS: readonly LogLevel[] = ['error', 'warning', 'info', 'debug'];

export interface Settings {
  /** Explicit Go toolchain (`1.26`, `go1.27.3 X:mapsplitgroup`, within what the engine models), or undefined to detect it. */
  go?: GoVersion;
  /** Explicit GOEXPERIMENT (`mapsplitgroup`), or undefined to take the toolchain's. */
  goExperiment?: string;
  rules: RuleSettings;
  /** Code lenses above map sites (`mapscope.codeLens`). */
  codeLens: boolean;
  logLevel: LogLevel;
  /** What is wrong with the settings, one sentence each, for people. */
  problems: string[];
  /** A pprof file to load and watch (`mapscope.profile`). */
  profile?: string;
  /** What a map-without-hint finding on a hot site rises to; undefined keeps its severity. */
  profileHotSeverity?: Severity;
  /** The share of a profile (0–1) a site's growth must take to be hot. */
  profileHotShare: number;
}

/** `mapscope.profileHotShare`'s default, in percent. */
export const DEFAULT_HOT_SHARE_PERCENT = 1;

const SEVERITIES: readonly Severity[] = ['error', 'warning', 'information', 'hint'];
const RULE_VALUES = `${SEVERITIES.join(', ')} or off`;
const isSeverity = (v: unknown): v is Severity => typeof v === 'string' && (SEVERITIES as readonly string[]).includes(v);

const text = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);

export function readSettings(raw: RawSettings | null | undefined): Settings {
  const problems: string[] = [];
  const go = readGoVersion(raw?.goVersion, problems);
  const goExperiment = text(raw?.goExperiment);
  const rules = readRules(raw?.rules, problems);
  const size = raw?.defaultMapSize;
  const defaultMapSize = typeof size === 'number' && Number.isSafeInteger(size) && size >= 0 && size <= 50_000_000 ? size : undefined;
  if (size !== undefined && size !== null && defaultMapSize === undefined) {
    problems.push(`mapscope.defaultMapSize must be a whole number from 0 to 50000000, not ${JSON.stringify(size)}: using ${DEFAULT_MAP_SIZE}`);
  }
  const generated = raw?.includeGenerated;
  if (generated !== undefined && generated !== null && typeof generated !== 'boolean') {
    problems.push(`mapscope.includeGenerated must be true or false, not ${JSON.stringify(generated)}: generated files are skipped`);
  }
  const level = raw?.logLevel;
  const logLevel = LOG_LEVELS.find((l) => l === level) ?? 'info';
  if (level !== undefined && level !== null && logLevel !== level) {
    problems.push(`mapscope.logLevel must be one of ${LOG_LEVELS.join(', ')}, not ${JSON.stringify(level)}: using info`);
  }
  const profile = typeof raw?.profile === 'string' && raw.profile.trim() !== '' ? raw.profile.trim() : undefined;
  const hot = raw?.profileHotSeverity === undefined || raw.profileHotSeverity === null ? 'warning' : raw.profileHotSeverity;
  if (hot !== 'unchanged' && !isSeverity(hot)) problems.push(`mapscope.profileHotSeverity must be unchanged, ${SEVERITIES.join(', ')}, not ${JSON.stringify(hot)}: unchanged`);
  const share = raw?.profileHotShare;
  const shareOk = typeof share === 'number' && share >= 0 && share <= 100;
  if (share !== undefined && share !== null && !shareOk) problems.push(`mapscope.profileHotShare must be a percentage from 0 to 100, not ${JSON.stringify(share)}: using ${DEFAULT_HOT_SHARE_PERCENT}`);
  const profileHotShare = (shareOk ? share : DEFAULT_HOT_SHARE_PERCENT) / 100;
  return {
    ...(go ? { go } : {}),
    ...(goExperiment ? { goExperiment } : {}),
    rules: { ...rules, ...(defaultMapSize !== undefined ? { defaultMapSize } : {}), ...(generated === true ? { includeGenerated: true } : {}) },
    codeLens: raw?.codeLens !== false,
    logLevel,
    problems,
    ...(profile ? { profile } : {}),
    ...(isSeverity(hot) ? { profileHotSeverity: hot } : {}),
    profileHotShare,
  };
}

/** The setting, clamped to the Go versions the engine models (said plainly when it is not one of them). */
function readGoVersion(value: unknown, problems: string[]): GoVersion | undefined {
  if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) return undefined;
  const v = typeof value === 'string' ? parseGoVersion(value) : undefined;
  if (!v) {
    problems.push(`mapscope.goVersion ${JSON.stringify(value)} is not a Go version like 1.23 or 1.24.4: detecting the version instead`);
    return undefined;
  }
  const newest = formatGoVersion(NEWEST_GO);
  const oldest = `1.${OLDEST_MODELED_MINOR}`;
  if (v.minor > NEWEST_GO.minor) {
    problems.push(`mapscope.goVersion is ${String(value).trim()}, but MapScope models Go ${oldest} to ${newest}: it models Go ${newest} instead`);
    return { ...NEWEST_GO };
  }
  if (v.minor < OLDEST_MODELED_MINOR) {
    problems.push(`mapscope.goVersion is ${String(value).trim()}, but MapScope models Go ${oldest} to ${newest}: it models Go ${oldest} (classic maps) instead`);
    return { major: 1, minor: OLDEST_MODELED_MINOR };
  }
  return v;
}

/**
 * `mapscope.rules`: `{ "<rule id>": "error" | "warning" | "information" | "hint" | "off" }`, as the
 * Settings UI edits it; the older `{ "<rule id>": { "enabled": false, "severity": "warning" } }`
 * is read too (other editors may send either).
 */
function readRules(value: unknown, problems: string[]): Pick<RuleSettings, 'enabled' | 'severity'> {
  const enabled = new Set(RULES.map((r) => r.id));
  const severity = new Map<string, Severity>();
  if (value === undefined || value === null) return { enabled, severity };
  if (typeof value !== 'object' || Array.isArray(value)) {
    problems.push(`mapscope.rules must be an object like {"map-without-hint": "off"}, not ${JSON.stringify(value)}: every rule runs with its own severity`);
    return { enabled, severity };
  }
  const known = RULES.map((r) => r.id).join(', ');
  for (const [id, v] of Object.entries(value as Record<string, unknown>)) {
    if (!RULES.some((r) => r.id === id)) {
      problems.push(`mapscope.rules names an unknown rule "${id}" (the rules are ${known}): ignored`);
      continue;
    }
    if (v === 'off') {
      enabled.delete(id);
    } else if (isSeverity(v)) {
      severity.set(id, v);
    } else if (v && typeof v === 'object' && !Array.isArray(v)) {
      const { enabled: on, severity: level, ...rest } = v as { enabled?: unknown; severity?: unknown };
      if (on === false) enabled.delete(id);
      else if (on !== undefined && on !== true) problems.push(`mapscope.rules.${id}.enabled must be true or false, not ${JSON.stringify(on)}: the rule runs`);
      if (isSeverity(level)) severity.set(id, level);
      else if (level !== undefined) problems.push(`mapscope.rules.${id}: unknown severity ${JSON.stringify(level)} (use ${SEVERITIES.join(', ')}): the rule keeps its own severity`);
      for (const k of Object.keys(rest)) problems.push(`mapscope.rules.${id}: unknown key "${k}": ignored`);
    } else {
      problems.push(`mapscope.rules.${id}: unknown value ${JSON.stringify(v)} (use ${RULE_VALUES}): the rule keeps its own severity`);
    }
  }
  return { enabled, severity };
}

/** One line for the log: what the server now runs with. */
export function describeSettings(s: Settings): string {
  const rules = RULES.map((r) => `${r.id} ${s.rules.enabled?.has(r.id) === false ? 'off' : (s.rules.severity?.get(r.id) ?? r.severity)}`);
  return [
    `goVersion ${s.go ? formatGoVersion(s.go) : 'detected'}`,
    `rules: ${rules.join(', ')}`,
    `defaultMapSize ${s.rules.defaultMapSize ?? DEFAULT_MAP_SIZE}`,
    `codeLens ${s.codeLens ? 'on' : 'off'}`,
    `logLevel ${s.logLevel}`,
    `generated files ${s.rules.includeGenerated ? 'included' : 'skipped'}`,
  ].join('; ');
}

/**
 * vscode-go's `go.goroot` and `go.alternateTools` as the VS Code client passes them
 * (`initializationOptions.go`); other editors may send the same object.
 */
export function readEditorGoSettings(raw: unknown): EditorGoSettings {
  const o = (raw && typeof raw === 'object' ? raw : {}) as { goroot?: unknown; alternateTools?: unknown };
  const goroot = text(o.goroot);
  const alt = o.alternateTools && typeof o.alternateTools === 'object' ? text((o.alternateTools as { go?: unknown }).go) : undefined;
  return { ...(goroot ? { goroot } : {}), ...(alt ? { alternateGo: alt } : {}) };
}
