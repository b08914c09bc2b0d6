import { createHmac } from 'node:crypto';

const MIN_KEY_BYTES = 32;

export function checkPseudonymKey(pseudonymKey: Buffer): void {
  if (pseudonymKey.length < MIN_KEY_BYTES) throw new RangeError(`the pseudonym key has at least ${MIN_KEY_BYTES} bytes`);
}

/**
 * The only identifier of a person outside the vault: HMAC-SHA-256 of the vault id under a key kept
 * outside the database, as 64 lowercase hex characters. Stable (reports can count distinct people,
 * the audit log can name them) yet unlinkable without the key; after erasure the vault id is gone,
 * so the pseudonym points to nobody.
 */
export function pseudonym(pseudonymKey: Buffer, vaultId: string): string {
  checkPseudonymKey(pseudonymKey);
  if (vaultId.length === 0) throw new RangeError('a vault id is not empty');
  return createHmac('sha256', pseudonymKey).update(vaultId, 'utf8').digest('hex');
}
