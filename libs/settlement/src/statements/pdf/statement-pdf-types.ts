/**
 * What the statement PDF (justificatif de remboursement) shows, resolved from the database once:
 * the renderer is a pure function of this, so the same statement always gives the same bytes.
 */

export type StatementPdfStatus = 'unpaid' | 'in_payout' | 'paid';

/** An organisation as printed: the site paid, or the operator issuing the statement. */
export interface StatementPdfParty {
  name: string;
  siren: string | null;
  siret: string | null;
  addressLine: string;
  postcode: string;
  /** Commune name from its INSEE code; null when the code is unknown. */
  city: string | null;
}

/** A statement line. Correction lines have no order, category, rule nor counts. */
export interface StatementPdfLine {
  kind: 'service' | 'correction';
  orderReference: string | null;
  serviceCategory: string | null;
  pricingRule: string | null;
  redemptionCount: number | null;
  voucherCount: number | null;
  faceValueCents: number;
  commissionCents: number;
  amountCents: number;
}

/** The site's verified bank account at download time; only the last 4 characters of the IBAN are kept. */
export interface StatementPdfAccount {
  holderName: string;
  ibanLength: number;
  ibanLast4: string;
}

export interface StatementPdfDocument {
  number: string;
  runId: string;
  /** Instants, ISO 8601: printed as Paris date-times (cutoff) and Paris dates (issue). */
  cutoff: string;
  issuedAt: string;
  status: StatementPdfStatus;
  site: StatementPdfParty;
  /** The operator organisation; null if none is recorded (never in production). */
  issuer: StatementPdfParty | null;
  lines: StatementPdfLine[];
  totals: { voucherCount: number; faceValueCents: number; commissionCents: number; totalCents: number };
  account: StatementPdfAccount | null;
}
