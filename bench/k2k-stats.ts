// Summaries of latency samples and the table the benchmarks print. Figures only: nothing
// here passes or fails.

export interface Summary {
  n: number;
  /** Orders sent but never seen on the other side before the deadline. */
  lost: number;
  p50: number;
  p95: number;
  mean: number;
  max: number;
}

/** Percentile by linear interpolation between closest ranks (p in 0..100) of sorted values. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (rank - lo);
}

export function summarize(samples: number[], lost = 0): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  const mean = sorted.length ? sorted.reduce((s, v) => s + v, 0) / sorted.length : NaN;
  return { n: sorted.length, lost, p50: percentile(sorted, 50), p95: percentile(sorted, 95), mean, max: sorted.at(-1) ?? NaN };
}

export function ms(v: number): string {
  return Number.isFinite(v) ? v.toFixed(1) : 'n/a';
}

export function ratio(a: number | undefined, b: number | undefined): string {
  return a !== undefined && b !== undefined && Number.isFinite(a) && Number.isFinite(b) && b > 0 ? (a / b).toFixed(2) : 'n/a';
}

export interface Row {
  label: string;
  summary: Summary | null;
  note?: string;
}

/** A fixed-width table: one row per setup, times in milliseconds. */
export function table(rows: Row[]): string {
  const head = ['setup', 'n', 'lost', 'p50 ms', 'p95 ms', 'mean ms', 'max ms'];
  const body = rows.map((r) =>
    r.summary
      ? [r.label, String(r.summary.n), String(r.summary.lost), ms(r.summary.p50), ms(r.summary.p95), ms(r.summary.mean), ms(r.summary.max)]
      : [r.label, '-', '-', 'n/a', 'n/a', 'n/a', 'n/a'],
  );
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  const out = [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)];
  for (const r of rows) if (r.note) out.push(`  ${r.label}: ${r.note}`);
  return out.join('\n');
}
