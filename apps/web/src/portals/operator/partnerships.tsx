import { useState } from 'preact/hooks';
import { api, ApiProblem, asProblem } from '../../api/client';
import type { components } from '../../api/schema';
import type { PageProps } from '../../portal/page';
import { Field, valueOf } from '../../ui/field';
import { ProblemNotice } from '../../ui/problem';
import { useLoad } from '../../ui/use-load';
import { usePages } from '../../ui/use-pages';
import { ConfirmAction, formatDateTime, MoreButton, rememberOrgName, useOrgNames } from './common';

type Partnership = components['schemas']['PartnershipDto'];

const TEXT = {
  fr: {
    title: 'Partenariats financeur – distributeur',
    intro: 'Un distributeur partenaire d’un financeur reçoit ses carnets et les remet aux bénéficiaires.',
    show: 'Afficher',
    all: 'Tous',
    ongoing: 'En cours',
    endedOnly: 'Terminés',
    funder: 'Financeur',
    distributor: 'Distributeur',
    since: 'Depuis',
    state: 'État',
    endedOn: (d: string) => `Terminé le ${d}`,
    actions: 'Actions',
    end: 'Mettre fin',
    endQ: 'Mettre fin à ce partenariat ? Son historique est conservé.',
    ended: 'Le partenariat est terminé.',
    none: 'Aucun partenariat.',
    create: 'Créer un partenariat',
    choose: 'Choisir…',
    save: 'Créer le partenariat',
    created: 'Le partenariat est créé.',
  },
  en: {
    title: 'Funder – distributor partnerships',
    intro: 'A funder’s partner distributor receives its booklets and hands them to beneficiaries.',
    show: 'Show',
    all: 'All',
    ongoing: 'Ongoing',
    endedOnly: 'Ended',
    funder: 'Funder',
    distributor: 'Distributor',
    since: 'Since',
    state: 'State',
    endedOn: (d: string) => `Ended on ${d}`,
    actions: 'Actions',
    end: 'End',
    endQ: 'End this partnership? Its history is kept.',
    ended: 'The partnership has ended.',
    none: 'No partnership.',
    create: 'Create a partnership',
    choose: 'Choose…',
    save: 'Create the partnership',
    created: 'The partnership is created.',
  },
};

const MESSAGES = {
  PARTNERSHIP_EXISTS: { fr: 'Ces deux structures sont déjà partenaires.', en: 'These two organisations are already partners.' },
  PARTNERSHIP_INVALID: {
    fr: 'Choisissez un financeur et un distributeur différents.',
    en: 'Choose a funder and a different distributor.',
  },
};

/** Every partnership, ongoing or ended; an operator admin creates and ends them. */
export function PartnershipsPage({ lang, me }: PageProps) {
  const t = TEXT[lang];
  const [active, setActive] = useState<'' | 'true' | 'false'>('true');
  const [status, setStatus] = useState<string>();
  const [problem, setProblem] = useState<ApiProblem>();
  const list = usePages<Partnership>(
    (cursor) => api.GET('/v1/partnerships', { params: { query: { cursor, active: active || undefined } } }),
    [active],
  );
  const name = useOrgNames(list.items.flatMap((p) => [p.funderId, p.distributorId]));
  const end = async (p: Partnership) => {
    const { data, error, response } = await api.DELETE('/v1/partnerships/{id}', { params: { path: { id: p.id } } });
    if (!data) return setProblem(asProblem(error, response));
    setProblem(undefined);
    setStatus(t.ended);
    list.reload();
  };
  return (
    <section>
      <h1>{t.title}</h1>
      <p class="muted">{t.intro}</p>
      <div class="filters">
        <Field id="partnership-active" label={t.show}>
          {(a) => (
            <select {...a} value={active} onChange={(e) => setActive(valueOf(e) as '' | 'true' | 'false')}>
              <option value="true">{t.ongoing}</option>
              <option value="false">{t.endedOnly}</option>
              <option value="">{t.all}</option>
            </select>
          )}
        </Field>
      </div>
      <ProblemNotice lang={lang} problem={list.problem ?? problem} messages={MESSAGES} />
      {status && <p role="status">{status}</p>}
      <table>
        <thead>
          <tr>
            <th scope="col">{t.funder}</th>
            <th scope="col">{t.distributor}</th>
            <th scope="col">{t.since}</th>
            <th scope="col">{t.state}</th>
            {me.role === 'admin' && <th scope="col">{t.actions}</th>}
          </tr>
        </thead>
        <tbody>
          {list.items.map((p) => (
            <tr key={p.id}>
              <th scope="row">{name(p.funderId)}</th>
              <td>{name(p.distributorId)}</td>
              <td>{formatDateTime(lang, p.createdAt)}</td>
              <td>{p.endedAt ? t.endedOn(formatDateTime(lang, p.endedAt)) : t.ongoing}</td>
              {me.role === 'admin' && (
                <td>{!p.endedAt && <ConfirmAction lang={lang} label={t.end} question={t.endQ} onConfirm={() => void end(p)} />}</td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
      {!list.loading && list.items.length === 0 && <p>{t.none}</p>}
      <MoreButton lang={lang} hasMore={list.hasMore} loading={list.loading} more={list.more} />
      {me.role === 'admin' && <CreatePartnership lang={lang} onCreated={list.reload} />}
    </section>
  );
}

function CreatePartnership({ lang, onCreated }: { lang: PageProps['lang']; onCreated: () => void }) {
  const t = TEXT[lang];
  const funders = useLoad(() => api.GET('/v1/organisations', { params: { query: { kind: 'funder', limit: 100 } } }), []);
  const distributors = useLoad(() => api.GET('/v1/organisations', { params: { query: { kind: 'distributor', limit: 100 } } }), []);
  const [funderId, setFunderId] = useState('');
  const [distributorId, setDistributorId] = useState('');
  const [problem, setProblem] = useState<ApiProblem>();
  const [done, setDone] = useState(false);
  [...(funders.data?.items ?? []), ...(distributors.data?.items ?? [])].forEach((o) => rememberOrgName(o.id, o.legalName));
  const submit = async (e: Event) => {
    e.preventDefault();
    setDone(false);
    const { data, error, response } = await api.POST('/v1/partnerships', { body: { funderId, distributorId } });
    if (!data) return setProblem(asProblem(error, response));
    setProblem(undefined);
    setDone(true);
    onCreated();
  };
  const select = (id: string, label: string, value: string, set: (v: string) => void, items?: { id: string; legalName: string }[]) => (
    <Field id={id} label={label}>
      {(a) => (
        <select {...a} required value={value} onChange={(e) => set(valueOf(e))}>
          <option value="">{t.choose}</option>
          {(items ?? []).map((o) => (
            <option key={o.id} value={o.id}>
              {o.legalName}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
  return (
    <>
      <h2>{t.create}</h2>
      <form onSubmit={(e) => void submit(e)}>
        {select('new-partnership-funder', t.funder, funderId, setFunderId, funders.data?.items)}
        {select('new-partnership-distributor', t.distributor, distributorId, setDistributorId, distributors.data?.items)}
        <ProblemNotice lang={lang} problem={problem ?? funders.problem ?? distributors.problem} messages={MESSAGES} />
        {done && <p role="status">{t.created}</p>}
        <button type="submit" class="primary">
          {t.save}
        </button>
      </form>
    </>
  );
}
