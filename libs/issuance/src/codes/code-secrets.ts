import { createCipheriv, createDecipheriv, createHmac, createSecretKey, KeyObject, randomBytes } from 'node:crypto';
import { sha256 } from '@sillage/common';
import { isWellFormedHumanCode } from './human-code';
import { cryptoRandom, RandomSource } from './random-source';

/**
 * How voucher codes and pass tokens are stored: never in plaintext.
 * - Lookup: HMAC-SHA-256 under a lookup key kept outside the database. A unique index on it gives
 *   O(1) lookups, and a copy of the table alone cannot be brute-forced (the key is needed even for
 *   ~53-bit codes, unlike a plain hash). Pass tokens carry ≥ 128 bits, so a plain SHA-256 suffices.
 * - Re-printing: AES-256-GCM under a separate print key, bound to its row by the AAD.
 */

const MIN_KEY_BYTES = 32;

/** HMAC-SHA-256 of a canonical (normalised, well-formed) human code: stable, key-dependent, 32 bytes. */
export function codeLookupHash(lookupKey: Buffer, normalisedCode: string): Buffer {
  if (lookupKey.length < MIN_KEY_BYTES) throw new RangeError(`the lookup key has at least ${MIN_KEY_BYTES} bytes`);
  // Hashing a non-canonical form would silently never match: normalise with `parseHumanCode` first.
  if (!isWellFormedHumanCode(normalisedCode)) throw new RangeError('only a canonical, well-formed human code is hashed');
  return createHmac('sha256', lookupKey).update(normalisedCode, 'utf8').digest();
}

/** A print key: 32 bytes for AES-256, and a one-byte id written in every ciphertext so keys can rotate. */
export interface PrintKey {
  id: number;
  key: Buffer;
}

/** Format version 1: version (1 byte) ‖ key id (1 byte) ‖ IV (12 bytes) ‖ ciphertext ‖ GCM tag (16 bytes). */
export const PRINT_CIPHER_VERSION = 1;
const HEADER_BYTES = 2;
const IV_BYTES = 12;
const TAG_BYTES = 16;

export type PrintDecryptionFailure = 'MALFORMED' | 'UNKNOWN_VERSION' | 'UNKNOWN_KEY' | 'AUTHENTICATION_FAILED';

/** The ciphertext is not ours, was altered, belongs to another row, or its key is gone. */
export class PrintDecryptionError extends Error {
  constructor(readonly reason: PrintDecryptionFailure) {
    super(`print ciphertext refused: ${reason}`);
    this.name = 'PrintDecryptionError';
  }
}

function checkPrintKey(k: PrintKey): void {
  if (!Number.isInteger(k.id) || k.id < 0 || k.id > 255) throw new RangeError('a print key id is a byte (0-255)');
  if (k.key.length !== 32) throw new RangeError('a print key has 32 bytes (AES-256)');
}

function toBuffer(v: string | Buffer): Buffer {
  return typeof v === 'string' ? Buffer.from(v, 'utf8') : v;
}

/** The header is authenticated too: changing the version or key id byte fails the tag. */
function fullAad(header: Buffer, aad: string | Buffer): Buffer {
  return Buffer.concat([header, toBuffer(aad)]);
}

/**
 * AES-256-GCM with a fresh random 96-bit IV. `aad` binds the ciphertext to its row (e.g. the voucher
 * serial): moving a ciphertext to another row makes decryption fail.
 */
export function encryptForPrint(printKey: PrintKey, plaintext: string | Buffer, aad: string | Buffer): Buffer {
  checkPrintKey(printKey);
  const header = Buffer.from([PRINT_CIPHER_VERSION, printKey.id]);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', printKey.key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(fullAad(header, aad));
  const body = Buffer.concat([cipher.update(toBuffer(plaintext)), cipher.final()]);
  return Buffer.concat([header, iv, body, cipher.getAuthTag()]);
}

/**
 * Decrypts with the key named by the ciphertext's key id (pass every key not yet retired).
 * Throws `PrintDecryptionError` on any failure; never returns unauthenticated bytes.
 */
export function decryptForPrint(keys: PrintKey | readonly PrintKey[], blob: Buffer, aad: string | Buffer): Buffer {
  if (blob.length < HEADER_BYTES + IV_BYTES + TAG_BYTES) throw new PrintDecryptionError('MALFORMED');
  if (blob[0] !== PRINT_CIPHER_VERSION) throw new PrintDecryptionError('UNKNOWN_VERSION');
  const printKey = (Array.isArray(keys) ? (keys as readonly PrintKey[]) : [keys as PrintKey]).find((k) => k.id === blob[1]);
  if (!printKey) throw new PrintDecryptionError('UNKNOWN_KEY');
  checkPrintKey(printKey);
  const header = blob.subarray(0, HEADER_BYTES);
  const iv = blob.subarray(HEADER_BYTES, HEADER_BYTES + IV_BYTES);
  const body = blob.subarray(HEADER_BYTES + IV_BYTES, blob.length - TAG_BYTES);
  const tag = blob.subarray(blob.length - TAG_BYTES);
  try {
    const decipher = createDecipheriv('aes-256-gcm', printKey.key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(fullAad(header, aad));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(body), decipher.final()]);
  } catch {
    throw new PrintDecryptionError('AUTHENTICATION_FAILED');
  }
}

// Each secret kind has its own AAD prefix, so a ciphertext cannot be replayed as another kind of
// secret or onto another row even under the same print key.
const CODE_AAD = (voucherSerial: string) => `sillage:voucher-code:${voucherSerial}`;
const PASS_AAD = (bookletSerial: string) => `sillage:pass-token:${bookletSerial}`;

/** What a voucher row stores for its human code. */
export interface ProtectedHumanCode {
  lookupHash: Buffer;
  encrypted: Buffer;
}

/** Lookup hash + print ciphertext of a canonical code, the ciphertext bound to its voucher serial. */
export function protectHumanCode(lookupKey: Buffer, printKey: PrintKey, normalisedCode: string, voucherSerial: string): ProtectedHumanCode {
  return {
    lookupHash: codeLookupHash(lookupKey, normalisedCode),
    encrypted: encryptForPrint(printKey, normalisedCode, CODE_AAD(voucherSerial)),
  };
}

/** The human code back, for re-printing; throws `PrintDecryptionError` if it is not this voucher's. */
export function revealHumanCode(printKeys: PrintKey | readonly PrintKey[], encrypted: Buffer, voucherSerial: string): string {
  return decryptForPrint(printKeys, encrypted, CODE_AAD(voucherSerial)).toString('utf8');
}

/**
 * `protectHumanCode` for many codes at once, for issuance: the keys become KeyObjects once and the
 * IVs come from one CSPRNG read, which makes it ~3× faster per code. Same output format (decrypts
 * with `revealHumanCode`); the codes must already be canonical (the issuer generates them).
 */
export class HumanCodeProtector {
  private readonly lookup: KeyObject;
  private readonly print: KeyObject;
  private readonly header: Buffer;

  constructor(lookupKey: Buffer, printKey: PrintKey) {
    if (lookupKey.length < MIN_KEY_BYTES) throw new RangeError(`the lookup key has at least ${MIN_KEY_BYTES} bytes`);
    checkPrintKey(printKey);
    this.lookup = createSecretKey(lookupKey);
    this.print = createSecretKey(printKey.key);
    this.header = Buffer.from([PRINT_CIPHER_VERSION, printKey.id]);
  }

  protect(codes: readonly string[], voucherSerials: readonly string[]): { lookupHashes: Buffer[]; encrypted: Buffer[] } {
    const ivs = randomBytes(IV_BYTES * codes.length);
    const lookupHashes: Buffer[] = new Array<Buffer>(codes.length);
    const encrypted: Buffer[] = new Array<Buffer>(codes.length);
    for (let i = 0; i < codes.length; i++) {
      lookupHashes[i] = createHmac('sha256', this.lookup).update(codes[i], 'utf8').digest();
      const iv = ivs.subarray(i * IV_BYTES, (i + 1) * IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', this.print, iv, { authTagLength: TAG_BYTES });
      cipher.setAAD(fullAad(this.header, CODE_AAD(voucherSerials[i])));
      const body = cipher.update(codes[i], 'utf8');
      const last = cipher.final();
      encrypted[i] = Buffer.concat([this.header, iv, body, last, cipher.getAuthTag()]);
    }
    return { lookupHashes, encrypted };
  }
}

export const PASS_TOKEN_BYTES = 32;

/** A booklet's pass token: 256 random bits, base64url (43 characters, URL-fragment safe). */
export function generatePassToken(random: RandomSource = cryptoRandom): string {
  return random(PASS_TOKEN_BYTES).toString('base64url');
}

/** The stored lookup hash of a pass token (SHA-256: the token has ≥ 128 bits, no key or slow hash needed). */
export function passTokenHash(token: string): Buffer {
  return sha256(token);
}

/** What a booklet row stores for its pass token. */
export interface ProtectedPassToken {
  hash: Buffer;
  encrypted: Buffer;
}

export function protectPassToken(printKey: PrintKey, token: string, bookletSerial: string): ProtectedPassToken {
  return { hash: passTokenHash(token), encrypted: encryptForPrint(printKey, token, PASS_AAD(bookletSerial)) };
}

/** The pass token back, for re-printing the booklet cover; throws `PrintDecryptionError` if it is not this booklet's. */
export function revealPassToken(printKeys: PrintKey | readonly PrintKey[], encrypted: Buffer, bookletSerial: string): string {
  return decryptForPrint(printKeys, encrypted, PASS_AAD(bookletSerial)).toString('utf8');
}
