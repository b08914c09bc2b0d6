import { formatEuros, formatFrenchDate } from '@sillage/common';
import { pdfLayout } from '@sillage/funding';
import { drawBars, drawProof, drawSummary, percent, section } from '../pdf/report-pdf';
import { MoneyPeriod, MoneyReportDto } from './dto/money.dto';

const { CONTENT_WIDTH, MARGIN, BOLD, drawPageFooters, renderA4Pdf, writeText } = pdfLayout;

const PERIOD_LABELS: Record<MoneyPeriod, string> = { month: 'mois', quarter: 'trimestre', year: 'année' };

/** Rows a money PDF draws (its progress counts them). */
export const moneyPdfRows = (report: MoneyReportDto) => report.periods.length + report.sites.length;

/**
 * The money report as a PDF (issue 8): a plain-language summary in French, a bar chart of what came
 * in and went out, the table per period, the revenue per site and year, and the signed checkpoint.
 * Same figures as the JSON. `progress(rows drawn)` is awaited while the tables are drawn.
 */
export function moneyPdf(report: MoneyReportDto, progress?: (rows: number) => Promise<void>): Promise<Buffer> {
  const title = 'Où est allé l’argent';
  const scope = `Par ${PERIOD_LABELS[report.groupBy]} — situation au ${formatFrenchDate(report.asOf)}`;
  return renderA4Pdf({ title, author: 'Sillage', subject: scope, creationDate: new Date(`${report.asOf}T12:00:00Z`) }, async (pdf) => {
    let y = writeText(pdf, title, MARGIN, MARGIN, { width: CONTENT_WIDTH, font: BOLD, size: 15 });
    y = writeText(pdf, scope, MARGIN, y + 4, { width: CONTENT_WIDTH, size: 10 });
    y = drawSummary(pdf, summary(report), y);
    y = drawBars(
      pdf,
      [
        { label: 'Reçu des financeurs', value: report.receivedCents, color: '#4a6fa5' },
        { label: 'Payé aux acteurs de terrain', value: report.paidToFieldActorsCents, color: '#97c1a9' },
        { label: 'Frais', value: report.feesCents, color: '#d9a05b' },
        { label: 'Avoirs', value: report.creditNotesCents, color: '#b56576' },
      ].map((b) => ({ ...b, text: formatEuros(b.value) })),
      y + 14,
    );
    y = await section(
      pdf,
      `Par ${PERIOD_LABELS[report.groupBy]}`,
      [
        ['Période', 95, 'left'],
        ['Reçu', 100],
        ['Frais', 90],
        ['Avoirs', 90],
        ['Payé au terrain', 120],
      ],
      report.periods.map((p) => [
        p.period,
        formatEuros(p.receivedCents),
        formatEuros(p.feesCents),
        formatEuros(p.creditNotesCents),
        formatEuros(p.paidToFieldActorsCents),
      ]),
      y,
      progress,
    );
    y = await section(
      pdf,
      'Recettes par lieu et par année',
      [
        ['Lieu', 305, 'left'],
        ['Année', 70],
        ['Payé', 120],
      ],
      report.sites.map((s) => [s.siteName, String(s.year), formatEuros(s.paidCents)]),
      y,
      progress && ((rows) => progress(report.periods.length + rows)),
    );
    drawProof(pdf, report.checkpoint, y);
    drawPageFooters(pdf, `${title} — situation au ${formatFrenchDate(report.asOf)}`);
  });
}

/** The money in one paragraph of plain French. */
function summary(r: MoneyReportDto): string {
  const sites = new Set(r.sites.filter((s) => s.paidCents > 0).map((s) => s.siteId)).size;
  return [
    `Les financeurs ont versé ${formatEuros(r.receivedCents)}.`,
    `${formatEuros(r.paidToFieldActorsCents)} ont été payés à ${sites} acteur${sites > 1 ? 's' : ''} de terrain,`,
    `soit ${percent(r.fieldShare)} de l’argent reçu (part terrain).`,
    `Les frais s’élèvent à ${formatEuros(r.feesCents)} et les avoirs rendus aux financeurs à ${formatEuros(r.creditNotesCents)}.`,
  ].join(' ');
}
