import { useEffect, useState } from 'preact/hooks';
import { api } from '../../api/client';
import type { components } from '../../api/schema';
import type { PageProps } from '../../portal/page';
import { Link } from '../../router';
import { ProblemNotice } from '../../ui/problem';
import { usePages } from '../../ui/use-pages';
import { BankAccount, BankAccountCard } from './bank-account-list';

type Site = components['schemas']['SiteDto'];

const SITES_PER_PAGE = 25;

const TEXT = {
  fr: {
    title: 'Changements de compte bancaire à vérifier',
    intro:
      'Règle des quatre yeux : un changement de compte bancaire d’un lieu n’est en vigueur qu’après la vérification d’un second utilisateur de l’opérateur, jamais par celui qui l’a demandé.',
    scanned: (n: number) => `${n} lieux examinés.`,
    none: 'Aucun changement en attente parmi les lieux examinés.',
    more: 'Examiner les lieux suivants',
    loading: 'Recherche des demandes en attente…',
    site: (n: string) => `Lieu : ${n}`,
    open: 'Ouvrir la fiche du lieu',
  },
  en: {
    title: 'Bank account changes to verify',
    intro:
      'Four-eyes rule: a site’s bank account change takes effect only once a second operator user verifies it, never the person who requested it.',
    scanned: (n: number) => `${n} sites looked at.`,
    none: 'No change awaiting among the sites looked at.',
    more: 'Look at the next sites',
    loading: 'Looking for pending requests…',
    site: (n: string) => `Site: ${n}`,
    open: 'Open the site',
  },
};

/**
 * Pending bank account changes. The API lists accounts per site only, so the screen reads the sites
 * page by page and each one's accounts, and shows the pending ones with their verify/reject controls.
 */
export function BankAccountsPage({ lang, me }: PageProps) {
  const t = TEXT[lang];
  const sites = usePages<Site>((cursor) => api.GET('/v1/sites', { params: { query: { cursor, limit: SITES_PER_PAGE } } }), []);
  const [pending, setPending] = useState<Map<string, BankAccount[]>>(new Map());
  const [scanning, setScanning] = useState(false);
  const [message, setMessage] = useState<string>();
  const [tick, setTick] = useState(0);
  const key = sites.items.map((s) => s.id).join(',');
  useEffect(() => {
    let live = true;
    setScanning(true);
    void Promise.all(
      sites.items.map((s) =>
        api
          .GET('/v1/sites/{id}/bank-accounts', { params: { path: { id: s.id }, query: { limit: 100 } } })
          .then(({ data }) => [s.id, (data?.items ?? []).filter((a) => a.status === 'pending')] as const)
          .catch(() => [s.id, [] as BankAccount[]] as const),
      ),
    ).then((rows) => {
      if (!live) return;
      setPending(new Map(rows.filter(([, list]) => list.length > 0)));
      setScanning(false);
    });
    return () => {
      live = false;
    };
  }, [key, tick]);
  const names = new Map(sites.items.map((s) => [s.id, s.legalName]));
  return (
    <section>
      <h1>{t.title}</h1>
      <p class="muted">{t.intro}</p>
      <ProblemNotice lang={lang} problem={sites.problem} />
      {message && <p role="status">{message}</p>}
      {scanning || sites.loading ? (
        <p aria-busy="true">{t.loading}</p>
      ) : (
        <p class="muted">
          {t.scanned(sites.items.length)} {pending.size === 0 && t.none}
        </p>
      )}
      {[...pending.entries()].map(([siteId, accounts]) => (
        <article key={siteId}>
          <h2>{t.site(names.get(siteId) ?? siteId)}</h2>
          <p>
            <Link href={`/app/sites/${siteId}`}>{t.open}</Link>
          </p>
          {accounts.map((a) => (
            <BankAccountCard
              key={a.id}
              lang={lang}
              me={me}
              account={a}
              onDecided={(text) => {
                setMessage(text);
                setTick((n) => n + 1);
              }}
            />
          ))}
        </article>
      ))}
      {sites.hasMore && (
        <p>
          <button type="button" disabled={sites.loading} onClick={sites.more}>
            {t.more}
          </button>
        </p>
      )}
    </section>
  );
}
