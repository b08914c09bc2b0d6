import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { XMLParser } from 'fast-xml-parser';
import { en16931Findings, InvoiceDocumentError } from './document-checks';
import { computeInvoiceTotals, orderInvoiceLines, OUTSIDE_SCOPE_REASON } from './invoice-lines';
import { buyer, creditNoteFor, invoiceFor, orderInvoice } from './test-fixtures';
import type { InvoiceDocument } from './types';
import { renderUbl } from './ubl';

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false, // amounts stay strings: no float ever sees them
  parseAttributeValue: false,
  isArray: (name) => ['cac:InvoiceLine', 'cac:CreditNoteLine', 'cac:TaxSubtotal', 'cbc:Note'].includes(name),
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- parsed XML has no static shape
type Node = Record<string, any>;

function parse(xml: string): Node {
  const parsed = parser.parse(xml);
  return parsed.Invoice ?? parsed.CreditNote;
}

/** An amount element → cents, checking its currency and its two-decimal form. */
function cents(node: Node): bigint {
  expect(node['@_currencyID']).toBe('EUR');
  const match = /^(-?)(\d+)\.(\d{2})$/.exec(node['#text']);
  if (!match) throw new Error(`not a 2-decimal amount: ${node['#text']}`);
  const value = BigInt(match[2]) * 100n + BigInt(match[3]);
  return match[1] ? -value : value;
}

/** `20.00` → 2000 basis points. */
function percentBp(text: string): bigint {
  const match = /^(\d+)\.(\d{2})$/.exec(text);
  if (!match) throw new Error(`not a 2-decimal percentage: ${text}`);
  return BigInt(match[1]) * 100n + BigInt(match[2]);
}

/** Half-up division written differently from the code under test: quotient plus 1 when the remainder is at least half. */
function halfUp(numerator: bigint, denominator: bigint): bigint {
  return numerator / denominator + (2n * (numerator % denominator) >= denominator ? 1n : 0n);
}

function runXmllint(args: string[], input?: string): { status: number | null; stderr: string } {
  const run = spawnSync('xmllint', ['--noout', ...args], { input, encoding: 'utf8' });
  if (run.error) throw new Error(`xmllint is needed by this test (Debian package libxml2-utils): ${run.error.message}`);
  return { status: run.status, stderr: run.stderr };
}

function xmllint(xml: string): { status: number | null; stderr: string } {
  return runXmllint(['-'], xml);
}

/** One xmllint run for many documents (a process per document would take most of the test's time). */
function xmllintAll(xmls: string[]): { status: number | null; stderr: string } {
  const dir = mkdtempSync(join(tmpdir(), 'ubl-'));
  try {
    const files = xmls.map((xml, i) => {
      const file = join(dir, `${i}.xml`);
      writeFileSync(file, xml);
      return file;
    });
    return runXmllint(files);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Every element whose name ends in "Amount", wherever it is. */
function allAmounts(node: unknown, out: Node[] = []): Node[] {
  if (Array.isArray(node)) node.forEach((n) => allAmounts(n, out));
  else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key.endsWith('Amount')) (Array.isArray(value) ? value : [value]).forEach((v: Node) => out.push(v));
      else allAmounts(value, out);
    }
  }
  return out;
}

/** What a validator recomputes from the XML alone, checked against the document's own totals. */
function checkArithmetic(doc: InvoiceDocument, xml: string): void {
  const root = parse(xml);
  const lines: Node[] = root[doc.kind === 'invoice' ? 'cac:InvoiceLine' : 'cac:CreditNoteLine'];
  const quantityName = doc.kind === 'invoice' ? 'cbc:InvoicedQuantity' : 'cbc:CreditedQuantity';
  const totals = root['cac:LegalMonetaryTotal'];
  const taxTotal = root['cac:TaxTotal'];

  for (const amount of allAmounts(root)) expect(amount['@_currencyID']).toBe('EUR');
  for (const line of lines) {
    expect(line[quantityName]['@_unitCode']).toBe('C62');
    expect(cents(line['cbc:LineExtensionAmount'])).toBe(BigInt(line[quantityName]['#text']) * cents(line['cac:Price']['cbc:PriceAmount']));
  }
  const lineSum = lines.reduce((sum, line) => sum + cents(line['cbc:LineExtensionAmount']), 0n);
  expect(cents(totals['cbc:LineExtensionAmount'])).toBe(lineSum);
  expect(cents(totals['cbc:TaxExclusiveAmount'])).toBe(lineSum);

  const subtotals: Node[] = taxTotal['cac:TaxSubtotal'];
  for (const subtotal of subtotals) {
    const category = subtotal['cac:TaxCategory'];
    if (category['cbc:ID'] === 'O') {
      expect(cents(subtotal['cbc:TaxAmount'])).toBe(0n);
      expect(category['cbc:Percent']).toBeUndefined();
      expect(category['cbc:TaxExemptionReason']).toBe(OUTSIDE_SCOPE_REASON);
    } else {
      expect(category['cbc:ID']).toBe('S');
      expect(cents(subtotal['cbc:TaxAmount'])).toBe(
        halfUp(cents(subtotal['cbc:TaxableAmount']) * percentBp(category['cbc:Percent']), 10_000n),
      );
    }
  }
  const vat = cents(taxTotal['cbc:TaxAmount']);
  expect(subtotals.reduce((sum, s) => sum + cents(s['cbc:TaxAmount']), 0n)).toBe(vat);
  expect(subtotals.reduce((sum, s) => sum + cents(s['cbc:TaxableAmount']), 0n)).toBe(lineSum);
  expect(cents(totals['cbc:TaxExclusiveAmount']) + vat).toBe(cents(totals['cbc:TaxInclusiveAmount']));
  expect(cents(totals['cbc:PayableAmount'])).toBe(cents(totals['cbc:TaxInclusiveAmount']));

  const expected = computeInvoiceTotals(doc.lines);
  expect(cents(totals['cbc:LineExtensionAmount'])).toBe(BigInt(expected.lineTotalCents));
  expect(vat).toBe(BigInt(expected.vatCents));
  expect(cents(totals['cbc:TaxInclusiveAmount'])).toBe(BigInt(expected.taxInclusiveCents));
  expect(cents(totals['cbc:PayableAmount'])).toBe(BigInt(expected.payableCents));
}

// The UBL 2.1 schemas' sequences (the parts that can occur here): an element out of this order fails XSD validation.
const INVOICE_SEQUENCE = [
  'cbc:CustomizationID',
  'cbc:ProfileID',
  'cbc:ID',
  'cbc:IssueDate',
  'cbc:DueDate',
  'cbc:InvoiceTypeCode',
  'cbc:Note',
  'cbc:DocumentCurrencyCode',
  'cbc:BuyerReference',
  'cac:OrderReference',
  'cac:BillingReference',
  'cac:ContractDocumentReference',
  'cac:AccountingSupplierParty',
  'cac:AccountingCustomerParty',
  'cac:PaymentMeans',
  'cac:PaymentTerms',
  'cac:TaxTotal',
  'cac:LegalMonetaryTotal',
  'cac:InvoiceLine',
];
const CREDIT_NOTE_SEQUENCE = [
  'cbc:CustomizationID',
  'cbc:ProfileID',
  'cbc:ID',
  'cbc:IssueDate',
  'cbc:CreditNoteTypeCode',
  'cbc:Note',
  'cbc:DocumentCurrencyCode',
  'cbc:BuyerReference',
  'cac:OrderReference',
  'cac:BillingReference',
  'cac:ContractDocumentReference',
  'cac:AccountingSupplierParty',
  'cac:AccountingCustomerParty',
  'cac:PaymentMeans',
  'cac:PaymentTerms',
  'cac:TaxTotal',
  'cac:LegalMonetaryTotal',
  'cac:CreditNoteLine',
];
const PARTY_SEQUENCE = [
  'cbc:EndpointID',
  'cac:PartyIdentification',
  'cac:PartyName',
  'cac:PostalAddress',
  'cac:PartyTaxScheme',
  'cac:PartyLegalEntity',
];

function childNames(xml: string, indent: number): string[] {
  return [...xml.matchAll(new RegExp(`^ {${indent}}<([a-zA-Z:]+)`, 'gm'))].map((m) => m[1]);
}

function between(xml: string, element: string): string {
  return xml.slice(xml.indexOf(`<${element}>`), xml.indexOf(`</${element}>`));
}

function expectInSchemaOrder(names: string[], sequence: string[]): void {
  const positions = names.map((name) => sequence.indexOf(name));
  expect(positions).not.toContain(-1);
  expect(positions).toEqual([...positions].sort((a, b) => a - b));
}

describe('renderUbl', () => {
  const worked = orderInvoice({ voucherCount: 1000, faceValueCents: 1000, feeRateBp: 400, vatRateBp: 2000 });

  it('writes the worked example to the cent: face 10 000.00, fee 400.00, VAT 80.00, payable 10 480.00', () => {
    const xml = renderUbl(worked);
    const root = parse(xml);
    expect(root['@_xmlns']).toBe('urn:oasis:names:specification:ubl:schema:xsd:Invoice-2');
    expect(root['cbc:CustomizationID']).toBe('urn:cen.eu:en16931:2017');
    expect(root['cbc:ID']).toBe('FA-2026-000001');
    expect(root['cbc:IssueDate']).toBe('2026-01-15');
    expect(root['cbc:DueDate']).toBe('2026-02-14');
    expect(root['cbc:InvoiceTypeCode']).toBe('380');
    expect(root['cbc:DocumentCurrencyCode']).toBe('EUR');
    expect(root['cac:OrderReference']['cbc:ID']).toBe('BC-2026-0042');
    expect(root['cac:ContractDocumentReference']['cbc:ID']).toBe('MARCHE-2025-17');
    expect(root['cbc:Note']).toEqual(worked.notes);

    const [vouchers, fee] = root['cac:InvoiceLine'];
    expect(vouchers['cbc:InvoicedQuantity']['#text']).toBe('1000');
    expect(vouchers['cac:Price']['cbc:PriceAmount']['#text']).toBe('10.00');
    expect(vouchers['cbc:LineExtensionAmount']['#text']).toBe('10000.00');
    expect(vouchers['cac:Item']['cac:ClassifiedTaxCategory']['cbc:ID']).toBe('O');
    expect(vouchers['cac:Item']['cac:ClassifiedTaxCategory']['cbc:Percent']).toBeUndefined();
    expect(fee['cbc:LineExtensionAmount']['#text']).toBe('400.00');
    expect(fee['cac:Item']['cac:ClassifiedTaxCategory']).toMatchObject({
      'cbc:ID': 'S',
      'cbc:Percent': '20.00',
      'cac:TaxScheme': { 'cbc:ID': 'VAT' },
    });

    const [outside, standard] = root['cac:TaxTotal']['cac:TaxSubtotal'];
    expect(outside['cbc:TaxableAmount']['#text']).toBe('10000.00');
    expect(outside['cbc:TaxAmount']['#text']).toBe('0.00');
    expect(outside['cac:TaxCategory']).toMatchObject({
      'cbc:ID': 'O',
      'cbc:TaxExemptionReasonCode': 'VATEX-EU-O',
      'cbc:TaxExemptionReason': OUTSIDE_SCOPE_REASON,
    });
    expect(standard['cbc:TaxableAmount']['#text']).toBe('400.00');
    expect(standard['cbc:TaxAmount']['#text']).toBe('80.00');
    expect(root['cac:TaxTotal']['cbc:TaxAmount']['#text']).toBe('80.00');

    const totals = root['cac:LegalMonetaryTotal'];
    expect(totals['cbc:LineExtensionAmount']['#text']).toBe('10400.00');
    expect(totals['cbc:TaxExclusiveAmount']['#text']).toBe('10400.00');
    expect(totals['cbc:TaxInclusiveAmount']['#text']).toBe('10480.00');
    expect(totals['cbc:PayableAmount']['#text']).toBe('10480.00');
    checkArithmetic(worked, xml);
  });

  it('identifies the parties: SIREN as legal id (0002), SIRET as identification and endpoint (0009), address, VAT number', () => {
    const root = parse(renderUbl(worked));
    const sellerParty = root['cac:AccountingSupplierParty']['cac:Party'];
    expect(sellerParty['cbc:EndpointID']).toEqual({ '#text': '91234567800017', '@_schemeID': '0009' });
    expect(sellerParty['cac:PartyIdentification']['cbc:ID']).toEqual({ '#text': '91234567800017', '@_schemeID': '0009' });
    expect(sellerParty['cac:PartyLegalEntity']).toEqual({
      'cbc:RegistrationName': 'Sillage Opérations SAS',
      'cbc:CompanyID': { '#text': '912345678', '@_schemeID': '0002' },
    });
    expect(sellerParty['cac:PartyTaxScheme']).toEqual({ 'cbc:CompanyID': 'FR40912345678', 'cac:TaxScheme': { 'cbc:ID': 'VAT' } });
    expect(sellerParty['cac:PostalAddress']).toEqual({
      'cbc:StreetName': '12 rue de la Paix',
      'cbc:AdditionalStreetName': 'Bâtiment B',
      'cbc:CityName': 'Paris',
      'cbc:PostalZone': '75002',
      'cac:Country': { 'cbc:IdentificationCode': 'FR' },
    });
    const buyerParty = root['cac:AccountingCustomerParty']['cac:Party'];
    expect(buyerParty['cac:PartyLegalEntity']['cbc:CompanyID']).toEqual({ '#text': '200012345', '@_schemeID': '0002' });
    expect(buyerParty['cac:PartyTaxScheme']).toBeUndefined(); // the funder has no VAT number
    // Four address lines: two as street names, the rest joined in the one further line EN 16931 allows.
    expect(buyerParty['cac:PostalAddress']['cac:AddressLine']['cbc:Line']).toBe('BP 42, Service financier');
  });

  it('keeps elements in the UBL 2.1 schema order, for both document types', () => {
    const invoiceXml = renderUbl(worked);
    expectInSchemaOrder(childNames(invoiceXml, 2), INVOICE_SEQUENCE);
    for (const party of ['cac:AccountingSupplierParty', 'cac:AccountingCustomerParty']) {
      expectInSchemaOrder(childNames(between(invoiceXml, party), 6), PARTY_SEQUENCE);
    }
    expectInSchemaOrder(childNames(renderUbl(creditNoteFor(worked.lines)), 2), CREDIT_NOTE_SEQUENCE);
  });

  it('escapes special characters and drops those XML forbids, so names come back intact', () => {
    const nastyLine = { ...worked.lines[0], description: 'Bons <b>"10 €"</b> & co — l\'été 🎫\u0007' };
    const doc = invoiceFor([nastyLine, worked.lines[1]], {
      orderReference: 'BC<1>&"2"',
      buyer: { ...buyer, city: 'Saint-Étienne & <Loire>' },
    });
    const xml = renderUbl(doc);
    expect(xml).toContain('Côte &amp; Bocage &lt;Sud&gt;');
    expect(xml).not.toContain('\u0007');
    expect(xmllint(xml)).toEqual({ status: 0, stderr: '' });
    expect(xmllint(xml.replace('&amp;', '&')).status).not.toBe(0); // the check would see a raw "&"

    const root = parse(xml);
    const party = root['cac:AccountingCustomerParty']['cac:Party'];
    expect(party['cac:PartyLegalEntity']['cbc:RegistrationName']).toBe(buyer.name);
    expect(party['cac:PostalAddress']['cbc:CityName']).toBe('Saint-Étienne & <Loire>');
    expect(root['cac:OrderReference']['cbc:ID']).toBe('BC<1>&"2"');
    expect(root['cac:InvoiceLine'][0]['cac:Item']['cbc:Name']).toBe('Bons <b>"10 €"</b> & co — l\'été 🎫');
  });

  it('writes a credit note for unused vouchers that references the credited invoice', () => {
    const unused = orderInvoiceLines({ voucherCount: 250, faceValueCents: 1000, feeRateBp: 0, vatRateBp: 2000 });
    const doc = creditNoteFor(unused);
    const xml = renderUbl(doc);
    expect(xmllint(xml)).toEqual({ status: 0, stderr: '' });
    const root = parse(xml);
    expect(root['@_xmlns']).toBe('urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2');
    expect(root['cbc:ID']).toBe('AV-2026-000001');
    expect(root['cbc:CreditNoteTypeCode']).toBe('381');
    expect(root['cbc:DueDate']).toBeUndefined();
    expect(root['cac:PaymentTerms']).toBeUndefined();
    expect(root['cac:BillingReference']['cac:InvoiceDocumentReference']).toEqual({
      'cbc:ID': 'FA-2026-000001',
      'cbc:IssueDate': '2026-01-15',
    });
    expect(root['cac:InvoiceLine']).toBeUndefined();
    expect(root['cac:CreditNoteLine'][0]['cbc:CreditedQuantity']).toEqual({ '#text': '250', '@_unitCode': 'C62' });
    expect(root['cac:LegalMonetaryTotal']['cbc:PayableAmount']['#text']).toBe('2500.00');
    // Only outside-scope lines: no VAT identifiers at all (EN 16931 BR-O-02).
    expect(root['cac:AccountingSupplierParty']['cac:Party']['cac:PartyTaxScheme']).toBeUndefined();
    expect(en16931Findings(doc)).toEqual([]);
    checkArithmetic(doc, xml);
  });

  it('credits a whole invoice (order cancelled before payment) for exactly its amounts', () => {
    const doc = creditNoteFor(worked.lines);
    const root = parse(renderUbl(doc));
    expect(root['cac:LegalMonetaryTotal']['cbc:PayableAmount']['#text']).toBe('10480.00');
    expect(root['cac:CreditNoteLine']).toHaveLength(2);
  });

  it('refuses a document whose figures or references do not fit together', () => {
    const tampered = { ...worked, totals: { ...worked.totals, vatCents: worked.totals.vatCents + 1 } };
    expect(() => renderUbl(tampered)).toThrow(InvoiceDocumentError);
    expect(() => renderUbl({ ...worked, creditedInvoice: { number: 'FA-2025-000009', issuedOn: '2025-12-01' } })).toThrow(
      /credits no invoice/,
    );
    expect(() => renderUbl(creditNoteFor(worked.lines, { creditedInvoice: null }))).toThrow(/must reference the invoice/);
    expect(() => renderUbl(creditNoteFor(worked.lines, { dueOn: '2026-04-01' }))).toThrow(/no due date/);
    expect(() => renderUbl({ ...worked, dueOn: '2026-01-01' })).toThrow(/dueOn/);
  });

  it('agrees with computeInvoiceTotals to the cent for random orders, as invoice and as credit note, and stays well-formed', () => {
    const order = fc.record({
      voucherCount: fc.integer({ min: 1, max: 2_000_000 }),
      faceValueCents: fc.integer({ min: 1, max: 100_000 }),
      feeRateBp: fc.integer({ min: 0, max: 2000 }),
      vatRateBp: fc.integer({ min: 0, max: 2500 }),
    });
    const rendered: string[] = [];
    fc.assert(
      fc.property(order, (o) => {
        const invoice = orderInvoice(o);
        // Oracle written from the rules, not from the code: face total, fee and VAT, each rounded half up.
        const face = BigInt(o.voucherCount) * BigInt(o.faceValueCents);
        const fee = halfUp(face * BigInt(o.feeRateBp), 10_000n);
        const vat = halfUp(fee * BigInt(o.vatRateBp), 10_000n);
        expect(BigInt(invoice.totals.payableCents)).toBe(face + fee + vat);
        expect(invoice.lines).toHaveLength(fee > 0n ? 2 : 1);

        for (const doc of [invoice, creditNoteFor(invoice.lines)]) {
          const xml = renderUbl(doc);
          checkArithmetic(doc, xml);
          expect(cents(parse(xml)['cac:LegalMonetaryTotal']['cbc:PayableAmount'])).toBe(face + fee + vat);
          rendered.push(xml);
        }
      }),
      { numRuns: 200 },
    );
    expect(rendered.length).toBeGreaterThanOrEqual(400);
    expect(xmllintAll(rendered)).toEqual({ status: 0, stderr: '' });
  });
});

describe('en16931Findings', () => {
  it('flags one document mixing outside-scope vouchers with the taxed fee (BR-O-11, BR-O-12, BR-O-02)', () => {
    const doc = orderInvoice({ voucherCount: 1000, faceValueCents: 1000, feeRateBp: 400, vatRateBp: 2000 });
    expect(en16931Findings(doc).map((f) => f.rule)).toEqual(['BR-O-11', 'BR-O-12', 'BR-O-02']);
  });

  it('finds nothing when vouchers and fee are two documents', () => {
    const [vouchers, fee] = orderInvoiceLines({ voucherCount: 1000, faceValueCents: 1000, feeRateBp: 400, vatRateBp: 2000 });
    expect(en16931Findings(invoiceFor([vouchers]))).toEqual([]);
    expect(en16931Findings(invoiceFor([fee]))).toEqual([]);
  });

  it('flags a standard-rated fee at 0 % (that is category Z)', () => {
    const [, fee] = orderInvoiceLines({ voucherCount: 1000, faceValueCents: 1000, feeRateBp: 400, vatRateBp: 0 });
    expect(en16931Findings(invoiceFor([fee])).map((f) => f.rule)).toEqual(['BR-S-05']);
  });
});
