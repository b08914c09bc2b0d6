import { useState } from 'preact/hooks';
import { api } from '../../api/client';
import type { PageProps } from '../../portal/page';
import { Link } from '../../router';
import { ProblemNotice } from '../../ui/problem';
import { usePages } from '../../ui/use-pages';
import { BankAccount, BankAccountCard } from './bank-account-list';
import { MoreButton, useOrgNames } from './common';

const TEXT = {
  fr: {
    title: 'Changements de compte bancaire à vérifier',
    intro:
      'Règle des quatre yeux : un changement de compte bancaire d’un lieu n’est en vigueur qu’après la vérification d’un second utilisateur de l’opérateur, jamais par celui qui l’a demandé.',
    none: 'Aucun changement de compte bancaire n’attend de vérification.',
    site: (n: string) => `Lieu : ${n}`,
    open: 'Ouvrir la fiche du lieu',
  },
  en: {
    title: 'Bank account changes to verify',
    intro:
      'Four-eyes rule: a site’s bank account change takes effect only once a second operator user verifies it, never the person who requested it.',
    none: 'No bank account change is waiting for verification.',
    site: (n: string) => `Site: ${n}`,
    open: 'Open the site',
  },
};

/** Pending bank account changes across sites (oldest first), each with its verify/reject controls. */
export function BankAccountsPage({ lang, me }: PageProps) {
  const t = TEXT[lang];
  const pending = usePages<BankAccount>((cursor) => api.GET('/v1/bank-accounts', { params: { query: { status: 'pending', cursor } } }), []);
  const site = useOrgNames(pending.items.map((a) => a.siteId));
  const [message, setMessage] = useState<string>();
  return (
    <section>
      <h1>{t.title}</h1>
      <p class="muted">{t.intro}</p>
      <ProblemNotice lang={lang} problem={pending.problem} />
      {message && <p role="status">{message}</p>}
      {!pending.loading && pending.items.length === 0 && <p>{t.none}</p>}
      {pending.items.map((a) => (
        <article key={a.id}>
          <h2>{t.site(site(a.siteId))}</h2>
          <p>
            <Link href={`/app/sites/${a.siteId}`}>{t.open}</Link>
          </p>
          <BankAccountCard
            lang={lang}
            me={me}
            account={a}
            onDecided={(text) => {
              setMessage(text);
              pending.reload();
            }}
          />
        </article>
      ))}
      <MoreButton lang={lang} hasMore={pending.hasMore} loading={pending.loading} more={pending.more} />
    </section>
  );
}
