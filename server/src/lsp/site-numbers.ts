// What the engine says about one map site, in the words the hover and the code lens use: growths
// and bytes as the code is, and what the hint saves, for the Go version in use ("grows 8× ·
// 166 KB; a hint saves 84 KB"). The numbers are the growth panel's (core/timelines.ts), for the
// site's inferred size (else mapscope.defaultMapSize). Remembered across document versions by
// what they depend on, since a code lens request follows every edit.
import { formatBytes } from '../../../common/format';
import type { GoVersion } from '../core/go-version';
import type { MapSite } from '../core/sites';
import { siteTimelines, TimelineError, type SiteTimelines, type Totals } from '../core/timelines';
import { goLabel } from './sites';

export interface SiteNumbers {
  timelines: SiteTimelines;
  /** The hint the "with hint" numbers use, as a fix would write it (`len(users)`, `5000`). */
  hintText: string;
  /** Whether the hint changes anything (as is grows, or allocates more). */
  hintSaves: boolean;
}

const CACHE_SIZE = 500;
const cache = new Map<string, SiteNumbers | null>();

/** The site's numbers, or undefined when the engine cannot lay out its key or value. */
export function siteNumbers(site: MapSite, go: GoVersion, defaultMapSize: number | undefined): SiteNumbers | undefined {
  if (!site.key.layout || !site.value.layout) return undefined;
  const key = JSON.stringify([site.key.layout, site.value.layout, site.size.value, site.hint ?? null, goLabel(go), go.noSwissMap ?? false, defaultMapSize ?? null]);
  let n = cache.get(key);
  if (n === undefined) {
    n = compute(site, go, defaultMapSize);
    if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
    cache.set(key, n);
  }
  return n ?? undefined;
}

function compute(site: MapSite, go: GoVersion, defaultMapSize: number | undefined): SiteNumbers | null {
  let t: SiteTimelines;
  try {
    t = siteTimelines(site, { go, ...(defaultMapSize !== undefined ? { defaultMapSize } : {}) });
  } catch (e) {
    if (e instanceof TimelineError) return null;
    throw e;
  }
  const hintSaves = t.savings.growths > 0 || t.savings.totalBytes > 0;
  return { timelines: t, hintText: site.suggestedHint ?? String(t.withHint.hint), hintSaves };
}

/** "grows 14× · 437 KB" (with the seed spread when hash-dependent: "437–441 KB"). */
export function growthText(totals: Totals, spread: SiteTimelines['asIs']['spread']): string {
  const range = (k: 'growths' | 'totalBytes', f: (n: number) => string) => {
    const s = spread?.[k];
    return s && s.min !== s.max ? `${f(s.min)}–${f(s.max)}` : f(totals[k]);
  };
  const growths = totals.growths === 0 ? 'no growth' : `grows ${range('growths', String)}×`;
  return `${growths} · ${range('totalBytes', formatBytes)}`;
}

/** The code lens's line: "grows 14× · 437 KB; a hint saves 218 KB", with the entries when they are assumed. */
export function lensText(n: SiteNumbers): string {
  const t = n.timelines;
  const assumed = t.entriesSource === 'default' ? `${t.entries} entries (assumed): ` : '';
  const saves = n.hintSaves ? `; a hint saves ${formatBytes(t.savings.totalBytes)}` : '';
  return `${assumed}${growthText(t.asIs.totals, t.asIs.spread)}${saves}`;
}
