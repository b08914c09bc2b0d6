import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { VaultError } from './vault.errors';

/**
 * The one ciphertext format of the vault, for wrapped data keys and sealed records alike:
 * version (1 byte) ‖ key id (1 byte) ‖ IV (12 bytes) ‖ ciphertext ‖ GCM tag (16 bytes).
 * The two header bytes are part of the authenticated data, so changing the version or the key id
 * fails the tag instead of silently selecting another key.
 */
export const VAULT_FORMAT_VERSION = 1;
export const HEADER_BYTES = 2;
export const IV_BYTES = 12;
export const TAG_BYTES = 16;
export const OVERHEAD_BYTES = HEADER_BYTES + IV_BYTES + TAG_BYTES;
export const AES_KEY_BYTES = 32;

function authenticatedData(header: Buffer, aad: string): Buffer {
  return Buffer.concat([header, Buffer.from(aad, 'utf8')]);
}

/** AES-256-GCM under `key` with a fresh random 96-bit IV; `aad` binds the result to its owner. */
export function sealBytes(keyId: number, key: Buffer, plaintext: Buffer, aad: string): Buffer {
  const header = Buffer.from([VAULT_FORMAT_VERSION, keyId]);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(authenticatedData(header, aad));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([header, iv, body, cipher.getAuthTag()]);
}

/** The key id a well-formed blob names; checks the length and version first. */
export function keyIdOf(blob: Buffer): number {
  if (blob.length < OVERHEAD_BYTES) throw new VaultError('MALFORMED');
  if (blob[0] !== VAULT_FORMAT_VERSION) throw new VaultError('UNKNOWN_VERSION');
  return blob[1];
}

/** Opens a blob with the key the caller picked for its key id; never returns unauthenticated bytes. */
export function openBytes(blob: Buffer, key: Buffer, aad: string): Buffer {
  keyIdOf(blob);
  const header = blob.subarray(0, HEADER_BYTES);
  const iv = blob.subarray(HEADER_BYTES, HEADER_BYTES + IV_BYTES);
  const body = blob.subarray(HEADER_BYTES + IV_BYTES, blob.length - TAG_BYTES);
  const tag = blob.subarray(blob.length - TAG_BYTES);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(authenticatedData(header, aad));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(body), decipher.final()]);
  } catch {
    throw new VaultError('AUTHENTICATION_FAILED');
  }
}
