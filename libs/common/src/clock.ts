/** Injectable time source, so tests can move time without sleeping. */
export abstract class Clock {
  abstract now(): Date;
}

export class SystemClock extends Clock {
  now(): Date {
    return new Date();
  }
}

const PARIS_DATE = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit' });

/** The last Paris day `parisDate` computed, as the instants it spans: most calls ask about today. */
let lastDay: { from: number; until: number; date: string } | undefined;

/**
 * The Europe/Paris business date of an instant, `YYYY-MM-DD`. An instant within the last day computed
 * is answered without formatting (the formatter costs ~1.5 % of the API's CPU on the redemption path).
 */
export function parisDate(at: Date): string {
  const t = at.getTime();
  if (lastDay && t >= lastDay.from && t < lastDay.until) return lastDay.date;
  const date = PARIS_DATE.format(at);
  lastDay = { from: parisMidnight(date).getTime(), until: parisMidnight(addDays(date, 1)).getTime(), date };
  return date;
}

const PARIS_HOUR = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Paris', hour: '2-digit', hourCycle: 'h23' });

/** The instant a Paris business date `YYYY-MM-DD` begins (00:00 in Paris: UTC+1 in winter, UTC+2 in summer). */
export function parisMidnight(date: string): Date {
  const utcMidnight = new Date(`${addDays(date, 0)}T00:00:00Z`);
  // Midnight never falls in a DST change in Paris (they happen at 02:00 and 03:00), so the offset at UTC midnight is that day's.
  return new Date(utcMidnight.getTime() - Number(PARIS_HOUR.format(utcMidnight)) * 3_600_000);
}

/** `YYYY-MM-DD` plus `days` calendar days (UTC arithmetic on a date, no time zone involved). */
export function addDays(date: string, days: number): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) throw new RangeError(`date must be a YYYY-MM-DD calendar date, got "${date}"`);
  if (!Number.isSafeInteger(days)) throw new RangeError(`days must be an integer, got ${days}`);
  return new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + days)).toISOString().slice(0, 10);
}

/** `YYYY-MM-DD` → `DD/MM/YYYY`; refuses anything that is not a real calendar date. */
export function formatFrenchDate(isoDate: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  const check = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : undefined;
  if (
    !m ||
    !check ||
    check.getUTCFullYear() !== Number(m[1]) ||
    check.getUTCMonth() !== Number(m[2]) - 1 ||
    check.getUTCDate() !== Number(m[3])
  ) {
    throw new RangeError(`a date is a YYYY-MM-DD calendar date, got "${isoDate}"`);
  }
  return `${m[3]}/${m[2]}/${m[1]}`;
}
