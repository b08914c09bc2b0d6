import { drawLine, drawText, fitText, splitToWidth } from './pdf-text';
import { formatEuros, passPageLink } from './print-format';
import { PrintContext } from './print-context';
import { A4_HEIGHT, A4_WIDTH, COVER_QR_BOX } from './print-layout';
import { PrintBooklet } from './print-types';
import { qrContent, qrMatrix } from './qr-vector';

const GREY = '#555555';
const CENTER = A4_WIDTH / 2;
const TEXT_WIDTH = A4_WIDTH - 2 * 48;

/** The booklet's cover: who funds it, what it holds, until when, and the QR of its pass page. */
export function drawCover(doc: PDFKit.PDFDocument, ctx: PrintContext, booklet: PrintBooklet): void {
  const { header } = ctx;
  const count = booklet.vouchers.length;
  const link = passPageLink(header.passBaseUrl, booklet.passToken);
  const total = formatEuros(header.faceValueCents * count);

  drawText(doc, 'Carnet de chèques de médiation numérique', { font: 'Helvetica', size: 12, color: GREY }, CENTER, 56, 'center');
  drawLine(doc, fitText(doc, header.funderName, { font: 'Helvetica-Bold', size: 24 }, TEXT_WIDTH, 11), CENTER, 78, 'center');
  drawLine(doc, fitText(doc, `Carnet n° ${booklet.serial}`, { font: 'Helvetica-Bold', size: 16 }, TEXT_WIDTH, 8), CENTER, 118, 'center');
  const contents = `${count} chèque${count > 1 ? 's' : ''} de ${ctx.faceValue} — valeur totale ${total}`;
  drawLine(doc, fitText(doc, contents, { font: 'Helvetica', size: 13 }, TEXT_WIDTH, 8), CENTER, 146, 'center');
  drawText(doc, ctx.validity, { font: 'Helvetica', size: 13 }, CENTER, 166, 'center');

  const qr = COVER_QR_BOX;
  doc.addContent(qrContent(qrMatrix(link), qr.x, qr.y, qr.size));

  const body = { font: 'Helvetica', size: 11 } as const;
  let y = qr.y + qr.size + 14;
  drawText(doc, 'Scannez ce code pour voir ce qu’il reste sur votre carnet', body, CENTER, y, 'center');
  drawText(doc, 'et trouver un lieu où l’utiliser.', body, CENTER, (y += 15), 'center');
  drawText(doc, 'Ou ouvrez ce lien :', { font: 'Helvetica', size: 9, color: GREY }, CENTER, (y += 28), 'center');
  const linkStyle = { font: 'Helvetica', size: 10 } as const;
  for (const line of splitToWidth(doc, link, linkStyle, TEXT_WIDTH)) drawText(doc, line, linkStyle, CENTER, (y += 13), 'center');

  const note = { font: 'Helvetica', size: 8, color: GREY } as const;
  drawText(
    doc,
    'Ce code et ce lien donnent accès au solde du carnet : ne les partagez qu’avec qui vous accompagne.',
    note,
    CENTER,
    A4_HEIGHT - 72,
    'center',
  );
  drawLine(doc, fitText(doc, `Commande ${header.orderReference}`, note, TEXT_WIDTH, 5), CENTER, A4_HEIGHT - 56, 'center');
}
