import { useState } from 'preact/hooks';
import { api, ApiProblem, asProblem } from '../../api/client';
import type { components } from '../../api/schema';
import { formatCents } from '../../i18n';
import type { PageProps } from '../../portal/page';
import { Link, navigate } from '../../router';
import { Field, valueOf } from '../../ui/field';
import { ProblemNotice } from '../../ui/problem';
import { useLoad } from '../../ui/use-load';
import { usePages } from '../../ui/use-pages';
import { ConfirmAction, formatDateTime, MoreButton, TableScroll, WORDS } from './common';
import { WaitingStatements } from './waiting-statements';

type Batch = components['schemas']['PayoutBatchDto'];

const TEXT = {
  fr: {
    title: 'Lots de virements',
    intro:
      'Chaque lot est un fichier de virements SEPA (pain.001). Une personne le prépare (en lançant un règlement, ou ci-dessous) ; une autre personne des finances le libère, puis le fichier se télécharge pour la banque.',
    status: 'État',
    filter: 'Filtrer',
    number: 'Lot',
    payments: 'Virements',
    total: 'Montant total',
    execution: 'Exécution demandée',
    created: 'Préparé le',
    none: 'Aucun lot.',
    prepare: 'Préparer un lot maintenant',
    prepareHint: 'Hors règlement : un lot de tout ce qui peut être payé maintenant (par exemple après la correction d’un virement rejeté).',
    confirmPrepare: 'Préparer un lot de virements de tout ce qui peut être payé maintenant ? Une autre personne devra le libérer.',
    confirm: 'Confirmer et préparer',
    waiting: 'Relevés impayés en attente',
  },
  en: {
    title: 'Payout batches',
    intro:
      'Each batch is a SEPA credit transfer file (pain.001). One user prepares it (by starting a run, or below); another finance user releases it, then the file downloads for the bank.',
    status: 'Status',
    filter: 'Filter',
    number: 'Batch',
    payments: 'Transfers',
    total: 'Total',
    execution: 'Requested execution',
    created: 'Prepared',
    none: 'No batch.',
    prepare: 'Prepare a batch now',
    prepareHint: 'Outside a run: a batch of everything that may be paid now (e.g. after a rejected transfer was corrected).',
    confirmPrepare: 'Prepare a payout batch of everything that may be paid now? Another user will have to release it.',
    confirm: 'Confirm and prepare',
    waiting: 'Unpaid statements waiting',
  },
};

const MESSAGES = {
  NOTHING_TO_PAY: {
    fr: 'Aucun lieu ne peut être payé maintenant : voyez ci-dessous ce qui attend et pourquoi.',
    en: 'No site may be paid now: see below what waits and why.',
  },
};

/** Operator finance: payout batches (filter by status), preparing one by hand, and what waits to be paid. */
export function PayoutBatchesPage({ lang }: PageProps) {
  const t = TEXT[lang];
  const w = WORDS[lang];
  const [status, setStatus] = useState('');
  const [problem, setProblem] = useState<ApiProblem>();
  const batches = usePages<Batch>(
    (cursor) =>
      api.GET('/v1/payout-batches', { params: { query: { cursor, status: (status || undefined) as Batch['status'] | undefined } } }),
    [status],
  );
  const waiting = useLoad(() => api.GET('/v1/payouts/waiting'), []);
  const prepare = async () => {
    setProblem(undefined);
    const { data, error, response } = await api.POST('/v1/payout-batches');
    if (data) navigate(`/app/payout-batches/${data.id}`);
    else {
      setProblem(asProblem(error, response));
      waiting.reload();
    }
  };
  return (
    <section>
      <h1>{t.title}</h1>
      <p>{t.intro}</p>
      <form class="filters" onSubmit={(e) => e.preventDefault()}>
        <Field id="batch-status" label={t.status}>
          {(aria) => (
            <select {...aria} value={status} onChange={(e) => setStatus(valueOf(e))}>
              <option value="">{w.all}</option>
              {Object.entries(w.batchStatus).map(([k, v]) => (
                <option key={k} value={k}>
                  {v}
                </option>
              ))}
            </select>
          )}
        </Field>
      </form>
      <ProblemNotice lang={lang} problem={batches.problem} />
      {batches.items.length === 0 && !batches.loading ? (
        <p>{t.none}</p>
      ) : (
        <TableScroll label={t.title}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t.number}</th>
                <th scope="col">{t.status}</th>
                <th scope="col" class="num">
                  {t.payments}
                </th>
                <th scope="col" class="num">
                  {t.total}
                </th>
                <th scope="col">{t.execution}</th>
                <th scope="col">{t.created}</th>
              </tr>
            </thead>
            <tbody>
              {batches.items.map((b) => (
                <tr key={b.id}>
                  <th scope="row">
                    <Link href={`/app/payout-batches/${b.id}`}>{b.number}</Link>
                  </th>
                  <td>{w.batchStatus[b.status] ?? b.status}</td>
                  <td class="num">{b.paymentCount}</td>
                  <td class="num">{formatCents(lang, b.totalCents)}</td>
                  <td>{b.requestedExecutionDate ?? '—'}</td>
                  <td>{formatDateTime(lang, b.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      <MoreButton lang={lang} hasMore={batches.hasMore} loading={batches.loading} more={batches.more} />

      <h2>{t.waiting}</h2>
      <WaitingStatements lang={lang} waiting={waiting} />
      <h2>{t.prepare}</h2>
      <p>{t.prepareHint}</p>
      <ConfirmAction
        primary
        lang={lang}
        label={t.prepare}
        question={t.confirmPrepare}
        confirmLabel={t.confirm}
        onConfirm={prepare}
        problem={problem}
        messages={MESSAGES}
      />
    </section>
  );
}
