/**
 * Exact money arithmetic and formatting from integer cents. Nothing here goes through a
 * floating-point division: a 2-billion-euro order must print the same cents it was computed with.
 */

/** Non-breaking space (U+00A0) used as the thousands separator and before `€` / `%`: the standard
 * PDF fonts (WinAnsi encoding) have no narrow no-break space (U+202F), so the PDF would lose it. */
import { NBSP } from '@sillage/common';

export { NBSP };

function toBigInt(value: bigint | number, what: string): bigint {
  if (typeof value === 'bigint') return value;
  if (!Number.isSafeInteger(value)) throw new RangeError(`${what} must be a safe integer, got ${value}`);
  return BigInt(value);
}

/** Converts back to a number, refusing anything a JavaScript number cannot hold exactly. */
export function toSafeNumber(value: bigint, what = 'amount'): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new RangeError(`${what} ${value} is beyond the safe integer range`);
  }
  return Number(value);
}

/** `numerator / denominator` rounded half up (…,5 goes up), exact, for non-negative numerators. */
export function roundHalfUp(numerator: bigint | number, denominator: bigint | number): number {
  const n = toBigInt(numerator, 'numerator');
  const d = toBigInt(denominator, 'denominator');
  if (n < 0n) throw new RangeError(`roundHalfUp takes a non-negative numerator, got ${n}`);
  if (d <= 0n) throw new RangeError(`roundHalfUp takes a positive denominator, got ${d}`);
  // floor(n/d + 1/2) = floor((2n + d) / 2d), all in integers.
  return toSafeNumber((2n * n + d) / (2n * d), 'rounded value');
}

function splitCents(cents: number): { sign: '' | '-'; euros: bigint; rest: string } {
  const value = toBigInt(cents, 'cents');
  const abs = value < 0n ? -value : value;
  return { sign: value < 0n ? '-' : '', euros: abs / 100n, rest: (abs % 100n).toString().padStart(2, '0') };
}

/** `123456` → `"1234.56"`, `-5` → `"-0.05"`: the decimal form XML amounts use. */
export function centsToDecimal(cents: number): string {
  const { sign, euros, rest } = splitCents(cents);
  return `${sign}${euros}.${rest}`;
}

/** Digits grouped by three with a no-break space: `1234567` → `"1 234 567"`. */
export function formatInteger(value: number | bigint): string {
  const digits = toBigInt(value, 'value').toString();
  const negative = digits.startsWith('-');
  const grouped = (negative ? digits.slice(1) : digits).replace(/\B(?=(\d{3})+(?!\d))/g, NBSP);
  return negative ? `-${grouped}` : grouped;
}

/** French amount: `123456` → `"1 234,56 €"`, with U+00A0 as thousands separator and before `€`. */
export { formatEuros } from '@sillage/common';

/** Basis points as a decimal percentage with 2 decimals, for XML: `2000` → `"20.00"`, `550` → `"5.50"`. */
export function basisPointsToPercentDecimal(bp: number): string {
  return centsToDecimal(bp);
}

/** Basis points as a French percentage without useless zeros: `2000` → `"20 %"`, `425` → `"4,25 %"`. */
export function formatRate(bp: number): string {
  const { sign, euros: whole, rest } = splitCents(bp);
  const fraction = rest.replace(/0+$/, '');
  return `${sign}${formatInteger(whole)}${fraction ? `,${fraction}` : ''}${NBSP}%`;
}
