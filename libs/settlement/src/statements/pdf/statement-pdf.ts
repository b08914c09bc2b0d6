import { formatEuros } from '@sillage/common';
import { pdfLayout, pdfSafe } from '@sillage/funding';
import { formatParisDate, formatParisDateTime, paymentNote, STATUS_LABELS } from './statement-pdf-text';
import type { StatementPdfDocument, StatementPdfLine, StatementPdfParty } from './statement-pdf-types';

// The invoice PDF's page, fonts and tables; smaller table text, and a table keeps its header with a first row or two.
const {
  BOLD,
  CONTENT_WIDTH,
  drawFramedPartyBlock,
  drawPageFooters,
  drawPartyBlock,
  drawTable,
  ensureRoom,
  HEADER_FILL,
  MARGIN,
  REGULAR,
  renderA4Pdf,
  writeText,
} = pdfLayout;
type Pdf = pdfLayout.Pdf;
const TABLE: pdfLayout.TableStyle = { size: 7.5, padding: 3, color: 'black', keepWithHeader: 30 };
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

/** Every statement text sets its colour, black unless said otherwise. */
function write(pdf: Pdf, text: string, x: number, y: number, options: pdfLayout.TextOptions): number {
  return writeText(pdf, text, x, y, { ...options, color: options.color ?? 'black' });
}

function partyLines(p: StatementPdfParty): string[] {
  const lines = [p.addressLine, [p.postcode, p.city].filter(Boolean).join(' ')].filter((l) => l.trim() !== '');
  if (p.siret) lines.push(`SIRET : ${p.siret}`);
  else if (p.siren) lines.push(`SIREN : ${p.siren}`);
  return lines;
}

function party(heading: string, p: StatementPdfParty): pdfLayout.PartyBlock {
  return { heading, headingSize: 7.5, name: p.name, lines: partyLines(p), color: 'black' };
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

  const left = doc.issuer ? drawPartyBlock(pdf, party('ÉMETTEUR / ISSUER', doc.issuer), MARGIN, MARGIN, 220) : MARGIN;
  let y = Math.max(left, right) + 16;
  const siteBottom = drawFramedPartyBlock(pdf, party('STRUCTURE REMBOURSÉE / SITE', doc.site), MARGIN + 235, y, rightWidth);
  y = siteBottom + 22;
  return y;
}

const count = (n: number | null) => (n === null ? DASH : String(n).replace(/\B(?=(\d{3})+(?!\d))/g, '\u00a0'));

/** A statement table's column and how a line fills it. */
interface LineColumn extends pdfLayout.Column {
  cell: (l: StatementPdfLine) => string;
}

const orderColumn = (width: number): LineColumn => ({
  label: 'Commande\nOrder',
  width,
  align: 'left',
  cell: (l) => l.orderReference ?? DASH,
});

/** Face value, commission and amount end both tables. */
function moneyColumns(widths: [number, number, number], amountLabel: string): LineColumn[] {
  return [
    { label: 'Valeur faciale\nFace value', width: widths[0], align: 'right', cell: (l) => formatEuros(l.faceValueCents) },
    { label: 'Commission\nCommission', width: widths[1], align: 'right', cell: (l) => formatEuros(l.commissionCents) },
    { label: amountLabel, width: widths[2], align: 'right', cell: (l) => formatEuros(l.amountCents) },
  ];
}

function linesTable(pdf: Pdf, columns: LineColumn[], lines: StatementPdfLine[], y: number): number {
  const rows = lines.map((l) => columns.map((c) => c.cell(l)));
  return drawTable(pdf, TABLE, columns, rows, y);
}

function serviceTable(pdf: Pdf, lines: StatementPdfLine[], y: number): number {
  const columns: LineColumn[] = [
    orderColumn(68),
    { label: 'Catégorie de service\nService category', width: 68, align: 'left', cell: (l) => l.serviceCategory ?? DASH },
    { label: 'Règle de tarification\nPricing rule', width: 88, align: 'left', cell: (l) => l.pricingRule ?? DASH },
    { label: 'Passages\nVisits', width: 42, align: 'right', cell: (l) => count(l.redemptionCount) },
    { label: 'Bons\nVouchers', width: 42, align: 'right', cell: (l) => count(l.voucherCount) },
    ...moneyColumns([63, 57, 67], 'Montant dû\nAmount'),
  ];
  return linesTable(pdf, columns, lines, y);
}

/** Corrections (accepted incidents, carried receivables) have no order or voucher count: their own, shorter table. */
function correctionTable(pdf: Pdf, lines: StatementPdfLine[], y: number): number {
  let top = ensureRoom(pdf, y, 60);
  top = write(pdf, 'Corrections / Adjustments', MARGIN, top, { width: CONTENT_WIDTH, font: BOLD, size: 10 }) + 4;
  const subject = (l: StatementPdfLine) => [l.serviceCategory, l.pricingRule].filter(Boolean).join(' — ') || 'Correction';
  const columns: LineColumn[] = [
    { label: 'Objet\nSubject', width: 180, align: 'left', cell: subject },
    orderColumn(78),
    ...moneyColumns([80, 75, 82], 'Montant\nAmount'),
  ];
  return linesTable(pdf, columns, lines, top);
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
  write(pdf, 'Total à payer / Total to be paid', x + TABLE.padding, top + 5, { width: labelWidth + 20, font: BOLD, size: 10 });
  write(pdf, formatEuros(doc.totals.totalCents), x + labelWidth, top + 5, {
    width: width - labelWidth - TABLE.padding,
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
  const metadata = {
    title,
    author: doc.issuer?.name ?? 'Sillage',
    subject: `${title} — ${doc.site.name}`,
    creationDate: new Date(doc.issuedAt),
    compress: options.compress,
  };
  return renderA4Pdf(metadata, (pdf) => {
    let y = header(pdf, doc);
    const services = doc.lines.filter((l) => l.kind === 'service');
    const corrections = doc.lines.filter((l) => l.kind === 'correction');
    y = serviceTable(pdf, services, y);
    if (corrections.length > 0) y = correctionTable(pdf, corrections, y + 16);
    y = totalsBlock(pdf, doc, y + 16);
    note(pdf, doc, y);
    drawPageFooters(pdf, `Relevé N° ${doc.number} — ${doc.site.name}`, { color: 'black' });
  });
}
