import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jsQR from 'jsqr';
import type { Box } from './print-layout';
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

// --- scanning printed pages back (pdftoppm from poppler-utils, jsQR) ---

const DPI = 150;

export interface GreyImage {
  width: number;
  height: number;
  pixels: Buffer;
}

/** Binary PGM (P5, 8-bit) as pdftoppm -gray writes it. */
export function parsePgm(file: Buffer): GreyImage {
  const header = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(file.subarray(0, 64).toString('latin1'));
  if (!header || header[3] !== '255') throw new Error('not an 8-bit binary PGM');
  const width = Number(header[1]);
  const height = Number(header[2]);
  return { width, height, pixels: file.subarray(header[0].length, header[0].length + width * height) };
}

/** Rasterises every page as a phone camera would see a print: 150 dpi, grey. */
export function rasterise(pdf: Buffer): GreyImage[] {
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
export function scan(page: GreyImage, box: Box): string | undefined {
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
