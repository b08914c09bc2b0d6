import { createPrivateKey, createPublicKey, generateKeyPairSync, KeyObject, randomBytes } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
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
  const path = join(dataDir, 'dev-issuance-keys.json');
  if (!existsSync(path)) {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const keys: DevKeysFile = {
      lookupKey: randomBytes(32).toString('base64'),
      printKey: randomBytes(32).toString('base64'),
      signingKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    };
    mkdirSync(dirname(path), { recursive: true });
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(keys), { mode: 0o600 });
    // link fails when the file exists: if another process won the race, its keys are the ones read back.
    try {
      linkSync(tmp, path);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    } finally {
      unlinkSync(tmp);
    }
  }
  return JSON.parse(readFileSync(path, 'utf8')) as DevKeysFile;
}
