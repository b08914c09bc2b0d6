import { api } from '../../api/client';
import type { PageProps } from '../../portal/page';
import { Link } from '../../router';
import { ProblemNotice } from '../../ui/problem';
import { useLoad } from '../../ui/use-load';
import { formatDateTime, WORDS } from './common';
import { MatchReport } from './match-report';

const TEXT = {
  fr: {
    title: (id: string) => `Relevé bancaire ${id}`,
    back: 'Tous les relevés bancaires',
    format: 'Format',
    account: 'Compte',
    importedAt: 'Importé le',
    entries: 'Écritures',
    fingerprint: 'Empreinte SHA-256 du fichier',
  },
  en: {
    title: (id: string) => `Bank statement ${id}`,
    back: 'All bank statements',
    format: 'Format',
    account: 'Account',
    importedAt: 'Imported',
    entries: 'Entries',
    fingerprint: 'SHA-256 of the file',
  },
};

/** One imported bank statement and its match report. */
export function BankStatementPage({ lang, params }: PageProps) {
  const t = TEXT[lang];
  const found = useLoad(() => api.GET('/v1/bank-statements/{id}', { params: { path: { id: params.id } } }), [params.id]);
  const r = found.data;
  if (!r) return found.problem ? <ProblemNotice lang={lang} problem={found.problem} /> : <p aria-busy="true">{WORDS[lang].loading}</p>;
  return (
    <section>
      <p>
        <Link href="/app/bank-statements">{t.back}</Link>
      </p>
      <h1>{t.title(r.bankStatementId)}</h1>
      <dl class="facts">
        <dt>{t.format}</dt>
        <dd>{r.format === 'camt053' ? 'camt.053' : 'CSV'}</dd>
        <dt>{t.account}</dt>
        <dd>{r.accountIban ? <code>{r.accountIban}</code> : '—'}</dd>
        <dt>{t.importedAt}</dt>
        <dd>{formatDateTime(lang, r.importedAt)}</dd>
        <dt>{t.entries}</dt>
        <dd>{r.entryCount}</dd>
        <dt>{t.fingerprint}</dt>
        <dd>
          <code class="secret">{r.fingerprint}</code>
        </dd>
      </dl>
      <MatchReport lang={lang} report={r} />
    </section>
  );
}
