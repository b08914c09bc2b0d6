/** A value and how many times it occurs. */
export interface CountedValue {
  value: number;
  n: number;
}

/**
 * PostgreSQL's percentile_disc over counted values sorted by value: the first whose position reaches
 * the fraction (position ceil(fraction × total), as PostgreSQL computes it in double precision).
 * Aggregates keep counts per value rather than one row per booklet or redemption.
 */
export function percentileDisc(counts: readonly CountedValue[], fraction: number): number | null {
  const total = counts.reduce((t, c) => t + c.n, 0);
  if (total === 0) return null;
  const row = Math.max(1, Math.ceil(fraction * total));
  let seen = 0;
  for (const c of counts) {
    seen += c.n;
    if (seen >= row) return c.value;
  }
  return counts[counts.length - 1].value;
}
