import { generateKeyPairSync } from 'node:crypto';
import { auditKeyId, checkpointMessage, signCheckpoint, verifyCheckpointSignature } from './checkpoint';

describe('signed checkpoints', () => {
  const key = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const body = {
    treeSize: 8,
    root: Buffer.alloc(32, 7).toString('base64'),
    previousTreeSize: 4,
    issuedAt: '2026-11-28T01:00:00.000Z',
    keyId: auditKeyId(key.publicKey),
  };

  it('signs the canonical body and verifies only with the same key and body', () => {
    const signed = signCheckpoint(body, key.privateKey);
    expect(Buffer.from(signed.signature, 'base64')).toHaveLength(64);
    expect(checkpointMessage(body).toString()).toBe(
      `{"issuedAt":"2026-11-28T01:00:00.000Z","keyId":"${body.keyId}","previousTreeSize":4,"root":"${body.root}","treeSize":8,"type":"sillage.audit.checkpoint.v1"}`,
    );
    expect(verifyCheckpointSignature(signed, key.publicKey)).toBe(true);
    expect(verifyCheckpointSignature({ ...signed, treeSize: 9 }, key.publicKey)).toBe(false);
    expect(verifyCheckpointSignature({ ...signed, previousTreeSize: null }, key.publicKey)).toBe(false);
    const other = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    expect(verifyCheckpointSignature(signed, other.publicKey)).toBe(false);
    expect(verifyCheckpointSignature({ ...signed, signature: 'garbage' }, key.publicKey)).toBe(false);
  });

  it('derives a distinct key id per key', () => {
    const other = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    expect(auditKeyId(key.publicKey)).toMatch(/^es256-[0-9a-f]{16}$/);
    expect(auditKeyId(other.publicKey)).not.toBe(auditKeyId(key.publicKey));
  });
});
