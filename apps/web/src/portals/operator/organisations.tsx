import { useState } from 'preact/hooks';
import { api, ApiProblem, asProblem } from '../../api/client';
import type { components } from '../../api/schema';
import type { PageProps } from '../../portal/page';
import { Link } from '../../router';
import { Field, valueOf } from '../../ui/field';
import { ProblemNotice } from '../../ui/problem';
import { useLoad } from '../../ui/use-load';
import { usePages } from '../../ui/use-pages';
import { formatDateTime, KIND_LABELS, MoreButton, rememberOrgName, useOrgNames } from './common';

type Organisation = components['schemas']['OrganisationDto'];
type Kind = Organisation['kinds'][number];
type NewKind = components['schemas']['CreateOrganisationDto']['kinds'][number];
type FunderType = NonNullable<Organisation['funderType']>;

const TEXT = {
  fr: {
    title: 'Structures',
    filters: 'Filtrer les structures',
    kind: 'Type',
    anyKind: 'Tous les types',
    q: 'Nom contient',
    commune: 'Code commune INSEE',
    apply: 'Filtrer',
    name: 'Raison sociale',
    kinds: 'Types',
    siren: 'SIREN',
    place: 'Adresse',
    none: 'Aucune structure ne correspond.',
    create: 'Enregistrer une structure',
    kindsLegend: 'Types de la structure',
    funderType: 'Type de financeur',
    funderTypes: { collectivity: 'Collectivité', public_operator: 'Opérateur public', company: 'Entreprise', state: 'État' },
    siret: 'SIRET (facultatif)',
    siretHint: '14 chiffres ; les 9 premiers sont le SIREN. Un lieu en a besoin pour être qualifié.',
    line: 'Adresse',
    postcode: 'Code postal',
    communeHint: '5 caractères, par exemple 69123 pour Lyon',
    save: 'Enregistrer',
    created: (n: string) => `La structure « ${n} » est enregistrée.`,
    chooseKind: 'Cochez au moins un type.',
    detail: 'Structure',
    createdAt: 'Enregistrée le',
    partnerships: 'Partenariats',
    funder: 'Financeur',
    distributor: 'Distributeur',
    since: 'Depuis',
    ended: 'Terminé le',
    ongoing: 'En cours',
    noPartnerships: 'Aucun partenariat.',
    users: 'Voir ses utilisateurs',
    site: 'Voir le lieu (qualification, comptes bancaires)',
    back: 'Toutes les structures',
    edit: 'Modifier la raison sociale, le SIRET ou l’adresse',
    saved: 'Les changements sont enregistrés.',
  },
  en: {
    title: 'Organisations',
    filters: 'Filter organisations',
    kind: 'Kind',
    anyKind: 'Every kind',
    q: 'Name contains',
    commune: 'INSEE commune code',
    apply: 'Filter',
    name: 'Legal name',
    kinds: 'Kinds',
    siren: 'SIREN',
    place: 'Address',
    none: 'No organisation matches.',
    create: 'Register an organisation',
    kindsLegend: 'Kinds of organisation',
    funderType: 'Funder type',
    funderTypes: { collectivity: 'Local authority', public_operator: 'Public operator', company: 'Company', state: 'State' },
    siret: 'SIRET (optional)',
    siretHint: '14 digits; the first 9 are the SIREN. A site needs one to be qualified.',
    line: 'Address',
    postcode: 'Postcode',
    communeHint: '5 characters, e.g. 69123 for Lyon',
    save: 'Save',
    created: (n: string) => `Organisation “${n}” is registered.`,
    chooseKind: 'Tick at least one kind.',
    detail: 'Organisation',
    createdAt: 'Registered on',
    partnerships: 'Partnerships',
    funder: 'Funder',
    distributor: 'Distributor',
    since: 'Since',
    ended: 'Ended on',
    ongoing: 'Ongoing',
    noPartnerships: 'No partnership.',
    users: 'See its users',
    site: 'See the site (qualification, bank accounts)',
    back: 'All organisations',
    edit: 'Change the legal name, SIRET or address',
    saved: 'The changes are saved.',
  },
};

const MESSAGES = {
  SIRET_TAKEN: { fr: 'Une autre structure a déjà ce SIRET.', en: 'Another organisation already has this SIRET.' },
  ORGANISATION_KIND_INVALID: {
    fr: 'Ces types ne vont pas ensemble : un financeur a un type de financeur, les autres n’en ont pas.',
    en: 'These kinds do not fit: a funder has a funder type, other organisations have none.',
  },
};

const KINDS: NewKind[] = ['funder', 'distributor', 'site'];
const FUNDER_TYPES: FunderType[] = ['collectivity', 'public_operator', 'company', 'state'];

/** Every organisation, filtered by kind, name and commune; an operator admin registers new ones here. */
export function OrganisationsPage({ lang, me }: PageProps) {
  const t = TEXT[lang];
  const [filters, setFilters] = useState<{ kind?: Kind; q?: string; communeCode?: string }>({});
  const [draft, setDraft] = useState<{ kind?: Kind; q?: string; communeCode?: string }>({});
  const list = usePages<Organisation>(
    (cursor) =>
      api.GET('/v1/organisations', {
        params: { query: { cursor, kind: filters.kind, q: filters.q || undefined, communeCode: filters.communeCode || undefined } },
      }),
    [filters.kind, filters.q, filters.communeCode],
  );
  list.items.forEach((o) => rememberOrgName(o.id, o.legalName));
  return (
    <section>
      <h1>{t.title}</h1>
      <form
        class="filters"
        aria-label={t.filters}
        onSubmit={(e) => {
          e.preventDefault();
          setFilters(draft);
        }}
      >
        <Field id="org-kind" label={t.kind}>
          {(a) => (
            <select {...a} value={draft.kind ?? ''} onChange={(e) => setDraft({ ...draft, kind: (valueOf(e) || undefined) as Kind })}>
              <option value="">{t.anyKind}</option>
              {(['operator', ...KINDS] as Kind[]).map((k) => (
                <option key={k} value={k}>
                  {KIND_LABELS[lang][k]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field id="org-q" label={t.q}>
          {(a) => <input {...a} value={draft.q ?? ''} onInput={(e) => setDraft({ ...draft, q: valueOf(e) })} />}
        </Field>
        <Field id="org-commune" label={t.commune}>
          {(a) => (
            <input {...a} size={6} value={draft.communeCode ?? ''} onInput={(e) => setDraft({ ...draft, communeCode: valueOf(e) })} />
          )}
        </Field>
        <button type="submit">{t.apply}</button>
      </form>
      <ProblemNotice lang={lang} problem={list.problem} />
      <table>
        <thead>
          <tr>
            <th scope="col">{t.name}</th>
            <th scope="col">{t.kinds}</th>
            <th scope="col">{t.siren}</th>
            <th scope="col">{t.place}</th>
          </tr>
        </thead>
        <tbody>
          {list.items.map((o) => (
            <tr key={o.id}>
              <th scope="row">
                <Link href={`/app/organisations/${o.id}`}>{o.legalName}</Link>
              </th>
              <td>{o.kinds.map((k) => KIND_LABELS[lang][k]).join(', ')}</td>
              <td>{o.siren}</td>
              <td>
                {o.address.postcode} ({o.address.communeCode})
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {!list.loading && list.items.length === 0 && <p>{t.none}</p>}
      <MoreButton lang={lang} hasMore={list.hasMore} loading={list.loading} more={list.more} />
      {me.role === 'admin' && <CreateOrganisation lang={lang} onCreated={list.reload} />}
    </section>
  );
}

function CreateOrganisation({ lang, onCreated }: { lang: PageProps['lang']; onCreated: () => void }) {
  const t = TEXT[lang];
  const empty = { legalName: '', siren: '', siret: '', line: '', postcode: '', communeCode: '' };
  const [kinds, setKinds] = useState<NewKind[]>([]);
  const [funderType, setFunderType] = useState<FunderType>('collectivity');
  const [f, setF] = useState(empty);
  const [problem, setProblem] = useState<ApiProblem>();
  const [done, setDone] = useState<Organisation>();
  const [busy, setBusy] = useState(false);
  const fieldError = (name: string) =>
    problem?.errors?.find((e) => e.field === name || e.field.endsWith(`.${name}`))?.message ?? (problem?.field === name ? ' ' : undefined);
  const input = (name: keyof typeof empty, label: string, hint?: string, autocomplete?: string) => (
    <Field id={`new-org-${name}`} label={label} hint={hint} error={fieldError(name === 'line' ? 'line' : name)?.trim() || undefined}>
      {(a) => <input {...a} autocomplete={autocomplete} value={f[name]} onInput={(e) => setF({ ...f, [name]: valueOf(e) })} />}
    </Field>
  );
  const submit = async (e: Event) => {
    e.preventDefault();
    setDone(undefined);
    if (kinds.length === 0) return setProblem({ status: 400, code: 'NO_KIND', detail: '' });
    setBusy(true);
    const { data, error, response } = await api
      .POST('/v1/organisations', {
        body: {
          kinds,
          funderType: kinds.includes('funder') ? funderType : undefined,
          legalName: f.legalName,
          siren: f.siren.replace(/\s/g, ''),
          siret: f.siret.replace(/\s/g, '') || undefined,
          address: { line: f.line, postcode: f.postcode, communeCode: f.communeCode },
        },
      })
      .catch(() => ({ data: undefined, error: undefined, response: undefined }));
    setBusy(false);
    if (!data) return setProblem(asProblem(error, response));
    setProblem(undefined);
    setDone(data);
    setF(empty);
    setKinds([]);
    onCreated();
  };
  return (
    <>
      <h2>{t.create}</h2>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <fieldset>
          <legend>{t.kindsLegend}</legend>
          {KINDS.map((k) => (
            <label key={k} class="check">
              <input
                type="checkbox"
                checked={kinds.includes(k)}
                onChange={(e) => setKinds(e.currentTarget.checked ? [...kinds, k] : kinds.filter((x) => x !== k))}
              />{' '}
              {KIND_LABELS[lang][k]}{' '}
            </label>
          ))}
        </fieldset>
        {kinds.includes('funder') && (
          <Field id="new-org-funder-type" label={t.funderType}>
            {(a) => (
              <select {...a} value={funderType} onChange={(e) => setFunderType(valueOf(e) as FunderType)}>
                {FUNDER_TYPES.map((ft) => (
                  <option key={ft} value={ft}>
                    {t.funderTypes[ft]}
                  </option>
                ))}
              </select>
            )}
          </Field>
        )}
        {input('legalName', t.name, undefined, 'organization')}
        {input('siren', t.siren, lang === 'fr' ? '9 chiffres' : '9 digits')}
        {input('siret', t.siret, t.siretHint)}
        {input('line', t.line, undefined, 'street-address')}
        {input('postcode', t.postcode, undefined, 'postal-code')}
        {input('communeCode', t.commune, t.communeHint)}
        {problem?.code === 'NO_KIND' ? (
          <p role="alert" class="problem">
            {t.chooseKind}
          </p>
        ) : (
          <ProblemNotice lang={lang} problem={problem} messages={MESSAGES} />
        )}
        {done && (
          <p role="status">
            {t.created(done.legalName)} <Link href={`/app/organisations/${done.id}`}>{t.detail}</Link>
          </p>
        )}
        <button type="submit" class="primary" disabled={busy}>
          {t.save}
        </button>
      </form>
    </>
  );
}

/** One organisation: its facts, its partnerships, links to its users and (a site) its qualification. */
export function OrganisationPage({ lang, me, params }: PageProps) {
  const t = TEXT[lang];
  const org = useLoad(() => api.GET('/v1/organisations/{id}', { params: { path: { id: params.id } } }), [params.id]);
  const [fresh, setFresh] = useState<Organisation>();
  const o = fresh?.id === params.id ? fresh : org.data;
  const asFunder = o?.kinds.includes('funder');
  const partnerships = usePages<components['schemas']['PartnershipDto']>(
    (cursor) =>
      api.GET('/v1/partnerships', {
        params: { query: { cursor, ...(asFunder ? { funderId: params.id } : { distributorId: params.id }) } },
      }),
    [params.id, asFunder],
  );
  const name = useOrgNames(partnerships.items.flatMap((p) => [p.funderId, p.distributorId]));
  if (org.problem) return <ProblemNotice lang={lang} problem={org.problem} />;
  if (!o) return <p aria-busy="true">…</p>;
  const showPartners = o.kinds.includes('funder') || o.kinds.includes('distributor');
  return (
    <section>
      <p>
        <Link href="/app/organisations">{t.back}</Link>
      </p>
      <h1>{o.legalName}</h1>
      <dl class="facts">
        <dt>{t.kinds}</dt>
        <dd>{o.kinds.map((k) => KIND_LABELS[lang][k]).join(', ')}</dd>
        {o.funderType && (
          <>
            <dt>{t.funderType}</dt>
            <dd>{t.funderTypes[o.funderType]}</dd>
          </>
        )}
        <dt>{t.siren}</dt>
        <dd>{o.siren}</dd>
        <dt>SIRET</dt>
        <dd>{o.siret ?? '—'}</dd>
        <dt>{t.place}</dt>
        <dd>
          {o.address.line}, {o.address.postcode} ({o.address.communeCode})
        </dd>
        <dt>{t.createdAt}</dt>
        <dd>{formatDateTime(lang, o.createdAt)}</dd>
      </dl>
      <ul>
        <li>
          <Link href={`/app/users?organisationId=${o.id}`}>{t.users}</Link>
        </li>
        {o.kinds.includes('site') && (
          <li>
            <Link href={`/app/sites/${o.id}`}>{t.site}</Link>
          </li>
        )}
      </ul>
      {me.role === 'admin' && (
        <EditOrganisation
          key={o.id}
          lang={lang}
          organisation={o}
          onSaved={(next) => {
            rememberOrgName(next.id, next.legalName);
            setFresh(next);
          }}
        />
      )}
      {showPartners && (
        <>
          <h2>{t.partnerships}</h2>
          <ProblemNotice lang={lang} problem={partnerships.problem} />
          {partnerships.items.length === 0 && !partnerships.loading ? (
            <p>{t.noPartnerships}</p>
          ) : (
            <table>
              <thead>
                <tr>
                  <th scope="col">{t.funder}</th>
                  <th scope="col">{t.distributor}</th>
                  <th scope="col">{t.since}</th>
                  <th scope="col">{t.ended}</th>
                </tr>
              </thead>
              <tbody>
                {partnerships.items.map((p) => (
                  <tr key={p.id}>
                    <th scope="row">{name(p.funderId)}</th>
                    <td>{name(p.distributorId)}</td>
                    <td>{formatDateTime(lang, p.createdAt)}</td>
                    <td>{p.endedAt ? formatDateTime(lang, p.endedAt) : t.ongoing}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <MoreButton lang={lang} hasMore={partnerships.hasMore} loading={partnerships.loading} more={partnerships.more} />
        </>
      )}
    </section>
  );
}

function EditOrganisation(props: { lang: PageProps['lang']; organisation: Organisation; onSaved: (o: Organisation) => void }) {
  const t = TEXT[props.lang];
  const o = props.organisation;
  const [f, setF] = useState({
    legalName: o.legalName,
    siret: o.siret ?? '',
    line: o.address.line,
    postcode: o.address.postcode,
    communeCode: o.address.communeCode,
  });
  const [problem, setProblem] = useState<ApiProblem>();
  const [saved, setSaved] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setSaved(false);
    const siret = f.siret.replace(/\s/g, '');
    const { data, error, response } = await api.PATCH('/v1/organisations/{id}', {
      params: { path: { id: o.id } },
      body: {
        legalName: f.legalName,
        siret: siret || null,
        address: { line: f.line, postcode: f.postcode, communeCode: f.communeCode },
      },
    });
    if (!data) return setProblem(asProblem(error, response));
    setProblem(undefined);
    setSaved(true);
    props.onSaved(data);
  };
  const input = (name: keyof typeof f, label: string, hint?: string) => (
    <Field id={`edit-org-${name}`} label={label} hint={hint}>
      {(a) => <input {...a} value={f[name]} onInput={(e) => setF({ ...f, [name]: valueOf(e) })} />}
    </Field>
  );
  return (
    <details class="panel" open={saved || !!problem}>
      <summary>{t.edit}</summary>
      <form onSubmit={(e) => void submit(e)}>
        {input('legalName', t.name)}
        {input('siret', t.siret, t.siretHint)}
        {input('line', t.line)}
        {input('postcode', t.postcode)}
        {input('communeCode', t.commune, t.communeHint)}
        <ProblemNotice lang={props.lang} problem={problem} messages={MESSAGES} />
        {saved && <p role="status">{t.saved}</p>}
        <button type="submit" class="primary">
          {t.save}
        </button>
      </form>
    </details>
  );
}
