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

/**
 * A stable UUID (version 8, RFC 9562 "custom") from a name: the same name gives the same id, so a
 * job or request that runs twice writes the same ledger transfer id and the ledger's idempotency
 * turns the replay into a no-op. Names are namespaced by the caller, e.g. `order-activation:<id>`.
 */
export function uuidFromName(name: string): string {
  const h = sha256(`sillage:${name}`);
  h[6] = (h[6] & 0x0f) | 0x80;
  h[8] = (h[8] & 0x3f) | 0x80;
  const hex = h.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
