import { useState } from 'preact/hooks';
import { api, ApiProblem, asProblem } from '../../api/client';
import type { components } from '../../api/schema';
import type { PageProps } from '../../portal/page';
import { ProblemNotice } from '../../ui/problem';
import { formatDateTime } from './common';

type Report = components['schemas']['LedgerCheckReportDto'];

const TEXT = {
  fr: {
    title: 'Contrôle du grand livre',
    intro:
      'Le contrôle prouve que la somme des débits égale celle des crédits, que la valeur de chaque chèque est à un seul endroit, et que, pour chaque commande payée, la valeur activée = en circulation + utilisée + expirée + remplacée, au centime près.',
    run: 'Lancer le contrôle maintenant',
    running: 'Contrôle en cours…',
    ok: 'Le grand livre est juste : tous les contrôles passent.',
    bad: 'Le grand livre présente des écarts : voir les contrôles en échec.',
    checkedAt: 'Contrôlé le',
    transfers: 'Écritures',
    accounts: 'Comptes',
    snapshots: 'Instantanés',
    check: 'Contrôle',
    result: 'Résultat',
    problems: 'Écarts',
    pass: 'Juste',
    fail: 'Écart',
    names: {
      balanced: 'Débits = crédits',
      transfers: 'Écritures bien formées',
      flags: 'Règles des comptes',
      pending: 'Écritures en attente',
      snapshots: 'Instantanés de soldes',
      vouchers: 'Valeur des chèques par commande',
      settlement: 'Relevés des lieux',
      payouts: 'Virements',
    } as Record<string, string>,
  },
  en: {
    title: 'Ledger check',
    intro:
      'The check proves that debits equal credits, that each voucher’s value sits in exactly one place, and that for each paid order activated value = outstanding + redeemed + expired + replaced, to the cent.',
    run: 'Run the check now',
    running: 'Checking…',
    ok: 'The ledger is right: every check passes.',
    bad: 'The ledger shows discrepancies: see the failing checks.',
    checkedAt: 'Checked on',
    transfers: 'Transfers',
    accounts: 'Accounts',
    snapshots: 'Snapshots',
    check: 'Check',
    result: 'Result',
    problems: 'Discrepancies',
    pass: 'Right',
    fail: 'Discrepancy',
    names: {
      balanced: 'Debits = credits',
      transfers: 'Well-formed transfers',
      flags: 'Account rules',
      pending: 'Pending transfers',
      snapshots: 'Balance snapshots',
      vouchers: 'Voucher value per order',
      settlement: 'Site statements',
      payouts: 'Payouts',
    } as Record<string, string>,
  },
};

/** Runs the ledger's invariant check on demand and shows each check's result. */
export function LedgerPage({ lang }: PageProps) {
  const t = TEXT[lang];
  const [report, setReport] = useState<Report>();
  const [problem, setProblem] = useState<ApiProblem>();
  const [busy, setBusy] = useState(false);
  const run = async () => {
    setBusy(true);
    const { data, error, response } = await api
      .GET('/v1/ledger/check')
      .catch(() => ({ data: undefined, error: undefined, response: undefined }));
    setBusy(false);
    if (!data) return setProblem(asProblem(error, response));
    setProblem(undefined);
    setReport(data);
  };
  return (
    <section>
      <h1>{t.title}</h1>
      <p class="muted">{t.intro}</p>
      <button type="button" class="primary" disabled={busy} onClick={() => void run()}>
        {t.run}
      </button>
      {busy && <p aria-busy="true">{t.running}</p>}
      <ProblemNotice lang={lang} problem={problem} />
      {report && (
        <>
          <p role="status" class={report.ok ? 'ok' : 'bad'}>
            {report.ok ? t.ok : t.bad}
          </p>
          <dl class="facts">
            <dt>{t.checkedAt}</dt>
            <dd>{formatDateTime(lang, report.checkedAt)}</dd>
            <dt>{t.transfers}</dt>
            <dd>{report.transfers}</dd>
            <dt>{t.accounts}</dt>
            <dd>{report.accounts}</dd>
            <dt>{t.snapshots}</dt>
            <dd>{report.snapshots}</dd>
          </dl>
          <table>
            <thead>
              <tr>
                <th scope="col">{t.check}</th>
                <th scope="col">{t.result}</th>
                <th scope="col">{t.problems}</th>
              </tr>
            </thead>
            <tbody>
              {report.checks.map((c) => (
                <tr key={c.name}>
                  <th scope="row">{t.names[c.name] ?? c.name}</th>
                  <td class={c.ok ? 'ok' : 'bad'}>{c.ok ? t.pass : t.fail}</td>
                  <td>
                    {c.problems.length === 0 ? (
                      '—'
                    ) : (
                      <ul>
                        {c.problems.map((p, i) => (
                          <li key={i}>{p}</li>
                        ))}
                      </ul>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
