// Shared by the specs of this folder: realistic parties and documents built the way the lead's
// service will build them (lines → totals → mentions).
import { invoiceDueOn } from './dates';
import { computeInvoiceTotals, orderInvoiceLines } from './invoice-lines';
import { legalMentions } from './legal-mentions';
import type { InvoiceDocument, InvoiceLine, InvoiceParty } from './types';

export const seller: InvoiceParty = {
  name: 'Sillage Opérations SAS',
  siren: '912345678',
  siret: '91234567800017',
  vatNumber: 'FR40912345678',
  addressLines: ['12 rue de la Paix', 'Bâtiment B'],
  postcode: '75002',
  city: 'Paris',
  countryCode: 'FR',
};

export const buyer: InvoiceParty = {
  name: 'Communauté d\'agglomération Côte & Bocage <Sud> "Œuvres"',
  siren: '200012345',
  siret: '20001234500011',
  vatNumber: null,
  addressLines: ['Hôtel communautaire', '1 place de la Mairie', 'BP 42', 'Service financier'],
  postcode: '29200',
  city: 'Brest',
  countryCode: 'FR',
};

export function invoiceFor(lines: InvoiceLine[], overrides: Partial<InvoiceDocument> = {}): InvoiceDocument {
  const issuedOn = overrides.issuedOn ?? '2026-01-15';
  const dueOn = overrides.dueOn === undefined ? invoiceDueOn(issuedOn) : overrides.dueOn;
  return {
    kind: 'invoice',
    number: 'FA-2026-000001',
    issuedOn,
    dueOn,
    currency: 'EUR',
    seller,
    buyer,
    orderReference: 'BC-2026-0042',
    contractReference: 'MARCHE-2025-17',
    creditedInvoice: null,
    lines,
    totals: computeInvoiceTotals(lines),
    notes: legalMentions('invoice', dueOn),
    ...overrides,
  };
}

export function orderInvoice(order: {
  voucherCount: number;
  faceValueCents: number;
  feeRateBp: number;
  vatRateBp: number;
}): InvoiceDocument {
  return invoiceFor(orderInvoiceLines(order));
}

export function creditNoteFor(lines: InvoiceLine[], overrides: Partial<InvoiceDocument> = {}): InvoiceDocument {
  return {
    kind: 'credit_note',
    number: 'AV-2026-000001',
    issuedOn: '2026-03-01',
    dueOn: null,
    currency: 'EUR',
    seller,
    buyer,
    orderReference: 'BC-2026-0042',
    contractReference: null,
    creditedInvoice: { number: 'FA-2026-000001', issuedOn: '2026-01-15' },
    lines,
    totals: computeInvoiceTotals(lines),
    notes: legalMentions('credit_note', null),
    ...overrides,
  };
}
