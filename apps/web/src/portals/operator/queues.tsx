import { useState } from 'preact/hooks';
import { api, ApiProblem, asProblem } from '../../api/client';
import type { PageProps } from '../../portal/page';
import { ProblemNotice } from '../../ui/problem';
import { useLoad } from '../../ui/use-load';
import { formatDateTime } from './common';

const TEXT = {
  fr: {
    title: 'Files de tâches',
    intro:
      'Les envois d’e-mails, fichiers d’impression, rapports et relevés passent par des files de tâches. Le tableau de bord des files (Bull Board) les montre en détail ; l’accès dure 15 minutes dans ce navigateur.',
    open: 'Ouvrir le tableau de bord des files',
    opened: (until: string) => `Accès ouvert jusqu’à ${until}.`,
    go: 'Aller au tableau de bord /admin/queues',
    failed: 'Tâches en échec définitif',
    none: 'Aucune tâche en échec.',
    more: 'D’autres échecs existent au-delà des 50 derniers.',
    queueState: {
      ok: 'Files disponibles.',
      unavailable: 'Redis ne répond pas : seuls les échecs de la boîte d’envoi sont listés.',
      'not-configured': 'Pas de Redis : les tâches tournent dans le processus de l’API.',
    } as Record<string, string>,
    name: 'Tâche',
    queue: 'File',
    attempts: 'Tentatives',
    reason: 'Dernière erreur',
    when: 'Échec le',
  },
  en: {
    title: 'Job queues',
    intro:
      'Emails, print files, reports and statements go through job queues. The queue dashboard (Bull Board) shows them in detail; access lasts 15 minutes in this browser.',
    open: 'Open the queue dashboard',
    opened: (until: string) => `Access open until ${until}.`,
    go: 'Go to the dashboard /admin/queues',
    failed: 'Jobs that failed for good',
    none: 'No failed job.',
    more: 'More failures exist beyond the last 50.',
    queueState: {
      ok: 'Queues available.',
      unavailable: 'Redis does not answer: only outbox failures are listed.',
      'not-configured': 'No Redis: jobs run inside the API process.',
    } as Record<string, string>,
    name: 'Job',
    queue: 'Queue',
    attempts: 'Attempts',
    reason: 'Last error',
    when: 'Failed on',
  },
};

const MESSAGES = {
  NOT_FOUND: {
    fr: 'Pas de tableau de bord : sans Redis, les tâches tournent dans le processus de l’API (voir les échecs ci-dessous).',
    en: 'No dashboard: without Redis, jobs run inside the API process (see the failures below).',
  },
};

/** The way to the queue dashboard (a short-lived cookie for /admin/queues) and the jobs that failed for good. */
export function QueuesPage({ lang }: PageProps) {
  const t = TEXT[lang];
  const failed = useLoad(() => api.GET('/v1/admin/jobs/failed', { params: { query: { limit: 50 } } }), []);
  const [session, setSession] = useState<{ boardPath: string; expiresAt: string }>();
  const [problem, setProblem] = useState<ApiProblem>();
  const open = async () => {
    const { data, error, response } = await api.POST('/v1/admin/queues-session');
    if (!data) return setProblem(asProblem(error, response));
    setProblem(undefined);
    setSession(data);
  };
  const f = failed.data;
  return (
    <section>
      <h1>{t.title}</h1>
      <p class="muted">{t.intro}</p>
      <button type="button" class="primary" onClick={() => void open()}>
        {t.open}
      </button>
      <ProblemNotice lang={lang} problem={problem} messages={MESSAGES} />
      {session && (
        <p role="status">
          {t.opened(formatDateTime(lang, session.expiresAt))}{' '}
          <a href={session.boardPath} target="_blank" rel="noopener">
            {t.go}
          </a>
        </p>
      )}
      <h2>{t.failed}</h2>
      <ProblemNotice lang={lang} problem={failed.problem} />
      {f && <p class="muted">{t.queueState[f.queues.status] ?? f.queues.status}</p>}
      {f && f.items.length === 0 && <p>{t.none}</p>}
      {f && f.items.length > 0 && (
        <table>
          <thead>
            <tr>
              <th scope="col">{t.name}</th>
              <th scope="col">{t.queue}</th>
              <th scope="col" class="num">
                {t.attempts}
              </th>
              <th scope="col">{t.reason}</th>
              <th scope="col">{t.when}</th>
            </tr>
          </thead>
          <tbody>
            {f.items.map((j) => (
              <tr key={`${j.source}-${j.jobId}`}>
                <th scope="row">{j.name}</th>
                <td>{j.queue ?? '—'}</td>
                <td class="num">{j.attempts}</td>
                <td>{j.failedReason ?? '—'}</td>
                <td>{j.failedAt ? formatDateTime(lang, j.failedAt) : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {f?.hasMore && <p class="muted">{t.more}</p>}
    </section>
  );
}
