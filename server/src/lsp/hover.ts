// The hover on a map site (`make(map[K]V)` or a map literal): what the engine predicts for it on
// the Go version in use — how often it grows and what it allocates as the code is, what a hint
// saves — with the size it assumes and why, and the layout behind the numbers. From the language
// server, so every LSP client shows it.
import type { Hover, MarkupContent } from 'vscode-languageserver';
import { formatBytes } from '../../../common/format';
import type { GoVersion } from '../core/go-version';
import type { LineIndex } from '../core/parse/positions';
import { siteAt, type MapSite } from '../core/sites';
import { toRange } from './convert';
import { growthText, siteNumbers } from './site-numbers';

export function siteHover(sites: readonly MapSite[], offset: number, lines: LineIndex, go: GoVersion, defaultMapSize: number | undefined): Hover | null {
  const site = siteAt(sites, offset);
  if (!site || offset < site.range.start || offset > site.range.end) return null;
  const value = hoverText(site, go, defaultMapSize);
  const contents: MarkupContent = { kind: 'markdown', value };
  return { contents, range: toRange(site.range, lines) };
}

function hoverText(site: MapSite, go: GoVersion, defaultMapSize: number | undefined): string {
  const name = site.name ? `\`${site.name}\` ` : '';
  const n = siteNumbers(site, go, defaultMapSize);
  if (!n) {
    const why = site.assumptions.length > 0 ? site.assumptions.join('; ') : 'the key or value type is unknown';
    return `**MapScope** · ${name}\`${site.type}\`\n\nNo prediction: ${why}.`;
  }
  const t = n.timelines;
  const out: string[] = [`**MapScope** · ${name}\`${site.type}\` · Go ${t.go}, ${t.impl} map`];
  // For an assumed size, the timelines' notes say how many entries and which setting.
  out.push(t.entriesSource === 'default' ? `Size: ${site.size.description}` : `${t.entries} ${t.entries === 1 ? 'entry' : 'entries'}: ${site.size.description}`);
  const hinted = site.hint ? `hint ${site.hint.text}` : 'no hint';
  const lines = [`- As is (${hinted}): ${growthText(t.asIs.totals, t.asIs.spread)} allocated, peak ${formatBytes(t.asIs.totals.peakBytes)}`];
  if (n.hintSaves) {
    const withHint = site.fix ? `with hint \`${n.hintText}\`` : `with a hint of ${t.withHint.hint}`;
    lines.push(`- ${withHint[0].toUpperCase()}${withHint.slice(1)}: ${growthText(t.withHint.totals, t.withHint.spread)} allocated, peak ${formatBytes(t.withHint.totals.peakBytes)}`);
    const growths = t.savings.growths > 0 ? ` and ${t.savings.growths} growth${t.savings.growths === 1 ? '' : 's'}` : '';
    lines.push(`- A hint saves ${formatBytes(t.savings.totalBytes)}${growths}`);
  } else if (t.asIs.totals.growths === 0 && t.entries <= 8) {
    lines.push(`- Up to 8 entries fit in the first ${t.impl === 'swiss' ? 'group' : 'bucket'}: it never grows`);
  }
  out.push(lines.join('\n'));
  const l = (x: MapSite['key']) => `\`${x.text}\` ${x.layout!.size} B${x.indirect ? ' (stored behind a pointer)' : ''}`;
  const shape = site.shape
    ? t.impl === 'swiss'
      ? ` · slot ${site.shape.slotBytes} B, group ${site.shape.groupBytes} B`
      : ` · bucket ${site.shape.bucketBytes} B`
    : '';
  out.push(`Key ${l(site.key)} · value ${l(site.value)}${shape}`);
  if (t.notes.length > 0) out.push(`_${t.notes.join('; ')}_`);
  return out.join('\n\n');
}
