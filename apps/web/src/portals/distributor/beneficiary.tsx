import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { components } from '../../api/schema';
import { api, ApiProblem, asProblem } from '../../api/client';
import { formatDate, Lang } from '../../i18n';
import type { PageProps } from '../../portal/page';
import { Link } from '../../router';
import { useLoad } from '../../ui/use-load';
import { useCategories } from './common';
import { downloadFile } from '../../session';
import { Field, valueOf } from '../../ui/field';
import { ProblemNotice } from '../../ui/problem';
import './distributor.css';

type Purpose = 'follow_up' | 'contact_beneficiary' | 'data_subject_request' | 'correction' | 'audit';
type ErasureReason = 'data_subject_request' | 'consent_withdrawn' | 'retention' | 'recorded_in_error';

/** What GET /v1/beneficiaries/{id} answers; the spec types each record's content as an object, read here as text fields. */
type Beneficiary = Omit<components['schemas']['BeneficiaryDto'], 'records'> & {
  records: Record<
    string,
    { record: Record<string, string | null> | null; consent: { purpose: string; givenOn: string; textVersion: string } }
  >;
};

const PURPOSES: Purpose[] = ['data_subject_request', 'follow_up', 'contact_beneficiary', 'correction', 'audit'];
const ERASURE_REASONS: ErasureReason[] = ['data_subject_request', 'consent_withdrawn', 'recorded_in_error'];

const TEXT = {
  fr: {
    title: 'Données d’un bénéficiaire',
    intro:
      'Ce que votre structure a enregistré sur cette personne lors de la remise de son carnet. Chaque consultation est inscrite, avec son motif, dans un journal que le délégué à la protection des données contrôle.',
    back: 'Retour aux remises effectuées',
    view: 'Consulter',
    purpose: 'Motif de la consultation',
    purposes: {
      data_subject_request: 'Demande de la personne (exercice de ses droits)',
      follow_up: 'Suivi de l’accompagnement',
      contact_beneficiary: 'Recontacter la personne',
      correction: 'Corriger une erreur',
      audit: 'Contrôle',
    } as Record<Purpose, string>,
    show: 'Afficher les données',
    profile: 'Profil',
    ageBand: 'Tranche d’âge',
    ages: {
      under_18: 'Moins de 18 ans',
      '18_25': '18 à 25 ans',
      '26_44': '26 à 44 ans',
      '45_59': '45 à 59 ans',
      '60_74': '60 à 74 ans',
      '75_plus': '75 ans et plus',
    } as Record<string, string>,
    commune: 'Commune (code INSEE)',
    category: 'Catégorie de public',
    none: 'Aucune',
    contact: 'Coordonnées',
    noContact: 'Aucune coordonnée enregistrée.',
    erasedNote: 'Les données personnelles de cette personne ont été effacées.',
    name: 'Nom',
    email: 'E-mail',
    phone: 'Téléphone',
    consent: (purpose: string, on: string, version: string) => `Accord donné le ${on} pour « ${purpose} » (texte ${version}).`,
    consentPurposes: {
      follow_up: 'le suivi de l’accompagnement',
      reminders: 'des rappels avant expiration',
      satisfaction_survey: 'une enquête de satisfaction',
    } as Record<string, string>,
    handovers: 'Carnets remis',
    returned: 'remise annulée',
    export: 'Export (droit d’accès)',
    exportText:
      'Toutes les données enregistrées sur la personne, dans un fichier JSON à lui remettre. L’export est inscrit au journal d’audit.',
    download: 'Télécharger l’export',
    downloaded: 'L’export est téléchargé.',
    downloadFailed: 'L’export n’a pas pu être téléchargé.',
    withdraw: 'Retrait de l’accord',
    withdrawText: 'La personne retire son accord : ses coordonnées sont supprimées aussitôt. Son profil statistique reste.',
    withdrawButton: 'Supprimer les coordonnées…',
    withdrawConfirm: 'Confirmer la suppression des coordonnées',
    withdrawn: 'Les coordonnées sont supprimées.',
    nothingToWithdraw: 'Il n’y avait pas de coordonnées à supprimer.',
    erase: 'Effacement (droit à l’effacement)',
    eraseText:
      'Efface définitivement les données personnelles de la personne : sa clé de chiffrement est détruite et son profil n’est plus relié à elle. Les comptes anonymes et le journal d’audit restent. C’est irréversible.',
    reason: 'Motif de l’effacement',
    reasons: {
      data_subject_request: 'Demande de la personne',
      consent_withdrawn: 'Retrait de son accord',
      retention: 'Durée de conservation dépassée',
      recorded_in_error: 'Enregistrée par erreur',
    } as Record<ErasureReason, string>,
    eraseButton: 'Effacer les données de cette personne…',
    eraseConfirmTitle: 'Effacer définitivement ?',
    eraseConfirmText: 'Les coordonnées et le lien entre la personne et son profil seront détruits. Personne ne pourra les retrouver.',
    eraseConfirm: 'Oui, effacer définitivement',
    keep: 'Annuler',
    erased: 'Les données personnelles de cette personne sont effacées.',
  },
  en: {
    title: 'A beneficiary’s data',
    intro:
      'What your organisation recorded about this person when handing their booklet over. Each read is written, with its purpose, in a log the data protection officer reviews.',
    back: 'Back to past hand-overs',
    view: 'Read',
    purpose: 'Purpose of the read',
    purposes: {
      data_subject_request: 'The person’s request (exercising their rights)',
      follow_up: 'Follow-up of their support',
      contact_beneficiary: 'Contacting the person',
      correction: 'Correcting a mistake',
      audit: 'Audit',
    } as Record<Purpose, string>,
    show: 'Show the data',
    profile: 'Profile',
    ageBand: 'Age band',
    ages: {
      under_18: 'Under 18',
      '18_25': '18 to 25',
      '26_44': '26 to 44',
      '45_59': '45 to 59',
      '60_74': '60 to 74',
      '75_plus': '75 and over',
    } as Record<string, string>,
    commune: 'Commune (INSEE code)',
    category: 'Public category',
    none: 'None',
    contact: 'Contact details',
    noContact: 'No contact details recorded.',
    erasedNote: 'This person’s personal data has been erased.',
    name: 'Name',
    email: 'Email',
    phone: 'Phone',
    consent: (purpose: string, on: string, version: string) => `Consent given on ${on} for “${purpose}” (text ${version}).`,
    consentPurposes: {
      follow_up: 'follow-up of their support',
      reminders: 'reminders before expiry',
      satisfaction_survey: 'a satisfaction survey',
    } as Record<string, string>,
    handovers: 'Booklets handed over',
    returned: 'hand-over cancelled',
    export: 'Export (right of access)',
    exportText: 'Every piece of data recorded about the person, in a JSON file to give them. The export is written in the audit log.',
    download: 'Download the export',
    downloaded: 'The export is downloaded.',
    downloadFailed: 'The export could not be downloaded.',
    withdraw: 'Consent withdrawal',
    withdrawText: 'The person withdraws their consent: their contact details are deleted at once. Their statistical profile stays.',
    withdrawButton: 'Delete the contact details…',
    withdrawConfirm: 'Confirm deleting the contact details',
    withdrawn: 'The contact details are deleted.',
    nothingToWithdraw: 'There were no contact details to delete.',
    erase: 'Erasure (right to erasure)',
    eraseText:
      'Erases the person’s personal data for good: their encryption key is destroyed and their profile no longer points to them. Anonymous counts and the audit log stay. This cannot be undone.',
    reason: 'Reason for erasure',
    reasons: {
      data_subject_request: 'The person’s request',
      consent_withdrawn: 'Consent withdrawn',
      retention: 'Retention period over',
      recorded_in_error: 'Recorded in error',
    } as Record<ErasureReason, string>,
    eraseButton: 'Erase this person’s data…',
    eraseConfirmTitle: 'Erase for good?',
    eraseConfirmText:
      'The contact details and the link between the person and their profile will be destroyed. No one will be able to recover them.',
    eraseConfirm: 'Yes, erase for good',
    keep: 'Cancel',
    erased: 'This person’s personal data is erased.',
  },
};

const PROBLEMS = {
  NOT_FOUND: {
    fr: 'Cette personne n’a pas été enregistrée par votre structure, ou n’existe pas.',
    en: 'This person was not recorded by your organisation, or does not exist.',
  },
};

/**
 * A beneficiary's personal data for the distributor's admins (the organisation that recorded them):
 * read with a purpose (logged), the GDPR access export, consent withdrawal and erasure, each
 * irreversible step confirmed first.
 */
export function BeneficiaryPage({ lang, me, params }: PageProps) {
  const t = TEXT[lang];
  const id = params.id;
  const [purpose, setPurpose] = useState<Purpose>('data_subject_request');
  const [person, setPerson] = useState<Beneficiary | undefined>();
  const [problem, setProblem] = useState<ApiProblem | undefined>();
  const [status, setStatus] = useState<string | undefined>();
  const [confirming, setConfirming] = useState<'withdraw' | 'erase' | undefined>();
  const [reason, setReason] = useState<ErasureReason>('data_subject_request');
  const [busy, setBusy] = useState(false);
  const [erasedNow, setErasedNow] = useState(false);
  const gone = erasedNow || !!person?.erased;
  // The category's label: the profile names its code, one of a partner funder's categories.
  const stock = useLoad(
    () => api.GET('/v1/distributors/{id}/stock', { params: { path: { id: me.organisation.id } } }),
    [me.organisation.id],
  );
  const categories = Object.values(useCategories((stock.data?.lines ?? []).map((l) => l.funderId))).flat();
  const confirmRef = useRef<HTMLHeadingElement>(null);
  useLayoutEffect(() => confirmRef.current?.focus(), [confirming]);
  // Another person (a link followed from this screen): nothing of the previous one stays.
  useEffect(() => {
    setPerson(undefined);
    setStatus(undefined);
    setProblem(undefined);
    setConfirming(undefined);
    setErasedNow(false);
  }, [id]);

  async function read(e?: Event) {
    e?.preventDefault();
    setProblem(undefined);
    const { data, error, response } = await api
      .GET('/v1/beneficiaries/{id}', { params: { path: { id }, query: { purpose } } })
      .catch(() => ({ data: undefined, error: undefined, response: undefined }));
    if (response?.ok && data) setPerson(data as Beneficiary);
    else setProblem(asProblem(error, response));
  }

  async function download() {
    setStatus(undefined);
    setProblem(undefined);
    const ok = await downloadFile(`/v1/beneficiaries/${encodeURIComponent(id)}/export`, `beneficiary-${id}.json`, 'application/json');
    setStatus(ok ? t.downloaded : undefined);
    if (!ok) setProblem({ status: 500, code: 'EXPORT_FAILED', detail: t.downloadFailed });
  }

  async function withdraw() {
    setBusy(true);
    setProblem(undefined);
    const { data, error, response } = await api
      .POST('/v1/beneficiaries/{id}/withdraw-consent', { params: { path: { id } }, body: { field: 'contact' } })
      .catch(() => ({ data: undefined, error: undefined, response: undefined }));
    setBusy(false);
    setConfirming(undefined);
    if (response?.ok) {
      setStatus(data?.deleted ? t.withdrawn : t.nothingToWithdraw);
      if (person) await read();
    } else setProblem(asProblem(error, response));
  }

  async function erase() {
    setBusy(true);
    setProblem(undefined);
    const { error, response } = await api
      .POST('/v1/beneficiaries/{id}/erase', { params: { path: { id } }, body: { reasonCode: reason } })
      .catch(() => ({ error: undefined, response: undefined }));
    setBusy(false);
    setConfirming(undefined);
    if (response?.ok) {
      setStatus(t.erased);
      setErasedNow(true);
      if (person) await read();
    } else setProblem(asProblem(error, response));
  }

  return (
    <section>
      <h1>{t.title}</h1>
      <p>{t.intro}</p>
      <p>
        <Link href="/app/hand-overs">{t.back}</Link>
      </p>
      <div role="status">{status && <p class="success">{status}</p>}</div>
      <ProblemNotice
        lang={lang}
        problem={problem}
        messages={{ ...PROBLEMS, EXPORT_FAILED: { fr: TEXT.fr.downloadFailed, en: TEXT.en.downloadFailed } }}
      />

      <h2>{t.view}</h2>
      <form onSubmit={(e) => void read(e)}>
        <Field id="purpose" label={t.purpose}>
          {(aria) => (
            <select {...aria} value={purpose} onChange={(e) => setPurpose(valueOf(e) as Purpose)}>
              {PURPOSES.map((p) => (
                <option key={p} value={p}>
                  {t.purposes[p]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <div class="actions">
          <button type="submit">{t.show}</button>
        </div>
      </form>
      {person && (
        <PersonFacts
          lang={lang}
          person={person}
          category={categories.find((c) => c.code === person.publicCategoryCode)?.[lang === 'fr' ? 'labelFr' : 'labelEn']}
        />
      )}

      <h2>{t.export}</h2>
      <p>{t.exportText}</p>
      <button type="button" onClick={() => void download()}>
        {t.download}
      </button>

      {gone ? (
        <>
          <h2>{t.erase}</h2>
          <p>{t.erasedNote}</p>
        </>
      ) : (
        <>
          <h2>{t.withdraw}</h2>
          <p>{t.withdrawText}</p>
          {confirming === 'withdraw' ? (
            <div class="notice">
              <h3 tabIndex={-1} ref={confirmRef}>
                {t.withdrawConfirm} ?
              </h3>
              <div class="actions">
                <button type="button" class="danger" disabled={busy} onClick={() => void withdraw()}>
                  {t.withdrawConfirm}
                </button>
                <button type="button" onClick={() => setConfirming(undefined)}>
                  {t.keep}
                </button>
              </div>
            </div>
          ) : (
            <button type="button" onClick={() => setConfirming('withdraw')}>
              {t.withdrawButton}
            </button>
          )}

          <h2>{t.erase}</h2>
          <p>{t.eraseText}</p>
          <Field id="erasure-reason" label={t.reason}>
            {(aria) => (
              <select {...aria} value={reason} onChange={(e) => setReason(valueOf(e) as ErasureReason)}>
                {ERASURE_REASONS.map((r) => (
                  <option key={r} value={r}>
                    {t.reasons[r]}
                  </option>
                ))}
              </select>
            )}
          </Field>
          {confirming === 'erase' ? (
            <div class="notice" role="group" aria-labelledby="erase-confirm">
              <h3 id="erase-confirm" tabIndex={-1} ref={confirmRef}>
                {t.eraseConfirmTitle}
              </h3>
              <p>{t.eraseConfirmText}</p>
              <div class="actions">
                <button type="button" class="danger" disabled={busy} onClick={() => void erase()}>
                  {t.eraseConfirm}
                </button>
                <button type="button" onClick={() => setConfirming(undefined)}>
                  {t.keep}
                </button>
              </div>
            </div>
          ) : (
            <button type="button" class="danger" onClick={() => setConfirming('erase')}>
              {t.eraseButton}
            </button>
          )}
        </>
      )}
    </section>
  );
}

/** The profile, the opened contact record with its consent, and the hand-overs. */
function PersonFacts({ lang, person, category }: { lang: Lang; person: Beneficiary; category?: string }) {
  const t = TEXT[lang];
  const contact = person.records.contact;
  return (
    <div class="person">
      <h3>{t.profile}</h3>
      <dl class="facts">
        <dt>{t.ageBand}</dt>
        <dd>{t.ages[person.ageBand] ?? person.ageBand}</dd>
        <dt>{t.commune}</dt>
        <dd>{person.communeCode}</dd>
        <dt>{t.category}</dt>
        <dd>{category ?? person.publicCategoryCode ?? t.none}</dd>
      </dl>
      <h3>{t.contact}</h3>
      {person.erased ? (
        <p>{t.erasedNote}</p>
      ) : contact?.record ? (
        <>
          <dl class="facts">
            <dt>{t.name}</dt>
            <dd>{contact.record.name ?? '—'}</dd>
            <dt>{t.email}</dt>
            <dd>{contact.record.email ?? '—'}</dd>
            <dt>{t.phone}</dt>
            <dd>{contact.record.phone ?? '—'}</dd>
          </dl>
          <p class="muted">
            {t.consent(
              t.consentPurposes[contact.consent.purpose] ?? contact.consent.purpose,
              formatDate(lang, contact.consent.givenOn),
              contact.consent.textVersion,
            )}
          </p>
        </>
      ) : (
        <p>{t.noContact}</p>
      )}
      <h3>{t.handovers}</h3>
      <ul>
        {person.handovers.map((h) => (
          <li key={h.id}>
            {h.bookletSerial} — {formatDate(lang, h.handedOn)}
            {h.returnedAt ? ` (${t.returned})` : ''}
          </li>
        ))}
      </ul>
    </div>
  );
}
