import { Injectable } from '@nestjs/common';
import { AuditLog } from '@sillage/audit';
import { DEFAULT_PAGE_SIZE, Page, toPage } from '@sillage/common';
import { TransactionRunner } from '@sillage/db';
import { InvoiceDocument, renderInvoicePdf, renderUbl } from '@sillage/funding';
import { actorOf, cursorKeySql, decodeTimeCursor, isOperator, Principal } from '@sillage/identity';
import { SettlementError } from '../settlement.errors';
import { CreditNoteDetailDto, CreditNoteDto, CreditNoteIncidentDto, ListCreditNotesQueryDto } from './dto/credit-note.dto';

interface CreditNoteRow {
  id: string;
  number: string;
  orderId: string;
  orderReference: string;
  funderId: string;
  creditedInvoiceId: string;
  creditedInvoiceNumber: string;
  expiredVoucherCount: number;
  faceValueCents: string;
  unusedFaceValueCents: string;
  incidentDeductionCents: string;
  amountCents: string;
  issuedOn: string;
  createdAt: Date;
  cursorKey: string;
}

const SELECT = `SELECT c.id, c.number, c.order_id AS "orderId", o.reference AS "orderReference", c.funder_id AS "funderId",
    c.credited_invoice_id AS "creditedInvoiceId", inv.number AS "creditedInvoiceNumber", c.expired_voucher_count AS "expiredVoucherCount",
    c.face_value_cents AS "faceValueCents", c.unused_face_value_cents AS "unusedFaceValueCents",
    c.incident_deduction_cents AS "incidentDeductionCents", c.amount_cents AS "amountCents",
    to_char(c.issued_on, 'YYYY-MM-DD') AS "issuedOn", c.created_at AS "createdAt", ${cursorKeySql('c.created_at')} AS "cursorKey"
  FROM credit_note c JOIN purchase_order o ON o.id = c.order_id JOIN invoice inv ON inv.id = c.credited_invoice_id`;

export interface CreditNoteFile {
  filename: string;
  contentType: string;
  body: Buffer | string;
}

const notFound = () => new SettlementError('NOT_FOUND', 'credit note not found');

/**
 * Expiry credit notes, read by the operator (admin, finance: all) and by the funder they are
 * addressed to (its own; another's answers 404). The PDF and the UBL 2.1 CreditNote are rendered
 * from the document stored when the note was issued, with the invoices' renderers: always identical.
 */
@Injectable()
export class CreditNotesService {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly audit: AuditLog,
  ) {}

  async list(principal: Principal, q: ListCreditNotesQueryDto): Promise<Page<CreditNoteDto>> {
    const params: unknown[] = [];
    const p = (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    };
    const where: string[] = [];
    if (!isOperator(principal)) where.push(`c.funder_id = ${p(principal.organisationId)}`);
    if (q.orderId) where.push(`c.order_id = ${p(q.orderId.toLowerCase())}`);
    const after = decodeTimeCursor(q.cursor);
    if (after) where.push(`(c.created_at, c.id) > (${p(after.k)}::timestamptz, ${p(after.id)}::uuid)`);
    const limit = q.limit ?? DEFAULT_PAGE_SIZE;
    const rows = await this.tx.manager.query<CreditNoteRow[]>(
      `${SELECT} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY c.created_at, c.id LIMIT ${p(limit + 1)}`,
      params,
    );
    const page = toPage(rows, limit, (r) => ({ k: r.cursorKey, id: r.id }));
    return { items: page.items.map(toDto), nextCursor: page.nextCursor };
  }

  async get(principal: Principal, id: string): Promise<CreditNoteDetailDto> {
    const row = await this.visible(principal, id);
    const incidents = await this.tx.manager.query<(Omit<CreditNoteIncidentDto, 'amountCents'> & { amountCents: string })[]>(
      `SELECT ci.incident_id AS "incidentId", ci.kind, ci.amount_cents AS "amountCents", ci.invoice_id AS "invoiceId", inv.number AS "invoiceNumber"
         FROM credit_note_incident ci LEFT JOIN invoice inv ON inv.id = ci.invoice_id
        WHERE ci.credit_note_id = $1 OR (ci.kind = 'invoiced' AND ci.order_id = $2)
        ORDER BY ci.created_at, ci.kind = 'invoiced', ci.incident_id`,
      [id, row.orderId],
    );
    return { ...toDto(row), incidents: incidents.map((i) => ({ ...i, amountCents: Number(i.amountCents) })) };
  }

  /** The PDF or the UBL 2.1 CreditNote (EN 16931, as the invoices), from the stored document; audited. */
  async file(principal: Principal, id: string, format: 'pdf' | 'xml', requestId?: string): Promise<CreditNoteFile> {
    const row = await this.visible(principal, id);
    const [{ document }] = await this.tx.manager.query<{ document: InvoiceDocument }[]>(`SELECT document FROM invoice WHERE id = $1`, [id]);
    const file: CreditNoteFile =
      format === 'pdf'
        ? { filename: `${row.number}.pdf`, contentType: 'application/pdf', body: await renderInvoicePdf(document) }
        : { filename: `${row.number}.xml`, contentType: 'application/xml; charset=utf-8', body: renderUbl(document) };
    await this.tx.run((tx) =>
      this.audit.append(tx, {
        action: 'settlement.credit_note_downloaded',
        actor: actorOf(principal),
        subject: { type: 'credit_note', id },
        facts: { orderId: row.orderId, format },
        requestId,
      }),
    );
    return file;
  }

  private async visible(principal: Principal, id: string): Promise<CreditNoteRow> {
    const rows = await this.tx.manager.query<CreditNoteRow[]>(`${SELECT} WHERE c.id = $1`, [id]);
    const row = rows[0];
    if (!row || !(isOperator(principal) || row.funderId === principal.organisationId)) throw notFound();
    return row;
  }
}

function toDto(r: CreditNoteRow): CreditNoteDto {
  return {
    id: r.id,
    number: r.number,
    orderId: r.orderId,
    orderReference: r.orderReference,
    funderId: r.funderId,
    creditedInvoiceId: r.creditedInvoiceId,
    creditedInvoiceNumber: r.creditedInvoiceNumber,
    expiredVoucherCount: r.expiredVoucherCount,
    faceValueCents: Number(r.faceValueCents),
    unusedFaceValueCents: Number(r.unusedFaceValueCents),
    incidentDeductionCents: Number(r.incidentDeductionCents),
    amountCents: Number(r.amountCents),
    issuedOn: r.issuedOn,
    createdAt: r.createdAt.toISOString(),
  };
}
