import { formatEuros, formatFrenchDate } from '@sillage/common';
import { pdfLayout } from '@sillage/funding';
import { count, drawBars, drawProof, drawSummary, percent, section, SectionColumn } from '../pdf/report-pdf';
import { FUNNEL_STEPS, FunnelReportDto, FunnelRowDto, FunnelStepName } from './dto/funnel.dto';
import { FunnelGroup, SITE_GROUPS } from './funnel-sql';

const { CONTENT_WIDTH, MARGIN, BOLD, drawPageFooters, renderA4Pdf, writeText } = pdfLayout;

const STEP_LABELS: Record<FunnelStepName, string> = {
  issued: 'Émis',
  active: 'Actifs (payés)',
  allocated: 'Attribués à un distributeur',
  distributed: 'Remis à un bénéficiaire',
  redeemed: 'Utilisés',
  settled: 'Réglés (relevé)',
  paid: 'Payés au lieu',
  expired: 'Expirés',
  restituted: 'Restitués',
};
const GROUP_LABELS: Record<FunnelGroup, string> = {
  policy: 'Politique publique',
  programme: 'Programme',
  funder: 'Financeur',
  distributor: 'Distributeur',
  order: 'Commande',
  month: 'Mois',
  quarter: 'Trimestre',
  year: 'Année',
  site: 'Lieu',
  category: 'Catégorie de service',
  commune: 'Commune',
  department: 'Département',
};
const SITE_STEPS: FunnelStepName[] = ['redeemed', 'settled', 'paid'];
const COLORS = ['#4a6fa5', '#5b84b8', '#6b9ac4', '#81b29a', '#97c1a9', '#d9a05b', '#c9844a', '#b56576', '#8d6a9f'];

/** Rows a funnel PDF draws (its progress counts them). */
export const funnelPdfRows = (report: FunnelReportDto) => report.groups.length;

/**
 * The funnel as a PDF (issue 8): a plain-language summary in French, a bar chart of the vouchers at
 * each step, the table per group (by site dimensions: the steps that happen at a site), and the
 * signed checkpoint. Same figures as the JSON. `progress(rows drawn)` is awaited while the table is drawn.
 */
export function funnelPdf(report: FunnelReportDto, progress?: (rows: number) => Promise<void>): Promise<Buffer> {
  const atSite = SITE_GROUPS.includes(report.groupBy);
  const steps = atSite ? SITE_STEPS : [...FUNNEL_STEPS];
  const title = 'Entonnoir des chèques';
  const scope = `par ${GROUP_LABELS[report.groupBy].toLowerCase()} — situation au ${formatFrenchDate(report.asOf)}`;
  return renderA4Pdf({ title, author: 'Sillage', subject: scope, creationDate: new Date(`${report.asOf}T12:00:00Z`) }, async (pdf) => {
    let y = writeText(pdf, title, MARGIN, MARGIN, { width: CONTENT_WIDTH, font: BOLD, size: 15 });
    y = writeText(pdf, scope.charAt(0).toUpperCase() + scope.slice(1), MARGIN, y + 4, { width: CONTENT_WIDTH, size: 10 });
    y = drawSummary(pdf, atSite ? siteSummary(report) : summary(report), y);
    y = drawBars(
      pdf,
      steps.map((step, i) => ({
        label: STEP_LABELS[step],
        value: report.total.steps[step].vouchers,
        text: count(report.total.steps[step].vouchers),
        color: COLORS[i % COLORS.length],
      })),
      y + 14,
    );
    const columns: SectionColumn[] = atSite
      ? [
          [GROUP_LABELS[report.groupBy], 165, 'left'],
          ['Utilisés', 60],
          ['Valeur utilisée', 90],
          ['Réglés', 60],
          ['Payés', 60],
          ['Valeur payée', 60],
        ]
      : [
          [GROUP_LABELS[report.groupBy], 115, 'left'],
          ['Émis', 55],
          ['Actifs', 55],
          ['Remis', 55],
          ['Utilisés', 55],
          ['Payés', 50],
          ['Expirés', 50],
          ['Carnets entamés', 60],
        ];
    const row = (r: FunnelRowDto, label: string) =>
      atSite
        ? [
            label,
            count(r.steps.redeemed.vouchers),
            formatEuros(r.steps.redeemed.valueCents),
            count(r.steps.settled.vouchers),
            count(r.steps.paid.vouchers),
            formatEuros(r.steps.paid.valueCents),
          ]
        : [
            label,
            ...(['issued', 'active', 'distributed', 'redeemed', 'paid', 'expired'] as const).map((s) => count(r.steps[s].vouchers)),
            count(r.startedBooklets),
          ];
    y = await section(
      pdf,
      `Par ${GROUP_LABELS[report.groupBy].toLowerCase()} (nombre de chèques)`,
      columns,
      [...report.groups.map((g) => row(g, g.label || g.key || '(aucun)')), row(report.total, 'Total')],
      y,
      progress && ((rows) => progress(Math.min(rows, report.groups.length))),
    );
    drawProof(pdf, report.checkpoint, y);
    drawPageFooters(pdf, `${title} ${scope}`);
  });
}

/** The whole funnel in one paragraph of plain French. */
function summary(r: FunnelReportDto): string {
  const t = r.total.steps;
  const first = r.timeToFirstUse;
  const parts = [
    `${count(t.issued.vouchers)} chèques ont été émis, dont ${count(t.active.vouchers)} actifs (commande payée).`,
    `${count(t.distributed.vouchers)} ont été remis à des bénéficiaires (${percent(r.total.rates.distributedOfAllocated ?? null)} des chèques attribués aux distributeurs)`,
    `et ${count(t.redeemed.vouchers)} utilisés dans des lieux labellisés, pour ${formatEuros(t.redeemed.valueCents)} (${percent(r.total.rates.redeemedOfDistributed ?? null)} des chèques remis).`,
    `${count(t.paid.vouchers)} ont été payés aux lieux (${formatEuros(t.paid.valueCents)}).`,
  ];
  if (t.expired.vouchers > 0) {
    parts.push(
      `${count(t.expired.vouchers)} ont expiré sans être utilisés ; ${formatEuros(t.restituted.valueCents)} ont été restitués aux financeurs.`,
    );
  }
  if (first.medianDays !== null) {
    parts.push(
      `${count(r.total.startedBooklets)} carnets ont été entamés. La moitié des carnets utilisés l’ont été pour la première fois ` +
        `${first.medianDays} jours ou moins après leur remise, et 9 sur 10 en ${first.p90Days} jours ou moins.`,
    );
  }
  return parts.join(' ');
}

/** The steps at a site, in plain French. */
function siteSummary(r: FunnelReportDto): string {
  const t = r.total.steps;
  const where = `${count(r.groups.length)} ${r.groups.length > 1 ? 'groupes' : 'groupe'} (${GROUP_LABELS[r.groupBy].toLowerCase()})`;
  return (
    `${count(t.redeemed.vouchers)} chèques ont été utilisés, pour ${formatEuros(t.redeemed.valueCents)}, répartis en ${where}. ` +
    `${count(t.settled.vouchers)} figurent sur un relevé de remboursement et ${count(t.paid.vouchers)} ont été payés aux lieux ` +
    `(${formatEuros(t.paid.valueCents)}). Seules les étapes qui ont lieu dans un lieu labellisé ont un lieu : les autres ne figurent pas ici.`
  );
}
