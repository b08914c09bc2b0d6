import PDFDocument from 'pdfkit';
import { formatDateFr } from './dates';
import { assertConsistentDocument } from './document-checks';
import { formatEuros, formatInteger, formatRate } from './money';
import { pdfSafe } from './text-safety';
import type { InvoiceDocument, InvoiceParty, VatCategory } from './types';

type Pdf = PDFKit.PDFDocument;
type Align = 'left' | 'right';
interface Column {
  label: string;
  width: number;
  align: Align;
}

const MARGIN = 50;
const FOOTER_HEIGHT = 24;
const CONTENT_WIDTH = 495; // A4 width (595.28 pt) less both margins
const REGULAR = 'Helvetica';
const BOLD = 'Helvetica-Bold';
const HEADER_FILL = '#eeeeee';
const CELL_PADDING = 4;

export interface RenderInvoicePdfOptions {
  /** Deflate page streams (default true); tests that grep the raw file may turn it off. */
  compress?: boolean;
}

const TITLES = { invoice: 'FACTURE', credit_note: 'AVOIR' } as const;

function vatLabel(category: VatCategory, rateBp: number): string {
  switch (category) {
    case 'O':
      return 'Hors champ';
    case 'S':
      return formatRate(rateBp);
  }
}

function categoryName(category: VatCategory): string {
  switch (category) {
    case 'O':
      return 'Hors champ de la TVA (O)';
    case 'S':
      return 'Taux normal (S)';
  }
}

/** Lowest y content may reach before the footer. */
function contentBottom(pdf: Pdf): number {
  return pdf.page.height - MARGIN - FOOTER_HEIGHT;
}

function write(
  pdf: Pdf,
  text: string,
  x: number,
  y: number,
  options: { width: number; align?: Align; font?: string; size?: number },
): number {
  pdf
    .font(options.font ?? REGULAR)
    .fontSize(options.size ?? 9)
    .text(pdfSafe(text), x, y, { width: options.width, align: options.align ?? 'left' });
  return pdf.y;
}

function partyLines(p: InvoiceParty): string[] {
  const lines = [...p.addressLines.filter((l) => l.trim() !== '')];
  const cityLine = [p.postcode, p.city].filter((v) => v && v.trim() !== '').join(' ');
  if (cityLine) lines.push(cityLine);
  if (p.countryCode !== 'FR') lines.push(p.countryCode);
  if (p.siren) lines.push(`SIREN : ${p.siren}`);
  if (p.siret) lines.push(`SIRET : ${p.siret}`);
  if (p.vatNumber) lines.push(`N° TVA intracommunautaire : ${p.vatNumber}`);
  return lines;
}

function partyBlock(pdf: Pdf, heading: string, p: InvoiceParty, x: number, y: number, width: number): number {
  let bottom = write(pdf, heading, x, y, { width, size: 8, font: BOLD });
  bottom = write(pdf, p.name, x, bottom + 2, { width, font: BOLD, size: 10 });
  return write(pdf, partyLines(p).join('\n'), x, bottom + 1, { width });
}

function header(pdf: Pdf, doc: InvoiceDocument): number {
  const rightX = MARGIN + 260;
  const rightWidth = CONTENT_WIDTH - 260;
  let right = write(pdf, TITLES[doc.kind], rightX, MARGIN, { width: rightWidth, align: 'right', font: BOLD, size: 22 });
  right = write(pdf, `N° ${doc.number}`, rightX, right + 2, { width: rightWidth, align: 'right', font: BOLD, size: 11 });
  const dates = [`Date d'émission : ${formatDateFr(doc.issuedOn)}`];
  if (doc.dueOn) dates.push(`Date d'échéance : ${formatDateFr(doc.dueOn)}`);
  if (doc.creditedInvoice)
    dates.push(`Avoir sur la facture N° ${doc.creditedInvoice.number} du ${formatDateFr(doc.creditedInvoice.issuedOn)}`);
  right = write(pdf, dates.join('\n'), rightX, right + 4, { width: rightWidth, align: 'right' });

  const left = partyBlock(pdf, 'ÉMETTEUR', doc.seller, MARGIN, MARGIN, 240);
  let y = Math.max(left, right) + 20;

  const refs = [`Bon de commande : ${doc.orderReference}`];
  if (doc.contractReference) refs.push(`Marché : ${doc.contractReference}`);
  const refsBottom = write(pdf, refs.join('\n'), MARGIN, y + 6, { width: 230 });
  const buyerX = MARGIN + 260;
  const buyerBottom = partyBlock(pdf, 'DESTINATAIRE', doc.buyer, buyerX + 8, y + 6, rightWidth - 16);
  pdf
    .lineWidth(0.5)
    .rect(buyerX, y, rightWidth, buyerBottom - y + 6)
    .stroke();
  y = Math.max(refsBottom, buyerBottom) + 24;
  return y;
}

function rowHeight(pdf: Pdf, cells: string[], columns: Column[], font: string): number {
  pdf.font(font).fontSize(9);
  const heights = cells.map((cell, i) => pdf.heightOfString(pdfSafe(cell), { width: columns[i].width - 2 * CELL_PADDING }));
  return Math.max(...heights) + 2 * CELL_PADDING;
}

function drawRow(pdf: Pdf, cells: string[], columns: Column[], y: number, options: { font?: string; fill?: string } = {}): number {
  const font = options.font ?? REGULAR;
  const height = rowHeight(pdf, cells, columns, font);
  if (options.fill) pdf.rect(MARGIN, y, CONTENT_WIDTH, height).fill(options.fill).fillColor('black');
  let x = MARGIN;
  cells.forEach((cell, i) => {
    write(pdf, cell, x + CELL_PADDING, y + CELL_PADDING, { width: columns[i].width - 2 * CELL_PADDING, align: columns[i].align, font });
    x += columns[i].width;
  });
  pdf
    .moveTo(MARGIN, y + height)
    .lineTo(MARGIN + CONTENT_WIDTH, y + height)
    .lineWidth(0.5)
    .stroke();
  return y + height;
}

/** A table that continues on a new page, header repeated, when a row does not fit. */
function table(pdf: Pdf, columns: Column[], rows: string[][], startY: number): number {
  const headerCells = columns.map((c) => c.label);
  let y = drawRow(pdf, headerCells, columns, startY, { font: BOLD, fill: HEADER_FILL });
  for (const row of rows) {
    if (y + rowHeight(pdf, row, columns, REGULAR) > contentBottom(pdf)) {
      pdf.addPage();
      y = drawRow(pdf, headerCells, columns, MARGIN, { font: BOLD, fill: HEADER_FILL });
    }
    y = drawRow(pdf, row, columns, y);
  }
  return y;
}

function ensureRoom(pdf: Pdf, y: number, height: number): number {
  if (y + height <= contentBottom(pdf)) return y;
  pdf.addPage();
  return MARGIN;
}

function linesTable(pdf: Pdf, doc: InvoiceDocument, y: number): number {
  const columns: Column[] = [
    { label: 'Désignation', width: 195, align: 'left' },
    { label: 'Quantité', width: 60, align: 'right' },
    { label: 'Prix unitaire HT', width: 80, align: 'right' },
    { label: 'TVA', width: 65, align: 'right' },
    { label: 'Montant HT', width: 95, align: 'right' },
  ];
  const rows = doc.lines.map((l) => [
    l.description,
    formatInteger(l.quantity),
    formatEuros(l.unitPriceCents),
    vatLabel(l.vatCategory, l.vatRateBp),
    formatEuros(l.netCents),
  ]);
  return table(pdf, columns, rows, y);
}

function vatTable(pdf: Pdf, doc: InvoiceDocument, y: number): number {
  const columns: Column[] = [
    { label: 'Récapitulatif TVA', width: 205, align: 'left' },
    { label: 'Base HT', width: 140, align: 'right' },
    { label: 'Taux', width: 55, align: 'right' },
    { label: 'Montant TVA', width: 95, align: 'right' },
  ];
  const rows = doc.totals.vatBreakdown.map((g) => [
    categoryName(g.category),
    formatEuros(g.taxableCents),
    g.category === 'O' ? '-' : formatRate(g.rateBp),
    formatEuros(g.vatCents),
  ]);
  let bottom = table(pdf, columns, rows, ensureRoom(pdf, y, 60));
  const reasons = doc.totals.vatBreakdown.filter((g) => g.exemptionReason).map((g) => `${g.category} : ${g.exemptionReason}`);
  if (reasons.length > 0) bottom = write(pdf, reasons.join('\n'), MARGIN, bottom + 4, { width: CONTENT_WIDTH, size: 8 });
  return bottom;
}

function totalsBlock(pdf: Pdf, doc: InvoiceDocument, y: number): number {
  const rows: [string, number][] = [
    ['Total HT', doc.totals.taxExclusiveCents],
    ['Total TVA', doc.totals.vatCents],
    ['Total TTC', doc.totals.taxInclusiveCents],
  ];
  const width = 240;
  const x = MARGIN + CONTENT_WIDTH - width;
  let top = ensureRoom(pdf, y, 80);
  for (const [label, cents] of rows) {
    write(pdf, label, x, top, { width: 130 });
    top = write(pdf, formatEuros(cents), x + 130, top, { width: width - 130, align: 'right' }) + 3;
  }
  const finalLabel = doc.kind === 'invoice' ? 'Net à payer' : "Montant de l'avoir";
  pdf.rect(x, top, width, 20).fill(HEADER_FILL).fillColor('black');
  write(pdf, finalLabel, x + CELL_PADDING, top + 5, { width: 130, font: BOLD, size: 10 });
  write(pdf, formatEuros(doc.totals.payableCents), x + 130, top + 5, {
    width: width - 130 - CELL_PADDING,
    align: 'right',
    font: BOLD,
    size: 10,
  });
  return top + 20;
}

/** Legal mentions, anchored to the bottom of the last page (on a page of their own if need be). */
function mentions(pdf: Pdf, doc: InvoiceDocument, y: number): void {
  if (doc.notes.length === 0) return;
  const text = pdfSafe(doc.notes.join('\n'));
  pdf.font(REGULAR).fontSize(7.5);
  const height = pdf.heightOfString(text, { width: CONTENT_WIDTH });
  let top = contentBottom(pdf) - height;
  if (top < y + 16) {
    pdf.addPage();
    top = Math.max(MARGIN, contentBottom(pdf) - height);
  }
  pdf
    .moveTo(MARGIN, top - 6)
    .lineTo(MARGIN + CONTENT_WIDTH, top - 6)
    .lineWidth(0.5)
    .stroke();
  write(pdf, doc.notes.join('\n'), MARGIN, top, { width: CONTENT_WIDTH, size: 7.5 });
}

function footers(pdf: Pdf, doc: InvoiceDocument): void {
  const range = pdf.bufferedPageRange();
  const identity = [doc.seller.name, doc.seller.siren ? `SIREN ${doc.seller.siren}` : null, `${TITLES[doc.kind]} N° ${doc.number}`]
    .filter(Boolean)
    .join(' — ');
  for (let i = range.start; i < range.start + range.count; i++) {
    pdf.switchToPage(i);
    // Writing below the bottom margin would make pdfkit open a new page.
    const bottomMargin = pdf.page.margins.bottom;
    pdf.page.margins.bottom = 0;
    const y = pdf.page.height - MARGIN - FOOTER_HEIGHT / 2;
    write(pdf, identity, MARGIN, y, { width: CONTENT_WIDTH - 80, size: 7.5 });
    write(pdf, `Page ${i - range.start + 1} / ${range.count}`, MARGIN + CONTENT_WIDTH - 80, y, { width: 80, align: 'right', size: 7.5 });
    pdf.page.margins.bottom = bottomMargin;
  }
}

/**
 * The human-readable document (A4, in French, standard Helvetica): header with number and dates,
 * seller and buyer, order and contract references, lines, VAT breakdown, totals and the legal
 * mentions at the bottom. The same document always gives the same bytes (the creation date is the
 * issue date), so a stored copy can be checked by hash.
 */
export async function renderInvoicePdf(doc: InvoiceDocument, options: RenderInvoicePdfOptions = {}): Promise<Buffer> {
  assertConsistentDocument(doc);
  const title = `${doc.kind === 'invoice' ? 'Facture' : 'Avoir'} ${doc.number}`;
  const pdf = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    bufferPages: true,
    compress: options.compress ?? true,
    lang: 'fr-FR',
    info: {
      Title: pdfSafe(title),
      Author: pdfSafe(doc.seller.name),
      Subject: pdfSafe(title),
      CreationDate: new Date(`${doc.issuedOn}T00:00:00Z`),
    },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    pdf.on('data', (chunk: Buffer) => chunks.push(chunk));
    pdf.on('end', () => resolve(Buffer.concat(chunks)));
    pdf.on('error', reject);
  });

  let y = header(pdf, doc);
  y = linesTable(pdf, doc, y);
  y = vatTable(pdf, doc, y + 16);
  y = totalsBlock(pdf, doc, y + 16);
  mentions(pdf, doc, y);
  footers(pdf, doc);
  pdf.end();
  return done;
}
