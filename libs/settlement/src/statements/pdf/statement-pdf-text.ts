import { formatEuros, formatFrenchDate, parisDate } from '@sillage/common';
import type { StatementPdfAccount, StatementPdfDocument, StatementPdfStatus } from './statement-pdf-types';

const PARIS_TIME = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Paris', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

/** An instant as a Paris date-time: `2026-11-30T23:00:00Z` → `01/12/2026 00:00 (heure de Paris)`. */
export function formatParisDateTime(iso: string): string {
  const at = new Date(iso);
  return `${formatFrenchDate(parisDate(at))} ${PARIS_TIME.format(at)} (heure de Paris)`;
}

/** The Paris calendar date of an instant, French style: `15/01/2026`. */
export function formatParisDate(iso: string): string {
  return formatFrenchDate(parisDate(new Date(iso)));
}

export const STATUS_LABELS: Record<StatementPdfStatus, string> = {
  unpaid: 'À payer / Unpaid',
  in_payout: 'Virement en cours / Payment in progress',
  paid: 'Payé / Paid',
};

/** Every character but the last 4 hidden, the length kept: `***********************0189`. */
export function maskedIban(account: StatementPdfAccount): string {
  return `${'*'.repeat(Math.max(0, account.ibanLength - 4))}${account.ibanLast4}`;
}

function accountPhrase(account: StatementPdfAccount): string {
  return `le compte bancaire vérifié de la structure (titulaire ${account.holderName}, IBAN ${maskedIban(account)})`;
}

/**
 * The plain-language note: what the total pays for, when it is paid and to which account. It depends
 * on the payment status; the account is the site's verified one (a pending change never counts).
 */
export function paymentNote(doc: StatementPdfDocument): string[] {
  const { totals, account, status } = doc;
  const what =
    `Ce relevé récapitule les services rendus par ${doc.site.name} avec des bons Sillage et enregistrés ` +
    `jusqu'au ${formatParisDateTime(doc.cutoff)}, passé leur délai d'annulation de 24 heures. ` +
    `Chaque ligne est remboursée selon sa règle de tarification, arrondie une fois au centime : ` +
    `valeur faciale des bons ${formatEuros(totals.faceValueCents)}, commission de la plateforme ${formatEuros(totals.commissionCents)}, ` +
    `montant dû ${formatEuros(totals.totalCents)}.`;
  let when: string;
  if (totals.totalCents === 0) when = 'Aucun montant n’est à verser au titre de ce relevé.';
  else if (status === 'paid') when = `Ce montant a été versé par virement SEPA.`;
  else if (status === 'in_payout')
    when = account
      ? `Un virement SEPA de ce montant est en cours vers ${accountPhrase(account)}.`
      : 'Un virement SEPA de ce montant est en cours.';
  else
    when = account
      ? `Ce montant sera versé par virement SEPA sur ${accountPhrase(account)}, avec le prochain lot de virements ` +
        `dès que le total à verser à la structure atteint le minimum de versement.`
      : `Ce montant sera versé par virement SEPA dès qu’un compte bancaire de la structure aura été vérifié ` +
        `par l’opérateur (aucun compte vérifié à ce jour), avec le prochain lot de virements.`;
  const english =
    'This statement lists the services the site delivered with Sillage vouchers up to the cutoff; ' +
    'the total is paid by SEPA credit transfer to the site’s verified bank account.';
  return [what, when, english];
}
