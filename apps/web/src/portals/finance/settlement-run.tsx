import { useEffect } from 'preact/hooks';
import { api } from '../../api/client';
import { formatCents, Lang } from '../../i18n';
import type { PageProps } from '../../portal/page';
import { Link } from '../../router';
import { ProblemNotice } from '../../ui/problem';
import { useLoad } from '../../ui/use-load';
import { usePages } from '../../ui/use-pages';
import { formatDateTime, MoreButton, WORDS } from './common';
import { Statement, StatementTable } from './statement-table';

const TEXT = {
  fr: {
    title: (d: string) => `Règlement arrêté au ${d}`,
    back: 'Tous les règlements',
    status: 'État',
    trigger: 'Origine',
    started: 'Lancé le',
    completed: 'Terminé le',
    statements: 'Relevés écrits',
    amount: 'Montant dû aux lieux',
    running: 'Le règlement est en cours : les relevés s’affichent dès qu’il est terminé.',
    progress: 'Avancement du règlement',
    done: (n: number) => `Règlement terminé : ${n} relevé${n > 1 ? 's' : ''} écrit${n > 1 ? 's' : ''}.`,
    batch: 'Lot de virements',
    openBatch: 'Voir le lot de virements de ce règlement',
    noBatch: 'Aucun lieu n’était payable : pas de lot de virements (voir les paiements en attente sur la page des lots).',
    statementsTitle: 'Relevés de ce règlement',
    none: 'Aucun passage à régler pour cette date d’arrêté.',
  },
  en: {
    title: (d: string) => `Settlement run, cutoff ${d}`,
    back: 'All runs',
    status: 'Status',
    trigger: 'Origin',
    started: 'Started',
    completed: 'Completed',
    statements: 'Statements written',
    amount: 'Owed to sites',
    running: 'The run is in progress: its statements show as soon as it completes.',
    progress: 'Progress of the run',
    done: (n: number) => `Run completed: ${n} statement${n === 1 ? '' : 's'} written.`,
    batch: 'Payout batch',
    openBatch: 'Open this run’s payout batch',
    noBatch: 'No site could be paid: no payout batch (see what waits on the batches page).',
    statementsTitle: 'Statements of this run',
    none: 'Nothing to settle for this cutoff.',
  },
};

/** One run: its progress while it runs (polled), then its totals, its statements and its payout batch. */
export function SettlementRunPage({ lang, params }: PageProps) {
  const t = TEXT[lang];
  const w = WORDS[lang];
  const run = useLoad(() => api.GET('/v1/settlement-runs/{id}', { params: { path: { id: params.id } } }), [params.id]);
  const r = run.data;
  const running = r?.status === 'running';
  useEffect(() => {
    if (!running) return;
    const timer = setTimeout(run.reload, 1000);
    return () => clearTimeout(timer);
  }, [running, r]);
  if (!r) return run.problem ? <ProblemNotice lang={lang} problem={run.problem} /> : <p aria-busy="true">{w.loading}</p>;
  return (
    <section>
      <p>
        <Link href="/app/settlement-runs">{t.back}</Link>
      </p>
      <h1>{t.title(formatDateTime(lang, r.cutoff))}</h1>
      <dl class="facts">
        <dt>{t.status}</dt>
        <dd class="run-status">{w.runStatus[r.status] ?? r.status}</dd>
        <dt>{t.trigger}</dt>
        <dd>{w.trigger[r.trigger] ?? r.trigger}</dd>
        <dt>{t.started}</dt>
        <dd>{formatDateTime(lang, r.startedAt)}</dd>
        {r.completedAt && (
          <>
            <dt>{t.completed}</dt>
            <dd>{formatDateTime(lang, r.completedAt)}</dd>
          </>
        )}
        <dt>{t.statements}</dt>
        <dd>{r.statements}</dd>
        <dt>{t.amount}</dt>
        <dd class="run-amount">{formatCents(lang, r.amountCents)}</dd>
      </dl>
      {running ? (
        <div>
          <label for="run-progress">{t.progress}</label>
          <br />
          <progress id="run-progress" />
          <p role="status">{t.running}</p>
        </div>
      ) : (
        <>
          <p role="status" class="success">
            {t.done(r.statements)}
          </p>
          <h2>{t.batch}</h2>
          <p>{r.batchId ? <Link href={`/app/payout-batches/${r.batchId}`}>{t.openBatch}</Link> : t.noBatch}</p>
          <h2>{t.statementsTitle}</h2>
          <RunStatements lang={lang} runId={r.id} />
        </>
      )}
    </section>
  );
}

/** The statements of a completed run, paged. */
function RunStatements({ lang, runId }: { lang: Lang; runId: string }) {
  const t = TEXT[lang];
  const statements = usePages<Statement>((cursor) => api.GET('/v1/statements', { params: { query: { runId, cursor } } }), [runId]);
  return (
    <>
      <ProblemNotice lang={lang} problem={statements.problem} />
      {statements.items.length > 0 ? (
        <StatementTable lang={lang} items={statements.items} caption={t.statementsTitle} />
      ) : (
        !statements.loading && !statements.problem && <p>{t.none}</p>
      )}
      <MoreButton lang={lang} hasMore={statements.hasMore} loading={statements.loading} more={statements.more} />
    </>
  );
}
