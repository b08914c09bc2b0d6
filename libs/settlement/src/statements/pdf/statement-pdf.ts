import PDFDocument from 'pdfkit';
import { formatEuros } from '@sillage/common';
import { pdfSafe } from '@sillage/funding';
import { formatParisDate, formatParisDateTime, paymentNote, STATUS_LABELS } from './statement-pdf-text';
import type { StatementPdfDocument, StatementPdfLine, StatementPdfParty } from './statement-pdf-types';

type Pdf = PDFKit.PDFDocument;
type Align = 'left' | 'right';
interface Column {
  label: string;
  width: number;
  align: Align;
}

// The invoice PDF's page: A4, 50 pt margins, standard Helvetica (WinAnsi text through pdfSafe).
const MARGIN = 50;
const FOOTER_HEIGHT = 24;
const CONTENT_WIDTH = 495;
const REGULAR = 'Helvetica';
const BOLD = 'Helvetica-Bold';
const HEADER_FILL = '#eeeeee';
const CELL_PADDING = 3;
const TABLE_SIZE = 7.5;
const DASH = '—';

/** A statement the renderer refuses: its totals are not its lines' sums (a bug upstream, never user input). */
export class StatementPdfError extends Error {
  constructor(number: string, problem: string) {
    super(`statement ${number}: ${problem}`);
    this.name = 'StatementPdfError';
  }
}

function assertConsistent(doc: StatementPdfDocument): void {
  const sum = (pick: (l: StatementPdfLine) => number) => doc.lines.reduce((n, l) => n + pick(l), 0);
  const expected = {
    voucherCount: sum((l) => l.voucherCount ?? 0),
    faceValueCents: sum((l) => l.faceValueCents),
    commissionCents: sum((l) => l.commissionCents),
    totalCents: sum((l) => l.amountCents),
  };
  for (const key of Object.keys(expected) as (keyof typeof expected)[]) {
    if (expected[key] !== doc.totals[key]) throw new StatementPdfError(doc.number, `${key} ${doc.totals[key]} ≠ lines ${expected[key]}`);
  }
}

function contentBottom(pdf: Pdf): number {
  return pdf.page.height - MARGIN - FOOTER_HEIGHT;
}

function write(
  pdf: Pdf,
  text: string,
  x: number,
  y: number,
  options: { width: number; align?: Align; font?: string; size?: number; color?: string },
): number {
  pdf
    .font(options.font ?? REGULAR)
    .fontSize(options.size ?? 9)
    .fillColor(options.color ?? 'black')
    .text(pdfSafe(text), x, y, { width: options.width, align: options.align ?? 'left' });
  pdf.fillColor('black');
  return pdf.y;
}

function partyLines(p: StatementPdfParty): string[] {
  const lines = [p.addressLine, [p.postcode, p.city].filter(Boolean).join(' ')].filter((l) => l.trim() !== '');
  if (p.siret) lines.push(`SIRET : ${p.siret}`);
  else if (p.siren) lines.push(`SIREN : ${p.siren}`);
  return lines;
}

function partyBlock(pdf: Pdf, heading: string, p: StatementPdfParty, x: number, y: number, width: number): number {
  let bottom = write(pdf, heading, x, y, { width, size: 7.5, font: BOLD });
  bottom = write(pdf, p.name, x, bottom + 2, { width, font: BOLD, size: 10 });
  return write(pdf, partyLines(p).join('\n'), x, bottom + 1, { width });
}

/** Title and references on the right, issuer on the left, then the site paid in a box. */
function header(pdf: Pdf, doc: StatementPdfDocument): number {
  const rightX = MARGIN + 235;
  const rightWidth = CONTENT_WIDTH - 235;
  let right = write(pdf, 'RELEVÉ DE REMBOURSEMENT', rightX, MARGIN, { width: rightWidth, align: 'right', font: BOLD, size: 15 });
  right = write(pdf, 'Reimbursement statement', rightX, right, { width: rightWidth, align: 'right', size: 10, color: '#555555' });
  right = write(pdf, `N° ${doc.number}`, rightX, right + 4, { width: rightWidth, align: 'right', font: BOLD, size: 11 });
  const refs = [
    `Date d'émission / Issued : ${formatParisDate(doc.issuedAt)}`,
    `Arrêté au / Cutoff : ${formatParisDateTime(doc.cutoff)}`,
    `Campagne / Run : ${doc.runId}`,
    `Statut / Status : ${STATUS_LABELS[doc.status]}`,
  ];
  right = write(pdf, refs.join('\n'), rightX, right + 4, { width: rightWidth, align: 'right', size: 8 });

  const left = doc.issuer ? partyBlock(pdf, 'ÉMETTEUR / ISSUER', doc.issuer, MARGIN, MARGIN, 220) : MARGIN;
  let y = Math.max(left, right) + 16;
  const boxX = MARGIN + 235;
  const siteBottom = partyBlock(pdf, 'STRUCTURE REMBOURSÉE / SITE', doc.site, boxX + 8, y + 6, rightWidth - 16);
  pdf
    .lineWidth(0.5)
    .rect(boxX, y, rightWidth, siteBottom - y + 6)
    .stroke();
  y = siteBottom + 22;
  return y;
}

function rowHeight(pdf: Pdf, cells: string[], columns: Column[], font: string): number {
  pdf.font(font).fontSize(TABLE_SIZE);
  const heights = cells.map((cell, i) => pdf.heightOfString(pdfSafe(cell), { width: columns[i].width - 2 * CELL_PADDING }));
  return Math.max(...heights) + 2 * CELL_PADDING;
}

function drawRow(pdf: Pdf, cells: string[], columns: Column[], y: number, options: { font?: string; fill?: string } = {}): number {
  const font = options.font ?? REGULAR;
  const height = rowHeight(pdf, cells, columns, font);
  if (options.fill) pdf.rect(MARGIN, y, CONTENT_WIDTH, height).fill(options.fill).fillColor('black');
  let x = MARGIN;
  cells.forEach((cell, i) => {
    write(pdf, cell, x + CELL_PADDING, y + CELL_PADDING, {
      width: columns[i].width - 2 * CELL_PADDING,
      align: columns[i].align,
      font,
      size: TABLE_SIZE,
    });
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
  let y = ensureRoom(pdf, startY, rowHeight(pdf, headerCells, columns, BOLD) + 30);
  y = drawRow(pdf, headerCells, columns, y, { font: BOLD, fill: HEADER_FILL });
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

const count = (n: number | null) => (n === null ? DASH : String(n).replace(/\B(?=(\d{3})+(?!\d))/g, '\u00a0'));

function serviceTable(pdf: Pdf, lines: StatementPdfLine[], y: number): number {
  const columns: Column[] = [
    { label: 'Commande\nOrder', width: 68, align: 'left' },
    { label: 'Catégorie de service\nService category', width: 68, align: 'left' },
    { label: 'Règle de tarification\nPricing rule', width: 88, align: 'left' },
    { label: 'Passages\nVisits', width: 42, align: 'right' },
    { label: 'Bons\nVouchers', width: 42, align: 'right' },
    { label: 'Valeur faciale\nFace value', width: 63, align: 'right' },
    { label: 'Commission\nCommission', width: 57, align: 'right' },
    { label: 'Montant dû\nAmount', width: 67, align: 'right' },
  ];
  const rows = lines.map((l) => [
    l.orderReference ?? DASH,
    l.serviceCategory ?? DASH,
    l.pricingRule ?? DASH,
    count(l.redemptionCount),
    count(l.voucherCount),
    formatEuros(l.faceValueCents),
    formatEuros(l.commissionCents),
    formatEuros(l.amountCents),
  ]);
  return table(pdf, columns, rows, y);
}

/** Corrections (accepted incidents, carried receivables) have no order or voucher count: their own, shorter table. */
function correctionTable(pdf: Pdf, lines: StatementPdfLine[], y: number): number {
  let top = ensureRoom(pdf, y, 60);
  top = write(pdf, 'Corrections / Adjustments', MARGIN, top, { width: CONTENT_WIDTH, font: BOLD, size: 10 }) + 4;
  const columns: Column[] = [
    { label: 'Objet\nSubject', width: 180, align: 'left' },
    { label: 'Commande\nOrder', width: 78, align: 'left' },
    { label: 'Valeur faciale\nFace value', width: 80, align: 'right' },
    { label: 'Commission\nCommission', width: 75, align: 'right' },
    { label: 'Montant\nAmount', width: 82, align: 'right' },
  ];
  const rows = lines.map((l) => [
    [l.serviceCategory, l.pricingRule].filter(Boolean).join(' — ') || 'Correction',
    l.orderReference ?? DASH,
    formatEuros(l.faceValueCents),
    formatEuros(l.commissionCents),
    formatEuros(l.amountCents),
  ]);
  return table(pdf, columns, rows, top);
}

function totalsBlock(pdf: Pdf, doc: StatementPdfDocument, y: number): number {
  const rows: [string, string][] = [
    ['Bons / Vouchers', count(doc.totals.voucherCount)],
    ['Valeur faciale / Face value', formatEuros(doc.totals.faceValueCents)],
    ['Commission', formatEuros(doc.totals.commissionCents)],
  ];
  const width = 260;
  const labelWidth = 160;
  const x = MARGIN + CONTENT_WIDTH - width;
  let top = ensureRoom(pdf, y, 80);
  for (const [label, value] of rows) {
    write(pdf, label, x, top, { width: labelWidth });
    top = write(pdf, value, x + labelWidth, top, { width: width - labelWidth, align: 'right' }) + 3;
  }
  pdf.rect(x, top, width, 20).fill(HEADER_FILL).fillColor('black');
  write(pdf, 'Total à payer / Total to be paid', x + CELL_PADDING, top + 5, { width: labelWidth + 20, font: BOLD, size: 10 });
  write(pdf, formatEuros(doc.totals.totalCents), x + labelWidth, top + 5, {
    width: width - labelWidth - CELL_PADDING,
    align: 'right',
    font: BOLD,
    size: 10,
  });
  return top + 20;
}

/** What is paid, when and to which account, after the totals (on a new page if it does not fit). */
function note(pdf: Pdf, doc: StatementPdfDocument, y: number): void {
  const [what, when, english] = paymentNote(doc).map(pdfSafe);
  pdf.font(REGULAR).fontSize(8.5);
  const height =
    pdf.heightOfString(`${what}\n${when}`, { width: CONTENT_WIDTH }) +
    pdf.fontSize(7.5).heightOfString(english, { width: CONTENT_WIDTH }) +
    30;
  let top = ensureRoom(pdf, y + 18, height);
  top = write(pdf, 'Paiement / Payment', MARGIN, top, { width: CONTENT_WIDTH, font: BOLD, size: 10 }) + 4;
  top = write(pdf, `${what}\n${when}`, MARGIN, top, { width: CONTENT_WIDTH, size: 8.5 }) + 4;
  write(pdf, english, MARGIN, top, { width: CONTENT_WIDTH, size: 7.5, color: '#555555' });
}

function footers(pdf: Pdf, doc: StatementPdfDocument): void {
  const range = pdf.bufferedPageRange();
  const identity = `Relevé N° ${doc.number} — ${doc.site.name}`;
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
 * The site's statement as a PDF (A4, French first with English labels, standard Helvetica, as the
 * invoice PDF): number, cutoff, run, issue date and status; the site (name, SIRET, address); the
 * service lines, then correction lines if any, continued over as many pages as needed with the
 * header repeated; totals; and a plain-language note on what is paid, when and to which account.
 * The creation date is the statement's, so the same data always gives the same bytes.
 */
export async function renderStatementPdf(doc: StatementPdfDocument, options: { compress?: boolean } = {}): Promise<Buffer> {
  assertConsistent(doc);
  const title = `Relevé de remboursement ${doc.number}`;
  const pdf = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    bufferPages: true,
    compress: options.compress ?? true,
    lang: 'fr-FR',
    info: {
      Title: pdfSafe(title),
      Author: pdfSafe(doc.issuer?.name ?? 'Sillage'),
      Subject: pdfSafe(`${title} — ${doc.site.name}`),
      CreationDate: new Date(doc.issuedAt),
    },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    pdf.on('data', (chunk: Buffer) => chunks.push(chunk));
    pdf.on('end', () => resolve(Buffer.concat(chunks)));
    pdf.on('error', reject);
  });

  let y = header(pdf, doc);
  const services = doc.lines.filter((l) => l.kind === 'service');
  const corrections = doc.lines.filter((l) => l.kind === 'correction');
  y = serviceTable(pdf, services, y);
  if (corrections.length > 0) y = correctionTable(pdf, corrections, y + 16);
  y = totalsBlock(pdf, doc, y + 16);
  note(pdf, doc, y);
  footers(pdf, doc);
  pdf.end();
  return done;
}
