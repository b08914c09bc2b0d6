import { useState } from 'preact/hooks';
import { api, ApiProblem, asProblem } from '../../api/client';
import type { components } from '../../api/schema';
import { formatCents } from '../../i18n';
import type { PageProps } from '../../portal/page';
import { Link, navigate } from '../../router';
import { Field, valueOf } from '../../ui/field';
import { ProblemNotice } from '../../ui/problem';
import { usePages } from '../../ui/use-pages';
import { ConfirmAction, formatDateTime, MoreButton, TableScroll, WORDS } from './common';

type Run = components['schemas']['SettlementRunDto'];

export const RUN_MESSAGES = {
  CUTOFF_IN_FUTURE: {
    fr: 'La date d’arrêté est dans le futur : choisissez maintenant ou une date passée.',
    en: 'The cutoff is in the future: choose now or a past date.',
  },
  RUN_IN_PROGRESS: {
    fr: 'Un autre règlement est en cours : attendez qu’il se termine avant d’en lancer un autre.',
    en: 'Another settlement run is in progress: wait for it to finish before starting another.',
  },
};

const TEXT = {
  fr: {
    title: 'Règlements des lieux',
    intro:
      'Un règlement prend tous les passages enregistrés au moins 24 h avant la date d’arrêté et pas encore réglés, et écrit un relevé par lieu. Les lieux payables sont ajoutés à un lot de virements, qu’une deuxième personne des finances libère.',
    start: 'Lancer un règlement',
    cutoff: 'Date d’arrêté (heure de votre ordinateur)',
    cutoffHint: 'Maintenant par défaut. Pas dans le futur. Relancer la même date reprend le même règlement.',
    cutoffMissing: 'Choisissez une date d’arrêté.',
    confirmStart: (d: string) =>
      `Lancer le règlement arrêté au ${d} ? Les relevés écrits ne se modifient plus : une erreur se corrige par une ligne de correction sur un relevé suivant.`,
    confirm: 'Confirmer et lancer',
    list: 'Règlements, du plus récent au plus ancien',
    cutoffCol: 'Arrêté au',
    status: 'État',
    trigger: 'Origine',
    statements: 'Relevés',
    amount: 'Montant dû',
    started: 'Lancé le',
    none: 'Aucun règlement pour l’instant.',
  },
  en: {
    title: 'Site settlement runs',
    intro:
      'A run takes every redemption recorded at least 24 h before the cutoff and not yet settled, and writes one statement per site. Sites that may be paid are added to a payout batch, which a second finance user releases.',
    start: 'Start a settlement run',
    cutoff: 'Cutoff (your computer’s time)',
    cutoffHint: 'Now by default. Not in the future. Starting the same cutoff again resumes the same run.',
    cutoffMissing: 'Choose a cutoff.',
    confirmStart: (d: string) =>
      `Start the run with cutoff ${d}? Written statements never change: a mistake is corrected by a correction line on a later statement.`,
    confirm: 'Confirm and start',
    list: 'Runs, newest first',
    cutoffCol: 'Cutoff',
    status: 'Status',
    trigger: 'Origin',
    statements: 'Statements',
    amount: 'Amount owed',
    started: 'Started',
    none: 'No run yet.',
  },
};

/** `YYYY-MM-DDTHH:mm` in the browser's time zone, for a datetime-local input. */
function localNow(): string {
  const d = new Date();
  d.setSeconds(0, 0);
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}

/** Operator finance: the settlement runs, and starting one for a cutoff. */
export function SettlementRunsPage({ lang }: PageProps) {
  const t = TEXT[lang];
  const w = WORDS[lang];
  const [cutoff, setCutoff] = useState(localNow);
  const [problem, setProblem] = useState<ApiProblem>();
  const runs = usePages<Run>((cursor) => api.GET('/v1/settlement-runs', { params: { query: { cursor } } }), []);

  const start = async () => {
    setProblem(undefined);
    const { data, error, response } = await api.POST('/v1/settlement-runs', { body: { cutoff: new Date(cutoff).toISOString() } });
    if (data) navigate(`/app/settlement-runs/${data.id}`);
    else setProblem(asProblem(error, response));
  };
  const valid = cutoff !== '' && !Number.isNaN(new Date(cutoff).getTime());

  return (
    <section>
      <h1>{t.title}</h1>
      <p>{t.intro}</p>
      <h2>{t.start}</h2>
      <form onSubmit={(e) => e.preventDefault()}>
        <Field id="run-cutoff" label={t.cutoff} hint={t.cutoffHint} error={valid ? undefined : t.cutoffMissing}>
          {(aria) => <input {...aria} type="datetime-local" required value={cutoff} onInput={(e) => setCutoff(valueOf(e))} />}
        </Field>
        <ConfirmAction
          primary
          lang={lang}
          label={t.start}
          disabled={!valid}
          question={valid ? t.confirmStart(formatDateTime(lang, new Date(cutoff).toISOString())) : ''}
          confirmLabel={t.confirm}
          onConfirm={start}
          problem={problem}
          messages={RUN_MESSAGES}
        />
      </form>
      <h2>{t.list}</h2>
      <ProblemNotice lang={lang} problem={runs.problem} />
      {runs.items.length === 0 && !runs.loading && !runs.problem ? (
        <p>{t.none}</p>
      ) : (
        <TableScroll label={t.list}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t.cutoffCol}</th>
                <th scope="col">{t.status}</th>
                <th scope="col">{t.trigger}</th>
                <th scope="col" class="num">
                  {t.statements}
                </th>
                <th scope="col" class="num">
                  {t.amount}
                </th>
                <th scope="col">{t.started}</th>
              </tr>
            </thead>
            <tbody>
              {runs.items.map((r) => (
                <tr key={r.id}>
                  <th scope="row">
                    <Link href={`/app/settlement-runs/${r.id}`}>{formatDateTime(lang, r.cutoff)}</Link>
                  </th>
                  <td>{w.runStatus[r.status] ?? r.status}</td>
                  <td>{w.trigger[r.trigger] ?? r.trigger}</td>
                  <td class="num">{r.statements}</td>
                  <td class="num">{formatCents(lang, r.amountCents)}</td>
                  <td>{formatDateTime(lang, r.startedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      <MoreButton lang={lang} hasMore={runs.hasMore} loading={runs.loading} more={runs.more} />
    </section>
  );
}
