import { create } from 'xmlbuilder2';
import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces';
import { formatDateFr } from './dates';
import { assertConsistentDocument } from './document-checks';
import { OUTSIDE_SCOPE_REASON_CODE } from './invoice-lines';
import { basisPointsToPercentDecimal, centsToDecimal } from './money';
import { xmlSafe } from './text-safety';
import type { InvoiceDocument, InvoiceLine, InvoiceParty } from './types';

const NS = {
  invoice: 'urn:oasis:names:specification:ubl:schema:xsd:Invoice-2',
  creditNote: 'urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2',
  cac: 'urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2',
  cbc: 'urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2',
};

/** EN 16931 core specification identifier (BT-24). */
export const EN16931_CUSTOMIZATION_ID = 'urn:cen.eu:en16931:2017';
/** UNTDID 1001 document type codes (BT-3). */
export const INVOICE_TYPE_CODE = '380';
export const CREDIT_NOTE_TYPE_CODE = '381';
/** ISO 6523 ICD schemes: 0002 = SIRENE (SIREN), 0009 = SIRET. */
const SIREN_SCHEME = '0002';
const SIRET_SCHEME = '0009';
/** UN/ECE Rec. 20 "one" (unit), for vouchers and the fee alike. */
const UNIT_CODE = 'C62';

// Every element is written with its namespace and prefix, and every text goes through xmlSafe:
// xmlbuilder2 escapes & < > " but would copy a control character into an ill-formed file.
function el(parent: XMLBuilder, name: string, text?: string, attributes?: Record<string, string>): XMLBuilder {
  const [prefix] = name.split(':') as ['cac' | 'cbc'];
  const safeAttributes = attributes ? Object.fromEntries(Object.entries(attributes).map(([k, v]) => [k, xmlSafe(v)])) : undefined;
  const child = parent.ele(NS[prefix], name, safeAttributes);
  if (text !== undefined) child.txt(xmlSafe(text));
  return child;
}

function amount(parent: XMLBuilder, name: string, cents: number): void {
  el(parent, name, centsToDecimal(cents), { currencyID: 'EUR' });
}

function nonBlank(value: string | null | undefined): value is string {
  return typeof value === 'string' && value.trim() !== '';
}

/**
 * BG-4 / BG-7. The VAT identifier is left out of a document whose lines are all outside the scope
 * of VAT, as EN 16931 BR-O-02 requires; a document that charges VAT keeps it (it is a legal mention).
 */
function party(
  parent: XMLBuilder,
  role: 'cac:AccountingSupplierParty' | 'cac:AccountingCustomerParty',
  p: InvoiceParty,
  withVat: boolean,
): void {
  const node = el(el(parent, role), 'cac:Party');
  if (nonBlank(p.siret)) {
    el(node, 'cbc:EndpointID', p.siret, { schemeID: SIRET_SCHEME });
    el(el(node, 'cac:PartyIdentification'), 'cbc:ID', p.siret, { schemeID: SIRET_SCHEME });
  }
  el(el(node, 'cac:PartyName'), 'cbc:Name', p.name);

  const address = el(node, 'cac:PostalAddress');
  const lines = p.addressLines.filter(nonBlank);
  if (lines[0]) el(address, 'cbc:StreetName', lines[0]);
  if (lines[1]) el(address, 'cbc:AdditionalStreetName', lines[1]);
  if (nonBlank(p.city)) el(address, 'cbc:CityName', p.city);
  if (nonBlank(p.postcode)) el(address, 'cbc:PostalZone', p.postcode);
  // EN 16931 has one more address line (BT-162); any further lines are joined into it.
  if (lines.length > 2) el(el(address, 'cac:AddressLine'), 'cbc:Line', lines.slice(2).join(', '));
  el(el(address, 'cac:Country'), 'cbc:IdentificationCode', p.countryCode);

  if (withVat && nonBlank(p.vatNumber)) {
    const taxScheme = el(node, 'cac:PartyTaxScheme');
    el(taxScheme, 'cbc:CompanyID', p.vatNumber);
    el(el(taxScheme, 'cac:TaxScheme'), 'cbc:ID', 'VAT');
  }
  const legal = el(node, 'cac:PartyLegalEntity');
  el(legal, 'cbc:RegistrationName', p.name);
  if (nonBlank(p.siren)) el(legal, 'cbc:CompanyID', p.siren, { schemeID: SIREN_SCHEME });
}

function taxTotal(parent: XMLBuilder, doc: InvoiceDocument): void {
  const node = el(parent, 'cac:TaxTotal');
  amount(node, 'cbc:TaxAmount', doc.totals.vatCents);
  for (const group of doc.totals.vatBreakdown) {
    const subtotal = el(node, 'cac:TaxSubtotal');
    amount(subtotal, 'cbc:TaxableAmount', group.taxableCents);
    amount(subtotal, 'cbc:TaxAmount', group.vatCents);
    const category = el(subtotal, 'cac:TaxCategory');
    el(category, 'cbc:ID', group.category);
    // "Not subject to VAT" carries no rate at all (EN 16931 BR-O-05 for lines, likewise for the breakdown).
    if (group.category === 'S') el(category, 'cbc:Percent', basisPointsToPercentDecimal(group.rateBp));
    if (group.category === 'O') el(category, 'cbc:TaxExemptionReasonCode', OUTSIDE_SCOPE_REASON_CODE);
    if (group.exemptionReason) el(category, 'cbc:TaxExemptionReason', group.exemptionReason);
    el(el(category, 'cac:TaxScheme'), 'cbc:ID', 'VAT');
  }
}

function monetaryTotal(parent: XMLBuilder, doc: InvoiceDocument): void {
  const node = el(parent, 'cac:LegalMonetaryTotal');
  amount(node, 'cbc:LineExtensionAmount', doc.totals.lineTotalCents);
  amount(node, 'cbc:TaxExclusiveAmount', doc.totals.taxExclusiveCents);
  amount(node, 'cbc:TaxInclusiveAmount', doc.totals.taxInclusiveCents);
  amount(node, 'cbc:PayableAmount', doc.totals.payableCents);
}

function line(parent: XMLBuilder, doc: InvoiceDocument, l: InvoiceLine): void {
  const isInvoice = doc.kind === 'invoice';
  const node = el(parent, isInvoice ? 'cac:InvoiceLine' : 'cac:CreditNoteLine');
  el(node, 'cbc:ID', l.id);
  el(node, isInvoice ? 'cbc:InvoicedQuantity' : 'cbc:CreditedQuantity', String(l.quantity), { unitCode: UNIT_CODE });
  amount(node, 'cbc:LineExtensionAmount', l.netCents);
  const item = el(node, 'cac:Item');
  el(item, 'cbc:Name', l.description);
  const classified = el(item, 'cac:ClassifiedTaxCategory');
  el(classified, 'cbc:ID', l.vatCategory);
  if (l.vatCategory === 'S') el(classified, 'cbc:Percent', basisPointsToPercentDecimal(l.vatRateBp));
  el(el(classified, 'cac:TaxScheme'), 'cbc:ID', 'VAT');
  amount(el(node, 'cac:Price'), 'cbc:PriceAmount', l.unitPriceCents);
}

/**
 * The document as UBL 2.1 (EN 16931 core), an `Invoice` (type 380) or a `CreditNote` (type 381)
 * that references the invoice it credits. Elements follow the UBL 2.1 schema's sequence order.
 * Amounts are written from cents as exact decimals; the document is checked for consistency first.
 */
export function renderUbl(doc: InvoiceDocument): string {
  assertConsistentDocument(doc);
  const isInvoice = doc.kind === 'invoice';
  const root = create({ version: '1.0', encoding: 'UTF-8' }).ele(
    isInvoice ? NS.invoice : NS.creditNote,
    isInvoice ? 'Invoice' : 'CreditNote',
    {
      'xmlns:cac': NS.cac,
      'xmlns:cbc': NS.cbc,
    },
  );
  el(root, 'cbc:CustomizationID', EN16931_CUSTOMIZATION_ID);
  el(root, 'cbc:ID', doc.number);
  el(root, 'cbc:IssueDate', doc.issuedOn);
  // UBL 2.1 has DueDate on Invoice only; credit notes have none.
  if (isInvoice && doc.dueOn) el(root, 'cbc:DueDate', doc.dueOn);
  el(root, isInvoice ? 'cbc:InvoiceTypeCode' : 'cbc:CreditNoteTypeCode', isInvoice ? INVOICE_TYPE_CODE : CREDIT_NOTE_TYPE_CODE);
  for (const note of doc.notes) el(root, 'cbc:Note', note);
  el(root, 'cbc:DocumentCurrencyCode', doc.currency);
  el(el(root, 'cac:OrderReference'), 'cbc:ID', doc.orderReference);
  if (doc.creditedInvoice) {
    const reference = el(el(root, 'cac:BillingReference'), 'cac:InvoiceDocumentReference');
    el(reference, 'cbc:ID', doc.creditedInvoice.number);
    el(reference, 'cbc:IssueDate', doc.creditedInvoice.issuedOn);
  }
  if (nonBlank(doc.contractReference)) el(el(root, 'cac:ContractDocumentReference'), 'cbc:ID', doc.contractReference);

  const withVat = doc.lines.some((l) => l.vatCategory !== 'O');
  party(root, 'cac:AccountingSupplierParty', doc.seller, withVat);
  party(root, 'cac:AccountingCustomerParty', doc.buyer, withVat);
  if (isInvoice && doc.dueOn) el(el(root, 'cac:PaymentTerms'), 'cbc:Note', `À régler au plus tard le ${formatDateFr(doc.dueOn)}.`);
  taxTotal(root, doc);
  monetaryTotal(root, doc);
  for (const l of doc.lines) line(root, doc, l);
  return root.end({ prettyPrint: true });
}
