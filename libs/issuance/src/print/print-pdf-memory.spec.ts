import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Writable } from 'node:stream';
import { generateHumanCode } from '../codes/human-code';
import { renderPrintPdf } from './print-pdf';
import { HEADER } from './print-test-fixtures';
import { PrintBooklet } from './print-types';

// A forced collection before each sample makes heapUsed measure what is retained, not garbage.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Booklets made on demand, so the input itself holds no memory. */
async function* booklets(vouchers: number): AsyncGenerator<PrintBooklet> {
  const humanCode = generateHumanCode();
  for (let b = 0; b * 10 < vouchers; b++) {
    const serial = `SLG-2026-${String(b).padStart(6, '0')}`;
    yield {
      serial,
      passToken: `pass${b}`,
      // Shorter than a real token (~200 characters) to keep the test fast: QR size is not what is measured.
      vouchers: Array.from({ length: 10 }, (_, i) => ({
        serial: `${serial}-${i}`,
        humanCode,
        qrPayload: `${serial}-${i}.${'x'.repeat(60)}`,
      })),
    };
  }
}

/** Largest retained-heap growth seen while rendering, and the file size. */
async function measure(vouchers: number): Promise<{ growth: number; bytes: number }> {
  let bytes = 0;
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      bytes += chunk.length; // counted, not kept
      callback();
    },
  });
  gc();
  const base = process.memoryUsage().heapUsed;
  let growth = 0;
  await renderPrintPdf(HEADER, booklets(vouchers), sink, (p) => {
    if (p.booklets % 25 !== 0) return;
    gc();
    growth = Math.max(growth, process.memoryUsage().heapUsed - base);
  });
  return { growth, bytes };
}

describe('renderPrintPdf memory', () => {
  it('keeps far less than the file in memory: 3,000 vouchers retain little more than 300', async () => {
    await measure(300); // warm-up: fonts, compiled code
    const small = await measure(300);
    const large = await measure(3000);
    expect(large.bytes).toBeGreaterThan(9 * small.bytes);
    // What stays is pdfkit's bookkeeping for the file's end (object offsets, the page tree's list):
    // 0.2-0.4 KB a voucher (more when the machine is busy and collections lag). Buffering the file
    // would retain all of it (~1.4 KB a voucher here), and keeping pdfkit's written page dictionaries
    // ~0.7 KB a voucher: 512 B a voucher separates the two regressions from the bookkeeping.
    const extra = large.growth - small.growth;
    expect(extra / 2700).toBeLessThan(512);
  }, 60_000);
});
