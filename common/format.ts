// Numbers for people, the same in the panel, the hover, the code lens, the CLI and the diagnostics.

/** 1234 → "1.2 KB" (decimal units, as the diagnostics print them). */
export function formatBytes(n: number): string {
  const a = Math.abs(n);
  const sign = n < 0 ? '−' : '';
  if (a < 1000) return `${sign}${a} B`;
  if (a < 1_000_000) return `${sign}${(a / 1000).toFixed(a < 10_000 ? 1 : 0)} KB`;
  if (a < 1_000_000_000) return `${sign}${(a / 1_000_000).toFixed(a < 10_000_000 ? 1 : 0)} MB`;
  return `${sign}${(a / 1_000_000_000).toFixed(1)} GB`;
}

/** 1234567 → "1,234,567". */
export function formatCount(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** Nanoseconds → "1.23 s", "45 ms", "800 µs". */
export function formatNanos(ns: number): string {
  if (ns >= 1e9) return `${(ns / 1e9).toFixed(2)} s`;
  if (ns >= 1e6) return `${(ns / 1e6).toFixed(ns >= 1e7 ? 0 : 1)} ms`;
  return `${Math.round(ns / 1e3)} µs`;
}

/** 0.1234 → "12.3%". */
export function formatShare(f: number): string {
  const p = f * 100;
  return `${p >= 10 ? p.toFixed(0) : p >= 1 ? p.toFixed(1) : p.toFixed(2)}%`;
}
