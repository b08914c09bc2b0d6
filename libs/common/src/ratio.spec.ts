import { applyBp, ratio4 } from './ratio';

describe('ratio4', () => {
  it('rounds half-up to 4 decimals and answers null for a zero denominator', () => {
    expect(ratio4(1, 3)).toBe(0.3333);
    expect(ratio4(2, 3)).toBe(0.6667);
    expect(ratio4(1, 8)).toBe(0.125);
    expect(ratio4(1, 20_000)).toBe(0.0001); // exactly half of the last digit: up
    expect(ratio4(1, 20_001)).toBe(0);
    expect(ratio4(0, 5)).toBe(0);
    expect(ratio4(5, 0)).toBeNull();
  });

  it('stays exact on amounts beyond 2^53 once scaled, and rounds negatives towards +∞', () => {
    expect(ratio4(900_000_000_000_001, 900_000_000_000_000)).toBe(1);
    expect(ratio4(123_456_789_012, 987_654_321_098)).toBe(0.125);
    expect(ratio4(-1, 20_000)).toBe(0); // −0.00005 → 0 (half-up)
    expect(ratio4(-3, 20_000)).toBe(-0.0001); // −0.00015 → −0.0001
    expect(ratio4(1, -3)).toBe(-0.3333);
  });
});

describe('applyBp', () => {
  it('takes basis points of an amount, half-up to the cent', () => {
    expect(applyBp(10_000, 8_000)).toBe(8_000);
    expect(applyBp(1_005, 5_000)).toBe(503); // 502.5 → 503
    expect(applyBp(1_003, 5_000)).toBe(502); // 501.5 → 502
    expect(applyBp(1, 4_999)).toBe(0);
    expect(applyBp(1, 5_000)).toBe(1);
    expect(applyBp(0, 10_000)).toBe(0);
  });
});
