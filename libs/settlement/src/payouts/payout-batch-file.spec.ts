import { nextBusinessDay } from './payout-batch-file';

describe('nextBusinessDay (the requested execution date of a payout file: TARGET2 days)', () => {
  it.each([
    ['2026-11-27', '2026-11-30'], // Friday → Monday
    ['2026-11-30', '2026-12-01'],
    ['2026-12-24', '2026-12-28'], // 25 December (Friday), then the weekend
    ['2026-12-31', '2027-01-04'], // 1 January (Friday), then the weekend
    ['2027-03-25', '2027-03-30'], // Good Friday 26 March, Easter Monday 29 March 2027
    ['2027-04-29', '2027-04-30'], // 30 April is a working day; 1 May 2027 is a Saturday anyway
    ['2026-04-30', '2026-05-04'], // 1 May 2026 (Friday), then the weekend
  ])('after %s comes %s', (day, expected) => {
    expect(nextBusinessDay(day)).toBe(expected);
  });
});
