import PDFDocument from 'pdfkit';
import { pdfSafe } from './text-safety';

/**
 * The page both business PDFs share, the invoice (and credit note) and the site's reimbursement
 * statement (libs/settlement, through `pdfLayout` in this library's index): A4, 50 pt margins, a
 * footer band, standard Helvetica (text made WinAnsi-safe by pdfSafe), tables whose header row is
 * repeated on every page they run over. It lives beside the invoice PDF because pdfSafe does and
 * the statement already depends on @sillage/funding; libs/common stays free of pdfkit.
 *
 * Both documents are kept as files (an invoice by hash): a change here must keep their bytes.
 */
export type Pdf = PDFKit.PDFDocument;
export type Align = 'left' | 'right';
export interface Column {
  label: string;
  width: number;
  align: Align;
}

export const MARGIN = 50;
export const FOOTER_HEIGHT = 24;
export const CONTENT_WIDTH = 495; // A4 width (595.28 pt) less both margins
export const REGULAR = 'Helvetica';
export const BOLD = 'Helvetica-Bold';
export const HEADER_FILL = '#eeeeee';

export interface TextOptions {
  width: number;
  align?: Align;
  font?: string;
  size?: number;
  /** Fill colour for this text, reset to black after; unset, the text takes the current colour. */
  color?: string;
}

/** What differs between the documents' tables. */
export interface TableStyle {
  /** Font size of every cell, header included. */
  size: number;
  /** Space between a cell's edges and its text. */
  padding: number;
  /** Colour set on each cell's and footer's text (see TextOptions.color). */
  color?: string;
  /** Room a table needs below its header row to start on the current page; unset, it starts where it is. */
  keepWithHeader?: number;
}

/** Lowest y content may reach before the footer. */
export function contentBottom(pdf: Pdf): number {
  return pdf.page.height - MARGIN - FOOTER_HEIGHT;
}

/** `y`, or the top of a new page when `height` does not fit below it. */
export function ensureRoom(pdf: Pdf, y: number, height: number): number {
  if (y + height <= contentBottom(pdf)) return y;
  pdf.addPage();
  return MARGIN;
}

/** Writes text at (x, y); returns the y below it. */
export function writeText(pdf: Pdf, text: string, x: number, y: number, options: TextOptions): number {
  pdf.font(options.font ?? REGULAR).fontSize(options.size ?? 9);
  if (options.color !== undefined) pdf.fillColor(options.color);
  pdf.text(pdfSafe(text), x, y, { width: options.width, align: options.align ?? 'left' });
  if (options.color !== undefined) pdf.fillColor('black');
  return pdf.y;
}

export interface PartyBlock {
  heading: string;
  /** The heading's font size. */
  headingSize: number;
  name: string;
  /** Address and identifiers, one a line. */
  lines: string[];
  /** See TextOptions.color. */
  color?: string;
}

/** A party (seller, buyer, site…): small bold heading, name in bold, then its lines; returns the y below it. */
export function drawPartyBlock(pdf: Pdf, party: PartyBlock, x: number, y: number, width: number): number {
  const color = party.color;
  let bottom = writeText(pdf, party.heading, x, y, { width, size: party.headingSize, font: BOLD, color });
  bottom = writeText(pdf, party.name, x, bottom + 2, { width, font: BOLD, size: 10, color });
  return writeText(pdf, party.lines.join('\n'), x, bottom + 1, { width, color });
}

/** A party in a thin frame, its text inset (the document's recipient); returns the y below its text. */
export function drawFramedPartyBlock(pdf: Pdf, party: PartyBlock, x: number, y: number, width: number): number {
  const bottom = drawPartyBlock(pdf, party, x + 8, y + 6, width - 16);
  pdf
    .lineWidth(0.5)
    .rect(x, y, width, bottom - y + 6)
    .stroke();
  return bottom;
}

function rowHeight(pdf: Pdf, style: TableStyle, cells: string[], columns: Column[], font: string): number {
  pdf.font(font).fontSize(style.size);
  const heights = cells.map((cell, i) => pdf.heightOfString(pdfSafe(cell), { width: columns[i].width - 2 * style.padding }));
  return Math.max(...heights) + 2 * style.padding;
}

function drawRow(
  pdf: Pdf,
  style: TableStyle,
  cells: string[],
  columns: Column[],
  y: number,
  options: { font?: string; fill?: string } = {},
): number {
  const font = options.font ?? REGULAR;
  const height = rowHeight(pdf, style, cells, columns, font);
  if (options.fill) pdf.rect(MARGIN, y, CONTENT_WIDTH, height).fill(options.fill).fillColor('black');
  let x = MARGIN;
  cells.forEach((cell, i) => {
    writeText(pdf, cell, x + style.padding, y + style.padding, {
      width: columns[i].width - 2 * style.padding,
      align: columns[i].align,
      font,
      size: style.size,
      color: style.color,
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

/** A full-width table that continues on a new page, header repeated, when a row does not fit; returns the y below it. */
export function drawTable(pdf: Pdf, style: TableStyle, columns: Column[], rows: string[][], startY: number): number {
  const headerCells = columns.map((c) => c.label);
  let y = startY;
  if (style.keepWithHeader !== undefined) y = ensureRoom(pdf, y, rowHeight(pdf, style, headerCells, columns, BOLD) + style.keepWithHeader);
  y = drawRow(pdf, style, headerCells, columns, y, TABLE_HEADER);
  return drawTableRows(pdf, style, columns, rows, y);
}

const TABLE_HEADER = { font: BOLD, fill: HEADER_FILL };

/**
 * More rows of a table `drawTable` started (a long table drawn in slices, so the caller can report
 * progress between them): a new page repeats the header; returns the y below them.
 */
export function drawTableRows(pdf: Pdf, style: TableStyle, columns: Column[], rows: string[][], startY: number): number {
  let y = startY;
  for (const row of rows) {
    if (y + rowHeight(pdf, style, row, columns, REGULAR) > contentBottom(pdf)) {
      pdf.addPage();
      y = drawRow(
        pdf,
        style,
        columns.map((c) => c.label),
        columns,
        MARGIN,
        TABLE_HEADER,
      );
    }
    y = drawRow(pdf, style, row, columns, y);
  }
  return y;
}

/** On every page, once all are drawn: the document's identity on the left, "Page i / n" on the right. */
export function drawPageFooters(pdf: Pdf, identity: string, options: { color?: string } = {}): void {
  const range = pdf.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    pdf.switchToPage(i);
    // Writing below the bottom margin would make pdfkit open a new page.
    const bottomMargin = pdf.page.margins.bottom;
    pdf.page.margins.bottom = 0;
    const y = pdf.page.height - MARGIN - FOOTER_HEIGHT / 2;
    writeText(pdf, identity, MARGIN, y, { width: CONTENT_WIDTH - 80, size: 7.5, color: options.color });
    writeText(pdf, `Page ${i - range.start + 1} / ${range.count}`, MARGIN + CONTENT_WIDTH - 80, y, {
      width: 80,
      align: 'right',
      size: 7.5,
      color: options.color,
    });
    pdf.page.margins.bottom = bottomMargin;
  }
}

export interface PdfMetadata {
  title: string;
  author: string;
  subject: string;
  /** The document's own date, never the clock's, so the same document always gives the same bytes. */
  creationDate: Date;
  /** Deflate page streams (default true); tests that grep the raw file may turn it off. */
  compress?: boolean;
}

/** An A4 document in French with pages buffered (for the footers), drawn by `draw`, as bytes. */
export async function renderA4Pdf(metadata: PdfMetadata, draw: (pdf: Pdf) => void | Promise<void>): Promise<Buffer> {
  const pdf = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    bufferPages: true,
    compress: metadata.compress ?? true,
    lang: 'fr-FR',
    info: {
      Title: pdfSafe(metadata.title),
      Author: pdfSafe(metadata.author),
      Subject: pdfSafe(metadata.subject),
      CreationDate: metadata.creationDate,
    },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    pdf.on('data', (chunk: Buffer) => chunks.push(chunk));
    pdf.on('end', () => resolve(Buffer.concat(chunks)));
    pdf.on('error', reject);
  });
  await draw(pdf);
  pdf.end();
  return done;
}
