/** Calendar arithmetic for hand-computed report expectations (Paris dates `YYYY-MM-DD`). */
export { daysBetween } from '../scripts/seed/seed-plan';

/** Whole calendar months from `a` to `b` (floor): 31 March → 30 April is not a month yet. */
export function wholeMonths(a: string, b: string): number {
  const [ya, ma, da] = a.split('-').map(Number);
  const [yb, mb, db] = b.split('-').map(Number);
  return (yb - ya) * 12 + (mb - ma) - (db < da ? 1 : 0);
}
