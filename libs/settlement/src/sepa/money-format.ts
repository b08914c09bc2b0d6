/**
 * Amounts in SEPA files, from integer cents, by integer arithmetic only: a float never sees a
 * cent, so 10 + 20 cents prints `0.30` and a 999,999,999.99 € payout prints its last cent.
 */

/** The largest amount one SEPA credit transfer may carry (EPC132-08: 999,999,999.99 €). */
export const MAX_SEPA_AMOUNT_CENTS = 99_999_999_999;

/**
 * `cents` as euros with a dot and exactly two decimals, no thousands separator: `1` → `0.01`,
 * `30` → `0.30`, `123456` → `1234.56`, `-5` → `-0.05`. Takes a safe integer (or a bigint, for
 * sums that may pass 2^53 cents); anything else is refused with a RangeError.
 */
export function formatAmount(cents: number | bigint): string {
  if (typeof cents === 'number' && !Number.isSafeInteger(cents)) {
    throw new RangeError(`formatAmount takes integer cents (a safe integer or a bigint), got ${cents}`);
  }
  const value = BigInt(cents);
  const abs = value < 0n ? -value : value;
  const euros = abs / 100n;
  const rest = (abs % 100n).toString().padStart(2, '0');
  return `${value < 0n ? '-' : ''}${euros}.${rest}`;
}
