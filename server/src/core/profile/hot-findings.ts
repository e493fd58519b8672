// map-without-hint findings on the sites a profile shows to be hot: the message says what the
// profile measured, and the severity may rise (a setting). A step after the rules, so the rule
// itself never depends on a profile being loaded.
import type { Finding, Severity } from '../findings';
import type { MeasuredSite } from './attribute';
import { headline, hintText } from './describe';

const RANK: Record<Severity, number> = { hint: 0, information: 1, warning: 2, error: 3 };

export interface HotOptions {
  /** The severity a hot site's finding rises to (never lowers); undefined keeps it. */
  severity?: Severity;
}

/** The findings of one file, those on hot measured sites of that file said so. */
export function markHotFindings(findings: readonly Finding[], measured: readonly MeasuredSite[], options: HotOptions): Finding[] {
  const hot = new Map(measured.filter((m) => m.hot).map((m) => [m.range.start, m]));
  if (hot.size === 0) return [...findings];
  return findings.map((f) => {
    const m = f.rule === 'map-without-hint' ? hot.get(f.range.start) : undefined;
    if (!m) return f;
    const hint = hintText(m);
    const severity = options.severity && RANK[options.severity] > RANK[f.severity] ? options.severity : f.severity;
    const sentence = /[.!?]$/.test(f.message) ? f.message : `${f.message}.`;
    return { ...f, severity, message: `${sentence} Hot in the loaded profile: ${headline(m).replace(/^profile: /, '')}${hint ? `; ${hint}` : ''}.` };
  });
}
