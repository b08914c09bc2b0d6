import { Inject, Injectable } from '@nestjs/common';
import { AuditActor, AuditLog } from '@sillage/audit';
import { communeName, parisDate } from '@sillage/common';
import { APP_CONFIG, AppConfig } from '@sillage/config';
import { Tx } from '@sillage/db';
import {
  computeInvoiceTotals,
  invoiceDueOn,
  InvoiceDocument,
  InvoiceLine,
  InvoiceParty,
  legalMentions,
  orderInvoiceLines,
} from './documents';
import { InvoiceKind } from './invoice.entity';

export interface IssuedInvoice {
  id: string;
  number: string;
  document: InvoiceDocument;
}

interface OrderForInvoice {
  id: string;
  reference: string;
  funderId: string;
  contractReference: string | null;
  voucherCount: number;
  faceValueCents: number;
  feeRateBp: number;
  vatRateBp: number;
}

const PREFIX: Record<InvoiceKind, string> = { invoice: 'FA', credit_note: 'AV' };

/**
 * Issues invoices and credit notes inside the caller's transaction. The number comes from
 * `invoice_counter` (one row per kind and year, updated under its row lock): the transaction that
 * takes a number either commits with its invoice or rolls both back, so numbers have no gaps and
 * no duplicates, whatever the concurrency. Concurrent issuers of one year queue on that row — only
 * for the few milliseconds of the rest of their transaction, which is why issuing comes last.
 */
@Injectable()
export class InvoiceIssuer {
  constructor(
    private readonly audit: AuditLog,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * The order's invoices: one for the vouchers' face value (outside the scope of VAT) and, when the
   * contract has a fee, one for the fee with VAT. Two documents because EN 16931 (BR-O-11/12), hence
   * Chorus Pro, refuses a document mixing the "not subject to VAT" category with any other (ADR 9).
   */
  async issueForOrder(tx: Tx, order: OrderForInvoice, actor: AuditActor, requestId?: string): Promise<IssuedInvoice[]> {
    const lines = orderInvoiceLines({
      voucherCount: order.voucherCount,
      faceValueCents: order.faceValueCents,
      feeRateBp: order.feeRateBp,
      vatRateBp: order.vatRateBp,
    });
    const issued: IssuedInvoice[] = [];
    for (const category of ['O', 'S'] as const) {
      const part = lines.filter((l) => l.vatCategory === category).map((l, i) => ({ ...l, id: String(i + 1) }));
      if (part.length > 0) issued.push(await this.issue(tx, 'invoice', order, part, null, actor, requestId));
    }
    return issued;
  }

  /** A credit note for the whole of an invoice (an order cancelled before payment). */
  async creditWhole(tx: Tx, invoiceId: string, actor: AuditActor, requestId?: string): Promise<IssuedInvoice> {
    const rows: { document: InvoiceDocument; orderId: string; funderId: string }[] = await tx.query(
      `SELECT document, order_id AS "orderId", funder_id AS "funderId" FROM invoice WHERE id = $1`,
      [invoiceId],
    );
    const invoice = rows[0];
    if (!invoice) throw new Error(`invoice ${invoiceId} not found`);
    const credited = { id: invoiceId, number: invoice.document.number, issuedOn: invoice.document.issuedOn };
    return this.issue(
      tx,
      'credit_note',
      {
        id: invoice.orderId,
        reference: invoice.document.orderReference,
        funderId: invoice.funderId,
        contractReference: invoice.document.contractReference,
      },
      invoice.document.lines,
      credited,
      actor,
      requestId,
    );
  }

  /**
   * Issues one document of the given lines (settlement uses it for the expiry credit note of an
   * order's unused vouchers and for accepted incidents invoiced after that note, issue 7).
   */
  async issue(
    tx: Tx,
    kind: InvoiceKind,
    order: Pick<OrderForInvoice, 'id' | 'reference' | 'funderId' | 'contractReference'>,
    lines: InvoiceLine[],
    credited: { id: string; number: string; issuedOn: string } | null,
    actor: AuditActor,
    requestId?: string,
  ): Promise<IssuedInvoice> {
    const [seller, buyer] = await Promise.all([this.operatorParty(tx), this.party(tx, order.funderId)]);
    const issuedOn = parisDate(new Date());
    const year = Number(issuedOn.slice(0, 4));
    const seq = await this.nextNumber(tx, kind, year);
    const number = `${PREFIX[kind]}-${year}-${String(seq).padStart(6, '0')}`;
    const dueOn = kind === 'invoice' ? invoiceDueOn(issuedOn, this.config.invoicing.paymentTermsDays) : null;
    const totals = computeInvoiceTotals(lines);
    const document: InvoiceDocument = {
      kind,
      number,
      issuedOn,
      dueOn,
      currency: 'EUR',
      seller,
      buyer,
      orderReference: order.reference,
      contractReference: order.contractReference,
      creditedInvoice: credited ? { number: credited.number, issuedOn: credited.issuedOn } : null,
      lines,
      totals,
      notes: legalMentions(kind, dueOn),
    };
    const inserted: { id: string }[] = await tx.query(
      `INSERT INTO invoice (kind, year, seq, number, order_id, funder_id, credited_invoice_id, issued_on,
                            tax_exclusive_cents, vat_cents, payable_cents, document)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
      [
        kind,
        year,
        seq,
        number,
        order.id,
        order.funderId,
        credited?.id ?? null,
        issuedOn,
        totals.taxExclusiveCents,
        totals.vatCents,
        totals.payableCents,
        document,
      ],
    );
    const id = inserted[0].id;
    await this.audit.append(tx, {
      action: 'invoice.issued',
      actor,
      subject: { type: 'invoice', id },
      facts: {
        orderId: order.id,
        kind,
        number,
        payableCents: totals.payableCents,
        ...(credited ? { creditedInvoiceId: credited.id } : {}),
      },
      requestId,
    });
    return { id, number, document };
  }

  private async nextNumber(tx: Tx, kind: InvoiceKind, year: number): Promise<number> {
    const rows: { last_seq: number }[] = await tx.query(
      `INSERT INTO invoice_counter (kind, year, last_seq) VALUES ($1, $2, 1)
       ON CONFLICT (kind, year) DO UPDATE SET last_seq = invoice_counter.last_seq + 1
       RETURNING last_seq`,
      [kind, year],
    );
    return rows[0].last_seq;
  }

  private async operatorParty(tx: Tx): Promise<InvoiceParty> {
    const rows: OrganisationRow[] = await tx.query(
      `SELECT ${PARTY_COLUMNS} FROM organisation WHERE 'operator' = ANY(kinds) ORDER BY created_at LIMIT 1`,
    );
    if (!rows[0])
      return {
        name: 'Sillage',
        siren: null,
        siret: null,
        vatNumber: null,
        addressLines: [],
        postcode: null,
        city: null,
        countryCode: 'FR',
      };
    return toParty(rows[0]);
  }

  private async party(tx: Tx, organisationId: string): Promise<InvoiceParty> {
    const rows: OrganisationRow[] = await tx.query(`SELECT ${PARTY_COLUMNS} FROM organisation WHERE id = $1`, [organisationId]);
    return toParty(rows[0]);
  }
}

interface OrganisationRow {
  legalName: string;
  siren: string;
  siret: string | null;
  addressLine: string;
  postcode: string;
  communeCode: string;
}

const PARTY_COLUMNS = `legal_name AS "legalName", siren, siret, address_line AS "addressLine", postcode, commune_code AS "communeCode"`;

/** French intra-community VAT number from a SIREN: FR + key (12 + 3 × (SIREN mod 97)) mod 97 + SIREN. */
export function frenchVatNumber(siren: string): string {
  const key = (12 + 3 * (Number(siren) % 97)) % 97;
  return `FR${String(key).padStart(2, '0')}${siren}`;
}

function toParty(o: OrganisationRow): InvoiceParty {
  return {
    name: o.legalName,
    siren: o.siren,
    siret: o.siret,
    vatNumber: frenchVatNumber(o.siren),
    addressLines: [o.addressLine],
    postcode: o.postcode,
    city: communeName(o.communeCode) ?? null,
    countryCode: 'FR',
  };
}
