import { createPrivateKey, createPublicKey, generateKeyPairSync, KeyObject } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { AppConfig } from '@sillage/config';
import { auditKeyId } from './checkpoint';

export const AUDIT_SIGNING_KEY = Symbol('AUDIT_SIGNING_KEY');

export interface AuditSigningKey {
  keyId: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  publicKeyPem: string;
}

/**
 * Checkpoints are signed with the platform's ES256 key (JWT_PRIVATE_KEY / JWT_PUBLIC_KEY), the one
 * access tokens use; on a bare machine, with the same development key identity generates under
 * DATA_DIR. The audit key id is derived from the public key, so a rotated key is a new
 * `audit_signing_key` row and old checkpoints keep verifying against the old one.
 */
export function loadAuditSigningKey(config: AppConfig): AuditSigningKey {
  const { jwtPrivateKeyPem } = config.auth;
  let privateKey: KeyObject;
  if (jwtPrivateKeyPem) {
    privateKey = createPrivateKey(jwtPrivateKeyPem);
  } else {
    const path = join(config.dataDir, 'dev-signing-key.pem');
    try {
      privateKey = createPrivateKey(readFileSync(path));
    } catch {
      const generated = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
      mkdirSync(dirname(path), { recursive: true });
      try {
        writeFileSync(path, generated.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
      } catch {
        // another module wrote it first: use theirs
      }
      privateKey = createPrivateKey(readFileSync(path));
    }
  }
  const publicKey = createPublicKey(privateKey);
  return {
    keyId: auditKeyId(publicKey),
    privateKey,
    publicKey,
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}
