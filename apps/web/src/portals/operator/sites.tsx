import { useState } from 'preact/hooks';
import { api, ApiProblem, asProblem } from '../../api/client';
import type { components } from '../../api/schema';
import { formatDate } from '../../i18n';
import type { PageProps } from '../../portal/page';
import { Link, useLocation } from '../../router';
import { Field, valueOf } from '../../ui/field';
import { ProblemNotice } from '../../ui/problem';
import { useLoad } from '../../ui/use-load';
import { usePages } from '../../ui/use-pages';
import { BANK_MESSAGES, BANK_TEXT, BankAccount, BankAccountCard } from './bank-account-list';
import { ConfirmAction, formatDateTime, MoreButton, parisToday } from './common';

type Site = components['schemas']['SiteDto'];
type Status = Site['status'];
type Decision = components['schemas']['QualificationDecisionDto']['decision'];
type Reason = components['schemas']['QualificationDecisionDto']['reasonCode'];

const STATUSES: Status[] = ['applied', 'qualified', 'suspended', 'revoked', 'draft'];
const REASONS: Record<Decision, Reason[]> = {
  qualified: ['application_accepted', 'label_renewed', 'suspension_lifted'],
  suspended: ['complaint_under_review', 'charter_breach_suspected', 'fraud_suspected', 'documents_expired', 'inactivity', 'other'],
  revoked: ['application_rejected', 'charter_breach', 'fraud_confirmed', 'site_closed', 'site_request', 'other'],
};
const ALLOWED_FROM: Record<Decision, Status[]> = {
  qualified: ['applied', 'qualified', 'suspended'],
  suspended: ['qualified'],
  revoked: ['applied', 'qualified', 'suspended'],
};

const TEXT = {
  fr: {
    title: 'Qualification des lieux',
    intro: 'Les demandes de qualification arrivent ici, la plus ancienne en premier.',
    status: 'État',
    statuses: {
      draft: 'Brouillon',
      applied: 'Demande à examiner',
      qualified: 'Qualifié',
      suspended: 'Suspendu',
      revoked: 'Révoqué',
    } as Record<Status, string>,
    q: 'Nom contient',
    department: 'Département',
    departmentHint: 'par exemple 69, 2A ou 974',
    apply: 'Filtrer',
    name: 'Lieu',
    commune: 'Commune (INSEE)',
    since: 'Depuis',
    label: 'Label',
    none: 'Aucun lieu dans cet état.',
    back: 'Qualification des lieux',
    facts: 'Fiche',
    categories: 'Services proposés',
    charter: 'Charte acceptée',
    address: 'Adresse',
    noLabel: 'Jamais qualifié',
    labelText: (l: NonNullable<Site['currentLabel']>, d: (s: string) => string) =>
      `${l.name}, du ${d(l.validFrom)} au ${d(l.validUntil)}${l.validToday ? '' : ' (pas valable aujourd’hui)'}`,
    decide: 'Décider',
    decision: 'Décision',
    decisions: { qualified: 'Qualifier (attribuer un label)', suspended: 'Suspendre', revoked: 'Révoquer (définitif)' } as Record<
      Decision,
      string
    >,
    reason: 'Motif',
    reasons: {
      application_accepted: 'Demande acceptée',
      label_renewed: 'Label renouvelé',
      suspension_lifted: 'Suspension levée',
      complaint_under_review: 'Plainte en cours d’examen',
      charter_breach_suspected: 'Manquement à la charte suspecté',
      fraud_suspected: 'Suspicion de fraude',
      documents_expired: 'Documents expirés',
      inactivity: 'Inactivité',
      other: 'Autre',
      application_rejected: 'Demande rejetée',
      charter_breach: 'Manquement à la charte',
      fraud_confirmed: 'Fraude avérée',
      site_closed: 'Lieu fermé',
      site_request: 'À la demande du lieu',
      site_application: 'Demande du lieu',
      charter_signed: 'Charte signée',
    } as Record<string, string>,
    labelName: 'Nom du label',
    validFrom: 'Valable à partir du',
    validUntil: 'Valable jusqu’au',
    submit: 'Enregistrer la décision',
    revokeQ: 'Révoquer ce lieu ? C’est définitif : il devra être réenregistré pour revenir.',
    decided: (s: string) => `Décision enregistrée : le lieu est maintenant « ${s} ».`,
    noDecision: 'Aucune décision possible dans cet état.',
    history: 'Historique',
    when: 'Date',
    entry: 'Étape',
    entries: { applied: 'Demande', qualified: 'Qualifié', suspended: 'Suspendu', revoked: 'Révoqué' } as Record<string, string>,
    bank: 'Comptes bancaires',
    bankIntro: 'Un changement de compte n’est en vigueur qu’une fois vérifié par une seconde personne de l’opérateur.',
    request: 'Demander un changement de compte pour ce lieu',
    requestSend: 'Demander le changement',
    requested: 'La demande est enregistrée : un autre utilisateur de l’opérateur doit maintenant la vérifier.',
  },
  en: {
    title: 'Site qualification',
    intro: 'Qualification applications arrive here, oldest first.',
    status: 'Status',
    statuses: {
      draft: 'Draft',
      applied: 'Application to review',
      qualified: 'Qualified',
      suspended: 'Suspended',
      revoked: 'Revoked',
    } as Record<Status, string>,
    q: 'Name contains',
    department: 'Department',
    departmentHint: 'e.g. 69, 2A or 974',
    apply: 'Filter',
    name: 'Site',
    commune: 'Commune (INSEE)',
    since: 'Since',
    label: 'Label',
    none: 'No site in this status.',
    back: 'Site qualification',
    facts: 'Facts',
    categories: 'Services offered',
    charter: 'Charter accepted',
    address: 'Address',
    noLabel: 'Never qualified',
    labelText: (l: NonNullable<Site['currentLabel']>, d: (s: string) => string) =>
      `${l.name}, from ${d(l.validFrom)} to ${d(l.validUntil)}${l.validToday ? '' : ' (not valid today)'}`,
    decide: 'Decide',
    decision: 'Decision',
    decisions: { qualified: 'Qualify (grant a label)', suspended: 'Suspend', revoked: 'Revoke (final)' } as Record<Decision, string>,
    reason: 'Reason',
    reasons: {
      application_accepted: 'Application accepted',
      label_renewed: 'Label renewed',
      suspension_lifted: 'Suspension lifted',
      complaint_under_review: 'Complaint under review',
      charter_breach_suspected: 'Charter breach suspected',
      fraud_suspected: 'Fraud suspected',
      documents_expired: 'Documents expired',
      inactivity: 'Inactivity',
      other: 'Other',
      application_rejected: 'Application rejected',
      charter_breach: 'Charter breach',
      fraud_confirmed: 'Fraud confirmed',
      site_closed: 'Site closed',
      site_request: 'At the site’s request',
      site_application: 'Site’s application',
      charter_signed: 'Charter signed',
    } as Record<string, string>,
    labelName: 'Label name',
    validFrom: 'Valid from',
    validUntil: 'Valid until',
    submit: 'Record the decision',
    revokeQ: 'Revoke this site? It is final: it would have to register again to come back.',
    decided: (s: string) => `Decision recorded: the site is now “${s}”.`,
    noDecision: 'No decision is possible in this status.',
    history: 'History',
    when: 'Date',
    entry: 'Step',
    entries: { applied: 'Application', qualified: 'Qualified', suspended: 'Suspended', revoked: 'Revoked' } as Record<string, string>,
    bank: 'Bank accounts',
    bankIntro: 'A change of account takes effect only once a second operator user verifies it.',
    request: 'Request a change of account for this site',
    requestSend: 'Request the change',
    requested: 'The request is recorded: another operator user must now verify it.',
  },
};

const MESSAGES = {
  QUALIFICATION_TRANSITION_INVALID: {
    fr: 'Cette décision n’est pas possible dans l’état actuel du lieu (il a peut-être changé : rechargez).',
    en: 'This decision is not possible in the site’s current status (it may have changed: reload).',
  },
  LABEL_RANGE_INVALID: {
    fr: 'Les dates du label ne vont pas : la fin doit suivre le début et ne pas être déjà passée.',
    en: 'The label dates do not fit: the end must follow the start and not be already past.',
  },
};

/** The qualification queue (applications, oldest first) and every site by status. */
export function SitesPage({ lang }: PageProps) {
  const t = TEXT[lang];
  const { query } = useLocation();
  const [filters, setFilters] = useState({ status: (query.get('status') as Status) || 'applied', q: '', departmentCode: '' });
  const [draft, setDraft] = useState(filters);
  const list = usePages<Site>(
    (cursor) =>
      api.GET('/v1/sites', {
        params: {
          query: { cursor, status: filters.status, q: filters.q || undefined, departmentCode: filters.departmentCode || undefined },
        },
      }),
    [filters.status, filters.q, filters.departmentCode],
  );
  const d = (s: string) => formatDate(lang, s);
  return (
    <section>
      <h1>{t.title}</h1>
      <p class="muted">{t.intro}</p>
      <form
        class="filters"
        onSubmit={(e) => {
          e.preventDefault();
          setFilters(draft);
        }}
      >
        <Field id="sites-status" label={t.status}>
          {(a) => (
            <select {...a} value={draft.status} onChange={(e) => setDraft({ ...draft, status: valueOf(e) as Status })}>
              {STATUSES.map((s) => (
                <option key={s} value={s}>
                  {t.statuses[s]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field id="sites-q" label={t.q}>
          {(a) => <input {...a} value={draft.q} onInput={(e) => setDraft({ ...draft, q: valueOf(e) })} />}
        </Field>
        <Field id="sites-department" label={t.department} hint={t.departmentHint}>
          {(a) => (
            <input {...a} size={4} value={draft.departmentCode} onInput={(e) => setDraft({ ...draft, departmentCode: valueOf(e) })} />
          )}
        </Field>
        <button type="submit">{t.apply}</button>
      </form>
      <ProblemNotice lang={lang} problem={list.problem} />
      <table>
        <thead>
          <tr>
            <th scope="col">{t.name}</th>
            <th scope="col">{t.commune}</th>
            <th scope="col">{t.since}</th>
            <th scope="col">{t.label}</th>
          </tr>
        </thead>
        <tbody>
          {list.items.map((s) => (
            <tr key={s.id}>
              <th scope="row">
                <Link href={`/app/sites/${s.id}`}>{s.legalName}</Link>
              </th>
              <td>
                {s.address.postcode} ({s.address.communeCode})
              </td>
              <td>{s.statusChangedAt ? formatDateTime(lang, s.statusChangedAt) : '—'}</td>
              <td>{s.currentLabel ? t.labelText(s.currentLabel, d) : t.noLabel}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {!list.loading && list.items.length === 0 && <p>{t.none}</p>}
      <MoreButton lang={lang} hasMore={list.hasMore} loading={list.loading} more={list.more} />
    </section>
  );
}

/** One site: its facts, the operator's decision (qualify, suspend, revoke), its history and its bank accounts. */
export function SitePage({ lang, me, params }: PageProps) {
  const t = TEXT[lang];
  const site = useLoad(() => api.GET('/v1/sites/{id}', { params: { path: { id: params.id } } }), [params.id]);
  const history = usePages<components['schemas']['QualificationEntryDto']>(
    (cursor) => api.GET('/v1/sites/{id}/qualification-history', { params: { path: { id: params.id }, query: { cursor } } }),
    [params.id],
  );
  const [message, setMessage] = useState<string>();
  // The decision's answer is the site as it is now: shown at once.
  const [fresh, setFresh] = useState<Site>();
  const s = fresh?.id === params.id ? fresh : site.data;
  if (site.problem) return <ProblemNotice lang={lang} problem={site.problem} />;
  if (!s) return <p aria-busy="true">…</p>;
  const d = (day: string) => formatDate(lang, day);
  const decided = (next: Site) => {
    setFresh(next);
    setMessage(t.decided(t.statuses[next.status]));
    history.reload();
  };
  return (
    <section>
      <p>
        <Link href="/app/sites">{t.back}</Link>
      </p>
      <h1>{s.legalName}</h1>
      {message && <p role="status">{message}</p>}
      <dl class="facts">
        <dt>{t.status}</dt>
        <dd data-testid="site-status">{t.statuses[s.status]}</dd>
        <dt>{t.label}</dt>
        <dd>{s.currentLabel ? t.labelText(s.currentLabel, d) : t.noLabel}</dd>
        <dt>{t.address}</dt>
        <dd>
          {s.address.line}, {s.address.postcode} ({s.address.communeCode})
        </dd>
        <dt>SIRET</dt>
        <dd>{s.siret ?? '—'}</dd>
        <dt>{t.categories}</dt>
        <dd>{s.serviceCategoryCodes.join(', ') || '—'}</dd>
        <dt>{t.charter}</dt>
        <dd>
          {s.charterVersion ? `${s.charterVersion}${s.charterAcceptedAt ? ` (${formatDateTime(lang, s.charterAcceptedAt)})` : ''}` : '—'}
        </dd>
      </dl>
      {me.role === 'admin' && <DecisionForm key={`${s.status}-${s.updatedAt}`} lang={lang} site={s} onDecided={decided} />}
      <h2>{t.history}</h2>
      <ProblemNotice lang={lang} problem={history.problem} />
      <table>
        <thead>
          <tr>
            <th scope="col">{t.when}</th>
            <th scope="col">{t.entry}</th>
            <th scope="col">{t.reason}</th>
            <th scope="col">{t.label}</th>
          </tr>
        </thead>
        <tbody>
          {history.items.map((h) => (
            <tr key={h.id}>
              <th scope="row">{formatDateTime(lang, h.decidedAt)}</th>
              <td>{t.entries[h.decision] ?? h.decision}</td>
              <td>{t.reasons[h.reasonCode] ?? h.reasonCode}</td>
              <td>{h.labelName ? `${h.labelName} (${d(h.labelValidFrom!)} – ${d(h.labelValidUntil!)})` : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <MoreButton lang={lang} hasMore={history.hasMore} loading={history.loading} more={history.more} />
      <SiteBankAccounts lang={lang} me={me} siteId={s.id} />
    </section>
  );
}

function DecisionForm({ lang, site, onDecided }: { lang: PageProps['lang']; site: Site; onDecided: (s: Site) => void }) {
  const t = TEXT[lang];
  const possible = (Object.keys(ALLOWED_FROM) as Decision[]).filter((dec) => ALLOWED_FROM[dec].includes(site.status));
  const [decision, setDecision] = useState<Decision>(possible[0] ?? 'qualified');
  const defaultReason = (dec: Decision): Reason =>
    dec === 'qualified' && site.status === 'qualified'
      ? 'label_renewed'
      : dec === 'qualified' && site.status === 'suspended'
        ? 'suspension_lifted'
        : REASONS[dec][0];
  const [reasonCode, setReason] = useState(defaultReason(possible[0] ?? 'qualified'));
  const today = parisToday();
  const nextYear = `${Number(today.slice(0, 4)) + 1}${today.slice(4)}`;
  const [label, setLabel] = useState({ labelName: site.currentLabel?.name ?? '', labelValidFrom: today, labelValidUntil: nextYear });
  const [problem, setProblem] = useState<ApiProblem>();
  const [busy, setBusy] = useState(false);
  if (possible.length === 0) return <p class="muted">{t.noDecision}</p>;
  const send = async () => {
    setBusy(true);
    const body = decision === 'qualified' ? { decision, reasonCode, ...label } : { decision, reasonCode };
    const { data, error, response } = await api.POST('/v1/sites/{id}/qualification', { params: { path: { id: site.id } }, body });
    setBusy(false);
    if (!data) return setProblem(asProblem(error, response));
    setProblem(undefined);
    onDecided(data);
  };
  const fieldError = (f: string) => (problem?.field === f ? problem.detail : undefined);
  return (
    <>
      <h2>{t.decide}</h2>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (decision !== 'revoked') void send();
        }}
      >
        <Field id="decision" label={t.decision}>
          {(a) => (
            <select
              {...a}
              value={decision}
              onChange={(e) => {
                const dec = valueOf(e) as Decision;
                setDecision(dec);
                setReason(defaultReason(dec));
              }}
            >
              {possible.map((dec) => (
                <option key={dec} value={dec}>
                  {t.decisions[dec]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field id="decision-reason" label={t.reason}>
          {(a) => (
            <select {...a} value={reasonCode} onChange={(e) => setReason(valueOf(e) as Reason)}>
              {REASONS[decision].map((r) => (
                <option key={r} value={r}>
                  {t.reasons[r]}
                </option>
              ))}
            </select>
          )}
        </Field>
        {decision === 'qualified' && (
          <>
            <Field id="label-name" label={t.labelName} error={fieldError('labelName')}>
              {(a) => <input {...a} required value={label.labelName} onInput={(e) => setLabel({ ...label, labelName: valueOf(e) })} />}
            </Field>
            <Field id="label-from" label={t.validFrom} error={fieldError('labelValidFrom')}>
              {(a) => (
                <input
                  {...a}
                  type="date"
                  required
                  value={label.labelValidFrom}
                  onInput={(e) => setLabel({ ...label, labelValidFrom: valueOf(e) })}
                />
              )}
            </Field>
            <Field id="label-until" label={t.validUntil} error={fieldError('labelValidUntil')}>
              {(a) => (
                <input
                  {...a}
                  type="date"
                  required
                  value={label.labelValidUntil}
                  onInput={(e) => setLabel({ ...label, labelValidUntil: valueOf(e) })}
                />
              )}
            </Field>
          </>
        )}
        <ProblemNotice lang={lang} problem={problem} messages={MESSAGES} />
        {decision === 'revoked' ? (
          <ConfirmAction lang={lang} label={t.submit} question={t.revokeQ} primary disabled={busy} onConfirm={() => void send()} />
        ) : (
          <button type="submit" class="primary" disabled={busy}>
            {t.submit}
          </button>
        )}
      </form>
    </>
  );
}

function SiteBankAccounts({ lang, me, siteId }: { lang: PageProps['lang']; me: PageProps['me']; siteId: string }) {
  const t = TEXT[lang];
  const b = BANK_TEXT[lang];
  const list = usePages<BankAccount>(
    (cursor) => api.GET('/v1/sites/{id}/bank-accounts', { params: { path: { id: siteId }, query: { cursor } } }),
    [siteId],
  );
  const [message, setMessage] = useState<string>();
  const [f, setF] = useState({ iban: '', bic: '', holderName: '' });
  const [problem, setProblem] = useState<ApiProblem>();
  const canRequest = me.role === 'admin' || me.role === 'finance';
  const request = async (e: Event) => {
    e.preventDefault();
    const { data, error, response } = await api.POST('/v1/sites/{id}/bank-accounts', { params: { path: { id: siteId } }, body: f });
    if (!data) return setProblem(asProblem(error, response));
    setProblem(undefined);
    setF({ iban: '', bic: '', holderName: '' });
    setMessage(t.requested);
    list.reload();
  };
  return (
    <>
      <h2>{t.bank}</h2>
      <p class="muted">{t.bankIntro}</p>
      {message && <p role="status">{message}</p>}
      <ProblemNotice lang={lang} problem={list.problem} />
      {!list.loading && list.items.length === 0 && <p>{b.none}</p>}
      {[...list.items].reverse().map((a) => (
        <BankAccountCard
          key={a.id}
          lang={lang}
          me={me}
          account={a}
          onDecided={(text) => {
            setMessage(text);
            list.reload();
          }}
        />
      ))}
      <MoreButton lang={lang} hasMore={list.hasMore} loading={list.loading} more={list.more} />
      {canRequest && (
        <>
          <h3>{t.request}</h3>
          <form onSubmit={(e) => void request(e)}>
            <Field id="bank-iban" label={b.iban}>
              {(a) => <input {...a} required value={f.iban} onInput={(e) => setF({ ...f, iban: valueOf(e) })} />}
            </Field>
            <Field id="bank-bic" label={b.bic}>
              {(a) => <input {...a} required value={f.bic} onInput={(e) => setF({ ...f, bic: valueOf(e) })} />}
            </Field>
            <Field id="bank-holder" label={b.holder}>
              {(a) => <input {...a} required value={f.holderName} onInput={(e) => setF({ ...f, holderName: valueOf(e) })} />}
            </Field>
            <ProblemNotice lang={lang} problem={problem} messages={BANK_MESSAGES} />
            <button type="submit" class="primary">
              {t.requestSend}
            </button>
          </form>
        </>
      )}
    </>
  );
}
