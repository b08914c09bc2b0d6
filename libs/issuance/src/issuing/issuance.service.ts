import { Injectable } from '@nestjs/common';
import { AuditActor, AuditLog } from '@sillage/audit';
import { uuidFromName } from '@sillage/common';
import { TransactionRunner, Tx } from '@sillage/db';
import { Ledger } from '@sillage/ledger';
import { Outbox } from '@sillage/queue';
import { Inject } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@sillage/config';
import { IssuanceKeys } from '../keys/issuance-keys';
import { BookletWriter } from './booklet-writer';

/** What issuance reads of an order (the `purchase_order` row belongs to libs/funding). */
interface OrderFacts {
  funderId: string;
  faceValueCents: number;
}

interface IssuanceRow {
  orderId: string;
  bookletCount: number;
  vouchersPerBooklet: number;
  bookletsIssued: number;
  completedAt: Date | null;
  paidAt: Date | null;
  activatedAt: Date | null;
  voidedAt: Date | null;
}

export interface IssuanceProgress {
  bookletCount: number;
  bookletsIssued: number;
  vouchersIssued: number;
  completedAt: string | null;
  activatedAt: string | null;
}

const SYSTEM: AuditActor = { type: 'system' };

/**
 * Turns a confirmed order into booklets and vouchers, and makes them redeemable once paid.
 * - `schedule` (in the confirm transaction) records the work and queues `issuance.issue-order`;
 * - the job writes booklets in chunks, one transaction each, recording progress, so a crash resumes
 *   after the last committed chunk;
 * - `markPaid` (in the payment transaction) and the job's last chunk both call `activateIfReady`
 *   under the `order_issuance` row lock: activation happens exactly once, when the order is paid
 *   AND fully issued, whichever comes last;
 * - `voidOrder` (cancel) makes every unredeemed voucher VOID and stops the job.
 */
@Injectable()
export class IssuanceService {
  private readonly writer: BookletWriter;

  constructor(
    private readonly tx: TransactionRunner,
    private readonly outbox: Outbox,
    private readonly ledger: Ledger,
    private readonly audit: AuditLog,
    keys: IssuanceKeys,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.writer = new BookletWriter({ lookupKey: keys.lookupKey, printKey: keys.currentPrintKey });
  }

  async schedule(tx: Tx, orderId: string, bookletCount: number, vouchersPerBooklet: number): Promise<void> {
    await tx.query(`INSERT INTO order_issuance (order_id, booklet_count, vouchers_per_booklet) VALUES ($1, $2, $3)`, [
      orderId,
      bookletCount,
      vouchersPerBooklet,
    ]);
    await this.outbox.enqueue(tx, 'issuance.issue-order', { orderId }, `issuance.issue-order:${orderId}`);
  }

  async progress(orderId: string, tx: Tx = this.tx.manager): Promise<IssuanceProgress | null> {
    const rows: (IssuanceRow & { vouchersIssued: number })[] = await tx.query(
      `SELECT booklet_count AS "bookletCount", booklets_issued AS "bookletsIssued", completed_at AS "completedAt",
              activated_at AS "activatedAt",
              (SELECT count(*)::int FROM voucher v WHERE v.order_id = i.order_id) AS "vouchersIssued"
       FROM order_issuance i WHERE order_id = $1`,
      [orderId],
    );
    const r = rows[0];
    if (!r) return null;
    return {
      bookletCount: r.bookletCount,
      bookletsIssued: r.bookletsIssued,
      vouchersIssued: r.vouchersIssued,
      completedAt: r.completedAt?.toISOString() ?? null,
      activatedAt: r.activatedAt?.toISOString() ?? null,
    };
  }

  /**
   * Issues the next chunk of booklets in its own transaction. Returns false when there is nothing
   * left to do (complete, voided, or unknown order).
   */
  async issueNextChunk(orderId: string, maxBooklets = this.config.issuance.chunkBooklets): Promise<boolean> {
    return this.tx.run(async (tx) => {
      const row = await this.lock(tx, orderId);
      if (!row || row.voidedAt || row.completedAt) return false;
      const count = Math.min(maxBooklets, row.bookletCount - row.bookletsIssued);
      const specs = Array.from({ length: count }, (_, i) => ({ number: row.bookletsIssued + i + 1, voucherCount: row.vouchersPerBooklet }));
      const written = await this.writer.write(tx, orderId, specs, 'ISSUED');
      const complete = row.bookletsIssued + count === row.bookletCount;
      await tx.query(
        `UPDATE order_issuance SET booklets_issued = booklets_issued + $2, completed_at = CASE WHEN $3 THEN now() END WHERE order_id = $1`,
        [orderId, count, complete],
      );
      await this.audit.append(tx, {
        action: 'issuance.booklets_issued',
        actor: SYSTEM,
        subject: { type: 'booklet', range: { from: written[0].serial, to: written[written.length - 1].serial, count } },
        facts: { orderId, booklets: count, vouchers: count * row.vouchersPerBooklet },
      });
      if (complete && row.paidAt) await this.activate(tx, orderId);
      return !complete;
    });
  }

  /** In the payment transaction that makes the order fully paid. */
  async markPaid(tx: Tx, orderId: string): Promise<void> {
    const row = await this.lock(tx, orderId);
    if (!row) throw new Error(`order ${orderId} has no issuance`);
    await tx.query(`UPDATE order_issuance SET paid_at = now() WHERE order_id = $1`, [orderId]);
    if (row.completedAt && !row.activatedAt) await this.activate(tx, orderId);
  }

  /** In the cancel transaction: every voucher not yet redeemed becomes VOID; the job stops. */
  async voidOrder(tx: Tx, orderId: string): Promise<number> {
    const row = await this.lock(tx, orderId);
    if (!row) return 0;
    if (row.activatedAt) throw new Error(`order ${orderId} is activated: its vouchers cannot be voided`);
    await tx.query(`UPDATE order_issuance SET voided_at = now() WHERE order_id = $1`, [orderId]);
    const voided: { n: number }[] = await tx.query(
      `WITH v AS (UPDATE voucher SET status = 'VOID', status_changed_at = now()
                  WHERE order_id = $1 AND status IN ('ISSUED', 'BLOCKED') RETURNING 1)
       SELECT count(*)::int AS n FROM v`,
      [orderId],
    );
    await this.audit.append(tx, {
      action: 'issuance.vouchers_voided',
      actor: SYSTEM,
      subject: { type: 'order', id: orderId },
      facts: { orderId, vouchers: voided[0].n },
    });
    return voided[0].n;
  }

  private async lock(tx: Tx, orderId: string): Promise<IssuanceRow | undefined> {
    const rows: IssuanceRow[] = await tx.query(
      `SELECT order_id AS "orderId", booklet_count AS "bookletCount", vouchers_per_booklet AS "vouchersPerBooklet",
              booklets_issued AS "bookletsIssued", completed_at AS "completedAt", paid_at AS "paidAt",
              activated_at AS "activatedAt", voided_at AS "voidedAt"
       FROM order_issuance WHERE order_id = $1 FOR UPDATE`,
      [orderId],
    );
    return rows[0];
  }

  /**
   * ISSUED → ACTIVE for the whole order (one set-based UPDATE; BLOCKED vouchers stay blocked but their
   * value is outstanding too), and the face value of every live voucher moves from the funder's
   * available money to the order's outstanding-vouchers account. The transfer id is derived from the
   * order, so a replay is a no-op.
   */
  private async activate(tx: Tx, orderId: string): Promise<void> {
    const order = await this.orderFacts(tx, orderId);
    const activated: { n: number }[] = await tx.query(
      `WITH v AS (UPDATE voucher SET status = 'ACTIVE', status_changed_at = now() WHERE order_id = $1 AND status = 'ISSUED' RETURNING 1)
       SELECT count(*)::int AS n FROM v`,
      [orderId],
    );
    const live: { n: number }[] = await tx.query(
      `SELECT count(*)::int AS n FROM voucher WHERE order_id = $1 AND status NOT IN ('VOID', 'REPLACED')`,
      [orderId],
    );
    await tx.query(`UPDATE order_issuance SET activated_at = now() WHERE order_id = $1`, [orderId]);
    const amount = live[0].n * order.faceValueCents;
    const available = await this.ledger.openAccount(tx, { kind: 'funder_available', ownerOrganisationId: order.funderId });
    const outstanding = await this.ledger.openAccount(tx, { kind: 'order_outstanding', ownerOrganisationId: order.funderId, orderId });
    await this.ledger.transfer(tx, {
      id: uuidFromName(`order-activation:${orderId}`),
      debitAccountId: available.id,
      creditAccountId: outstanding.id,
      amount,
      reference: { type: 'order', id: orderId },
      userData: { step: 'activation', vouchers: live[0].n },
    });
    await this.audit.append(tx, {
      action: 'issuance.vouchers_activated',
      actor: SYSTEM,
      subject: { type: 'order', id: orderId },
      facts: { orderId, vouchers: activated[0].n, amountCents: amount },
    });
  }

  private async orderFacts(tx: Tx, orderId: string): Promise<OrderFacts> {
    const rows: { funderId: string; faceValueCents: string }[] = await tx.query(
      `SELECT funder_id AS "funderId", face_value_cents AS "faceValueCents" FROM purchase_order WHERE id = $1`,
      [orderId],
    );
    if (!rows[0]) throw new Error(`order ${orderId} not found`);
    return { funderId: rows[0].funderId, faceValueCents: Number(rows[0].faceValueCents) };
  }
}
