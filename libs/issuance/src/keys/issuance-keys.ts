import { createPrivateKey, createPublicKey, generateKeyPairSync, KeyObject, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import { loadOrCreateDevSecrets } from '@sillage/common';
import { APP_CONFIG, AppConfig } from '@sillage/config';
import { PrintKey } from '../codes/code-secrets';
import { toJwks, VoucherJwk, VoucherSigningKey } from '../codes/qr-token';

interface DevKeysFile {
  lookupKey: string;
  printKey: string;
  signingKeyPem: string;
}

/**
 * The voucher secrets: HMAC lookup key, AES print keys (current first), the ES256 QR signing key and
 * every public key still valid for printed vouchers. Configured in production; on a developer machine
 * generated once under DATA_DIR (written atomically, so two processes starting together agree).
 */
@Injectable()
export class IssuanceKeys {
  readonly lookupKey: Buffer;
  readonly printKeys: PrintKey[];
  readonly signing: VoucherSigningKey;
  readonly verification: Map<string, KeyObject>;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    const c = config.issuance;
    const dev = c.lookupKey && c.printKeys.length > 0 && c.signingKeyPem ? undefined : devKeys(config.dataDir);
    this.lookupKey = c.lookupKey ?? Buffer.from(dev!.lookupKey, 'base64');
    this.printKeys = c.printKeys.length > 0 ? c.printKeys : [{ id: 0, key: Buffer.from(dev!.printKey, 'base64') }];
    const privateKey = createPrivateKey(c.signingKeyPem ?? dev!.signingKeyPem);
    this.signing = { kid: c.signingKeyPem ? c.signingKeyId : 'voucher-dev', privateKey };
    this.verification = new Map([[this.signing.kid, createPublicKey(privateKey)]]);
    for (const retired of c.retiredPublicKeys) this.verification.set(retired.kid, createPublicKey(retired.pem));
  }

  get currentPrintKey(): PrintKey {
    return this.printKeys[0];
  }

  jwks(): { keys: VoucherJwk[] } {
    return toJwks(this.verification);
  }
}

function devKeys(dataDir: string): DevKeysFile {
  return loadOrCreateDevSecrets(join(dataDir, 'dev-issuance-keys.json'), () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    return {
      lookupKey: randomBytes(32).toString('base64'),
      printKey: randomBytes(32).toString('base64'),
      signingKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    };
  });
}
