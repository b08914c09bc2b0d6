import { Injectable } from '@nestjs/common';
import { AuditActor, AuditLog } from '@sillage/audit';
import { uuidFromName } from '@sillage/common';
import { TransactionRunner, Tx } from '@sillage/db';
import { Ledger } from '@sillage/ledger';
import { Outbox } from '@sillage/queue';
import { Inject } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@sillage/config';
import { IssuanceKeys } from '../keys/issuance-keys';
import { BookletWriter, PreparedBooklets } from './booklet-writer';

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

const SYSTEM: AuditActor = { type: 'system' };

/** A chunk of booklets to issue: numbers `from .. from + count - 1`. */
export interface ChunkPlan {
  from: number;
  count: number;
  vouchersPerBooklet: number;
}

const ISSUANCE_SELECT = `SELECT order_id AS "orderId", booklet_count AS "bookletCount", vouchers_per_booklet AS "vouchersPerBooklet",
  booklets_issued AS "bookletsIssued", completed_at AS "completedAt", paid_at AS "paidAt", activated_at AS "activatedAt",
  voided_at AS "voidedAt" FROM order_issuance`;

/**
 * Turns a confirmed order into booklets and vouchers, and makes them redeemable once paid.
 * - `schedule` (in the confirm transaction) records the work and queues `issuance.issue-order`;
 * - the job writes booklets in chunks, one transaction each, recording progress, so a crash resumes
 *   after the last committed chunk;
 * - `markPaid` (in the payment transaction) activates every voucher issued so far, and chunks
 *   written after payment are written ACTIVE, each with its activation transfer, all under the
 *   `order_issuance` row lock: at every commit, a paid order's vouchers are all activated and the
 *   ledger holds exactly their value;
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

  /** The next chunk to issue after booklet number `after` (default: where the order stands), or null when done. */
  async plan(orderId: string, after?: number, maxBooklets = this.config.issuance.chunkBooklets): Promise<ChunkPlan | null> {
    const rows: IssuanceRow[] = await this.tx.manager.query(`${ISSUANCE_SELECT} WHERE order_id = $1`, [orderId]);
    const row = rows[0];
    if (!row || row.voidedAt || row.completedAt) return null;
    const from = (after ?? row.bookletsIssued) + 1;
    if (from > row.bookletCount) return null;
    return { from, count: Math.min(maxBooklets, row.bookletCount - from + 1), vouchersPerBooklet: row.vouchersPerBooklet };
  }

  /** Codes, hashes and ciphertexts of a chunk (CPU work, no transaction held). */
  prepare(orderId: string, plan: ChunkPlan): Promise<PreparedBooklets> {
    const specs = Array.from({ length: plan.count }, (_, i) => ({ number: plan.from + i, voucherCount: plan.vouchersPerBooklet }));
    return this.writer.prepare(this.tx.manager, orderId, specs);
  }

  /**
   * Writes a prepared chunk in its own transaction, under the issuance row lock: ISSUED, or ACTIVE
   * with its activation transfer when the order is already paid. Returns 'stale' (nothing written)
   * when the order moved on meanwhile (voided, or another run wrote this chunk), 'more' or 'done'.
   */
  async commit(orderId: string, plan: ChunkPlan, prepared: PreparedBooklets): Promise<'stale' | 'more' | 'done'> {
    return this.tx.run(async (tx) => {
      const row = await this.lock(tx, orderId);
      if (!row || row.voidedAt || row.completedAt || row.bookletsIssued !== plan.from - 1) return 'stale';
      const status = row.paidAt ? 'ACTIVE' : 'ISSUED';
      await this.writer.insert(tx, prepared, status);
      const complete = plan.from + plan.count - 1 === row.bookletCount;
      await tx.query(
        `UPDATE order_issuance SET booklets_issued = booklets_issued + $2, completed_at = CASE WHEN $3 THEN now() END,
                activated_at = CASE WHEN $3 AND paid_at IS NOT NULL THEN now() END
         WHERE order_id = $1`,
        [orderId, plan.count, complete],
      );
      const vouchers = plan.count * row.vouchersPerBooklet;
      const { booklets } = prepared;
      await this.audit.append(tx, {
        action: 'issuance.booklets_issued',
        actor: SYSTEM,
        subject: { type: 'booklet', range: { from: booklets[0].serial, to: booklets[booklets.length - 1].serial, count: plan.count } },
        facts: { orderId, booklets: plan.count, vouchers, status },
      });
      if (status === 'ACTIVE') await this.activationTransfer(tx, orderId, `chunk:${plan.from}`, vouchers);
      return complete ? 'done' : 'more';
    });
  }

  /** One chunk, prepared and committed (tests and tools; the job pipelines `prepare` and `commit`). */
  async issueNextChunk(orderId: string, maxBooklets?: number): Promise<boolean> {
    const plan = await this.plan(orderId, undefined, maxBooklets);
    if (!plan) return false;
    return (await this.commit(orderId, plan, await this.prepare(orderId, plan))) === 'more';
  }

  /**
   * In the payment transaction that makes the order fully paid: every voucher issued so far becomes
   * ACTIVE (one set-based UPDATE; BLOCKED ones stay blocked but their value is outstanding too) with
   * one activation transfer; chunks issued later are written ACTIVE directly.
   */
  async markPaid(tx: Tx, orderId: string): Promise<void> {
    const row = await this.lock(tx, orderId);
    if (!row) throw new Error(`order ${orderId} has no issuance`);
    if (row.paidAt) return;
    await tx.query(
      `UPDATE order_issuance SET paid_at = now(), activated_at = CASE WHEN completed_at IS NOT NULL THEN now() END WHERE order_id = $1`,
      [orderId],
    );
    const activated: { n: number }[] = await tx.query(
      `WITH v AS (UPDATE voucher SET status = 'ACTIVE', status_changed_at = now() WHERE order_id = $1 AND status = 'ISSUED' RETURNING 1)
       SELECT count(*)::int AS n FROM v`,
      [orderId],
    );
    const live: { n: number }[] = await tx.query(
      `SELECT count(*)::int AS n FROM voucher WHERE order_id = $1 AND status NOT IN ('VOID', 'REPLACED')`,
      [orderId],
    );
    if (live[0].n > 0) await this.activationTransfer(tx, orderId, 'paid', live[0].n);
    await this.audit.append(tx, {
      action: 'issuance.vouchers_activated',
      actor: SYSTEM,
      subject: { type: 'order', id: orderId },
      facts: { orderId, vouchers: activated[0].n, amountCents: live[0].n * (await this.orderFacts(tx, orderId)).faceValueCents },
    });
  }

  /** In the cancel transaction: every voucher not yet redeemed becomes VOID; the job stops. */
  async voidOrder(tx: Tx, orderId: string): Promise<number> {
    const row = await this.lock(tx, orderId);
    if (!row) return 0;
    if (row.paidAt) throw new Error(`order ${orderId} is paid: its vouchers cannot be voided`);
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
    const rows: IssuanceRow[] = await tx.query(`${ISSUANCE_SELECT} WHERE order_id = $1 FOR UPDATE`, [orderId]);
    return rows[0];
  }

  /** Face value × `vouchers` from the funder's available money to the order's outstanding account; the id makes replays no-ops. */
  private async activationTransfer(tx: Tx, orderId: string, key: string, vouchers: number): Promise<void> {
    const order = await this.orderFacts(tx, orderId);
    const available = await this.ledger.openAccount(tx, { kind: 'funder_available', ownerOrganisationId: order.funderId });
    const outstanding = await this.ledger.openAccount(tx, { kind: 'order_outstanding', ownerOrganisationId: order.funderId, orderId });
    await this.ledger.transfer(tx, {
      id: uuidFromName(`order-activation:${orderId}:${key}`),
      debitAccountId: available.id,
      creditAccountId: outstanding.id,
      amount: vouchers * order.faceValueCents,
      reference: { type: 'order', id: orderId },
      userData: { step: 'activation', vouchers },
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
