// The `mapscope.*` settings as the server reads them, with defaults and validation: a bad value
// falls back to the default instead of stopping analysis.
import type { RuleSettings } from '../core/analyze';
import type { Severity } from '../core/findings';
import { parseGoVersion, type GoVersion } from '../core/go-version';
import { RULES } from '../core/rules';
import type { EditorGoSettings } from '../node/go-binary';

export interface RawSettings {
  goVersion?: unknown;
  goExperiment?: unknown;
  rules?: unknown;
  defaultMapSize?: unknown;
}

export interface Settings {
  /** Explicit Go toolchain (`1.26`, `go1.27.3 X:mapsplitgroup`), or undefined to detect it. */
  go?: GoVersion;
  /** Explicit GOEXPERIMENT (`mapsplitgroup`), or undefined to take the toolchain's. */
  goExperiment?: string;
  rules: RuleSettings;
}

const SEVERITIES = new Set<Severity>(['error', 'warning', 'information', 'hint']);

const text = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);

export function readSettings(raw: RawSettings | null | undefined): Settings {
  const goText = text(raw?.goVersion);
  const go = goText !== undefined ? parseGoVersion(goText) : undefined;
  const goExperiment = text(raw?.goExperiment);
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
  return {
    ...(go ? { go } : {}),
    ...(goExperiment ? { goExperiment } : {}),
    rules: { enabled, severity, ...(defaultMapSize !== undefined ? { defaultMapSize } : {}) },
  };
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
