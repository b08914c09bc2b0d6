/**
 * The data of one invoice or credit note, as the database side hands it to the renderers. Amounts
 * are integer cents, rates basis points, dates `YYYY-MM-DD` (Europe/Paris business dates).
 */

export interface InvoiceParty {
  /** Registered (legal) name. */
  name: string;
  /** 9 digits: legal registration identifier (EN 16931 BT-30 / BT-47, ICD scheme 0002). */
  siren: string | null;
  /** 14 digits: establishment identifier, which Chorus Pro routes on (ICD scheme 0009). */
  siret: string | null;
  /** Intra-community VAT number, e.g. `FR12345678901`. */
  vatNumber: string | null;
  addressLines: string[];
  postcode: string | null;
  city: string | null;
  /** ISO 3166-1 alpha-2, `FR` in practice. */
  countryCode: string;
}

/** EN 16931 VAT category codes used here: `O` outside the scope of VAT, `S` standard rate. */
export type VatCategory = 'O' | 'S';

export interface InvoiceLine {
  id: string;
  description: string;
  /** A whole number of units (vouchers, or 1 for the fee). */
  quantity: number;
  unitPriceCents: number;
  /** Always `quantity × unitPriceCents`, checked by `computeInvoiceTotals`. */
  netCents: number;
  vatCategory: VatCategory;
  /** 0 for `O`. */
  vatRateBp: number;
}

export interface VatBreakdown {
  category: VatCategory;
  rateBp: number;
  taxableCents: number;
  vatCents: number;
  exemptionReason: string | null;
}

export interface InvoiceTotals {
  /** Σ line net amounts (BT-106). */
  lineTotalCents: number;
  /** Total without VAT (BT-109); equal to the line total, as there are no document-level allowances or charges. */
  taxExclusiveCents: number;
  /** Σ VAT of the breakdown groups (BT-110). */
  vatCents: number;
  /** BT-112. */
  taxInclusiveCents: number;
  /** BT-115; equal to the total with VAT, as nothing is prepaid. */
  payableCents: number;
  vatBreakdown: VatBreakdown[];
}

export type InvoiceKind = 'invoice' | 'credit_note';

export interface InvoiceDocument {
  kind: InvoiceKind;
  /** e.g. `FA-2026-000001` (invoice) or `AV-2026-000001` (credit note). */
  number: string;
  issuedOn: string;
  /** Due date of an invoice (see `invoiceDueOn`); null for credit notes. */
  dueOn: string | null;
  currency: 'EUR';
  /** The platform operator. */
  seller: InvoiceParty;
  /** The funder. */
  buyer: InvoiceParty;
  /** Purchase-order reference (BT-13). */
  orderReference: string;
  contractReference: string | null;
  /** Credit notes only: the invoice they credit (BT-25, BT-26). */
  creditedInvoice: { number: string; issuedOn: string } | null;
  lines: InvoiceLine[];
  totals: InvoiceTotals;
  /** Legal mentions, see `legalMentions`. */
  notes: string[];
}
