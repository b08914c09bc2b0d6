import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Tokens (refresh, API keys, set-password links) are ≥ 128-bit random secrets, so a single SHA-256
 * is enough to store them: no slow hash per request, and a copy of the table reveals nothing usable.
 */
export function newSecret(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

export function sha256(value: string | Buffer): Buffer {
  return createHash('sha256').update(value).digest();
}

export function sameHash(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}
