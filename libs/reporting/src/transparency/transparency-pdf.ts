import { formatEuros, formatFrenchDate } from '@sillage/common';
import { pdfLayout } from '@sillage/funding';
import { drawBars, drawProof, drawSummary, percent, section } from '../pdf/report-pdf';
import {
  FundingTotalsDto,
  LatenciesDto,
  LatencySpreadDto,
  PolicyTransparencyDto,
  ProgrammeTransparencyDto,
  SpanDto,
} from './dto/transparency.dto';

const { BOLD, CONTENT_WIDTH, MARGIN, drawPageFooters, renderA4Pdf, writeText } = pdfLayout;

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
    async (pdf) => {
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
      y = drawSummary(pdf, summary(report), y);
      y = drawBars(
        pdf,
        BARS.map(([key, label, color]) => ({ label, color, value: report[key] as number, text: formatEuros(report[key] as number) })),
        y + 14,
      );
      if (isProgramme) {
        y = await section(
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
        y = await section(
          pdf,
          'Délais',
          [
            ['Entre', 255, 'left'],
            ['Jours', 120],
            ['Mois entiers', 120],
          ],
          latencyRows(report.latencies),
          y,
        );
      } else {
        y = await section(
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
        y = await section(
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
      drawProof(pdf, report.checkpoint, y);
      drawPageFooters(pdf, `${title} — situation au ${formatFrenchDate(report.asOf)}`);
    },
  );
}

/** Each latency as a row (in words: the standard PDF fonts have no arrow): what it spans, then days and whole months (median and p90 for the spreads). */
function latencyRows(l: LatenciesDto): string[][] {
  const span = (label: string, s: SpanDto | null) => [label, s ? String(s.days) : '—', s ? String(s.months) : '—'];
  const spread = (label: string, s: LatencySpreadDto, n: string) => [
    `${label} (${n} ; médiane / 9 sur 10)`,
    s.medianDays === null ? '—' : `${s.medianDays} / ${s.p90Days}`,
    s.medianMonths === null ? '—' : `${s.medianMonths} / ${s.p90Months}`,
  ];
  return [
    span('Des lauréats publiés au premier marché publié', l.laureatesToFirstContract),
    span('Des lauréats publiés au dernier marché publié', l.laureatesToLastContract),
    span('Du premier marché notifié à la première commande', l.firstContractToFirstOrder),
    [
      'Du marché notifié à la commande (moyenne des financeurs)',
      l.meanFunderContractToOrderDays === null ? '—' : String(l.meanFunderContractToOrderDays).replace('.', ','),
      '—',
    ],
    span('De la première à la dernière commande', l.firstToLastOrder),
    spread('De la commande payée à la première utilisation', l.paidToFirstRedemption, `${l.paidToFirstRedemption.orders} commandes`),
    spread(
      'De l’utilisation enregistrée au paiement du lieu',
      l.recordedToPayoutPaid,
      `${l.recordedToPayoutPaid.redemptions} utilisations`,
    ),
  ];
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
