import { newestFirstPage } from '../newest-first-page';
import { Injectable } from '@nestjs/common';
import { Page } from '@sillage/common';
import { TransactionRunner } from '@sillage/db';
import { isOperator, Principal } from '@sillage/identity';
import { SettlementError } from '../settlement.errors';
import { ListPayoutsQueryDto, PayoutDto, WaitingPageDto } from './dto/payout.dto';
import { PayoutPlanner } from './payout-planner';

interface PayoutRow {
  id: string;
  reference: string;
  siteId: string;
  siteName: string;
  batchId: string;
  batchNumber: string;
  amountCents: string;
  status: string;
  iban: string;
  statements: string[];
  createdAt: Date;
  settledAt: Date | null;
  returnReason: string | null;
}

const COLUMNS = `p.id, p.reference, p.site_id AS "siteId", o.legal_name AS "siteName", p.batch_id AS "batchId", b.number AS "batchNumber",
  p.amount_cents::text AS "amountCents", p.status, p.creditor_iban AS iban,
  (SELECT array_agg(s.number ORDER BY s.number) FROM payout_statement ps JOIN settlement_statement s ON s.id = ps.statement_id
    WHERE ps.payout_id = p.id) AS statements,
  p.created_at AS "createdAt", p.settled_at AS "settledAt", p.return_reason AS "returnReason"`;

const FROM = `payout p JOIN organisation o ON o.id = p.site_id JOIN payout_batch b ON b.id = p.batch_id`;

export const maskIban = (iban: string): string => `${'•'.repeat(Math.max(0, iban.length - 4))}${iban.slice(-4)}`;

const toDto = (r: PayoutRow): PayoutDto => ({
  id: r.id,
  reference: r.reference,
  siteId: r.siteId,
  siteName: r.siteName,
  batchId: r.batchId,
  batchNumber: r.batchNumber,
  amountCents: Number(r.amountCents),
  status: r.status,
  ibanMasked: maskIban(r.iban),
  statements: r.statements ?? [],
  createdAt: r.createdAt.toISOString(),
  settledAt: r.settledAt?.toISOString() ?? null,
  returnReason: r.returnReason,
});

/** Payouts as the operator (all) and sites (their own) read them, and the statements still waiting to be paid, with why. */
@Injectable()
export class PayoutsService {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly planner: PayoutPlanner,
  ) {}

  async list(principal: Principal, q: ListPayoutsQueryDto): Promise<Page<PayoutDto>> {
    const siteId = isOperator(principal) ? (q.siteId ?? null) : principal.organisationId;
    const page = await newestFirstPage<PayoutRow>(this.tx.manager, q, {
      select: COLUMNS,
      from: FROM,
      where: '($1::uuid IS NULL OR p.site_id = $1) AND ($2::uuid IS NULL OR p.batch_id = $2) AND ($3::text IS NULL OR p.status = $3)',
      params: [siteId, q.batchId ?? null, q.status ?? null],
      key: 'p.created_at',
      id: 'p.id',
    });
    return { items: page.items.map(toDto), nextCursor: page.nextCursor };
  }

  async get(principal: Principal, id: string): Promise<PayoutDto> {
    const [row] = await this.tx.manager.query<PayoutRow[]>(`SELECT ${COLUMNS} FROM ${FROM} WHERE p.id = $1`, [id]);
    if (!row || !(isOperator(principal) || row.siteId === principal.organisationId))
      throw new SettlementError('NOT_FOUND', 'payout not found');
    return toDto(row);
  }

  /** Sites with unpaid statements (a site: its own), with the reason they wait — null when the next batch pays them. */
  async waiting(principal: Principal): Promise<WaitingPageDto> {
    const due = await this.planner.sitesDue(this.tx.manager, isOperator(principal) ? null : principal.organisationId);
    return {
      minimumCents: this.planner.minimumCents,
      items: due.map((d) => ({ ...d, amountCents: Number(d.amountCents) })),
    };
  }
}
