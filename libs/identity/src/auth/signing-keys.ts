import { createPrivateKey, createPublicKey, generateKeyPairSync, KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { AppConfig } from '@sillage/config';

export interface SigningKeys {
  keyId: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

/**
 * ES256 keys for every token the platform signs. In production they come from the environment.
 * On a bare machine (embedded mode, no key configured) a development key is generated once and
 * kept under DATA_DIR, so tokens survive a restart; it is never used when a key is configured.
 */
export function loadSigningKeys(config: AppConfig): SigningKeys {
  const { jwtPrivateKeyPem, jwtPublicKeyPem, jwtKeyId } = config.auth;
  if (jwtPrivateKeyPem && jwtPublicKeyPem) {
    return { keyId: jwtKeyId, privateKey: createPrivateKey(jwtPrivateKeyPem), publicKey: createPublicKey(jwtPublicKeyPem) };
  }
  const path = join(config.dataDir, 'dev-signing-key.pem');
  if (!existsSync(path)) {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  }
  const privateKey = createPrivateKey(readFileSync(path));
  return { keyId: 'dev-local', privateKey, publicKey: createPublicKey(privateKey) };
}
