import { toWinAnsi } from './win-ansi-text';

export { formatEuros, formatFrenchDate } from '@sillage/common';
import { formatFrenchDate } from '@sillage/common';

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
