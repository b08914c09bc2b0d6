import { createHash } from 'node:crypto';

/**
 * SHA-256 (hex) of the file's raw bytes, as received: importing the same file twice gives the same
 * fingerprint, whatever its format. Hash the bytes, not a decoded string, so a re-encoded copy is a
 * different file.
 */
export function statementFingerprint(raw: Buffer): string {
  return createHash('sha256').update(raw).digest('hex');
}
