import { Injectable } from '@nestjs/common';
import { DEFAULT_PAGE_SIZE, Page, toPage } from '@sillage/common';
import { TransactionRunner, Tx } from '@sillage/db';
import { cursorKeySql, decodeTimeCursor, isOperator, Principal } from '@sillage/identity';
import { ListRedemptionsQueryDto, RedemptionDto } from './dto/redemption.dto';

export const UNDO_WINDOW_MS = 24 * 3600_000;

export interface RedemptionRow {
  id: string;
  siteId: string;
  orderId: string;
  funderId: string;
  bookletSerial: string;
  vouchers: { serial: string; amountCents: number }[];
  amountCents: string;
  serviceCategoryCode: string;
  occurredAt: Date;
  recordedAt: Date;
  channel: 'online' | 'batch';
  undoneAt: Date | null;
  undoReason: string | null;
  statementId: string | null;
  requestHash: Buffer;
  cursorKey: string;
}

/** One redemption with its vouchers (from its lines: undone lines keep their serials), and what scopes it. */
export const REDEMPTION_SELECT = `SELECT r.id, r.site_id AS "siteId", r.order_id AS "orderId", o.funder_id AS "funderId", b.serial AS "bookletSerial",
    (SELECT json_agg(json_build_object('serial', l.voucher_serial, 'amountCents', l.amount_cents) ORDER BY l.voucher_serial)
       FROM redemption_line l WHERE l.redemption_id = r.id) AS vouchers,
    r.amount_cents AS "amountCents", r.service_category_code AS "serviceCategoryCode", r.occurred_at AS "occurredAt",
    r.recorded_at AS "recordedAt", r.channel, r.undone_at AS "undoneAt", r.undo_reason AS "undoReason", r.statement_id AS "statementId",
    r.request_hash AS "requestHash", ${cursorKeySql('r.recorded_at')} AS "cursorKey"
  FROM redemption r JOIN booklet b ON b.id = r.booklet_id JOIN purchase_order o ON o.id = r.order_id`;

export function toRedemptionDto(r: RedemptionRow): RedemptionDto {
  return {
    id: r.id,
    siteId: r.siteId,
    orderId: r.orderId,
    bookletSerial: r.bookletSerial,
    vouchers: r.vouchers.map((v) => ({ serial: v.serial, amountCents: Number(v.amountCents) })),
    amountCents: Number(r.amountCents),
    serviceCategoryCode: r.serviceCategoryCode,
    occurredAt: r.occurredAt.toISOString(),
    recordedAt: r.recordedAt.toISOString(),
    channel: r.channel,
    undoneAt: r.undoneAt?.toISOString() ?? null,
    undoReason: r.undoReason,
    undoableUntil: new Date(r.recordedAt.getTime() + UNDO_WINDOW_MS).toISOString(),
  };
}

/**
 * Reads of redemptions, scoped by who asks: a site its own, a funder its orders', the operator all
 * (access follows the data's relationships; anything else is not found).
 */
@Injectable()
export class RedemptionReader {
  constructor(private readonly tx: TransactionRunner) {}

  async byKey(siteId: string, key: string): Promise<{ dto: RedemptionDto; requestHash: Buffer } | undefined> {
    const rows: RedemptionRow[] = await this.tx.manager.query(`${REDEMPTION_SELECT} WHERE r.site_id = $1 AND r.idempotency_key = $2`, [
      siteId,
      key,
    ]);
    return rows[0] ? { dto: toRedemptionDto(rows[0]), requestHash: rows[0].requestHash } : undefined;
  }

  async row(tx: Tx, id: string, lock = false): Promise<RedemptionRow | undefined> {
    const rows: RedemptionRow[] = await tx.query(`${REDEMPTION_SELECT} WHERE r.id = $1${lock ? ' FOR UPDATE OF r' : ''}`, [id]);
    return rows[0];
  }

  visible(principal: Principal, r: RedemptionRow): boolean {
    return isOperator(principal) || r.siteId === principal.organisationId || r.funderId === principal.organisationId;
  }

  async list(principal: Principal, q: ListRedemptionsQueryDto): Promise<Page<RedemptionDto>> {
    const { where, params, p } = this.filters(principal, q);
    const after = decodeTimeCursor(q.cursor);
    if (after) where.push(`(r.recorded_at, r.id) > (${p(after.k)}::timestamptz, ${p(after.id)}::uuid)`);
    const limit = q.limit ?? DEFAULT_PAGE_SIZE;
    const rows: RedemptionRow[] = await this.tx.manager.query(
      `${REDEMPTION_SELECT} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY r.recorded_at, r.id LIMIT ${p(limit + 1)}`,
      params,
    );
    const page = toPage(rows, limit, (r) => ({ k: r.cursorKey, id: r.id }));
    return { items: page.items.map(toRedemptionDto), nextCursor: page.nextCursor };
  }

  /** The WHERE clauses of a list or an export: scope, period (Paris days of recordedAt), category, order, site, undone. */
  filters(principal: Principal, q: ListRedemptionsQueryDto): { where: string[]; params: unknown[]; p: (v: unknown) => string } {
    const params: unknown[] = [];
    const p = (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    };
    const where: string[] = [];
    if (!isOperator(principal)) {
      const own = p(principal.organisationId);
      where.push(`(r.site_id = ${own} OR o.funder_id = ${own})`);
    }
    if (q.siteId) where.push(`r.site_id = ${p(q.siteId.toLowerCase())}`);
    if (q.orderId) where.push(`r.order_id = ${p(q.orderId.toLowerCase())}`);
    if (q.serviceCategoryCode) where.push(`r.service_category_code = ${p(q.serviceCategoryCode)}`);
    if (q.from) where.push(`r.recorded_at >= (${p(q.from)}::date::timestamp AT TIME ZONE 'Europe/Paris')`);
    if (q.to) where.push(`r.recorded_at < ((${p(q.to)}::date + 1)::timestamp AT TIME ZONE 'Europe/Paris')`);
    if (q.includeUndone === 'false') where.push(`r.undone_at IS NULL`);
    return { where, params, p };
  }
}
