import { addDays, parisDate, parisMidnight } from './clock';

describe('Paris business dates', () => {
  it.each([
    ['2026-01-15', '2026-01-14T23:00:00.000Z'], // winter: UTC+1
    ['2026-07-01', '2026-06-30T22:00:00.000Z'], // summer: UTC+2
    ['2026-03-29', '2026-03-28T23:00:00.000Z'], // the clocks go forward at 02:00 that day: midnight is still UTC+1
    ['2026-03-30', '2026-03-29T22:00:00.000Z'],
    ['2026-10-25', '2026-10-24T22:00:00.000Z'], // the clocks go back at 03:00 that day: midnight is still UTC+2
    ['2026-10-26', '2026-10-25T23:00:00.000Z'],
  ])('%s begins at %s', (day, instant) => {
    expect(parisMidnight(day).toISOString()).toBe(instant);
    expect(parisDate(parisMidnight(day))).toBe(day);
    expect(parisDate(new Date(parisMidnight(day).getTime() - 1))).toBe(addDays(day, -1));
  });

  it('answers every instant of a day and its neighbours the same as the formatter, in any order (the last day is remembered)', () => {
    const format = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit' });
    // Around both 2026 clock changes (23- and 25-hour days) and an ordinary midnight, forwards then backwards.
    const around = ['2026-03-28T22:59:59.999Z', '2026-03-29T21:59:59.999Z', '2026-10-24T21:59:59.999Z', '2026-10-25T22:59:59.999Z'];
    const instants = around.flatMap((iso) => {
      const t = Date.parse(iso);
      return [-3_600_000, -1, 0, 1, 2, 3_600_000, 7_200_000].map((d) => new Date(t + d));
    });
    for (const at of [...instants, ...instants.reverse()]) expect(parisDate(at)).toBe(format.format(at));
    expect(parisDate(new Date('2026-03-29T21:59:59.999Z'))).toBe('2026-03-29');
    expect(parisDate(new Date('2026-03-29T22:00:00.000Z'))).toBe('2026-03-30');
    expect(parisDate(new Date('2026-03-28T22:59:59.999Z'))).toBe('2026-03-28');
    expect(() => parisDate(new Date(Number.NaN))).toThrow(RangeError);
  });

  it('refuses what is not a calendar date', () => {
    expect(() => parisMidnight('2026-13-01T00:00')).toThrow(RangeError);
  });
});
