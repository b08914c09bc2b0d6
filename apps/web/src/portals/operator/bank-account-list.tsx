import { useEffect, useState } from 'preact/hooks';
import { api, ApiProblem, asProblem } from '../../api/client';
import type { components } from '../../api/schema';
import type { Lang } from '../../i18n';
import type { Me } from '../../session';
import { Field, valueOf } from '../../ui/field';
import { ProblemNotice } from '../../ui/problem';
import { formatDateTime } from './common';

export type BankAccount = components['schemas']['BankAccountDto'];
type RejectReason = components['schemas']['RejectBankAccountDto']['reasonCode'];

const REJECT_REASONS: RejectReason[] = [
  'holder_mismatch',
  'proof_missing',
  'proof_invalid',
  'fraud_suspected',
  'requested_in_error',
  'other',
];

export const BANK_TEXT = {
  fr: {
    iban: 'IBAN',
    bic: 'BIC',
    holder: 'Titulaire',
    status: 'État',
    statuses: { pending: 'En attente de vérification', verified: 'Vérifié (en vigueur)', rejected: 'Refusé', superseded: 'Remplacé' },
    requested: 'Demandé',
    by: (who: string, when: string) => `par ${who}, le ${when}`,
    you: 'vous',
    someone: (id: string) => `l’utilisateur ${id.slice(0, 8)}`,
    decided: 'Décision',
    validity: 'Période de paiement',
    from: (d: string) => `depuis le ${d}`,
    fromTo: (a: string, b: string) => `du ${a} au ${b}`,
    verify: 'Vérifier et mettre en vigueur',
    ownRequest:
      'Vous avez demandé ce changement : la règle des quatre yeux veut qu’un autre utilisateur de l’opérateur (administrateur ou finances) le vérifie.',
    reason: 'Motif du refus',
    reasons: {
      holder_mismatch: 'Le titulaire ne correspond pas',
      proof_missing: 'Justificatif manquant',
      proof_invalid: 'Justificatif non valable',
      fraud_suspected: 'Suspicion de fraude',
      requested_in_error: 'Demande faite par erreur',
      other: 'Autre',
    } as Record<RejectReason, string>,
    reject: 'Refuser',
    verified: 'Le compte est vérifié : les prochains virements iront sur ce compte.',
    rejectedMsg: 'La demande de changement est refusée.',
    none: 'Aucun compte bancaire.',
    masked: 'IBAN masqué pour votre rôle.',
    rejectReason: (r: string) => `motif : ${r}`,
  },
  en: {
    iban: 'IBAN',
    bic: 'BIC',
    holder: 'Holder',
    status: 'Status',
    statuses: { pending: 'Awaiting verification', verified: 'Verified (current)', rejected: 'Rejected', superseded: 'Superseded' },
    requested: 'Requested',
    by: (who: string, when: string) => `by ${who}, on ${when}`,
    you: 'you',
    someone: (id: string) => `user ${id.slice(0, 8)}`,
    decided: 'Decision',
    validity: 'Payout period',
    from: (d: string) => `since ${d}`,
    fromTo: (a: string, b: string) => `from ${a} to ${b}`,
    verify: 'Verify and make current',
    ownRequest: 'You requested this change: under the four-eyes rule another operator user (administrator or finance) must verify it.',
    reason: 'Reason for rejecting',
    reasons: {
      holder_mismatch: 'Holder does not match',
      proof_missing: 'Proof missing',
      proof_invalid: 'Proof not valid',
      fraud_suspected: 'Fraud suspected',
      requested_in_error: 'Requested in error',
      other: 'Other',
    } as Record<RejectReason, string>,
    reject: 'Reject',
    verified: 'The account is verified: the next payouts go to it.',
    rejectedMsg: 'The change request is rejected.',
    none: 'No bank account.',
    masked: 'IBAN masked for your role.',
    rejectReason: (r: string) => `reason: ${r}`,
  },
};

export const BANK_MESSAGES = {
  FOUR_EYES_REQUIRED: {
    fr: 'Refusé : vous avez vous-même demandé ce changement de compte. Un autre utilisateur de l’opérateur doit le vérifier ou le refuser.',
    en: 'Refused: you requested this bank account change yourself. Another operator user must verify or reject it.',
  },
  BANK_ACCOUNT_NOT_PENDING: {
    fr: 'Cette demande a déjà été traitée : rechargez la page.',
    en: 'This request was already decided: reload the page.',
  },
  BANK_ACCOUNT_PENDING: {
    fr: 'Une demande de changement attend déjà sa vérification pour ce lieu.',
    en: 'A change request for this site is already awaiting verification.',
  },
  IBAN_INVALID: {
    fr: 'Cet IBAN n’est pas valable (longueur, clé ou pays hors zone SEPA).',
    en: 'This IBAN is not valid (length, check digits or non-SEPA country).',
  },
  BIC_INVALID: {
    fr: 'Ce BIC n’est pas valable ou n’est pas du pays de l’IBAN.',
    en: 'This BIC is not valid or not in the IBAN’s country.',
  },
};

const userNames = new Map<string, string>();

/** A user's name when the caller may read it (operator admins), else a short id. */
function useUserName(id: string, me: Me, lang: Lang): string {
  const t = BANK_TEXT[lang];
  const [, setTick] = useState(0);
  useEffect(() => {
    if (id === me.id || userNames.has(id) || me.role !== 'admin') return;
    void api.GET('/v1/users/{id}', { params: { path: { id } } }).then(({ data }) => {
      if (data) userNames.set(id, data.displayName);
      setTick((n) => n + 1);
    });
  }, [id]);
  if (id === me.id) return t.you;
  return userNames.get(id) ?? t.someone(id);
}

/** One bank account request: its facts and, while pending, verify or reject (never by its requester). */
export function BankAccountCard(props: { lang: Lang; me: Me; account: BankAccount; onDecided: (text: string) => void }) {
  const { lang, me, account: b } = props;
  const t = BANK_TEXT[lang];
  const [reason, setReason] = useState<RejectReason>('holder_mismatch');
  const [problem, setProblem] = useState<ApiProblem>();
  const [busy, setBusy] = useState(false);
  const canDecide = me.organisation.kinds.includes('operator') && (me.role === 'admin' || me.role === 'finance');
  const own = b.requestedBy === me.id;
  const decide = async (action: 'verify' | 'reject') => {
    setBusy(true);
    const path = { params: { path: { id: b.siteId, accountId: b.id } } };
    const { data, error, response } =
      action === 'verify'
        ? await api.POST('/v1/sites/{id}/bank-accounts/{accountId}/verify', path)
        : await api.POST('/v1/sites/{id}/bank-accounts/{accountId}/reject', { ...path, body: { reasonCode: reason } });
    setBusy(false);
    if (!data) return setProblem(asProblem(error, response));
    setProblem(undefined);
    props.onDecided(action === 'verify' ? t.verified : t.rejectedMsg);
  };
  const day = (iso: string) => formatDateTime(lang, iso);
  const requester = useUserName(b.requestedBy, me, lang);
  return (
    <div class="panel">
      <dl class="facts">
        <dt>{t.iban}</dt>
        <dd class="hash">
          {b.iban}
          {b.ibanMasked && <span class="muted"> ({t.masked})</span>}
        </dd>
        <dt>{t.bic}</dt>
        <dd>{b.bic}</dd>
        <dt>{t.holder}</dt>
        <dd>{b.holderName}</dd>
        <dt>{t.status}</dt>
        <dd>
          {t.statuses[b.status]}
          {b.rejectReason && ` (${t.rejectReason(t.reasons[b.rejectReason as RejectReason] ?? b.rejectReason)})`}
        </dd>
        <dt>{t.requested}</dt>
        <dd>{t.by(requester, day(b.requestedAt))}</dd>
        {b.decidedBy && b.decidedAt && (
          <>
            <dt>{t.decided}</dt>
            <dd>{t.by(userNames.get(b.decidedBy) ?? (b.decidedBy === me.id ? t.you : t.someone(b.decidedBy)), day(b.decidedAt))}</dd>
          </>
        )}
        {b.validFrom && (
          <>
            <dt>{t.validity}</dt>
            <dd>{b.validUntil ? t.fromTo(day(b.validFrom), day(b.validUntil)) : t.from(day(b.validFrom))}</dd>
          </>
        )}
      </dl>
      {b.status === 'pending' && canDecide && (
        <>
          {own && <p class="muted">{t.ownRequest}</p>}
          <div class="actions">
            <button type="button" class="primary" disabled={busy} onClick={() => void decide('verify')}>
              {t.verify}
            </button>
            <Field id={`reject-reason-${b.id}`} label={t.reason}>
              {(a) => (
                <select {...a} value={reason} onChange={(e) => setReason(valueOf(e) as RejectReason)}>
                  {REJECT_REASONS.map((r) => (
                    <option key={r} value={r}>
                      {t.reasons[r]}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <button type="button" disabled={busy} onClick={() => void decide('reject')}>
              {t.reject}
            </button>
          </div>
          <ProblemNotice lang={lang} problem={problem} messages={BANK_MESSAGES} />
        </>
      )}
    </div>
  );
}
