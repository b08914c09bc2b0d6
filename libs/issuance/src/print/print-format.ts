import { toWinAnsi } from './win-ansi-text';

/** U+00A0: French typography separates thousands and the euro sign with a no-break space (in WinAnsi). */
const NBSP = '\u00a0';

/** Integer cents → French amount, e.g. `10,00 €`, `1 234,50 €` (no-break spaces). */
export function formatEuros(cents: number): string {
  if (!Number.isSafeInteger(cents)) throw new RangeError('an amount is a safe integer number of cents');
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  const euros = String(Math.floor(abs / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, NBSP);
  const rest = String(abs % 100).padStart(2, '0');
  return `${sign}${euros},${rest}${NBSP}€`;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** `YYYY-MM-DD` → `DD/MM/YYYY`; refuses anything that is not a real calendar date. */
export function formatFrenchDate(isoDate: string): string {
  const m = ISO_DATE.exec(isoDate);
  if (!m) throw new RangeError(`a date is YYYY-MM-DD, got "${isoDate}"`);
  const [, y, mo, d] = m;
  const check = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  if (check.getUTCFullYear() !== Number(y) || check.getUTCMonth() !== Number(mo) - 1 || check.getUTCDate() !== Number(d)) {
    throw new RangeError(`not a calendar date: "${isoDate}"`);
  }
  return `${d}/${mo}/${y}`;
}

// Tokens travel after `#` unencoded, so they must need no encoding: base64url (what pass tokens are).
const URL_SAFE_TOKEN = /^[A-Za-z0-9_-]+$/;

/**
 * The booklet's pass page link. The token sits in the fragment: browsers never send what follows
 * `#` to a server, so it stays out of access logs and Referer headers.
 */
export function passPageLink(passBaseUrl: string, passToken: string): string {
  if (!/^https?:\/\/[^\s#]+$/.test(passBaseUrl)) throw new RangeError('the pass base URL is an http(s) URL without fragment');
  if (!URL_SAFE_TOKEN.test(passToken)) throw new RangeError('a pass token is base64url');
  return `${passBaseUrl}#${passToken}`;
}

/** Checks the header once, before the first page, so a bad order fails fast instead of mid-file. */
export function assertPrintableHeader(h: {
  orderReference: string;
  funderName: string;
  faceValueCents: number;
  validUntil: string;
  passBaseUrl: string;
}): void {
  if (!Number.isSafeInteger(h.faceValueCents) || h.faceValueCents <= 0) throw new RangeError('faceValueCents is a positive integer');
  formatFrenchDate(h.validUntil);
  passPageLink(h.passBaseUrl, 'x');
  if (toWinAnsi(h.funderName).trim() === '') throw new RangeError('the funder name is empty');
}
