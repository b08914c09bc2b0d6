import type { Lang } from '../../i18n';

/** Why a voucher is refused, in the words an agent says to the person in front of them. */
export const REFUSAL_REASONS: Record<string, Record<Lang, string>> = {
  UNKNOWN_CODE: {
    fr: 'Code inconnu : ce chèque n’existe pas. Vérifiez le code.',
    en: 'Unknown code: this voucher does not exist. Check the code.',
  },
  ALREADY_REDEEMED: { fr: 'Déjà utilisé : ce chèque a déjà été encaissé.', en: 'Already used: this voucher has already been redeemed.' },
  NOT_ACTIVE: {
    fr: 'Pas encore utilisable : le financeur n’a pas encore payé ces chèques.',
    en: 'Not usable yet: the funder has not paid for these vouchers yet.',
  },
  EXPIRED: { fr: 'Expiré : la date limite d’utilisation est dépassée.', en: 'Expired: the last day to use it has passed.' },
  BLOCKED: { fr: 'Bloqué : ce carnet a été bloqué (perte ou vol).', en: 'Blocked: this booklet was blocked (lost or stolen).' },
  NOT_DISTRIBUTED: {
    fr: 'Ce carnet n’a pas encore été remis à un bénéficiaire.',
    en: 'This booklet has not been handed to a beneficiary yet.',
  },
  SITE_NOT_QUALIFIED: { fr: 'Votre lieu n’a pas de label valable pour cette date.', en: 'Your site has no valid label for this date.' },
  SITE_NOT_ELIGIBLE: {
    fr: 'Ce chèque ne peut pas être utilisé dans votre lieu (hors du territoire ou du programme).',
    en: 'This voucher cannot be used at your site (outside its area or programme).',
  },
  CATEGORY_NOT_ALLOWED: { fr: 'Ce chèque ne paie pas ce type de prestation.', en: 'This voucher does not pay for this kind of service.' },
  SELF_REDEMPTION: {
    fr: 'Votre structure a remis ce carnet : elle ne peut pas aussi l’encaisser.',
    en: 'Your organisation handed this booklet over: it cannot also redeem it.',
  },
  OFFLINE_WINDOW_EXCEEDED: { fr: 'Scan trop ancien (plus de 7 jours).', en: 'Scan too old (more than 7 days).' },
  MIXED_BOOKLETS: {
    fr: 'Ces chèques viennent de carnets différents : validez-les séparément.',
    en: 'These vouchers come from different booklets: validate them separately.',
  },
  DUPLICATE_VOUCHER: { fr: 'Le même chèque est compté deux fois.', en: 'The same voucher is counted twice.' },
  RATE_LIMITED: { fr: 'Trop de codes inconnus : patientez quelques minutes.', en: 'Too many unknown codes: wait a few minutes.' },
  FORBIDDEN: { fr: 'Votre compte ne peut pas encaisser de chèques.', en: 'Your account may not redeem vouchers.' },
};

export function refusalText(lang: Lang, code: string, detail: string): string {
  return REFUSAL_REASONS[code]?.[lang] ?? (detail || code);
}
