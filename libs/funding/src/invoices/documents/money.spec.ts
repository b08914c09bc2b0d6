import { basisPointsToPercentDecimal, centsToDecimal, formatEuros, formatInteger, formatRate, roundHalfUp } from './money';

describe('roundHalfUp', () => {
  it('rounds exactly half up, and below half down', () => {
    expect(roundHalfUp(5, 10)).toBe(1); // 0.5
    expect(roundHalfUp(15, 10)).toBe(2); // 1.5
    expect(roundHalfUp(25, 10)).toBe(3); // 2.5: half up, not to even
    expect(roundHalfUp(4999, 10_000)).toBe(0);
    expect(roundHalfUp(5000, 10_000)).toBe(1);
    expect(roundHalfUp(14_999, 10_000)).toBe(1);
    expect(roundHalfUp(0, 7)).toBe(0);
    expect(roundHalfUp(21, 7)).toBe(3);
  });

  it('stays exact where floats cannot hold the half (numerators past 2^53)', () => {
    const max = BigInt(Number.MAX_SAFE_INTEGER);
    expect(roundHalfUp((max - 1n) * 10n + 5n, 10n)).toBe(Number.MAX_SAFE_INTEGER); // …990.5 → …991
    expect(roundHalfUp((max - 1n) * 10n + 4n, 10n)).toBe(Number.MAX_SAFE_INTEGER - 1); // …990.4 → …990
    expect(() => roundHalfUp(max * 10n + 5n, 10n)).toThrow(RangeError); // …992 is no safe integer
    // The largest fee an order can produce: 2 000 000 vouchers × 1 000 € at 20 %, plus a half cent.
    expect(roundHalfUp(200_000_000_000n * 2000n + 5000n, 10_000n)).toBe(40_000_000_001);
  });

  it('refuses negative numerators, non-positive denominators and unsafe numbers', () => {
    expect(() => roundHalfUp(-1, 10)).toThrow(RangeError);
    expect(() => roundHalfUp(1, 0)).toThrow(RangeError);
    expect(() => roundHalfUp(1, -3)).toThrow(RangeError);
    expect(() => roundHalfUp(0.5, 1)).toThrow(RangeError);
    expect(() => roundHalfUp(2 ** 53, 1)).toThrow(RangeError);
  });
});

describe('centsToDecimal', () => {
  it.each([
    [0, '0.00'],
    [5, '0.05'],
    [-5, '-0.05'],
    [100, '1.00'],
    [123_456, '1234.56'],
    [-123_456, '-1234.56'],
    [Number.MAX_SAFE_INTEGER, '90071992547409.91'],
  ])('%d cents → %s', (cents, expected) => {
    expect(centsToDecimal(cents)).toBe(expected);
  });

  it('refuses fractional cents', () => {
    expect(() => centsToDecimal(1.5)).toThrow(RangeError);
  });
});

describe('French formatting (U+00A0 as thousands separator and before the sign)', () => {
  it('formats euros', () => {
    expect(formatEuros(123_456)).toBe('1\u00a0234,56\u00a0€');
    expect(formatEuros(104_800_000)).toBe('1\u00a0048\u00a0000,00\u00a0€');
    expect(formatEuros(5)).toBe('0,05\u00a0€');
    expect(formatEuros(-123_456)).toBe('-1\u00a0234,56\u00a0€');
    expect(formatEuros(99_999)).toBe('999,99\u00a0€');
  });

  it('groups integers', () => {
    expect(formatInteger(2_000_000)).toBe('2\u00a0000\u00a0000');
    expect(formatInteger(999)).toBe('999');
  });

  it('formats rates without useless zeros, and as XML percentages with two decimals', () => {
    expect(formatRate(2000)).toBe('20\u00a0%');
    expect(formatRate(550)).toBe('5,5\u00a0%');
    expect(formatRate(425)).toBe('4,25\u00a0%');
    expect(formatRate(0)).toBe('0\u00a0%');
    expect(basisPointsToPercentDecimal(2000)).toBe('20.00');
    expect(basisPointsToPercentDecimal(550)).toBe('5.50');
  });
});
