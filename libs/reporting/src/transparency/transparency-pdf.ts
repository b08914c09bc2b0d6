import { formatEuros, formatFrenchDate } from '@sillage/common';
import { pdfLayout } from '@sillage/funding';
import { FundingTotalsDto, PolicyTransparencyDto, ProgrammeTransparencyDto } from './dto/transparency.dto';

const { BOLD, CONTENT_WIDTH, MARGIN, drawPageFooters, drawTable, ensureRoom, renderA4Pdf, writeText } = pdfLayout;
type Pdf = pdfLayout.Pdf;

const percent = (ratio: number | null) => (ratio === null ? '—' : `${(Math.round(ratio * 1000) / 10).toString().replace('.', ',')} %`);
const BARS: [keyof FundingTotalsDto, string, string][] = [
  ['obtainedCents', 'Obtenu', '#4a6fa5'],
  ['attributedCents', 'Attribué', '#6b9ac4'],
  ['executedCents', 'Exécuté (commandes payées)', '#97c1a9'],
  ['cofinancedCents', 'Cofinancé', '#d9a05b'],
];

/**
 * The transparency report as a PDF (issue 8): a plain-language summary in French, a bar chart of the
 * four amounts, the table per grant (programme) or per programme and announcement (policy), and the
 * signed checkpoint the figures are exactly as of. Same figures as the JSON, same date.
 */
export function transparencyPdf(report: ProgrammeTransparencyDto | PolicyTransparencyDto): Promise<Buffer> {
  const isProgramme = 'grants' in report;
  const title = `Rapport de transparence — ${report.name}`;
  return renderA4Pdf(
    {
      title,
      author: 'Sillage',
      subject: `Situation au ${formatFrenchDate(report.asOf)}`,
      creationDate: new Date(`${report.asOf}T12:00:00Z`),
    },
    (pdf) => {
      let y = writeText(pdf, title, MARGIN, MARGIN, { width: CONTENT_WIDTH, font: BOLD, size: 15 });
      y = writeText(
        pdf,
        `${isProgramme ? 'Programme' : 'Politique publique'} — situation au ${formatFrenchDate(report.asOf)}`,
        MARGIN,
        y + 4,
        {
          width: CONTENT_WIDTH,
          size: 10,
        },
      );
      y = writeText(pdf, 'En bref', MARGIN, y + 16, { width: CONTENT_WIDTH, font: BOLD, size: 11 });
      y = writeText(pdf, summary(report), MARGIN, y + 4, { width: CONTENT_WIDTH, size: 10 });
      y = drawBars(pdf, report, y + 14);
      if (isProgramme) {
        y = section(
          pdf,
          'Par subvention',
          [
            ['Financeur', 155, 'left'],
            ['Taux', 50],
            ['Attribué', 95],
            ['Exécuté', 95],
            ['Cofinancé', 100],
          ],
          report.grants.map((g) => [
            g.funderName,
            percent(g.cofinancingRateBp / 10_000),
            formatEuros(g.attributedCents),
            formatEuros(g.executedCents),
            formatEuros(g.cofinancedCents),
          ]),
          y,
        );
      } else {
        y = section(
          pdf,
          'Par programme',
          [
            ['Programme', 135, 'left'],
            ['Obtenu', 90],
            ['Attribué', 90],
            ['Exécuté', 90],
            ['Cofinancé', 90],
          ],
          report.programmes.map((p) => [
            p.name,
            formatEuros(p.obtainedCents),
            formatEuros(p.attributedCents),
            formatEuros(p.executedCents),
            formatEuros(p.cofinancedCents),
          ]),
          y,
        );
        y = section(
          pdf,
          'Annonces',
          [
            ['Annonce', 165, 'left'],
            ['Date', 70, 'left'],
            ['Montant annoncé', 110],
            ['Taux d’utilisation', 150],
          ],
          report.announcements.map((a) => [
            a.label,
            formatFrenchDate(a.announcedOn),
            a.amount ? formatEuros(a.amount.amountCents) : `${formatEuros(a.min!.amountCents)} à ${formatEuros(a.max!.amountCents)}`,
            a.amount ? percent(a.amount.useRate) : `${percent(a.max!.useRate)} à ${percent(a.min!.useRate)}`,
          ]),
          y,
        );
      }
      y = ensureRoom(pdf, y + 16, 60);
      y = writeText(pdf, 'Preuve', MARGIN, y, { width: CONTENT_WIDTH, font: BOLD, size: 11 });
      writeText(
        pdf,
        report.checkpoint
          ? `Ces chiffres sont calculés à partir des événements scellés du journal d’audit, exactement au point de contrôle n° ${report.checkpoint.treeSize} ` +
              `(racine ${Buffer.from(report.checkpoint.root, 'base64').toString('hex')}, signé le ${report.checkpoint.issuedAt} par la clé ${report.checkpoint.keyId}). ` +
              'Chacun peut vérifier ce point de contrôle et ses preuves d’inclusion.'
          : 'Aucun événement n’a encore été scellé : les chiffres sont nuls.',
        MARGIN,
        y + 4,
        { width: CONTENT_WIDTH, size: 8.5 },
      );
      drawPageFooters(pdf, `${title} — situation au ${formatFrenchDate(report.asOf)}`);
    },
  );
}

/** A titled table below `y` (columns: label, width, alignment — right unless said); returns the y below it. */
function section(pdf: Pdf, title: string, columns: [string, number, pdfLayout.Align?][], rows: string[][], y: number): number {
  const top = writeText(pdf, title, MARGIN, ensureRoom(pdf, y + 14, 60), { width: CONTENT_WIDTH, font: BOLD, size: 11 });
  return drawTable(
    pdf,
    { size: 8.5, padding: 4, keepWithHeader: 20 },
    columns.map(([label, width, align]) => ({ label, width, align: align ?? 'right' })),
    rows,
    top + 6,
  );
}

/** What the figures mean, in one paragraph of plain French. */
function summary(r: ProgrammeTransparencyDto | PolicyTransparencyDto): string {
  const funders = 'grants' in r ? new Set(r.grants.map((g) => g.funderId)).size : undefined;
  const parts = [
    `${formatEuros(r.obtainedCents)} ont été obtenus pour ${'grants' in r ? 'ce programme' : 'cette politique'}` +
      (r.obtainedCents > 0
        ? `, dont ${formatEuros(r.attributedCents)} attribués${funders !== undefined ? ` à ${funders} financeur${funders > 1 ? 's' : ''}` : ''} (${percent(r.retentionRate)} non attribués).`
        : '.'),
    `Les commandes payées représentent ${formatEuros(r.executedCents)} de chèques (valeur faciale, frais exclus, avoirs déduits),`,
    `dont ${formatEuros(r.cofinancedCents)} cofinancés.`,
  ];
  if (!('grants' in r)) {
    const first = r.announcements[0];
    if (first?.amount)
      parts.push(
        `Au regard des ${formatEuros(first.amount.amountCents)} annoncés, le taux d’utilisation est de ${percent(first.amount.useRate)}.`,
      );
  }
  return parts.join(' ');
}

/** Four horizontal bars on one scale: obtained, attributed, executed, co-financed. */
function drawBars(pdf: Pdf, r: FundingTotalsDto, top: number): number {
  const max = Math.max(1, ...BARS.map(([k]) => r[k] as number));
  const labelWidth = 150;
  const barWidth = CONTENT_WIDTH - labelWidth - 100;
  let y = ensureRoom(pdf, top, BARS.length * 22);
  for (const [key, label, color] of BARS) {
    const value = r[key] as number;
    writeText(pdf, label, MARGIN, y + 3, { width: labelWidth - 8, size: 9 });
    pdf.rect(MARGIN + labelWidth, y, Math.max(1, (barWidth * Math.max(0, value)) / max), 14).fill(color);
    pdf.fillColor('black');
    writeText(pdf, formatEuros(value), MARGIN + labelWidth + barWidth + 6, y + 3, { width: 94, size: 9 });
    y += 22;
  }
  return y;
}
