import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { performance } from 'node:perf_hooks';
import { generateHumanCode } from '../codes/human-code';
import { signVoucherToken } from '../codes/qr-token';
import { passPageLink } from './print-format';
import { renderPrintPdf } from './print-pdf';
import { PrintBooklet, PrintOrderHeader } from './print-types';
import { qrMatrix } from './qr-vector';

export interface PrintThroughput {
  /** Vouchers per second for the whole print file: covers, cheques, QR codes, compression. */
  pdf_vouchers_per_s: number;
  /** Vouchers per second for building the same QR codes (cheques and covers) and nothing else. */
  qr_only_per_s: number;
  /** pdf / qr_only: the share of time the PDF spends on QR construction. Target ≥ 0.5. */
  pdf_ratio: number;
}

export const BENCH_HEADER: PrintOrderHeader = {
  orderReference: 'BENCH-2026-0001',
  funderName: 'Communauté d’agglomération de Saint-Étienne Métropole',
  faceValueCents: 1000,
  validUntil: '2027-12-31',
  passBaseUrl: 'https://sillage.example/p',
};

/**
 * Realistic booklets (10 vouchers each, the last one shorter if need be): serials like production
 * ones, fresh human codes, ES256 tokens signed with a throwaway key, 256-bit pass tokens.
 */
export function benchBooklets(vouchers: number, faceValueCents = BENCH_HEADER.faceValueCents): PrintBooklet[] {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const key = { kid: 'bench-2026', privateKey };
  const booklets: PrintBooklet[] = [];
  for (let b = 0; b * 10 < vouchers; b++) {
    const serial = `SLG-2026-${String(b + 1).padStart(6, '0')}`;
    const count = Math.min(10, vouchers - b * 10);
    booklets.push({
      serial,
      passToken: randomBytes(32).toString('base64url'),
      vouchers: Array.from({ length: count }, (_, i) => {
        const voucherSerial = `${serial}-${String(i + 1).padStart(2, '0')}`;
        return {
          serial: voucherSerial,
          humanCode: generateHumanCode(),
          qrPayload: signVoucherToken(key, { s: voucherSerial, v: faceValueCents }),
        };
      }),
    });
  }
  return booklets;
}

async function* iterate<T>(items: readonly T[]): AsyncGenerator<T> {
  for (const item of items) yield item;
}

/** A sink that takes bytes and keeps nothing, so the benchmark measures rendering, not storage. */
export function nullSink(): Writable {
  return new Writable({
    write(_chunk, _encoding, callback) {
      callback();
    },
  });
}

function buildQrCodes(header: PrintOrderHeader, booklets: readonly PrintBooklet[]): void {
  for (const b of booklets) {
    qrMatrix(passPageLink(header.passBaseUrl, b.passToken));
    for (const v of b.vouchers) qrMatrix(v.qrPayload);
  }
}

/**
 * Measures (a) building the QR codes alone (`QRCode.create`, level M) and (b) rendering the whole
 * PDF of the same booklets to a null sink, on this thread. Booklets are built (and tokens signed)
 * before timing, and a small warm-up run lets the JIT and pdfkit's font data settle. The two are
 * timed alternately over `rounds` rounds and each keeps its fastest: on a shared machine a burst of
 * other work then slows neither side of the ratio more than the other.
 */
export async function measurePrintThroughput(vouchers: number, rounds = 3): Promise<PrintThroughput> {
  if (!Number.isSafeInteger(vouchers) || vouchers < 1) throw new RangeError('vouchers is a positive integer');
  if (!Number.isSafeInteger(rounds) || rounds < 1) throw new RangeError('rounds is a positive integer');
  const booklets = benchBooklets(vouchers);
  const warmUp = booklets.slice(0, 3);
  buildQrCodes(BENCH_HEADER, warmUp);
  await renderPrintPdf(BENCH_HEADER, iterate(warmUp), nullSink());

  let qrSeconds = Infinity;
  let pdfSeconds = Infinity;
  for (let round = 0; round < rounds; round++) {
    let start = performance.now();
    buildQrCodes(BENCH_HEADER, booklets);
    qrSeconds = Math.min(qrSeconds, (performance.now() - start) / 1000);

    start = performance.now();
    await renderPrintPdf(BENCH_HEADER, iterate(booklets), nullSink());
    pdfSeconds = Math.min(pdfSeconds, (performance.now() - start) / 1000);
  }
  const qr_only_per_s = vouchers / qrSeconds;
  const pdf_vouchers_per_s = vouchers / pdfSeconds;
  return { pdf_vouchers_per_s, qr_only_per_s, pdf_ratio: pdf_vouchers_per_s / qr_only_per_s };
}
