// What the editor shows of a loaded profile, as pure functions over the server's attribution:
// `mapscope/profile`'s result (LSP ranges), the hover text of a measured site and its code lens.
// The hover and code lens providers call measuredSiteAt, measuredHover and measuredLens; VS Code
// and any other client get the same words.
import { URI } from 'vscode-uri';
import type { MeasuredSiteInfo, ProfileResult } from '../../../common/protocol';
import { formatBytes, formatNanos } from '../../../common/format';
import type { MeasuredSite, ProfileReport } from '../core/profile/attribute';
import { growthBytesText, growthCpuText, headline, hintText, profilesText, sizeText, type MeasuredFigures } from '../core/profile/describe';
import type { LineIndex } from '../core/parse/positions';
import { toRange } from './convert';

/** The report in LSP terms: of one file's sites when `path` is given, else of all. Sites whose file cannot be read are left out. */
export function profileResult(report: ProfileReport, paths: string[], path: string | undefined, linesOf: (file: string) => LineIndex | undefined): ProfileResult {
  const uri = (f: string) => URI.file(f).toString();
  const sites: MeasuredSiteInfo[] = [];
  for (const s of report.sites) {
    if (path !== undefined && s.file !== path) continue;
    const lines = linesOf(s.file);
    if (!lines) continue;
    const { file, range, ...rest } = s;
    sites.push({ ...rest, uri: uri(file), range: toRange(range, lines) });
  }
  const mine = <T extends { file: string }>(x: T) => path === undefined || x.file === path;
  return {
    ...report,
    paths,
    sites,
    ambiguous: report.ambiguous.filter(mine).map(({ file, ...a }) => ({ ...a, uri: uri(file) })),
    unlinked: report.unlinked.filter(mine).map(({ file, ...u }) => ({ ...u, uri: uri(file) })),
  };
}

/** The measured site whose make call or literal holds the byte offset, in one file's measured sites. */
export function measuredSiteAt(sites: readonly MeasuredSite[], offset: number): MeasuredSite | undefined {
  return sites.filter((s) => s.range.start <= offset && offset <= s.range.end).sort((a, b) => a.range.end - a.range.start - (b.range.end - b.range.start))[0];
}

type Measured = MeasuredFigures & Pick<MeasuredSite, 'hot' | 'notes'>;

/** Markdown for a hover on a measured site: the measured cost, the size the profile implies, the hint. */
export function measuredHover(site: Measured, profile: Pick<ProfileReport, 'profiles' | 'go' | 'impl'>): string {
  const out = [`**MapScope, from the profile**${site.hot ? ' — hot' : ''}`, ''];
  const bytes = growthBytesText(site);
  if (bytes) {
    out.push(`- growth: ${bytes}`);
    out.push(`- at the creation: ${formatBytes(site.initial.allocBytes)}${site.maps !== undefined ? ` (${site.maps} map${site.maps === 1 ? '' : 's'})` : ''}; still in use: ${formatBytes(site.initial.inuseBytes + site.growth.inuseBytes)}`);
  }
  const cpu = growthCpuText(site);
  if (cpu) out.push(`- CPU in growth: ${cpu}`);
  const size = sizeText(site);
  if (size) out.push(`- size: ${size}, from profile (${site.inferred!.basis})`);
  const hint = hintText(site);
  if (hint) out.push(`- ${hint}`);
  for (const n of site.notes) out.push(`- ${n}`);
  out.push('', `_${profilesText(profile.profiles)}; Go ${profile.go}, ${profile.impl} maps_`);
  return out.join('\n');
}

/** The code lens above a measured site: one line, and the growth panel to open on click. */
export function measuredLens(site: Measured): { title: string; tooltip: string; command: string } {
  const cpu = site.cpu ? `; ${formatNanos(site.cpu.assignNanos)} CPU in its inserts` : '';
  return { title: headline(site), tooltip: `Measured in the loaded profile${cpu}. Click for the growth panel.`, command: 'mapscope.showGrowthPanel' };
}
