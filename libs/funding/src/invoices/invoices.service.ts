import { Injectable } from '@nestjs/common';
import { AuditLog } from '@sillage/audit';
import { DEFAULT_PAGE_SIZE, Page, toPage } from '@sillage/common';
import { TransactionRunner } from '@sillage/db';
import { actorOf, cursorKeySql, decodeTimeCursor, isOperator, Principal } from '@sillage/identity';
import { FundingError } from '../funding.errors';
import { InvoiceDocument, renderInvoicePdf, renderUbl } from './documents';
import { InvoiceDetailDto, InvoiceSummaryDto, ListInvoicesQueryDto } from './dto/invoice.dto';

interface InvoiceRow {
  id: string;
  kind: 'invoice' | 'credit_note';
  number: string;
  orderId: string;
  funderId: string;
  creditedInvoiceId: string | null;
  issuedOn: string;
  taxExclusiveCents: string;
  vatCents: string;
  payableCents: string;
  createdAt: Date;
  cursorKey: string;
  document?: InvoiceDocument;
}

const COLUMNS = `id, kind, number, order_id AS "orderId", funder_id AS "funderId", credited_invoice_id AS "creditedInvoiceId",
  to_char(issued_on, 'YYYY-MM-DD') AS "issuedOn", tax_exclusive_cents AS "taxExclusiveCents", vat_cents AS "vatCents",
  payable_cents AS "payableCents", created_at AS "createdAt", ${cursorKeySql('created_at')} AS "cursorKey"`;

export interface InvoiceFile {
  filename: string;
  contentType: string;
  body: Buffer | string;
}

/** Invoices and credit notes: read by the operator and by the funder they are addressed to (404 otherwise). */
@Injectable()
export class InvoicesService {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly audit: AuditLog,
  ) {}

  async list(principal: Principal, q: ListInvoicesQueryDto): Promise<Page<InvoiceSummaryDto>> {
    const operator = isOperator(principal);
    const asked = q.funderId?.toLowerCase();
    if (!operator && asked !== undefined && asked !== principal.organisationId) return { items: [], nextCursor: null };
    const limit = q.limit ?? DEFAULT_PAGE_SIZE;
    const where: string[] = [];
    const params: unknown[] = [];
    const p = (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    };
    const funderId = operator ? asked : principal.organisationId;
    if (funderId !== undefined) where.push(`funder_id = ${p(funderId)}`);
    if (q.orderId !== undefined) where.push(`order_id = ${p(q.orderId.toLowerCase())}`);
    if (q.kind !== undefined) where.push(`kind = ${p(q.kind)}`);
    if (q.year !== undefined) where.push(`year = ${p(q.year)}`);
    const after = decodeTimeCursor(q.cursor);
    if (after) where.push(`(created_at, id) > (${p(after.k)}::timestamptz, ${p(after.id)}::uuid)`);
    const rows: InvoiceRow[] = await this.tx.manager.query(
      `SELECT ${COLUMNS} FROM invoice ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at, id LIMIT ${p(limit + 1)}`,
      params,
    );
    const page = toPage(rows, limit, (r) => ({ k: r.cursorKey, id: r.id }));
    return { items: page.items.map(toSummary), nextCursor: page.nextCursor };
  }

  async get(principal: Principal, id: string): Promise<InvoiceDetailDto> {
    const row = await this.visible(principal, id);
    return { ...toSummary(row), document: row.document! };
  }

  /** The PDF or the UBL 2.1 e-invoice, rendered from the stored document (so always identical); audited. */
  async file(principal: Principal, id: string, format: 'pdf' | 'ubl', requestId?: string): Promise<InvoiceFile> {
    const row = await this.visible(principal, id);
    const doc = row.document!;
    const file: InvoiceFile =
      format === 'pdf'
        ? { filename: `${doc.number}.pdf`, contentType: 'application/pdf', body: await renderInvoicePdf(doc) }
        : { filename: `${doc.number}.xml`, contentType: 'application/xml; charset=utf-8', body: renderUbl(doc) };
    await this.tx.run((tx) =>
      this.audit.append(tx, {
        action: 'invoice.downloaded',
        actor: actorOf(principal),
        subject: { type: 'invoice', id },
        facts: { orderId: row.orderId, format },
        requestId,
      }),
    );
    return file;
  }

  private async visible(principal: Principal, id: string): Promise<InvoiceRow> {
    const rows: InvoiceRow[] = await this.tx.manager.query(`SELECT ${COLUMNS}, document FROM invoice WHERE id = $1`, [id]);
    const row = rows[0];
    if (!row || !(isOperator(principal) || row.funderId === principal.organisationId))
      throw new FundingError('NOT_FOUND', 'invoice not found');
    return row;
  }
}

function toSummary(r: InvoiceRow): InvoiceSummaryDto {
  return {
    id: r.id,
    kind: r.kind,
    number: r.number,
    orderId: r.orderId,
    funderId: r.funderId,
    creditedInvoiceId: r.creditedInvoiceId,
    issuedOn: r.issuedOn,
    taxExclusiveCents: Number(r.taxExclusiveCents),
    vatCents: Number(r.vatCents),
    payableCents: Number(r.payableCents),
    createdAt: r.createdAt.toISOString(),
  };
}
