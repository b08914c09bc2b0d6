import { useState } from 'preact/hooks';
import { api } from '../../api/client';
import { formatCents, formatDate } from '../../i18n';
import type { PageProps } from '../../portal/page';
import { Field, valueOf } from '../../ui/field';
import { ProblemNotice } from '../../ui/problem';
import { MoreButton } from '../../ui/more-button';
import { usePages } from '../../ui/use-pages';
import { refusalText } from './scan-reasons';

const TEXT = {
  fr: {
    title: 'Incidents',
    intro: 'Un scan hors ligne qui n’a pas pu être encaissé devient un incident : l’opérateur décide s’il est payé.',
    status: 'État',
    all: 'Tous',
    statuses: { open: 'En attente de décision', accepted: 'Accepté : sera payé', rejected: 'Refusé : ne sera pas payé' },
    when: 'Date du service',
    reason: 'Motif',
    booklet: 'Carnet',
    amount: 'Montant demandé',
    none: 'Aucun incident.',
  },
  en: {
    title: 'Incidents',
    intro: 'An offline scan that could not be redeemed becomes an incident: the operator decides whether it is paid.',
    status: 'Status',
    all: 'All',
    statuses: { open: 'Awaiting a decision', accepted: 'Accepted: will be paid', rejected: 'Rejected: will not be paid' },
    when: 'Service date',
    reason: 'Reason',
    booklet: 'Booklet',
    amount: 'Amount claimed',
    none: 'No incident.',
  },
};

type Status = keyof (typeof TEXT)['fr']['statuses'];

/** The site's incidents and the operator's decisions. */
export function IncidentsPage({ lang }: PageProps) {
  const t = TEXT[lang];
  const [status, setStatus] = useState<Status | ''>('');
  const list = usePages(
    (cursor) => api.GET('/v1/incidents', { params: { query: { ...(status ? { status } : {}), ...(cursor ? { cursor } : {}) } } }),
    [status],
  );
  return (
    <section>
      <h1>{t.title}</h1>
      <p>{t.intro}</p>
      <Field id="status" label={t.status}>
        {(aria) => (
          <select {...aria} value={status} onChange={(e) => setStatus(valueOf(e) as Status | '')}>
            <option value="">{t.all}</option>
            {(Object.keys(t.statuses) as Status[]).map((s) => (
              <option key={s} value={s}>
                {t.statuses[s]}
              </option>
            ))}
          </select>
        )}
      </Field>
      <ProblemNotice lang={lang} problem={list.problem} />
      {!list.loading && list.items.length === 0 && <p>{t.none}</p>}
      {list.items.length > 0 && (
        <table>
          <thead>
            <tr>
              <th scope="col">{t.when}</th>
              <th scope="col">{t.reason}</th>
              <th scope="col">{t.booklet}</th>
              <th scope="col" class="num">
                {t.amount}
              </th>
              <th scope="col">{t.status}</th>
            </tr>
          </thead>
          <tbody>
            {list.items.map((i) => (
              <tr key={i.id}>
                <td>{formatDate(lang, i.occurredAt.slice(0, 10))}</td>
                <td>{refusalText(lang, i.reasonCode, i.reasonCode)}</td>
                <td>{i.bookletSerial ?? '—'}</td>
                <td class="num">{formatCents(lang, i.amountCents)}</td>
                <td>{t.statuses[i.status]}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <MoreButton lang={lang} hasMore={list.hasMore} loading={list.loading} more={list.more} />
    </section>
  );
}
