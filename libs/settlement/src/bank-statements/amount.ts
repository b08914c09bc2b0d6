/**
 * Decimal amounts → integer cents by integer arithmetic only: a float never sees a cent, so
 * `0.1` and `0.10` are 10 cents and `1234567.89` is 123456789.
 */

/** Statement files larger than this are refused before they are decoded or parsed. */
export const MAX_STATEMENT_BYTES = 20 * 1024 * 1024;

const DOT_DECIMAL = /^\+?(\d*)(?:\.(\d{0,2}))?$/;
const DOT_OR_COMMA_DECIMAL = /^\+?(\d*)(?:[.,](\d{0,2}))?$/;

/**
 * A non-negative decimal with at most two fraction digits (`12`, `12.3`, `12.30`, `.5`, `+3.00`;
 * with `comma`, `12,30` too) → cents; anything else (sign `-`, exponent, thousands separator, a
 * third fraction digit, more than 2^53 cents) → null. Leading and trailing spaces are ignored.
 */
export function decimalToCents(text: string, options: { comma?: boolean } = {}): number | null {
  const match = (options.comma ? DOT_OR_COMMA_DECIMAL : DOT_DECIMAL).exec(text.trim());
  if (!match) return null;
  const [, units, fraction = ''] = match;
  if (units === '' && fraction === '') return null; // "", ".", "+"
  const cents = BigInt(units || '0') * 100n + BigInt(fraction.padEnd(2, '0'));
  return cents <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(cents) : null;
}

/** A byte length check that works on strings without encoding them. */
export function byteLength(input: string | Buffer): number {
  return typeof input === 'string' ? Buffer.byteLength(input, 'utf8') : input.length;
}
