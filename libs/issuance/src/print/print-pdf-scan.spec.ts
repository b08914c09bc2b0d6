import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jsQR from 'jsqr';
import { verifyVoucherToken } from '../codes/qr-token';
import { passPageLink } from './print-format';
import { Box, chequeQrBox, CHEQUES_PER_PAGE, COVER_QR_BOX } from './print-layout';
import { renderPrintPdf } from './print-pdf';
import { fromArray, HEADER, memorySink, signedBooklets } from './print-test-fixtures';

const DPI = 150;

interface GreyImage {
  width: number;
  height: number;
  pixels: Buffer;
}

/** Binary PGM (P5, 8-bit) as pdftoppm -gray writes it. */
function parsePgm(file: Buffer): GreyImage {
  const header = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(file.subarray(0, 64).toString('latin1'));
  if (!header || header[3] !== '255') throw new Error('not an 8-bit binary PGM');
  const width = Number(header[1]);
  const height = Number(header[2]);
  return { width, height, pixels: file.subarray(header[0].length, header[0].length + width * height) };
}

/** Rasterises every page as a phone camera would see a print: 150 dpi, grey. */
function rasterise(pdf: Buffer): GreyImage[] {
  const dir = mkdtempSync(join(tmpdir(), 'sillage-scan-'));
  try {
    writeFileSync(join(dir, 'file.pdf'), pdf);
    execFileSync('pdftoppm', ['-r', String(DPI), '-gray', join(dir, 'file.pdf'), join(dir, 'page')]);
    return readdirSync(dir)
      .filter((f) => f.endsWith('.pgm'))
      .sort((a, b) => Number(/(\d+)\.pgm$/.exec(a)?.[1]) - Number(/(\d+)\.pgm$/.exec(b)?.[1]))
      .map((f) => parsePgm(readFileSync(join(dir, f))));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Decodes the QR code inside `box` (points), cropped with a small margin, as jsQR reads RGBA. */
function scan(page: GreyImage, box: Box): string | undefined {
  const px = (pt: number) => Math.round((pt * DPI) / 72);
  const x0 = Math.max(0, px(box.x) - 4);
  const y0 = Math.max(0, px(box.y) - 4);
  const x1 = Math.min(page.width, px(box.x + box.size) + 4);
  const y1 = Math.min(page.height, px(box.y + box.size) + 4);
  const w = x1 - x0;
  const h = y1 - y0;
  const rgba = new Uint8ClampedArray(w * h * 4);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const grey = page.pixels[(y0 + y) * page.width + x0 + x];
      rgba.set([grey, grey, grey, 255], (y * w + x) * 4);
    }
  }
  return jsQR(rgba, w, h, { inversionAttempts: 'dontInvert' })?.data;
}

describe('print file QR codes', () => {
  it('scan back to each voucher’s signed token and to each booklet’s pass page link', async () => {
    const { booklets, kid, publicKey } = signedBooklets([4, 2]);
    const out = memorySink();
    await renderPrintPdf(HEADER, fromArray(booklets), out);
    const pages = rasterise(out.bytes());
    expect(pages).toHaveLength(2 + 1 + 2); // booklet 1: cover + 2 cheque pages; booklet 2: cover + 1

    let page = 0;
    for (const booklet of booklets) {
      expect(scan(pages[page], COVER_QR_BOX)).toBe(passPageLink(HEADER.passBaseUrl, booklet.passToken));
      booklet.vouchers.forEach((voucher, i) => {
        const decoded = scan(pages[page + 1 + Math.floor(i / CHEQUES_PER_PAGE)], chequeQrBox(i % CHEQUES_PER_PAGE));
        expect(decoded).toBe(voucher.qrPayload);
        const verified = verifyVoucherToken(decoded ?? '', { [kid]: publicKey });
        expect(verified).toEqual({ ok: true, kid, claims: { s: voucher.serial, v: HEADER.faceValueCents } });
      });
      page += 1 + Math.ceil(booklet.vouchers.length / CHEQUES_PER_PAGE);
    }
    // An empty slot (the last page's third cheque) holds no code.
    expect(scan(pages[2], chequeQrBox(2))).toBeUndefined();
  });
});
