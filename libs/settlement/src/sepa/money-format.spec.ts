import fc from 'fast-check';
import { formatAmount, MAX_SEPA_AMOUNT_CENTS } from './money-format';

/** Written apart from the code under test: the digits of |cents|, a dot before the last two. */
function reference(cents: bigint): string {
  const digits = (cents < 0n ? -cents : cents).toString().padStart(3, '0');
  return `${cents < 0n ? '-' : ''}${digits.slice(0, -2)}.${digits.slice(-2)}`;
}

describe('formatAmount', () => {
  it.each([
    [0, '0.00'],
    [1, '0.01'],
    [10, '0.10'],
    [30, '0.30'],
    [100, '1.00'],
    [123456, '1234.56'],
    [-5, '-0.05'],
    [-12345, '-123.45'],
    [MAX_SEPA_AMOUNT_CENTS, '999999999.99'],
    [Number.MAX_SAFE_INTEGER, '90071992547409.91'],
  ])('%p cents → %s', (cents, text) => {
    expect(formatAmount(cents)).toBe(text);
  });

  it('formats 10 + 20 cents as 0.30, where floats give 0.30000000000000004', () => {
    expect(0.1 + 0.2).not.toBe(0.3);
    expect(formatAmount(10 + 20)).toBe('0.30');
  });

  it('takes bigint sums beyond 2^53 cents exactly', () => {
    expect(formatAmount(2n ** 70n + 7n)).toBe('11805916207174113034.31');
  });

  it('matches a string-based reference for any safe integer (property)', () => {
    fc.assert(
      fc.property(fc.maxSafeInteger(), (cents) => {
        expect(formatAmount(cents)).toBe(reference(BigInt(cents)));
      }),
      { numRuns: 2000 },
    );
  });

  it.each([0.5, 10.01, NaN, Infinity, 2 ** 53])('refuses %p, which is not a safe integer number of cents', (cents) => {
    expect(() => formatAmount(cents)).toThrow(RangeError);
  });
});
