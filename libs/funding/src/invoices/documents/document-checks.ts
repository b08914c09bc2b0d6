import { isIsoDate } from './dates';
import { computeInvoiceTotals } from './invoice-lines';
import type { InvoiceDocument, InvoiceTotals } from './types';

/** A document the renderers refuse: a bug upstream, never a user error. */
export class InvoiceDocumentError extends Error {
  constructor(number: string, problem: string) {
    super(`invoice document ${number}: ${problem}`);
    this.name = 'InvoiceDocumentError';
  }
}

/** Key order does not matter: a stored document comes back from jsonb with its keys re-sorted. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

function sameTotals(a: InvoiceTotals, b: InvoiceTotals): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

/**
 * Checks that a document says one consistent thing before it is rendered: its totals are exactly
 * those its lines give, and its kind, dates and references fit together. The totals are stored
 * with the document, so a mismatch means stored figures and lines disagree.
 */
export function assertConsistentDocument(doc: InvoiceDocument): void {
  const fail = (problem: string): never => {
    throw new InvoiceDocumentError(doc.number, problem);
  };
  if (!doc.number.trim()) fail('has no number');
  if (doc.currency !== 'EUR') fail(`currency ${String(doc.currency)} is not EUR`);
  if (!isIsoDate(doc.issuedOn)) fail(`issuedOn "${doc.issuedOn}" is not a YYYY-MM-DD date`);
  if (!doc.orderReference.trim()) fail('has no order reference');
  switch (doc.kind) {
    case 'invoice':
      if (doc.creditedInvoice) fail('an invoice credits no invoice');
      if (doc.dueOn !== null && (!isIsoDate(doc.dueOn) || doc.dueOn < doc.issuedOn))
        fail(`dueOn "${doc.dueOn}" is not a date on or after issuedOn`);
      break;
    case 'credit_note':
      if (!doc.creditedInvoice) fail('a credit note must reference the invoice it credits');
      else if (!isIsoDate(doc.creditedInvoice.issuedOn) || doc.creditedInvoice.issuedOn > doc.issuedOn)
        fail('the credited invoice must be issued on or before the credit note');
      if (doc.dueOn !== null) fail('a credit note has no due date');
      break;
    default:
      fail(`unknown kind ${String(doc.kind)}`);
  }
  let expected: InvoiceTotals;
  try {
    expected = computeInvoiceTotals(doc.lines);
  } catch (error) {
    return fail((error as Error).message);
  }
  if (!sameTotals(doc.totals, expected)) fail('totals differ from those computed from its lines');
}

/** An EN 16931 business rule the document breaks, with the rule's id (as validators report it). */
export interface En16931Finding {
  rule: string;
  message: string;
}

/**
 * EN 16931 rules that a well-formed document can still break, so the caller can see them before a
 * platform rejects the file. Notably BR-O-11/BR-O-12: a document with a category-O ("not subject to
 * VAT") breakdown may contain no other category, so a single invoice carrying the vouchers (O) and
 * the fee (S) is refused by EN 16931 validators; issuing the two as separate documents is not.
 */
export function en16931Findings(doc: InvoiceDocument): En16931Finding[] {
  const findings: En16931Finding[] = [];
  const categories = new Set(doc.lines.map((line) => line.vatCategory));
  if (categories.has('O') && categories.size > 1) {
    findings.push({ rule: 'BR-O-11', message: 'a "not subject to VAT" (O) breakdown may not sit next to other VAT categories' });
    findings.push({ rule: 'BR-O-12', message: 'a document with an O breakdown may not contain lines of another VAT category' });
    if (doc.seller.vatNumber || doc.buyer.vatNumber) {
      findings.push({ rule: 'BR-O-02', message: 'a document with O lines may not carry the seller or buyer VAT identifier' });
    }
  }
  for (const line of doc.lines) {
    if (line.vatCategory === 'S' && line.vatRateBp === 0) {
      findings.push({
        rule: 'BR-S-05',
        message: `line ${line.id}: a standard-rated (S) line needs a VAT rate above 0 (zero rate is category Z)`,
      });
    }
  }
  if (categories.has('S') && !doc.seller.vatNumber) {
    findings.push({ rule: 'BR-S-02', message: 'a document with standard-rated lines needs the seller VAT identifier' });
  }
  return findings;
}
