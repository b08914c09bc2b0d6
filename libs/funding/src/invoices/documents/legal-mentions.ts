import { formatDateFr } from './dates';
import type { InvoiceKind } from './types';

const OUTSIDE_SCOPE_MENTION =
  "Valeur faciale des bons : hors champ de la TVA — bons à usages multiples (art. 256 ter du CGI). Seuls les frais de gestion de l'opérateur sont soumis à la TVA.";

/**
 * The French mentions printed at the bottom of the document and carried as notes in the UBL.
 * Invoices: payment terms, late-payment penalties and the €40 recovery indemnity (art. L441-10
 * C. com., whose minimum penalty rate is three times the legal interest rate), no early-payment
 * discount. Both kinds: the vouchers' face value is outside the scope of VAT.
 */
export function legalMentions(kind: InvoiceKind, dueOn: string | null): string[] {
  switch (kind) {
    case 'invoice':
      return [
        dueOn
          ? `Conditions de paiement : à régler au plus tard le ${formatDateFr(dueOn)} (date d'échéance).`
          : 'Conditions de paiement : à régler à réception de la facture.',
        "Pénalités de retard : en cas de paiement après la date d'échéance, pénalités exigibles sans rappel au taux égal à trois fois le taux d'intérêt légal (art. L441-10 du Code de commerce).",
        'Indemnité forfaitaire pour frais de recouvrement due en cas de retard de paiement : 40\u00a0€ (art. L441-10 et D441-5 du Code de commerce).',
        "Pas d'escompte pour paiement anticipé.",
        OUTSIDE_SCOPE_MENTION,
      ];
    case 'credit_note':
      return [
        "Avoir : le montant est porté au crédit du destinataire, par imputation sur la facture d'origine ou par remboursement ; il n'appelle aucun paiement de sa part.",
        OUTSIDE_SCOPE_MENTION,
      ];
  }
}
