import { formatDateFr } from './dates';
import { assertConsistentDocument } from './document-checks';
import { formatEuros, formatInteger, formatRate } from './money';
import {
  BOLD,
  type Column,
  CONTENT_WIDTH,
  contentBottom,
  drawFramedPartyBlock,
  drawPageFooters,
  drawPartyBlock,
  drawTable,
  ensureRoom,
  HEADER_FILL,
  MARGIN,
  type PartyBlock,
  type Pdf,
  REGULAR,
  renderA4Pdf,
  type TableStyle,
  writeText as write,
} from './pdf-layout';
import { pdfSafe } from './text-safety';
import type { InvoiceDocument, InvoiceParty, VatCategory } from './types';

const TABLE: TableStyle = { size: 9, padding: 4 };

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

function party(heading: string, p: InvoiceParty): PartyBlock {
  return { heading, headingSize: 8, name: p.name, lines: partyLines(p) };
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

  const left = drawPartyBlock(pdf, party('ÉMETTEUR', doc.seller), MARGIN, MARGIN, 240);
  let y = Math.max(left, right) + 20;

  const refs = [`Bon de commande : ${doc.orderReference}`];
  if (doc.contractReference) refs.push(`Marché : ${doc.contractReference}`);
  const refsBottom = write(pdf, refs.join('\n'), MARGIN, y + 6, { width: 230 });
  const buyerBottom = drawFramedPartyBlock(pdf, party('DESTINATAIRE', doc.buyer), MARGIN + 260, y, rightWidth);
  y = Math.max(refsBottom, buyerBottom) + 24;
  return y;
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
  return drawTable(pdf, TABLE, columns, rows, y);
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
  let bottom = drawTable(pdf, TABLE, columns, rows, ensureRoom(pdf, y, 60));
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
  write(pdf, finalLabel, x + TABLE.padding, top + 5, { width: 130, font: BOLD, size: 10 });
  write(pdf, formatEuros(doc.totals.payableCents), x + 130, top + 5, {
    width: width - 130 - TABLE.padding,
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

/** The seller and the document's number at the foot of every page. */
function footerIdentity(doc: InvoiceDocument): string {
  return [doc.seller.name, doc.seller.siren ? `SIREN ${doc.seller.siren}` : null, `${TITLES[doc.kind]} N° ${doc.number}`]
    .filter(Boolean)
    .join(' — ');
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
  const metadata = {
    title,
    author: doc.seller.name,
    subject: title,
    creationDate: new Date(`${doc.issuedOn}T00:00:00Z`),
    compress: options.compress,
  };
  return renderA4Pdf(metadata, (pdf) => {
    let y = header(pdf, doc);
    y = linesTable(pdf, doc, y);
    y = vatTable(pdf, doc, y + 16);
    y = totalsBlock(pdf, doc, y + 16);
    mentions(pdf, doc, y);
    drawPageFooters(pdf, footerIdentity(doc));
  });
}
