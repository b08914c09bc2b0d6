import { useState } from 'preact/hooks';
import { api } from '../../api/client';
import type { components } from '../../api/schema';
import { formatCents, formatDate, Lang } from '../../i18n';
import type { PageProps } from '../../portal/page';
import { Field, valueOf } from '../../ui/field';
import { ProblemNotice } from '../../ui/problem';
import { useLoad } from '../../ui/use-load';
import { usePages } from '../../ui/use-pages';
import { formatBp } from './common';
import './funder.css';

type Policy = components['schemas']['PolicyDto'];
type Programme = components['schemas']['ProgrammeDto'];
type Grant = components['schemas']['GrantDto'];

const REASONS: Record<string, Record<Lang, string>> = {
  EXTENSION: { fr: 'Prolongation', en: 'Extension' },
  BUDGET_INCREASE: { fr: 'Hausse du montant', en: 'Budget increase' },
  BUDGET_DECREASE: { fr: 'Baisse du montant', en: 'Budget decrease' },
  EXTENSION_AND_BUDGET: { fr: 'Prolongation et montant', en: 'Extension and budget' },
  CORRECTION: { fr: 'Correction', en: 'Correction' },
};

const TEXT = {
  fr: {
    title: 'Financements',
    intro:
      'Les politiques publiques, programmes, subventions et marchés qui vous concernent. L’opérateur les enregistre ; vous les consultez ici et les choisissez en créant une commande.',
    policies: 'Politiques publiques',
    policy: 'Politique',
    description: 'Description',
    announced: 'Annoncé',
    published: 'Page publique',
    notPublished: 'non publiée',
    see: (name: string) => `Voir la page de transparence de ${name}`,
    noPolicy: 'Aucune politique publique pour le moment.',
    programmes: 'Programmes',
    filterPolicy: 'Politique publique',
    all: 'Toutes',
    programme: 'Programme',
    maxRate: 'Cofinancement maximum',
    dates: 'Annoncé / lancé / lauréats',
    obtained: 'Budget obtenu',
    noProgramme: 'Aucun programme.',
    grants: 'Vos subventions',
    amount: 'Montant',
    initial: 'Montant initial',
    rate: 'Taux de cofinancement',
    awardedOn: 'Attribuée le',
    endDate: 'Fin de la convention',
    amendments: 'Avenants',
    showHistory: (p: string) => `Voir les avenants de la subvention ${p}`,
    hide: 'Masquer',
    history: (p: string) => `Avenants de la subvention ${p}`,
    amendedOn: 'Date',
    reason: 'Motif',
    newEndDate: 'Nouvelle fin',
    newAmount: 'Nouveau montant',
    noGrant: 'Aucune subvention à votre nom.',
    contracts: 'Vos marchés avec l’opérateur',
    reference: 'Référence',
    publishedOn: 'Publié le',
    notifiedOn: 'Notifié le',
    fee: 'Frais de gestion',
    contractEnd: 'Fin du marché',
    noContract: 'Aucun marché enregistré.',
    more: 'Page suivante',
    loading: 'Chargement…',
  },
  en: {
    title: 'Funding',
    intro:
      'The policies, programmes, grants and contracts that concern you. The operator records them; you read them here and choose them when creating an order.',
    policies: 'Policies',
    policy: 'Policy',
    description: 'Description',
    announced: 'Announced',
    published: 'Public page',
    notPublished: 'not published',
    see: (name: string) => `See the transparency page of ${name}`,
    noPolicy: 'No policy yet.',
    programmes: 'Programmes',
    filterPolicy: 'Policy',
    all: 'All',
    programme: 'Programme',
    maxRate: 'Maximum co-financing',
    dates: 'Announced / launched / laureates',
    obtained: 'Budget obtained',
    noProgramme: 'No programme.',
    grants: 'Your grants',
    amount: 'Amount',
    initial: 'Initial amount',
    rate: 'Co-financing rate',
    awardedOn: 'Awarded on',
    endDate: 'Agreement ends',
    amendments: 'Amendments',
    showHistory: (p: string) => `See the amendments of the grant ${p}`,
    hide: 'Hide',
    history: (p: string) => `Amendments of the grant ${p}`,
    amendedOn: 'Date',
    reason: 'Reason',
    newEndDate: 'New end',
    newAmount: 'New amount',
    noGrant: 'No grant in your name.',
    contracts: 'Your contracts with the operator',
    reference: 'Reference',
    publishedOn: 'Published on',
    notifiedOn: 'Notified on',
    fee: 'Management fee',
    contractEnd: 'Contract ends',
    noContract: 'No contract recorded.',
    more: 'Next page',
    loading: 'Loading…',
  },
};

const day = (lang: Lang, d?: string | null) => (d ? formatDate(lang, d) : '—');

function announced(lang: Lang, p: Policy): string {
  return p.announcements
    .map((a) =>
      a.amountCents !== undefined && a.amountCents !== null
        ? formatCents(lang, a.amountCents)
        : `${formatCents(lang, a.minAmountCents ?? 0)} – ${formatCents(lang, a.maxAmountCents ?? 0)}`,
    )
    .join(' ; ');
}

/** Policies, programmes, the funder's grants (with their amendments) and contracts, read-only. */
export function FundingPage({ lang }: PageProps) {
  const t = TEXT[lang];
  const policies = usePages((cursor) => api.GET('/v1/policies', { params: { query: { cursor, limit: 20 } } }), []);
  const [policyId, setPolicyId] = useState('');
  const programmes = usePages(
    (cursor) => api.GET('/v1/programmes', { params: { query: { policyId: policyId || undefined, cursor, limit: 20 } } }),
    [policyId],
  );
  const contracts = usePages((cursor) => api.GET('/v1/contracts', { params: { query: { cursor, limit: 20 } } }), []);
  const policyName = new Map(policies.items.map((p) => [p.id, p.name]));

  return (
    <section>
      <h1>{t.title}</h1>
      <p>{t.intro}</p>

      <h2>{t.policies}</h2>
      <ProblemNotice lang={lang} problem={policies.problem} />
      {policies.items.length > 0 ? (
        <div class="table-scroll">
          <table data-table="policies">
            <thead>
              <tr>
                <th scope="col">{t.policy}</th>
                <th scope="col">{t.description}</th>
                <th scope="col" class="num">
                  {t.announced}
                </th>
                <th scope="col">{t.published}</th>
              </tr>
            </thead>
            <tbody>
              {policies.items.map((p) => (
                <tr key={p.id}>
                  <th scope="row">{p.name}</th>
                  <td>{p.description ?? ''}</td>
                  <td class="num">{announced(lang, p) || '—'}</td>
                  <td>
                    {p.publishedAt && p.slug ? (
                      <a href={`/transparence/${encodeURIComponent(p.slug)}`} aria-label={t.see(p.name)}>
                        {`/transparence/${p.slug}`}
                      </a>
                    ) : (
                      t.notPublished
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        !policies.loading && <p>{t.noPolicy}</p>
      )}
      {policies.hasMore && (
        <button type="button" onClick={policies.more} disabled={policies.loading}>
          {t.more}
        </button>
      )}

      <h2>{t.programmes}</h2>
      <div class="filters">
        <Field id="programme-policy" label={t.filterPolicy}>
          {(aria) => (
            <select {...aria} value={policyId} onChange={(e) => setPolicyId(valueOf(e))}>
              <option value="">{t.all}</option>
              {policies.items.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <ProblemNotice lang={lang} problem={programmes.problem} />
      {programmes.items.length > 0 ? (
        <div class="table-scroll">
          <table data-table="programmes">
            <thead>
              <tr>
                <th scope="col">{t.programme}</th>
                <th scope="col">{t.policy}</th>
                <th scope="col" class="num">
                  {t.maxRate}
                </th>
                <th scope="col">{t.dates}</th>
                <th scope="col" class="num">
                  {t.obtained}
                </th>
              </tr>
            </thead>
            <tbody>
              {programmes.items.map((p) => (
                <tr key={p.id}>
                  <th scope="row">{p.name}</th>
                  <td>{policyName.get(p.policyId) ?? ''}</td>
                  <td class="num">{formatBp(lang, p.maxCofinancingRateBp)}</td>
                  <td>
                    {day(lang, p.announcedOn)} / {day(lang, p.launchedOn)} / {day(lang, p.laureatesPublishedOn)}
                  </td>
                  <td class="num">{formatCents(lang, p.totalObtainedCents)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        !programmes.loading && <p>{t.noProgramme}</p>
      )}
      {programmes.hasMore && (
        <button type="button" onClick={programmes.more} disabled={programmes.loading}>
          {t.more}
        </button>
      )}

      <Grants lang={lang} programmes={programmes.items} />

      <h2>{t.contracts}</h2>
      <ProblemNotice lang={lang} problem={contracts.problem} />
      {contracts.items.length > 0 ? (
        <div class="table-scroll">
          <table data-table="contracts">
            <thead>
              <tr>
                <th scope="col">{t.reference}</th>
                <th scope="col">{t.publishedOn}</th>
                <th scope="col">{t.notifiedOn}</th>
                <th scope="col">{t.contractEnd}</th>
                <th scope="col" class="num">
                  {t.fee}
                </th>
              </tr>
            </thead>
            <tbody>
              {contracts.items.map((c) => (
                <tr key={c.id}>
                  <th scope="row">{c.reference}</th>
                  <td>{formatDate(lang, c.publishedOn)}</td>
                  <td>{formatDate(lang, c.notifiedOn)}</td>
                  <td>{formatDate(lang, c.endDate)}</td>
                  <td class="num">{formatBp(lang, c.upstreamFeeRateBp)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        !contracts.loading && <p>{t.noContract}</p>
      )}
      {contracts.hasMore && (
        <button type="button" onClick={contracts.more} disabled={contracts.loading}>
          {t.more}
        </button>
      )}
      <p role="status" class="muted">
        {policies.loading || programmes.loading || contracts.loading ? t.loading : ''}
      </p>
    </section>
  );
}

/** The funder's grants under the programmes shown, with each one's amendments on request. */
function Grants({ lang, programmes }: { lang: Lang; programmes: Programme[] }) {
  const t = TEXT[lang];
  const ids = programmes.map((p) => p.id).join(',');
  const grants = useLoad(async () => {
    const all: Grant[] = [];
    for (const p of programmes) {
      const r = await api.GET('/v1/programmes/{id}/grants', { params: { path: { id: p.id }, query: { limit: 100 } } });
      if (!r.data) return { error: r.error, response: r.response };
      all.push(...r.data.items);
    }
    return { data: all, response: new Response() };
  }, [ids]);
  const [open, setOpen] = useState<string>();
  const name = new Map(programmes.map((p) => [p.id, p.name]));
  return (
    <>
      <h2>{t.grants}</h2>
      <ProblemNotice lang={lang} problem={grants.problem} />
      {grants.data && grants.data.length === 0 && <p>{t.noGrant}</p>}
      {!!grants.data?.length && (
        <div class="table-scroll">
          <table data-table="grants">
            <thead>
              <tr>
                <th scope="col">{t.programme}</th>
                <th scope="col" class="num">
                  {t.amount}
                </th>
                <th scope="col" class="num">
                  {t.initial}
                </th>
                <th scope="col" class="num">
                  {t.rate}
                </th>
                <th scope="col">{t.awardedOn}</th>
                <th scope="col">{t.endDate}</th>
                <th scope="col">{t.amendments}</th>
              </tr>
            </thead>
            <tbody>
              {grants.data.map((g) => (
                <tr key={g.id}>
                  <th scope="row">{name.get(g.programmeId) ?? ''}</th>
                  <td class="num">{formatCents(lang, g.amountCents)}</td>
                  <td class="num">{formatCents(lang, g.initialAmountCents)}</td>
                  <td class="num">{formatBp(lang, g.cofinancingRateBp)}</td>
                  <td>{formatDate(lang, g.awardedOn)}</td>
                  <td>{formatDate(lang, g.endDate)}</td>
                  <td>
                    {g.amendmentCount}{' '}
                    {g.amendmentCount > 0 && (
                      <button
                        type="button"
                        aria-expanded={open === g.id}
                        aria-label={open === g.id ? t.hide : t.showHistory(name.get(g.programmeId) ?? '')}
                        onClick={() => setOpen(open === g.id ? undefined : g.id)}
                      >
                        {open === g.id ? t.hide : t.amendments}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {open && (
        <Amendments lang={lang} grantId={open} programme={name.get(grants.data?.find((g) => g.id === open)?.programmeId ?? '') ?? ''} />
      )}
    </>
  );
}

function Amendments({ lang, grantId, programme }: { lang: Lang; grantId: string; programme: string }) {
  const t = TEXT[lang];
  const history = useLoad(() => api.GET('/v1/grants/{id}/amendments', { params: { path: { id: grantId } } }), [grantId]);
  if (history.problem) return <ProblemNotice lang={lang} problem={history.problem} />;
  if (!history.data) return <p aria-busy="true">{t.loading}</p>;
  return (
    <table data-table="amendments">
      <caption>{t.history(programme)}</caption>
      <thead>
        <tr>
          <th scope="col">{t.amendedOn}</th>
          <th scope="col">{t.reason}</th>
          <th scope="col">{t.newEndDate}</th>
          <th scope="col" class="num">
            {t.newAmount}
          </th>
        </tr>
      </thead>
      <tbody>
        {history.data.items.map((a) => (
          <tr key={a.id}>
            <th scope="row">{formatDate(lang, a.amendedOn)}</th>
            <td>{REASONS[a.reasonCode]?.[lang] ?? a.reasonCode}</td>
            <td>{day(lang, a.newEndDate)}</td>
            <td class="num">{a.newAmountCents === undefined || a.newAmountCents === null ? '—' : formatCents(lang, a.newAmountCents)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
