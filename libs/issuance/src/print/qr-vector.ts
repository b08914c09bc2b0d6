import { create } from 'qrcode';

/** Light modules around the symbol that a scanner needs (ISO/IEC 18004 asks for 4). */
export const QR_QUIET_ZONE_MODULES = 4;

export interface QrMatrix {
  /** Modules per side, without the quiet zone. */
  size: number;
  /** Row-major, 1 = dark. */
  data: Uint8Array;
}

/** The QR symbol for a payload at error-correction level M (scans through a crease or a smudge). */
export function qrMatrix(payload: string): QrMatrix {
  const { size, data } = create(payload, { errorCorrectionLevel: 'M' }).modules;
  return { size, data };
}

/**
 * PDF path operators filling the dark modules, in module units (x right, y down, origin at the
 * symbol's top-left corner). Each horizontal run of dark modules is one `re`; a run repeated at the
 * same columns in the rows below grows into one taller rectangle. Fewer, larger rectangles make a
 * smaller content stream and leave no hairline seams between rows when a rasteriser anti-aliases.
 */
export function qrRectanglesPath(m: QrMatrix): string {
  const { size, data } = m;
  const parts: string[] = [];
  // Open rectangles keyed by `start * (size + 1) + end` of their run: the row they began at.
  let open = new Map<number, number>();
  for (let row = 0; row <= size; row++) {
    const next = new Map<number, number>();
    if (row < size) {
      let col = 0;
      while (col < size) {
        if (data[row * size + col] === 0) {
          col++;
          continue;
        }
        const start = col;
        while (col < size && data[row * size + col] !== 0) col++;
        const key = start * (size + 1) + col;
        const from = open.get(key);
        if (from === undefined) next.set(key, row);
        else {
          next.set(key, from);
          open.delete(key);
        }
      }
    }
    // Runs that did not continue into this row end here.
    for (const [key, from] of open) {
      const start = Math.floor(key / (size + 1));
      const end = key % (size + 1);
      parts.push(`${start} ${from} ${end - start} ${row - from} re`);
    }
    open = next;
  }
  return parts.join('\n');
}

/**
 * Content-stream operators drawing the symbol (quiet zone included) into a `box`-point square whose
 * top-left corner is (x, y) in pdfkit's y-down page coordinates. One `cm` scales module units to
 * points, so every rectangle is written in small integers, and the whole symbol is one `f` (fill).
 */
export function qrContent(m: QrMatrix, x: number, y: number, box: number): string {
  const modulesWithQuietZone = m.size + 2 * QR_QUIET_ZONE_MODULES;
  const unit = box / modulesWithQuietZone;
  const originX = x + QR_QUIET_ZONE_MODULES * unit;
  const originY = y + QR_QUIET_ZONE_MODULES * unit;
  return `q\n0 g\n${pdfNumber(unit)} 0 0 ${pdfNumber(unit)} ${pdfNumber(originX)} ${pdfNumber(originY)} cm\n${qrRectanglesPath(m)}\nf\nQ`;
}

function pdfNumber(n: number): string {
  return String(Math.round(n * 10000) / 10000);
}
