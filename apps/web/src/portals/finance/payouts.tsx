import { useState } from 'preact/hooks';
import { api } from '../../api/client';
import type { components } from '../../api/schema';
import { formatCents } from '../../i18n';
import type { PageProps } from '../../portal/page';
import { Link } from '../../router';
import { Field, valueOf } from '../../ui/field';
import { ProblemNotice } from '../../ui/problem';
import { useLoad } from '../../ui/use-load';
import { usePages } from '../../ui/use-pages';
import { formatDateTime, MoreButton, TableScroll, WORDS } from './common';
import { OrgPicker } from './org-picker';
import { WaitingStatements } from './waiting-statements';

type Payout = components['schemas']['PayoutDto'];

const TEXT = {
  fr: {
    title: 'Virements aux lieux',
    introOperator: 'Chaque virement paie un ou plusieurs relevés d’un lieu. Il est payé quand le relevé bancaire le montre débité.',
    introSite:
      'Les virements reçus par votre lieu : chacun paie un ou plusieurs relevés. Il est payé quand la banque de la plateforme l’a débité.',
    list: 'Tous les virements',
    status: 'État',
    site: 'lieu',
    reference: 'Référence du virement',
    siteCol: 'Lieu',
    amount: 'Montant',
    account: 'Compte crédité',
    statements: 'Relevés payés',
    batch: 'Lot',
    created: 'Émis le',
    settled: 'Réglé le',
    reason: 'motif',
    none: 'Aucun virement pour ces critères.',
    waiting: 'Relevés impayés en attente',
  },
  en: {
    title: 'Payouts to sites',
    introOperator: 'Each payout pays one or more statements of a site. It is paid once the bank statement shows it debited.',
    introSite: 'The payouts your site received: each pays one or more statements. It is paid once the platform’s bank has debited it.',
    list: 'All payouts',
    status: 'Status',
    site: 'site',
    reference: 'Transfer reference',
    siteCol: 'Site',
    amount: 'Amount',
    account: 'Account credited',
    statements: 'Statements paid',
    batch: 'Batch',
    created: 'Issued',
    settled: 'Settled',
    reason: 'reason',
    none: 'No payout for these filters.',
    waiting: 'Unpaid statements waiting',
  },
};

/** Payouts: every site's for the operator (filter by status, site), a site's own; and what waits to be paid, and why. */
export function PayoutsPage({ lang, me }: PageProps) {
  const t = TEXT[lang];
  const w = WORDS[lang];
  const operator = me.organisation.kinds.includes('operator');
  const [status, setStatus] = useState('');
  const [siteId, setSiteId] = useState('');
  const payouts = usePages<Payout>(
    (cursor) =>
      api.GET('/v1/payouts', {
        params: { query: { cursor, status: (status || undefined) as Payout['status'] | undefined, siteId: siteId || undefined } },
      }),
    [status, siteId],
  );
  const waiting = useLoad(() => api.GET('/v1/payouts/waiting'), []);
  return (
    <section>
      <h1>{t.title}</h1>
      <p>{operator ? t.introOperator : t.introSite}</p>
      <h2>{t.waiting}</h2>
      <WaitingStatements lang={lang} waiting={waiting} />
      <h2>{t.list}</h2>
      <form class="filters" onSubmit={(e) => e.preventDefault()}>
        <Field id="payout-status" label={t.status}>
          {(aria) => (
            <select {...aria} value={status} onChange={(e) => setStatus(valueOf(e))}>
              <option value="">{w.all}</option>
              {Object.entries(w.payoutStatus).map(([k, v]) => (
                <option key={k} value={k}>
                  {v}
                </option>
              ))}
            </select>
          )}
        </Field>
        {operator && <OrgPicker lang={lang} id="payout-site" kind="site" noun={t.site} value={siteId} onChange={setSiteId} />}
      </form>
      <ProblemNotice lang={lang} problem={payouts.problem} />
      {payouts.items.length === 0 && !payouts.loading ? (
        <p>{t.none}</p>
      ) : (
        <TableScroll label={t.list}>
          <table class="payouts">
            <thead>
              <tr>
                <th scope="col">{t.reference}</th>
                {operator && <th scope="col">{t.siteCol}</th>}
                <th scope="col" class="num">
                  {t.amount}
                </th>
                <th scope="col">{t.status}</th>
                <th scope="col">{t.account}</th>
                <th scope="col">{t.statements}</th>
                {operator && <th scope="col">{t.batch}</th>}
                <th scope="col">{t.created}</th>
                <th scope="col">{t.settled}</th>
              </tr>
            </thead>
            <tbody>
              {payouts.items.map((p) => (
                <tr key={p.id}>
                  <th scope="row">
                    <code>{p.reference}</code>
                  </th>
                  {operator && <td>{p.siteName}</td>}
                  <td class="num">{formatCents(lang, p.amountCents)}</td>
                  <td>
                    {w.payoutStatus[p.status] ?? p.status}
                    {p.returnReason && ` (${t.reason} ${p.returnReason})`}
                  </td>
                  <td>
                    <code>{p.ibanMasked}</code>
                  </td>
                  <td>{p.statements.join(', ')}</td>
                  {operator && (
                    <td>
                      <Link href={`/app/payout-batches/${p.batchId}`}>{p.batchNumber}</Link>
                    </td>
                  )}
                  <td>{formatDateTime(lang, p.createdAt)}</td>
                  <td>{p.settledAt ? formatDateTime(lang, p.settledAt) : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      <MoreButton lang={lang} hasMore={payouts.hasMore} loading={payouts.loading} more={payouts.more} />
    </section>
  );
}
