import { generateKeyPairSync, KeyObject, randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { generateHumanCode } from '../codes/human-code';
import { signVoucherToken } from '../codes/qr-token';
import { PrintBooklet, PrintOrderHeader } from './print-types';

/** Test data for the print specs (not used by the code itself). */

export const HEADER: PrintOrderHeader = {
  orderReference: 'BC-2026-0042',
  funderName: 'Communauté d’agglomération Cœur de Lozère',
  faceValueCents: 1000,
  validUntil: '2027-12-31',
  passBaseUrl: 'https://sillage.example/p',
};

export interface SignedBooklets {
  booklets: PrintBooklet[];
  kid: string;
  publicKey: KeyObject;
}

/** Booklets holding `counts[i]` vouchers, with real ES256 tokens and human codes. */
export function signedBooklets(counts: number[], faceValueCents = HEADER.faceValueCents): SignedBooklets {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const kid = 'test-1';
  const booklets = counts.map((count, b) => {
    const serial = `SLG-2026-${String(b + 1).padStart(6, '0')}`;
    return {
      serial,
      passToken: randomBytes(32).toString('base64url'),
      vouchers: Array.from({ length: count }, (_, i) => {
        const s = `${serial}-${String(i + 1).padStart(2, '0')}`;
        return { serial: s, humanCode: generateHumanCode(), qrPayload: signVoucherToken({ kid, privateKey }, { s, v: faceValueCents }) };
      }),
    };
  });
  return { booklets, kid, publicKey };
}

/** Yields from memory without ever leaving microtasks: the worst case for a streaming renderer. */
export async function* fromArray<T>(items: readonly T[]): AsyncGenerator<T> {
  for (const item of items) yield item;
}

/** A Writable that keeps what it gets, to inspect the file afterwards. */
export function memorySink(): Writable & { bytes(): Buffer } {
  const chunks: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk);
      callback();
    },
  });
  return Object.assign(sink, { bytes: () => Buffer.concat(chunks) });
}
