import { toWinAnsi } from './win-ansi-text';

export type FontName = 'Helvetica' | 'Helvetica-Bold';

export interface TextStyle {
  font: FontName;
  size: number;
  color?: string;
}

/** Text fitted to a width: the size it needs (down to a minimum), truncated with `…` below that. */
export interface FittedText extends TextStyle {
  text: string;
}

const ELLIPSIS = '\u2026';

/**
 * Fits `text` (made WinAnsi-safe) into `maxWidth`: shrinks the font by half points down to
 * `minSize`, then cuts characters and adds `…`. A long funder name or serial stays on its line
 * instead of running over the QR code or the stub.
 */
export function fitText(doc: PDFKit.PDFDocument, raw: string, style: TextStyle, maxWidth: number, minSize = style.size): FittedText {
  const text = toWinAnsi(raw);
  doc.font(style.font);
  for (let size = style.size; size >= minSize; size -= 0.5) {
    if (doc.fontSize(size).widthOfString(text) <= maxWidth) return { ...style, size, text };
  }
  doc.fontSize(minSize);
  let cut = text;
  while (cut.length > 0 && doc.widthOfString(cut + ELLIPSIS) > maxWidth) cut = cut.slice(0, -1);
  return { ...style, size: minSize, text: cut.trimEnd() + ELLIPSIS };
}

export type Align = 'left' | 'center' | 'right';

/**
 * One line of text whose box top is at `y`, anchored at `x` by `align`. No line wrapping (pdfkit's
 * wrapper is slow and could add a page on its own): callers fit or split the text first.
 */
export function drawLine(doc: PDFKit.PDFDocument, t: FittedText, x: number, y: number, align: Align = 'left'): void {
  doc
    .font(t.font)
    .fontSize(t.size)
    .fillColor(t.color ?? 'black');
  const width = align === 'left' ? 0 : doc.widthOfString(t.text);
  const left = align === 'left' ? x : align === 'center' ? x - width / 2 : x - width;
  doc.text(t.text, left, y, { lineBreak: false });
}

/** Draws a string (made WinAnsi-safe) that is known to fit. */
export function drawText(doc: PDFKit.PDFDocument, raw: string, style: TextStyle, x: number, y: number, align: Align = 'left'): void {
  drawLine(doc, { ...style, text: toWinAnsi(raw) }, x, y, align);
}

/** Splits an unbreakable string (a link) into lines no wider than `maxWidth`, character by character. */
export function splitToWidth(doc: PDFKit.PDFDocument, raw: string, style: TextStyle, maxWidth: number): string[] {
  const text = toWinAnsi(raw);
  doc.font(style.font).fontSize(style.size);
  const lines: string[] = [];
  let line = '';
  for (const ch of text) {
    if (line !== '' && doc.widthOfString(line + ch) > maxWidth) {
      lines.push(line);
      line = '';
    }
    line += ch;
  }
  if (line !== '') lines.push(line);
  return lines;
}
