// The growth panel's requests in LSP terms (common/protocol.ts): map sites with UTF-16 ranges of
// the analysed text, and the Go version label shown beside them. Conversion only; the numbers
// come from core/sites.ts and core/timelines.ts.
import type { MapSiteInfo } from '../../../common/protocol';
import type { GoVersion } from '../core/go-version';
import type { LineIndex } from '../core/parse/positions';
import type { MapSite } from '../core/sites';
import { engineTarget } from '../core/timelines';
import { toRange } from './convert';

export function toSiteInfo(site: MapSite, lines: LineIndex): MapSiteInfo {
  const { range, functionRange, fix, filledAt, ...rest } = site;
  return {
    ...rest,
    range: toRange(range, lines),
    ...(functionRange ? { functionRange: toRange(functionRange, lines) } : {}),
    ...(fix ? { fix: { title: fix.title, edits: fix.edits.map((e) => ({ range: toRange(e.range, lines), newText: e.newText })) } } : {}),
    ...(filledAt ? { filledAt: toRange(filledAt, lines) } : {}),
  };
}

/** "1.26", "1.24 noswissmap": the Go the engine models for a file. */
export function goLabel(go: GoVersion): string {
  const t = engineTarget(go);
  return t.goexperiment ? `${t.go} ${t.goexperiment}` : t.go;
}
