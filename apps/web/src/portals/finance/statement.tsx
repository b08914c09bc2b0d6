import { api } from '../../api/client';
import { formatCents } from '../../i18n';
import type { PageProps } from '../../portal/page';
import { Link } from '../../router';
import { ProblemNotice } from '../../ui/problem';
import { useLoad } from '../../ui/use-load';
import { DownloadButton, formatDateTime, TableScroll, WORDS } from './common';

const TEXT = {
  fr: {
    title: (n: string) => `Relevé ${n}`,
    back: 'Tous les relevés',
    site: 'Lieu',
    cutoff: 'Date d’arrêté',
    status: 'État',
    vouchers: 'Chèques',
    face: 'Valeur faciale',
    commission: 'Commission de la plateforme',
    total: 'Dû au lieu',
    payout: 'Virement',
    openPayouts: 'Voir les virements',
    lines: 'Lignes du relevé',
    kind: 'Ligne',
    service: 'Prestation',
    correction: 'Correction',
    category: 'Catégorie',
    rule: 'Règle de prix',
    redemptions: 'Passages',
    amount: 'Montant dû',
    defaultRule: 'Règle par défaut',
    pdf: 'Télécharger le PDF (justificatif)',
    csv: 'Télécharger les lignes (CSV)',
  },
  en: {
    title: (n: string) => `Statement ${n}`,
    back: 'All statements',
    site: 'Site',
    cutoff: 'Cutoff',
    status: 'Status',
    vouchers: 'Vouchers',
    face: 'Face value',
    commission: 'Platform commission',
    total: 'Owed to the site',
    payout: 'Payout',
    openPayouts: 'See the payouts',
    lines: 'Lines of the statement',
    kind: 'Line',
    service: 'Service',
    correction: 'Correction',
    category: 'Category',
    rule: 'Pricing rule',
    redemptions: 'Redemptions',
    amount: 'Amount owed',
    defaultRule: 'Default rule',
    pdf: 'Download the PDF (proof)',
    csv: 'Download the lines (CSV)',
  },
};

/** One statement: its totals, its lines (per order, service category and pricing rule; corrections) and its files. */
export function StatementPage({ lang, params }: PageProps) {
  const t = TEXT[lang];
  const w = WORDS[lang];
  const found = useLoad(() => api.GET('/v1/statements/{id}', { params: { path: { id: params.id } } }), [params.id]);
  const s = found.data;
  if (!s) return found.problem ? <ProblemNotice lang={lang} problem={found.problem} /> : <p aria-busy="true">{w.loading}</p>;
  return (
    <section>
      <p>
        <Link href="/app/statements">{t.back}</Link>
      </p>
      <h1>{t.title(s.number)}</h1>
      <dl class="facts">
        <dt>{t.site}</dt>
        <dd>{s.siteName}</dd>
        <dt>{t.cutoff}</dt>
        <dd>{formatDateTime(lang, s.cutoff)}</dd>
        <dt>{t.status}</dt>
        <dd>{w.statementStatus[s.status] ?? s.status}</dd>
        <dt>{t.vouchers}</dt>
        <dd>{s.voucherCount}</dd>
        <dt>{t.face}</dt>
        <dd>{formatCents(lang, s.faceValueCents)}</dd>
        <dt>{t.commission}</dt>
        <dd>{formatCents(lang, s.commissionCents)}</dd>
        <dt>{t.total}</dt>
        <dd class="statement-total">{formatCents(lang, s.totalCents)}</dd>
      </dl>
      <p>
        <DownloadButton
          lang={lang}
          primary
          url={`/v1/statements/${s.id}/pdf`}
          name={`${s.number}.pdf`}
          accept="application/pdf"
          label={t.pdf}
        />
        <DownloadButton lang={lang} url={`/v1/statements/${s.id}/csv`} name={`${s.number}.csv`} accept="text/csv" label={t.csv} />
      </p>
      {s.payoutId && (
        <p>
          <Link href="/app/payouts">{t.openPayouts}</Link>
        </p>
      )}
      <h2>{t.lines}</h2>
      <TableScroll label={t.lines}>
        <table class="lines">
          <thead>
            <tr>
              <th scope="col">{t.kind}</th>
              <th scope="col">{t.category}</th>
              <th scope="col">{t.rule}</th>
              <th scope="col" class="num">
                {t.redemptions}
              </th>
              <th scope="col" class="num">
                {t.vouchers}
              </th>
              <th scope="col" class="num">
                {t.face}
              </th>
              <th scope="col" class="num">
                {t.commission}
              </th>
              <th scope="col" class="num">
                {t.amount}
              </th>
            </tr>
          </thead>
          <tbody>
            {(s.lines ?? []).map((l, i) => (
              <tr key={i}>
                <th scope="row">{l.kind === 'correction' ? `${t.correction}${l.label ? ` : ${l.label}` : ''}` : t.service}</th>
                <td>{l.serviceCategoryCode ?? '—'}</td>
                <td>{l.pricingRule ?? (l.kind === 'service' ? t.defaultRule : '—')}</td>
                <td class="num">{l.redemptionCount}</td>
                <td class="num">{l.voucherCount}</td>
                <td class="num">{formatCents(lang, l.faceValueCents)}</td>
                <td class="num">{formatCents(lang, l.commissionCents)}</td>
                <td class="num">{formatCents(lang, l.amountCents)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
    </section>
  );
}
