/** PostgreSQL's percentile_disc over counted values sorted by value: the first whose position reaches the fraction. */
export function percentileDisc(counts: { days: number; n: number }[], fraction: number): number | null {
  const total = counts.reduce((t, c) => t + c.n, 0);
  if (total === 0) return null;
  const row = Math.max(1, Math.ceil(fraction * total));
  let seen = 0;
  for (const c of counts) {
    seen += c.n;
    if (seen >= row) return c.days;
  }
  return counts[counts.length - 1].days;
}
