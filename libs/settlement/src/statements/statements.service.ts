import { newestFirstPage } from '../newest-first-page';
import { Injectable } from '@nestjs/common';
import { csvEuros, csvField, Page } from '@sillage/common';
import { TransactionRunner } from '@sillage/db';
import { isOperator, Principal } from '@sillage/identity';
import { SettlementError } from '../settlement.errors';
import { ListStatementsQueryDto, StatementDto, StatementLineDto } from './dto/statement.dto';
import { loadStatementPdfDocument, renderStatementPdf } from './pdf';

interface StatementRow {
  id: string;
  number: string;
  runId: string;
  siteId: string;
  siteName: string;
  cutoff: Date;
  voucherCount: number;
  faceValueCents: string;
  commissionCents: string;
  totalCents: string;
  status: string;
  payoutId: string | null;
  createdAt: Date;
}

const COLUMNS = `s.id, s.number, s.run_id AS "runId", s.site_id AS "siteId", o.legal_name AS "siteName", s.cutoff, s.voucher_count AS "voucherCount",
  s.face_value_cents::text AS "faceValueCents", s.commission_cents::text AS "commissionCents", s.total_cents::text AS "totalCents",
  s.status, s.payout_id AS "payoutId", s.created_at AS "createdAt"`;

const toDto = (r: StatementRow): StatementDto => ({
  id: r.id,
  number: r.number,
  runId: r.runId,
  siteId: r.siteId,
  siteName: r.siteName,
  cutoff: r.cutoff.toISOString(),
  voucherCount: r.voucherCount,
  faceValueCents: Number(r.faceValueCents),
  commissionCents: Number(r.commissionCents),
  totalCents: Number(r.totalCents),
  status: r.status,
  payoutId: r.payoutId,
  createdAt: r.createdAt.toISOString(),
});

/** Statements as the operator (all) and sites (their own) read them; a site never sees another's. */
@Injectable()
export class StatementsService {
  constructor(private readonly tx: TransactionRunner) {}

  async list(principal: Principal, q: ListStatementsQueryDto): Promise<Page<StatementDto>> {
    const siteId = isOperator(principal) ? (q.siteId ?? null) : principal.organisationId;
    const page = await newestFirstPage<StatementRow>(this.tx.manager, q, {
      select: COLUMNS,
      from: 'settlement_statement s JOIN organisation o ON o.id = s.site_id',
      where: '($1::uuid IS NULL OR s.site_id = $1) AND ($2::uuid IS NULL OR s.run_id = $2) AND ($3::text IS NULL OR s.status = $3)',
      params: [siteId, q.runId ?? null, q.status ?? null],
      key: 's.created_at',
      id: 's.id',
    });
    return { items: page.items.map(toDto), nextCursor: page.nextCursor };
  }

  async get(principal: Principal, id: string): Promise<StatementDto> {
    const rows = await this.tx.manager.query<StatementRow[]>(
      `SELECT ${COLUMNS} FROM settlement_statement s JOIN organisation o ON o.id = s.site_id WHERE s.id = $1`,
      [id],
    );
    const row = rows[0];
    if (!row || !(isOperator(principal) || row.siteId === principal.organisationId))
      throw new SettlementError('NOT_FOUND', 'statement not found');
    const lines = await this.tx.manager.query<
      (Omit<StatementLineDto, 'faceValueCents' | 'commissionCents' | 'amountCents'> &
        Record<'faceValueCents' | 'commissionCents' | 'amountCents', string>)[]
    >(
      `SELECT l.kind, l.order_id AS "orderId", l.service_category_code AS "serviceCategoryCode", l.pricing_rule_id AS "pricingRuleId",
              p.description AS "pricingRule", l.label, l.redemption_count AS "redemptionCount", l.voucher_count AS "voucherCount",
              l.face_value_cents::text AS "faceValueCents", l.commission_cents::text AS "commissionCents", l.amount_cents::text AS "amountCents"
         FROM settlement_statement_line l LEFT JOIN pricing_rule p ON p.id = l.pricing_rule_id
        WHERE l.statement_id = $1 ORDER BY l.id`,
      [id],
    );
    return {
      ...toDto(row),
      lines: lines.map((l) => ({
        ...l,
        faceValueCents: Number(l.faceValueCents),
        commissionCents: Number(l.commissionCents),
        amountCents: Number(l.amountCents),
      })),
    };
  }

  /** The statement's lines as CSV (semicolons, French decimal comma in euros columns, UTF-8 with BOM for spreadsheets). */
  async csv(principal: Principal, id: string): Promise<{ filename: string; body: string }> {
    const s = await this.get(principal, id);
    const header =
      'statement;site;cutoff;kind;order_id;service_category;pricing_rule;redemptions;vouchers;face_value_eur;commission_eur;amount_eur';
    const lines = (s.lines ?? []).map((l) =>
      [
        s.number,
        s.siteName,
        s.cutoff,
        l.kind,
        l.orderId,
        l.serviceCategoryCode,
        l.pricingRule ?? l.label,
        l.redemptionCount,
        l.voucherCount,
        csvEuros(l.faceValueCents),
        csvEuros(l.commissionCents),
        csvEuros(l.amountCents),
      ]
        .map(csvField)
        .join(';'),
    );
    return { filename: `${s.number}.csv`, body: '\uFEFF' + [header, ...lines].join('\r\n') + '\r\n' };
  }

  /** The statement as a PDF (justificatif de remboursement), read and scoped as `get`; named after its number. */
  async pdf(principal: Principal, id: string): Promise<{ filename: string; body: Buffer }> {
    const s = await this.get(principal, id);
    const doc = await loadStatementPdfDocument(this.tx.manager, s);
    return { filename: `${s.number}.pdf`, body: await renderStatementPdf(doc) };
  }
}
