import { addDays as addCalendarDays, formatFrenchDate } from '@sillage/common';
/** Calendar arithmetic on `YYYY-MM-DD` business dates; UTC is used only as a timezone-free calendar. */

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isIsoDate(value: string): boolean {
  const match = ISO_DATE.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

function assertIsoDate(value: string, what: string): void {
  if (!isIsoDate(value)) throw new RangeError(`${what} must be a YYYY-MM-DD calendar date, got "${value}"`);
}

export function addDays(date: string, days: number): string {
  assertIsoDate(date, 'date');
  return addCalendarDays(date, days);
}

/** Default payment term: 30 days from the issue date (the legal maximum for most public buyers). */
export const INVOICE_PAYMENT_DAYS = 30;

export function invoiceDueOn(issuedOn: string, days = INVOICE_PAYMENT_DAYS): string {
  return addDays(issuedOn, days);
}

/** `2026-03-05` → `05/03/2026`. */
export const formatDateFr = formatFrenchDate;
