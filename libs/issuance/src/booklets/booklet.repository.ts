import { Injectable } from '@nestjs/common';
import type { KeysetCursor } from '@sillage/common';
import type { Tx } from '@sillage/db';
import { DataSource } from 'typeorm';
import { BookletState, VoucherStatus } from './booklet.entity';

export interface BookletRecord {
  id: string;
  orderId: string;
  funderId: string;
  faceValueCents: string;
  serial: string;
  number: number;
  voucherCount: number;
  state: BookletState;
  blockedAt: Date | null;
  blockReason: string | null;
  replacesBookletId: string | null;
  replacedByBookletId: string | null;
  createdAt: Date;
}

export interface VoucherRecord {
  id: string;
  bookletId: string;
  idx: number;
  status: VoucherStatus;
  statusChangedAt: Date | null;
}

const COLUMNS = `b.id, b.order_id AS "orderId", o.funder_id AS "funderId", o.face_value_cents AS "faceValueCents", b.serial, b.number,
  b.voucher_count AS "voucherCount", b.state, b.blocked_at AS "blockedAt", b.block_reason AS "blockReason",
  b.replaces_booklet_id AS "replacesBookletId", r.id AS "replacedByBookletId", b.created_at AS "createdAt"`;
const FROM = `booklet b JOIN purchase_order o ON o.id = b.order_id LEFT JOIN booklet r ON r.replaces_booklet_id = b.id`;

@Injectable()
export class BookletRepository {
  constructor(private readonly dataSource: DataSource) {}

  async findById(id: string, tx: Tx = this.dataSource.manager): Promise<BookletRecord | undefined> {
    const rows: BookletRecord[] = await tx.query(`SELECT ${COLUMNS} FROM ${FROM} WHERE b.id = $1`, [id]);
    return rows[0];
  }

  async findBySerial(serial: string, tx: Tx = this.dataSource.manager): Promise<BookletRecord | undefined> {
    const rows: BookletRecord[] = await tx.query(`SELECT ${COLUMNS} FROM ${FROM} WHERE b.serial = $1`, [serial]);
    return rows[0];
  }

  /** Locks the booklet row (and its order's issuance row first, the order every writer follows). */
  async lock(tx: Tx, id: string): Promise<BookletRecord | undefined> {
    const found = await this.findById(id, tx);
    if (!found) return undefined;
    await tx.query(`SELECT 1 FROM order_issuance WHERE order_id = $1 FOR UPDATE`, [found.orderId]);
    await tx.query(`SELECT 1 FROM booklet WHERE id = $1 FOR UPDATE`, [id]);
    return this.findById(id, tx);
  }

  async listForOrder(q: {
    orderId: string;
    state?: BookletState;
    blocked?: boolean;
    afterNumber?: number;
    limit: number;
  }): Promise<BookletRecord[]> {
    const where = [`b.order_id = $1`];
    const params: unknown[] = [q.orderId];
    const p = (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    };
    if (q.state !== undefined) where.push(`b.state = ${p(q.state)}`);
    if (q.blocked !== undefined) where.push(q.blocked ? `b.blocked_at IS NOT NULL` : `b.blocked_at IS NULL`);
    if (q.afterNumber !== undefined) where.push(`b.number > ${p(q.afterNumber)}`);
    return this.dataSource.query(
      `SELECT ${COLUMNS} FROM ${FROM} WHERE ${where.join(' AND ')} ORDER BY b.number LIMIT ${p(q.limit + 1)}`,
      params,
    );
  }

  async vouchers(bookletId: string, tx: Tx = this.dataSource.manager): Promise<VoucherRecord[]> {
    return tx.query(
      `SELECT id, booklet_id AS "bookletId", idx, status, status_changed_at AS "statusChangedAt" FROM voucher WHERE booklet_id = $1 ORDER BY idx`,
      [bookletId],
    );
  }

  /** Sets statuses `from` → `to` for the booklet's vouchers (optionally one index); returns how many changed. */
  async setVoucherStatus(
    tx: Tx,
    bookletId: string,
    from: VoucherStatus[],
    to: VoucherStatus | 'ACTIVE_OR_ISSUED',
    idx?: number,
  ): Promise<number> {
    const target =
      to === 'ACTIVE_OR_ISSUED'
        ? `CASE WHEN (SELECT paid_at FROM order_issuance i WHERE i.order_id = voucher.order_id) IS NULL THEN 'ISSUED' ELSE 'ACTIVE' END`
        : `'${to}'`;
    const rows: { n: number }[] = await tx.query(
      `WITH v AS (UPDATE voucher SET status = ${target}, status_changed_at = now()
                  WHERE booklet_id = $1 AND status = ANY($2::text[]) ${idx === undefined ? '' : 'AND idx = $3'} RETURNING 1)
       SELECT count(*)::int AS n FROM v`,
      idx === undefined ? [bookletId, from] : [bookletId, from, idx],
    );
    return rows[0].n;
  }

  async setBlocked(tx: Tx, id: string, reason: string | null): Promise<void> {
    await tx.query(`UPDATE booklet SET blocked_at = CASE WHEN $2::text IS NULL THEN NULL ELSE now() END, block_reason = $2 WHERE id = $1`, [
      id,
      reason,
    ]);
  }

  async nextNumber(tx: Tx, orderId: string): Promise<number> {
    const rows: { n: number }[] = await tx.query(`SELECT COALESCE(max(number), 0)::int + 1 AS n FROM booklet WHERE order_id = $1`, [
      orderId,
    ]);
    return rows[0].n;
  }

  async issuanceState(
    tx: Tx,
    orderId: string,
  ): Promise<{ completedAt: Date | null; paidAt: Date | null; voidedAt: Date | null } | undefined> {
    const rows: { completedAt: Date | null; paidAt: Date | null; voidedAt: Date | null }[] = await tx.query(
      `SELECT completed_at AS "completedAt", paid_at AS "paidAt", voided_at AS "voidedAt" FROM order_issuance WHERE order_id = $1`,
      [orderId],
    );
    return rows[0];
  }
}

export type { KeysetCursor };
