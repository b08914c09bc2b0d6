/**
 * Geometry of the print file, in PDF points (1/72 inch), y measured down from the top of the page
 * (pdfkit's convention). Kept apart from the drawing so tests and printers can locate the QR codes.
 */

export const A4_WIDTH = 595.28;
export const A4_HEIGHT = 841.89;

/** Three cheques per A4 page: each ≈ 99 × 210 mm, the size of a bank cheque with its stub. */
export const CHEQUES_PER_PAGE = 3;
export const CHEQUE_HEIGHT = A4_HEIGHT / CHEQUES_PER_PAGE;

export const MARGIN = 18;
/** The "service fait" stub on the right of each cheque, behind a dashed tear line. */
export const STUB_WIDTH = 160;
export const TEAR_LINE_X = A4_WIDTH - STUB_WIDTH;
export const BODY_RIGHT = TEAR_LINE_X - 14;
export const STUB_LEFT = TEAR_LINE_X + 12;
export const STUB_RIGHT = A4_WIDTH - MARGIN;

/**
 * QR box of a cheque, quiet zone included. A ~200-character token makes a 57-module symbol
 * (version 10): 168 pt over 65 modules is ≈ 0.9 mm per module, comfortable for a phone camera.
 */
export const CHEQUE_QR_SIZE = 168;
/** The cover's QR carries a short link (version 4 or so): modules of ≈ 2 mm, easy for any phone. */
export const COVER_QR_SIZE = 250;

export interface Box {
  x: number;
  y: number;
  size: number;
}

export function chequeTop(slot: number): number {
  return slot * CHEQUE_HEIGHT;
}

/** The QR box of the cheque in `slot` (0 = top of the page). */
export function chequeQrBox(slot: number): Box {
  return { x: MARGIN - 4, y: chequeTop(slot) + 62, size: CHEQUE_QR_SIZE };
}

export const COVER_QR_BOX: Box = { x: (A4_WIDTH - COVER_QR_SIZE) / 2, y: 210, size: COVER_QR_SIZE };

/** Pages one booklet takes: its cover, then its cheques three to a page. */
export function bookletPageCount(voucherCount: number): number {
  if (!Number.isSafeInteger(voucherCount) || voucherCount < 1) throw new RangeError('a booklet holds at least one voucher');
  return 1 + Math.ceil(voucherCount / CHEQUES_PER_PAGE);
}

/** The page count of a print file whose booklets hold these numbers of vouchers, in order. */
export function expectedPageCount(voucherCountsPerBooklet: number[]): number {
  return voucherCountsPerBooklet.reduce((pages, n) => pages + bookletPageCount(n), 0);
}
