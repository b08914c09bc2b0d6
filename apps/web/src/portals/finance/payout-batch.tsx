import { useState } from 'preact/hooks';
import { api, ApiProblem, asProblem } from '../../api/client';
import type { components } from '../../api/schema';
import { formatCents, formatDate } from '../../i18n';
import type { PageProps } from '../../portal/page';
import { Link } from '../../router';
import { ProblemNotice } from '../../ui/problem';
import { useLoad } from '../../ui/use-load';
import { usePages } from '../../ui/use-pages';
import { ConfirmAction, DownloadButton, formatDateTime, MoreButton, TableScroll, WORDS } from './common';

type Payout = components['schemas']['PayoutDto'];

const TEXT = {
  fr: {
    title: (n: string) => `Lot de virements ${n}`,
    back: 'Tous les lots',
    status: 'État',
    payments: 'Virements',
    total: 'Montant total (somme de contrôle)',
    execution: 'Exécution demandée',
    created: 'Préparé le',
    preparedBy: 'Préparé par',
    releasedAt: 'Libéré le',
    you: 'vous',
    someone: 'une autre personne des finances',
    schedule: 'le calendrier automatique (pas encore approuvé)',
    hash: 'Empreinte SHA-256 du fichier',
    release: 'Libérer le lot',
    approve: 'Approuver le lot',
    confirmRelease: (n: string, count: number, total: string) =>
      `Libérer le lot ${n} : ${count} virement${count > 1 ? 's' : ''} pour ${total} ? Le fichier pourra alors être téléchargé et envoyé à la banque.`,
    confirmApprove: (n: string) =>
      `Approuver le lot ${n} ? Il a été préparé automatiquement : après votre approbation, une autre personne des finances le libérera.`,
    confirmReleaseButton: 'Confirmer la libération',
    confirmApproveButton: 'Confirmer l’approbation',
    fourEyes:
      'Vous avez préparé ce lot : vous ne pouvez pas le libérer vous-même. Une deuxième personne des finances doit le libérer (principe des quatre yeux) ; le fichier SEPA se télécharge ensuite.',
    approveHint:
      'Ce lot a été préparé par le calendrier automatique : une première personne l’approuve, puis une deuxième le libère (principe des quatre yeux).',
    building: 'Le lot est encore en préparation. Rechargez la page dans un instant.',
    released: (d: string) => `Lot libéré le ${d} : le fichier peut être envoyé à la banque.`,
    releasedNow: 'Le lot est libéré : le fichier SEPA peut être téléchargé.',
    approvedNow: 'Lot approuvé : une autre personne des finances doit maintenant le libérer.',
    files: 'Fichiers',
    sepa: 'Télécharger le fichier SEPA (pain.001, XML)',
    csv: 'Télécharger le tableau (CSV)',
    notReleased: 'Les fichiers se téléchargent une fois le lot libéré.',
    payouts: 'Virements du lot',
    reference: 'Référence (EndToEndId)',
    site: 'Lieu',
    amount: 'Montant',
    account: 'Compte',
    statements: 'Relevés payés',
    payoutStatus: 'État du virement',
    returnReason: 'motif',
  },
  en: {
    title: (n: string) => `Payout batch ${n}`,
    back: 'All batches',
    status: 'Status',
    payments: 'Transfers',
    total: 'Total (control sum)',
    execution: 'Requested execution',
    created: 'Prepared',
    preparedBy: 'Prepared by',
    releasedAt: 'Released',
    you: 'you',
    someone: 'another finance user',
    schedule: 'the schedule (not approved yet)',
    hash: 'SHA-256 of the file',
    release: 'Release the batch',
    approve: 'Approve the batch',
    confirmRelease: (n: string, count: number, total: string) =>
      `Release batch ${n}: ${count} transfer${count === 1 ? '' : 's'} for ${total}? Its file may then be downloaded and sent to the bank.`,
    confirmApprove: (n: string) =>
      `Approve batch ${n}? It was prepared by the schedule: after your approval, another finance user releases it.`,
    confirmReleaseButton: 'Confirm the release',
    confirmApproveButton: 'Confirm the approval',
    fourEyes:
      'You prepared this batch: you cannot release it yourself. A second finance user must release it (four eyes); the SEPA file downloads after that.',
    approveHint: 'This batch was prepared by the schedule: a first user approves it, then a second one releases it (four eyes).',
    building: 'The batch is still being prepared. Reload the page in a moment.',
    released: (d: string) => `Batch released on ${d}: the file may be sent to the bank.`,
    releasedNow: 'The batch is released: the SEPA file may be downloaded.',
    approvedNow: 'Batch approved: another finance user must now release it.',
    files: 'Files',
    sepa: 'Download the SEPA file (pain.001, XML)',
    csv: 'Download the table (CSV)',
    notReleased: 'The files download once the batch is released.',
    payouts: 'Transfers of the batch',
    reference: 'Reference (EndToEndId)',
    site: 'Site',
    amount: 'Amount',
    account: 'Account',
    statements: 'Statements paid',
    payoutStatus: 'Transfer status',
    returnReason: 'reason',
  },
};

const MESSAGES = {
  FOUR_EYES: { fr: TEXT.fr.fourEyes, en: TEXT.en.fourEyes },
  BATCH_NOT_READY: { fr: TEXT.fr.building, en: TEXT.en.building },
};

/** One payout batch: its transfers, its release by a second finance user (four eyes), then its SEPA file. */
export function PayoutBatchPage({ lang, me, params }: PageProps) {
  const t = TEXT[lang];
  const w = WORDS[lang];
  const batch = useLoad(() => api.GET('/v1/payout-batches/{id}', { params: { path: { id: params.id } } }), [params.id]);
  const payouts = usePages<Payout>((cursor) => api.GET('/v1/payouts', { params: { query: { batchId: params.id, cursor } } }), [params.id]);
  const [problem, setProblem] = useState<ApiProblem>();
  const [done, setDone] = useState<string>();

  const b = batch.data;
  if (!b) return batch.problem ? <ProblemNotice lang={lang} problem={batch.problem} /> : <p aria-busy="true">{w.loading}</p>;

  const mine = b.preparedBy === me.id;
  const release = async () => {
    setProblem(undefined);
    setDone(undefined);
    const { data, error, response } = await api.POST('/v1/payout-batches/{id}/release', { params: { path: { id: b.id } } });
    if (data) {
      setDone(data.status === 'released' ? t.releasedNow : t.approvedNow);
      batch.reload();
    } else {
      setProblem(asProblem(error, response));
      batch.reload();
    }
  };

  return (
    <section>
      <p>
        <Link href="/app/payout-batches">{t.back}</Link>
      </p>
      <h1>{t.title(b.number)}</h1>
      <dl class="facts">
        <dt>{t.status}</dt>
        <dd class="batch-status">{w.batchStatus[b.status] ?? b.status}</dd>
        <dt>{t.payments}</dt>
        <dd>{b.paymentCount}</dd>
        <dt>{t.total}</dt>
        <dd class="batch-total">{formatCents(lang, b.totalCents)}</dd>
        <dt>{t.execution}</dt>
        <dd>{b.requestedExecutionDate ? formatDate(lang, b.requestedExecutionDate) : '—'}</dd>
        <dt>{t.created}</dt>
        <dd>{formatDateTime(lang, b.createdAt)}</dd>
        <dt>{t.preparedBy}</dt>
        <dd>{b.preparedBy === null ? t.schedule : mine ? t.you : t.someone}</dd>
        {b.releasedAt && (
          <>
            <dt>{t.releasedAt}</dt>
            <dd>{formatDateTime(lang, b.releasedAt)}</dd>
          </>
        )}
        {b.fileSha256 && (
          <>
            <dt>{t.hash}</dt>
            <dd>
              <code class="secret">{b.fileSha256}</code>
            </dd>
          </>
        )}
      </dl>

      {done && (
        <p role="status" class="success">
          {done}
        </p>
      )}
      {b.status === 'building' && <p role="status">{t.building}</p>}
      {b.status === 'awaiting_release' &&
        (mine ? (
          <>
            <p class="notice four-eyes" role="status">
              {t.fourEyes}
            </p>
            <ProblemNotice lang={lang} problem={problem} messages={MESSAGES} />
          </>
        ) : (
          <>
            {b.preparedBy === null && <p class="notice">{t.approveHint}</p>}
            <ConfirmAction
              primary
              lang={lang}
              label={b.preparedBy === null ? t.approve : t.release}
              question={
                b.preparedBy === null
                  ? t.confirmApprove(b.number)
                  : t.confirmRelease(b.number, b.paymentCount, formatCents(lang, b.totalCents))
              }
              confirmLabel={b.preparedBy === null ? t.confirmApproveButton : t.confirmReleaseButton}
              onConfirm={release}
              problem={problem}
              messages={MESSAGES}
            />
          </>
        ))}

      <h2>{t.files}</h2>
      {b.status === 'released' ? (
        <>
          {b.releasedAt && !done && <p>{t.released(formatDateTime(lang, b.releasedAt))}</p>}
          <p>
            <DownloadButton
              lang={lang}
              primary
              url={`/v1/payout-batches/${b.id}/sepa`}
              name={`${b.number}.xml`}
              accept="application/xml"
              label={t.sepa}
            />
            <DownloadButton lang={lang} url={`/v1/payout-batches/${b.id}/csv`} name={`${b.number}.csv`} accept="text/csv" label={t.csv} />
          </p>
        </>
      ) : (
        <p>{t.notReleased}</p>
      )}

      <h2>{t.payouts}</h2>
      <ProblemNotice lang={lang} problem={payouts.problem} />
      <TableScroll label={t.payouts}>
        <table>
          <thead>
            <tr>
              <th scope="col">{t.reference}</th>
              <th scope="col">{t.site}</th>
              <th scope="col" class="num">
                {t.amount}
              </th>
              <th scope="col">{t.account}</th>
              <th scope="col">{t.statements}</th>
              <th scope="col">{t.payoutStatus}</th>
            </tr>
          </thead>
          <tbody>
            {payouts.items.map((p) => (
              <tr key={p.id}>
                <th scope="row">
                  <code>{p.reference}</code>
                </th>
                <td>{p.siteName}</td>
                <td class="num">{formatCents(lang, p.amountCents)}</td>
                <td>
                  <code>{p.ibanMasked}</code>
                </td>
                <td>{p.statements.join(', ')}</td>
                <td>
                  {w.payoutStatus[p.status] ?? p.status}
                  {p.returnReason && ` (${t.returnReason} ${p.returnReason})`}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
      <MoreButton lang={lang} hasMore={payouts.hasMore} loading={payouts.loading} more={payouts.more} />
    </section>
  );
}
