import { formatHumanCode } from '../codes/human-code';
import { recordStamp } from './content-stamp';
import { drawLine, drawText, fitText } from './pdf-text';
import { PrintContext } from './print-context';
import {
  A4_WIDTH,
  BODY_RIGHT,
  CHEQUE_HEIGHT,
  chequeQrBox,
  chequeTop,
  CHEQUES_PER_PAGE,
  MARGIN,
  STUB_LEFT,
  STUB_RIGHT,
  TEAR_LINE_X,
} from './print-layout';
import { PrintVoucher } from './print-types';
import { qrContent, qrMatrix } from './qr-vector';

const GREY = '#555555';
const LIGHT = '#999999';
const TEXT_LEFT = chequeQrBox(0).x + chequeQrBox(0).size + 10;
const TEXT_WIDTH = BODY_RIGHT - TEXT_LEFT;
const STUB_WIDTH_INSIDE = STUB_RIGHT - STUB_LEFT;

/** What is the same on every cheque of a file, recorded once per slot (see `recordStamp`). */
export type ChequeStamps = readonly string[];

/** Call with a page open: pdfkit needs one to lay text out (nothing is drawn on it). */
export function chequeStamps(doc: PDFKit.PDFDocument, ctx: PrintContext): ChequeStamps {
  return Array.from({ length: CHEQUES_PER_PAGE }, (_, slot) => recordStamp(doc, () => drawChequeStatics(doc, ctx, slot)));
}

/**
 * One cheque in `slot` (0 = top) of the current page: the replayed stamp, then what is the voucher's
 * own: QR code, serial (body and stub), human code, booklet serial. Those texts use both fonts the
 * stamp uses, which registers them in the page's resources (the spec checks every page has both).
 */
export function drawCheque(
  doc: PDFKit.PDFDocument,
  stamps: ChequeStamps,
  bookletSerial: string,
  voucher: PrintVoucher,
  slot: number,
): void {
  const top = chequeTop(slot);
  const qr = chequeQrBox(slot);
  doc.addContent(stamps[slot]);
  doc.addContent(qrContent(qrMatrix(voucher.qrPayload), qr.x, qr.y, qr.size));
  drawLine(doc, fitText(doc, voucher.serial, { font: 'Helvetica-Bold', size: 12 }, TEXT_WIDTH, 7), TEXT_LEFT, top + 84);
  drawLine(
    doc,
    fitText(doc, formatHumanCode(voucher.humanCode), { font: 'Helvetica-Bold', size: 18 }, TEXT_WIDTH, 10),
    TEXT_LEFT,
    top + 118,
  );
  drawLine(
    doc,
    fitText(doc, `Carnet ${bookletSerial}`, { font: 'Helvetica', size: 7.5, color: LIGHT }, TEXT_WIDTH, 5),
    TEXT_LEFT,
    top + 218,
  );
  drawLine(doc, fitText(doc, voucher.serial, { font: 'Helvetica-Bold', size: 9 }, STUB_WIDTH_INSIDE, 5), STUB_LEFT, top + 55);
}

function drawChequeStatics(doc: PDFKit.PDFDocument, ctx: PrintContext, slot: number): void {
  const top = chequeTop(slot);

  // Body.
  const faceValue = fitText(doc, ctx.faceValue, { font: 'Helvetica-Bold', size: 26 }, 150, 14);
  const funderWidth = BODY_RIGHT - MARGIN - doc.font(faceValue.font).fontSize(faceValue.size).widthOfString(faceValue.text) - 16;
  drawLine(doc, fitText(doc, ctx.header.funderName, { font: 'Helvetica-Bold', size: 13 }, funderWidth, 8), MARGIN, top + MARGIN);
  drawText(doc, 'Chèque de médiation numérique', { font: 'Helvetica', size: 9, color: GREY }, MARGIN, top + MARGIN + 17);
  drawLine(doc, faceValue, BODY_RIGHT, top + MARGIN - 4, 'right');
  drawText(doc, 'N° de chèque', { font: 'Helvetica', size: 8, color: GREY }, TEXT_LEFT, top + 74);
  drawText(doc, 'Code (si le QR ne se lit pas)', { font: 'Helvetica', size: 8, color: GREY }, TEXT_LEFT, top + 108);
  drawText(doc, ctx.validity, { font: 'Helvetica-Bold', size: 11 }, TEXT_LEFT, top + 150);
  const small = { font: 'Helvetica', size: 7.5, color: GREY } as const;
  drawText(doc, 'À remettre à un lieu de médiation numérique labellisé,', small, TEXT_LEFT, top + 176);
  drawText(doc, 'qui le scanne ou saisit son code. Ni remboursable,', small, TEXT_LEFT, top + 186);
  drawText(doc, 'ni échangeable contre de l’argent.', small, TEXT_LEFT, top + 196);

  // Tear lines: between body and stub, and between cheques (the page's outer edges need none).
  doc.save().lineWidth(0.5).strokeColor(LIGHT).dash(3, { space: 3 });
  doc
    .moveTo(TEAR_LINE_X, top + 8)
    .lineTo(TEAR_LINE_X, top + CHEQUE_HEIGHT - 8)
    .stroke();
  if (slot > 0) doc.moveTo(0, top).lineTo(A4_WIDTH, top).stroke();
  doc.restore();

  // Stub: filled in by the site when the service is done, kept as its proof.
  drawText(doc, 'SERVICE FAIT', { font: 'Helvetica-Bold', size: 11 }, STUB_LEFT, top + MARGIN);
  drawText(doc, 'Talon à détacher et conserver', { font: 'Helvetica', size: 6.5, color: GREY }, STUB_LEFT, top + MARGIN + 14);
  drawText(doc, 'N° de chèque', { font: 'Helvetica', size: 7, color: GREY }, STUB_LEFT, top + 46);
  drawLine(doc, fitText(doc, ctx.faceValue, { font: 'Helvetica-Bold', size: 11 }, STUB_WIDTH_INSIDE, 7), STUB_LEFT, top + 68);
  stubBox(doc, 'Date', top + 88, 24);
  stubBox(doc, 'Lieu (nom du site)', top + 124, 36);
  stubBox(doc, 'Signature et cachet', top + 172, 84);
}

function stubBox(doc: PDFKit.PDFDocument, label: string, y: number, height: number): void {
  drawText(doc, label, { font: 'Helvetica', size: 7, color: GREY }, STUB_LEFT, y);
  doc
    .save()
    .lineWidth(0.6)
    .strokeColor(GREY)
    .rect(STUB_LEFT, y + 9, STUB_WIDTH_INSIDE, height)
    .stroke()
    .restore();
}
