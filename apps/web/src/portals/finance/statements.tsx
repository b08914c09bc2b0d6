import { useState } from 'preact/hooks';
import { api } from '../../api/client';
import type { PageProps } from '../../portal/page';
import { Field, valueOf } from '../../ui/field';
import { ProblemNotice } from '../../ui/problem';
import { usePages } from '../../ui/use-pages';
import { MoreButton, WORDS } from './common';
import { OrgPicker } from './org-picker';
import { Statement, StatementTable } from './statement-table';

const TEXT = {
  fr: {
    title: 'Relevés de remboursement',
    introOperator:
      'Les relevés de tous les lieux, du plus récent au plus ancien. Chaque relevé se télécharge en PDF (justificatif) ou en CSV.',
    introSite:
      'Les relevés de votre lieu, du plus récent au plus ancien : ce que la plateforme vous doit pour les chèques acceptés. Chaque relevé se télécharge en PDF (justificatif) ou en CSV.',
    status: 'État',
    site: 'lieu',
    none: 'Aucun relevé pour ces critères.',
  },
  en: {
    title: 'Reimbursement statements',
    introOperator: 'Every site’s statements, newest first. Each one downloads as PDF (the proof) or CSV.',
    introSite:
      'Your site’s statements, newest first: what the platform owes you for the vouchers you accepted. Each one downloads as PDF (the proof) or CSV.',
    status: 'Status',
    site: 'site',
    none: 'No statement for these filters.',
  },
};

type StatementStatus = 'unpaid' | 'in_payout' | 'paid';

/** Statements: every site's for operator finance (filter by status, site), a site's own for its finance. */
export function StatementsPage({ lang, me }: PageProps) {
  const t = TEXT[lang];
  const w = WORDS[lang];
  const operator = me.organisation.kinds.includes('operator');
  const [status, setStatus] = useState('');
  const [siteId, setSiteId] = useState('');
  const statements = usePages<Statement>(
    (cursor) =>
      api.GET('/v1/statements', {
        params: { query: { cursor, status: (status || undefined) as StatementStatus | undefined, siteId: siteId || undefined } },
      }),
    [status, siteId],
  );
  return (
    <section>
      <h1>{t.title}</h1>
      <p>{operator ? t.introOperator : t.introSite}</p>
      <form class="filters" onSubmit={(e) => e.preventDefault()}>
        <Field id="statement-status" label={t.status}>
          {(aria) => (
            <select {...aria} value={status} onChange={(e) => setStatus(valueOf(e))}>
              <option value="">{w.all}</option>
              {Object.entries(w.statementStatus).map(([k, v]) => (
                <option key={k} value={k}>
                  {v}
                </option>
              ))}
            </select>
          )}
        </Field>
        {operator && <OrgPicker lang={lang} id="statement-site" kind="site" noun={t.site} value={siteId} onChange={setSiteId} />}
      </form>
      <ProblemNotice lang={lang} problem={statements.problem} />
      {statements.items.length > 0 ? <StatementTable lang={lang} items={statements.items} /> : !statements.loading && <p>{t.none}</p>}
      <MoreButton lang={lang} hasMore={statements.hasMore} loading={statements.loading} more={statements.more} />
    </section>
  );
}
