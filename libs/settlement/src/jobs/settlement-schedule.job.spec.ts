import { isSettlementDay } from './settlement-schedule.job';

describe('settlement days', () => {
  it('monthly: the 1st of each month only', () => {
    expect(isSettlementDay('monthly', '2026-12-01')).toBe(true);
    expect(isSettlementDay('monthly', '2027-01-01')).toBe(true);
    expect(isSettlementDay('monthly', '2026-11-30')).toBe(false);
    expect(isSettlementDay('monthly', '2026-12-11')).toBe(false);
  });

  it('weekly: Mondays only (2026-11-30 is a Monday), across a DST change', () => {
    expect(isSettlementDay('weekly', '2026-11-30')).toBe(true);
    expect(isSettlementDay('weekly', '2026-12-01')).toBe(false);
    expect(isSettlementDay('weekly', '2026-11-29')).toBe(false);
    expect(isSettlementDay('weekly', '2027-03-29')).toBe(true); // the day after the spring change
  });

  it('off: never', () => {
    expect(isSettlementDay('off', '2026-12-01')).toBe(false);
    expect(isSettlementDay('off', '2026-11-30')).toBe(false);
  });
});
