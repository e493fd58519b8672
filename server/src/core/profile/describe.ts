// A measured site in words, the same in the CLI, the diagnostics, the hover, the code lens and the
// panel: what growth cost, how big the map was, and what a hint would have saved.
import { formatBytes, formatCount, formatNanos, formatShare } from '../../../../common/format';
import type { MeasuredSite, ProfileSummary } from './attribute';

/** The figures of a measured site the texts use (an LSP client's copy has them too). */
export type MeasuredFigures = Pick<MeasuredSite, 'growth' | 'initial' | 'cpu' | 'share' | 'inferred' | 'suggestion' | 'maps'>;

/** "1.2 MB in 142 allocations (76% of all bytes allocated)"; undefined without heap data. */
export function growthBytesText(m: MeasuredFigures): string | undefined {
  if (m.growth.allocObjects === 0 && m.initial.allocObjects === 0) return undefined;
  if (m.growth.allocObjects === 0) return 'none: every allocation was at the creation';
  const share = m.share.bytes !== undefined ? ` (${formatShare(m.share.bytes)} of all bytes allocated)` : '';
  return `${formatBytes(m.growth.allocBytes)} in ${formatCount(m.growth.allocObjects)} allocation${Math.round(m.growth.allocObjects) === 1 ? '' : 's'}${share}`;
}

/** "150 ms (58% of the CPU profile) of 240 ms in its assignments"; undefined without CPU data. */
export function growthCpuText(m: MeasuredFigures): string | undefined {
  if (!m.cpu) return undefined;
  const share = m.share.cpu !== undefined ? ` (${formatShare(m.share.cpu)} of the CPU profile)` : '';
  return `${formatNanos(m.cpu.growthNanos)}${share} of ${formatNanos(m.cpu.assignNanos)} in its assignments`;
}

/** "14,933–27,075 entries" (or "at least 4,000,000"). */
export function sizeText(m: MeasuredFigures): string | undefined {
  const r = m.inferred;
  if (!r) return undefined;
  if (r.max === undefined) return `at least ${formatCount(r.min)} entries`;
  return r.min === r.max ? `${formatCount(r.min)} entries` : `${formatCount(r.min)}–${formatCount(r.max)} entries`;
}

/** "make(…, n) (n ≈ 27,075) allocates 591 KB once: saves 592 KB". */
export function hintText(m: MeasuredFigures): string | undefined {
  const s = m.suggestion;
  if (!s) return undefined;
  const hint = s.expr ? `${s.expr} (about ${formatCount(s.hint)})` : formatCount(s.hint);
  const saves = s.saves !== undefined ? `: saves ${formatBytes(s.saves)}${m.maps && m.maps > 1 ? ` over ${formatCount(m.maps)} maps` : ''}` : '';
  return `a hint of ${hint} allocates ${formatBytes(s.withHintBytes)} once per map${saves}`;
}

/** One line for a code lens or a finding: "profile: growth 1.2 MB (76%), 150 ms CPU; 14,933–27,075 entries". */
export function headline(m: MeasuredFigures): string {
  const parts: string[] = [];
  if (m.growth.allocObjects > 0 || m.initial.allocObjects > 0) {
    parts.push(m.growth.allocBytes > 0 ? `growth ${formatBytes(m.growth.allocBytes)}${m.share.bytes !== undefined ? ` (${formatShare(m.share.bytes)})` : ''}` : 'no growth');
  }
  if (m.cpu && m.cpu.growthNanos > 0) parts.push(`${formatNanos(m.cpu.growthNanos)} CPU in growth`);
  const size = sizeText(m);
  return `profile: ${parts.join(', ') || 'no map cost recorded'}${size ? `; ${size}` : ''}`;
}

/** "heap (every allocation recorded), CPU (0.80 s)". */
export function profilesText(profiles: readonly ProfileSummary[]): string {
  return profiles
    .map((p) => (p.kind === 'heap'
      ? `heap (${p.period <= 1 ? 'every allocation recorded' : `sampled every ${formatBytes(p.period)}`})`
      : `CPU (${formatNanos(p.durationNanos)})`))
    .join(', ');
}
