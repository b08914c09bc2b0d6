import { createHash, createPublicKey, KeyObject, sign, verify } from 'node:crypto';
import { canonicalJson } from './canonical-json';

/** What a checkpoint's signature covers; `root` in base64. */
export interface CheckpointBody {
  treeSize: number;
  root: string;
  previousTreeSize: number | null;
  issuedAt: string;
  keyId: string;
}

export interface SignedCheckpoint extends CheckpointBody {
  /** ES256 signature, IEEE P1363 (r ‖ s, 64 bytes), base64. */
  signature: string;
}

/** The exact bytes signed: RFC 8785 canonical JSON of the body plus a type tag, so no other signed object can pass for one. */
export function checkpointMessage(body: CheckpointBody): Buffer {
  return Buffer.from(
    canonicalJson({
      type: 'sillage.audit.checkpoint.v1',
      treeSize: body.treeSize,
      root: body.root,
      previousTreeSize: body.previousTreeSize,
      issuedAt: body.issuedAt,
      keyId: body.keyId,
    }),
    'utf8',
  );
}

export function signCheckpoint(body: CheckpointBody, privateKey: KeyObject): SignedCheckpoint {
  const signature = sign('sha256', checkpointMessage(body), { key: privateKey, dsaEncoding: 'ieee-p1363' });
  return { ...body, signature: signature.toString('base64') };
}

export function verifyCheckpointSignature(checkpoint: SignedCheckpoint, publicKey: KeyObject | string): boolean {
  try {
    const key = typeof publicKey === 'string' ? createPublicKey(publicKey) : publicKey;
    return verify('sha256', checkpointMessage(checkpoint), { key, dsaEncoding: 'ieee-p1363' }, Buffer.from(checkpoint.signature, 'base64'));
  } catch {
    return false;
  }
}

/** A key id derived from the key itself (SHA-256 of its SPKI DER), so rotating the key always yields a new id. */
export function auditKeyId(publicKey: KeyObject): string {
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return `es256-${createHash('sha256').update(der).digest('hex').slice(0, 16)}`;
}
