// Code lenses above map sites that grow: "grows 14× · 437 KB; a hint saves 218 KB" above a
// `make` the map-without-hint rule would hint, or above any map whose known size makes it grow.
// Maps of unknown size get none (the numbers would rest on the assumed default size alone) unless
// the rule suggests a hint. The lens names no command: it is for reading; the VS Code client makes
// it open the growth panel. Switched off by the `mapscope.codeLens` setting.
import type { CodeLens } from 'vscode-languageserver';
import type { GoVersion } from '../core/go-version';
import type { LineIndex } from '../core/parse/positions';
import type { MapSite } from '../core/sites';
import { toRange } from './convert';
import { lensText, siteNumbers } from './site-numbers';

/** What a client needs to act on a lens: the site's document and position. */
export interface LensData {
  uri: string;
  siteId: string;
}

export function siteLenses(uri: string, sites: readonly MapSite[], lines: LineIndex, go: GoVersion, defaultMapSize: number | undefined): CodeLens[] {
  const lenses: CodeLens[] = [];
  for (const site of sites) {
    if (!site.fix && site.size.value === undefined) continue;
    const n = siteNumbers(site, go, defaultMapSize);
    if (!n || (!site.fix && n.timelines.asIs.totals.growths === 0)) continue;
    const data: LensData = { uri, siteId: site.id };
    lenses.push({ range: toRange(site.range, lines), command: { title: lensText(n), command: '' }, data });
  }
  return lenses;
}
