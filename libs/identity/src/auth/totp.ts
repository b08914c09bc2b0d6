import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * RFC 6238 time-based one-time passwords (HMAC-SHA1, 30 s step), the variant every
 * authenticator app supports. Only node:crypto is used so the second factor has no third-party
 * supply chain.
 */

const STEP_SECONDS = 30;
const DEFAULT_DIGITS = 6;
// 160 bits: the HMAC-SHA1 block-size recommendation of RFC 4226 §4 (R6).
const SECRET_BYTES = 20;
const BASE32_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** RFC 4648 base32, upper case, without "=" padding (authenticator apps expect it unpadded). */
export function base32Encode(bytes: Uint8Array): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += BASE32_ALPHABET[(buffer >>> bits) & 31];
    }
    buffer &= (1 << bits) - 1;
  }
  if (bits > 0) out += BASE32_ALPHABET[(buffer << (5 - bits)) & 31];
  return out;
}

/**
 * Decodes RFC 4648 base32. Case-insensitive and tolerant of trailing "=" padding because users
 * paste secrets from other tools, but strict otherwise: a corrupted secret must fail loudly
 * rather than silently produce codes that never match.
 */
export function base32Decode(input: string): Buffer {
  const text = input.replace(/=+$/, '').toUpperCase();
  // Lengths 1, 3 and 6 (mod 8) cannot come from whole bytes.
  if ([1, 3, 6].includes(text.length % 8)) {
    throw new Error('Invalid base32 length');
  }
  const out: number[] = [];
  let buffer = 0;
  let bits = 0;
  for (const char of text) {
    const value = BASE32_ALPHABET.indexOf(char);
    if (value === -1) throw new Error('Invalid base32 character');
    buffer = (buffer << 5) | value;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out.push((buffer >>> bits) & 0xff);
    }
    buffer &= (1 << bits) - 1;
  }
  if (buffer !== 0) throw new Error('Invalid base32 padding bits');
  return Buffer.from(out);
}

export function generateTotpSecret(): string {
  return base32Encode(randomBytes(SECRET_BYTES));
}

function counterAt(atMs: number): number {
  return Math.floor(atMs / 1000 / STEP_SECONDS);
}

/** RFC 4226 HOTP with dynamic truncation. */
function hotp(key: Buffer, counter: number, digits: number): string {
  const message = Buffer.alloc(8);
  // 64-bit counter: past 2106 the step count no longer fits 32 bits (RFC 6238 test T=20000000000).
  message.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac('sha1', key).update(message).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 10 ** digits).padStart(digits, '0');
}

function checkDigits(digits: number): void {
  // RFC 4226 §5.3 defines 6 to 8 digits; authenticator apps support nothing else.
  if (!Number.isInteger(digits) || digits < 6 || digits > 8) {
    throw new RangeError('TOTP digits must be 6, 7 or 8');
  }
}

function decodeSecret(secretBase32: string): Buffer {
  const key = base32Decode(secretBase32);
  // An empty key still yields codes, which anyone can compute: treat it as misconfiguration.
  if (key.length === 0) throw new Error('TOTP secret is empty');
  return key;
}

/** The code for the time step containing atMs (Unix epoch milliseconds). */
export function totpCode(secretBase32: string, atMs: number, digits: number = DEFAULT_DIGITS): string {
  checkDigits(digits);
  return hotp(decodeSecret(secretBase32), counterAt(atMs), digits);
}

/**
 * Checks a submitted code against the steps within ±window of atMs (clock drift, slow typing).
 * Returns the matched time-step counter so the caller can store it and refuse a second use of
 * the same or an earlier step (RFC 6238 §5.2), or null when nothing matches.
 */
export function verifyTotp(secretBase32: string, code: string, atMs: number, window = 1, digits: number = DEFAULT_DIGITS): number | null {
  checkDigits(digits);
  if (!Number.isInteger(window) || window < 0) {
    throw new RangeError('TOTP window must be a non-negative integer');
  }
  if (typeof code !== 'string' || !new RegExp(`^[0-9]{${digits}}$`).test(code)) return null;

  const key = decodeSecret(secretBase32);
  const submitted = Buffer.from(code, 'ascii');
  const current = counterAt(atMs);
  let matched: number | null = null;
  // Every candidate is compared, without stopping at the first hit, so the response time does not
  // reveal which step matched.
  for (let counter = current - window; counter <= current + window; counter++) {
    if (counter < 0) continue;
    const expected = Buffer.from(hotp(key, counter, digits), 'ascii');
    if (timingSafeEqual(expected, submitted) && matched === null) matched = counter;
  }
  return matched;
}

export interface TotpUriOptions {
  secret: string;
  /** Shown in the authenticator app, usually the user's email. */
  account: string;
  issuer?: string;
  digits?: number;
}

/**
 * otpauth:// URI in the Google Authenticator key-URI format, rendered as a QR code at enrolment.
 * The issuer appears both as label prefix and as parameter because older apps read only one of
 * them. encodeURIComponent rather than URLSearchParams: some apps show "+" literally instead of
 * decoding it as a space.
 */
export function totpUri({ secret, account, issuer = 'Sillage', digits = DEFAULT_DIGITS }: TotpUriOptions): string {
  checkDigits(digits);
  const label = `${encodeURIComponent(issuer)}:${encodeURIComponent(account)}`;
  const params = [
    ['secret', secret],
    ['issuer', issuer],
    ['algorithm', 'SHA1'],
    ['digits', String(digits)],
    ['period', String(STEP_SECONDS)],
  ]
    .map(([k, v]) => `${k}=${encodeURIComponent(v)}`)
    .join('&');
  return `otpauth://totp/${label}?${params}`;
}
