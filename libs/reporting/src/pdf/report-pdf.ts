import { NBSP } from '@sillage/common';
import { pdfLayout } from '@sillage/funding';
import { ReportCheckpointDto } from '../transparency/dto/transparency.dto';

const { BOLD, CONTENT_WIDTH, MARGIN, drawTable, drawTableRows, ensureRoom, writeText } = pdfLayout;
type Pdf = pdfLayout.Pdf;

/** The pieces every report PDF shares (issue 8): a percentage in French, titled tables, bars, the proof paragraph. */

/** A ratio as a French percentage with one decimal, "—" when there is none. */
export const percent = (ratio: number | null) =>
  ratio === null ? '—' : `${(Math.round(ratio * 1000) / 10).toString().replace('.', ',')} %`;

/** A count with French digit grouping (no-break spaces, as `formatEuros`). */
export const count = (n: number) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, NBSP);

export type SectionColumn = [label: string, width: number, align?: pdfLayout.Align];

/** Rows drawn between two progress reports of a long table. */
const SLICE = 100;

/**
 * A titled table below `y` (columns: label, width, alignment — right unless said); returns the y below
 * it. A long table is drawn in slices with `progress(rows drawn)` awaited after each, so the worker
 * can record progress (and other work can run) while a report of thousands of rows is rendered.
 */
export async function section(
  pdf: Pdf,
  title: string,
  columns: SectionColumn[],
  rows: string[][],
  y: number,
  progress?: (rows: number) => Promise<void>,
): Promise<number> {
  const top = writeText(pdf, title, MARGIN, ensureRoom(pdf, y + 14, 60), { width: CONTENT_WIDTH, font: BOLD, size: 11 });
  const style = { size: 8.5, padding: 4, keepWithHeader: 20 };
  const cols = columns.map(([label, width, align]) => ({ label, width, align: align ?? ('right' as const) }));
  let bottom = drawTable(pdf, style, cols, rows.slice(0, SLICE), top + 6);
  await progress?.(Math.min(SLICE, rows.length));
  for (let i = SLICE; i < rows.length; i += SLICE) {
    bottom = drawTableRows(pdf, style, cols, rows.slice(i, i + SLICE), bottom);
    await progress?.(Math.min(i + SLICE, rows.length));
  }
  return bottom;
}

export interface Bar {
  label: string;
  value: number;
  /** What is written after the bar (the value formatted). */
  text: string;
  color: string;
}

/** Horizontal bars on one scale, a label on the left and the value on the right; returns the y below them. */
export function drawBars(pdf: Pdf, bars: Bar[], top: number): number {
  const max = Math.max(1, ...bars.map((b) => b.value));
  const labelWidth = 150;
  const barWidth = CONTENT_WIDTH - labelWidth - 100;
  let y = ensureRoom(pdf, top, bars.length * 22);
  for (const bar of bars) {
    writeText(pdf, bar.label, MARGIN, y + 3, { width: labelWidth - 8, size: 9 });
    pdf.rect(MARGIN + labelWidth, y, Math.max(1, (barWidth * Math.max(0, bar.value)) / max), 14).fill(bar.color);
    pdf.fillColor('black');
    writeText(pdf, bar.text, MARGIN + labelWidth + barWidth + 6, y + 3, { width: 94, size: 9 });
    y += 22;
  }
  return y;
}

/** "En bref": the plain-language summary under its heading; returns the y below it. */
export function drawSummary(pdf: Pdf, text: string, y: number): number {
  const top = writeText(pdf, 'En bref', MARGIN, y + 16, { width: CONTENT_WIDTH, font: BOLD, size: 11 });
  return writeText(pdf, text, MARGIN, top + 4, { width: CONTENT_WIDTH, size: 10 });
}

/** "Preuve": the signed checkpoint the figures are exactly as of, and how to check it. */
export function drawProof(pdf: Pdf, checkpoint: ReportCheckpointDto | null, y: number): number {
  const top = writeText(pdf, 'Preuve', MARGIN, ensureRoom(pdf, y + 16, 60), { width: CONTENT_WIDTH, font: BOLD, size: 11 });
  return writeText(
    pdf,
    checkpoint
      ? `Ces chiffres sont calculés à partir des événements scellés du journal d’audit, exactement au point de contrôle n° ${checkpoint.treeSize} ` +
          `(racine ${Buffer.from(checkpoint.root, 'base64').toString('hex')}, signé le ${checkpoint.issuedAt} par la clé ${checkpoint.keyId}). ` +
          'Chacun peut vérifier ce point de contrôle et ses preuves d’inclusion.'
      : 'Aucun événement n’a encore été scellé : les chiffres sont nuls.',
    MARGIN,
    top + 4,
    { width: CONTENT_WIDTH, size: 8.5 },
  );
}
