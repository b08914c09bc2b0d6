/**
 * A report ratio: numerator ÷ denominator rounded half-up to 4 decimals, `null` when dividing by zero
 * (architecture: data rules). Exact on integer cents of any size (BigInt), so 1 ÷ 3 is 0.3333 and
 * 2 ÷ 3 is 0.6667 however large the amounts; half-up means towards +∞ for negative ratios too.
 */
export function ratio4(numerator: number, denominator: number): number | null {
  if (denominator === 0) return null;
  const sign = denominator < 0 ? -1n : 1n;
  const n = BigInt(numerator) * sign;
  const d = BigInt(denominator) * sign;
  const scaled = n * 20_000n + d; // (n / d × 10,000 + ½) × 2d
  const twice = 2n * d;
  let q = scaled / twice;
  if (scaled % twice !== 0n && scaled < 0n) q -= 1n; // floor, not truncation
  return Number(q) / 10_000;
}

/** `cents × bp ÷ 10,000` rounded half-up to the cent (a co-financed share, a commission). */
export function applyBp(cents: number, bp: number): number {
  const x = BigInt(cents) * BigInt(bp);
  const q = (x * 2n + 10_000n) / 20_000n;
  return Number(x < 0n && (x * 2n + 10_000n) % 20_000n !== 0n ? q - 1n : q);
}
