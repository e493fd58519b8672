// Numbers for people, the same in the panel, the hover and the code lens.

/** 1234 → "1.2 KB" (decimal units, as the diagnostics print them). */
export function formatBytes(n: number): string {
  const a = Math.abs(n);
  const sign = n < 0 ? '−' : '';
  if (a < 1000) return `${sign}${a} B`;
  if (a < 1_000_000) return `${sign}${(a / 1000).toFixed(a < 10_000 ? 1 : 0)} KB`;
  if (a < 1_000_000_000) return `${sign}${(a / 1_000_000).toFixed(a < 10_000_000 ? 1 : 0)} MB`;
  return `${sign}${(a / 1_000_000_000).toFixed(1)} GB`;
}
