import { Injectable, Logger } from '@nestjs/common';
import { AuditLog } from '@sillage/audit';
import { uuidFromName } from '@sillage/common';
import { TransactionRunner, Tx } from '@sillage/db';
import { Ledger } from '@sillage/ledger';
import { CreditNoteIssuer } from '../credit-notes/credit-note-issuer';

/**
 * When an order's vouchers expire: 8 calendar days (Paris) after its redemption deadline, itself the
 * end of the Paris day `validity_end_date + tolerance_days` — so the start of day V + tolerance + 9.
 * The 8 days are the 7-day offline window plus the 24-hour undo window: a service on the last day,
 * synced 7 days later, is past its undo window when expiry comes, and settled rather than expired.
 * (`expiresOn` of the order API is the last day before that instant.)
 */
export const expiresAtSql = (o: string): string =>
  `((${o}.validity_end_date + ${o}.tolerance_days + 9)::timestamp AT TIME ZONE 'Europe/Paris')`;

/** Orders with vouchers still ACTIVE or BLOCKED whose expiry instant is at or before $1. */
const DUE_ORDERS_SQL = `SELECT o.id FROM purchase_order o
 WHERE NOT o.historical AND ${expiresAtSql('o')} <= $1::timestamptz
   AND EXISTS (SELECT 1 FROM voucher v WHERE v.order_id = o.id AND v.status IN ('ACTIVE', 'BLOCKED'))
 ORDER BY o.id`;

/** Expired orders with accepted incidents that no credit note deducted and no invoice billed yet. */
const LATE_INCIDENT_ORDERS_SQL = `SELECT DISTINCT o.id FROM redemption_incident i JOIN purchase_order o ON o.id = i.order_id
 WHERE i.status = 'accepted' AND NOT o.historical AND ${expiresAtSql('o')} <= $1::timestamptz
   AND NOT EXISTS (SELECT 1 FROM credit_note_incident c WHERE c.incident_id = i.id)
 ORDER BY o.id`;

export interface ExpiryResult {
  cutoff: string;
  orders: number;
  vouchers: number;
  creditNotes: number;
  incidentsInvoiced: number;
}

/**
 * The daily expiry (job `settlement.expire`). For the job's Paris day, the cutoff is that day's
 * 00:00 in Paris (never later than now, so a day in the future expires nothing early). Per due
 * order, one transaction: the order row is locked and re-checked, its ACTIVE and BLOCKED vouchers
 * become EXPIRED in one statement, their face value moves from the order's outstanding account to
 * `restitution_payable`, the audit event is written and the credit note issued. Idempotent: a second
 * run finds no ACTIVE/BLOCKED voucher and writes nothing; a crash rolls back one order, which the
 * retry expires. Then accepted incidents of expired orders that no credit note absorbed are
 * invoiced to their funders.
 */
@Injectable()
export class VoucherExpiry {
  private readonly log = new Logger('VoucherExpiry');

  constructor(
    private readonly tx: TransactionRunner,
    private readonly ledger: Ledger,
    private readonly audit: AuditLog,
    private readonly creditNotes: CreditNoteIssuer,
  ) {}

  async run(day: string): Promise<ExpiryResult> {
    const [{ cutoff }] = await this.tx.manager.query<{ cutoff: Date }[]>(
      `SELECT least((($1::date)::timestamp AT TIME ZONE 'Europe/Paris'), now()) AS cutoff`,
      [day],
    );
    const result: ExpiryResult = { cutoff: cutoff.toISOString(), orders: 0, vouchers: 0, creditNotes: 0, incidentsInvoiced: 0 };
    for (const { id } of await this.tx.manager.query<{ id: string }[]>(DUE_ORDERS_SQL, [cutoff])) {
      const done = await this.tx.run((tx) => this.expireOrder(tx, id, cutoff));
      if (!done) continue;
      result.orders += 1;
      result.vouchers += done.vouchers;
      if (done.creditNote) result.creditNotes += 1;
    }
    for (const { id } of await this.tx.manager.query<{ id: string }[]>(LATE_INCIDENT_ORDERS_SQL, [cutoff])) {
      result.incidentsInvoiced += await this.tx.run((tx) => this.creditNotes.invoiceLateIncidents(tx, id));
    }
    this.log.log({ msg: 'vouchers expired', day, ...result });
    return result;
  }

  private async expireOrder(tx: Tx, orderId: string, cutoff: Date): Promise<{ vouchers: number; creditNote: boolean } | undefined> {
    const orders = await tx.query<{ funderId: string; faceValueCents: string; outstandingId: string | null; expiredBefore: number }[]>(
      `SELECT o.funder_id AS "funderId", o.face_value_cents AS "faceValueCents",
              (SELECT a.id FROM ledger_account a WHERE a.kind = 'order_outstanding' AND a.order_id = o.id AND a.currency = 'EUR') AS "outstandingId",
              (SELECT count(*)::int FROM voucher v WHERE v.order_id = o.id AND v.status IN ('EXPIRED', 'RESTITUTED')) AS "expiredBefore"
         FROM purchase_order o WHERE o.id = $1 AND NOT o.historical AND ${expiresAtSql('o')} <= $2::timestamptz FOR UPDATE OF o`,
      [orderId, cutoff],
    );
    const order = orders[0];
    if (!order) return undefined;
    const [{ n }] = await tx.query<{ n: number }[]>(
      `WITH expired AS (
         UPDATE voucher SET status = 'EXPIRED', status_changed_at = now()
          WHERE order_id = $1 AND status IN ('ACTIVE', 'BLOCKED') RETURNING 1)
       SELECT count(*)::int AS n FROM expired`,
      [orderId],
    );
    if (n === 0) return undefined;
    if (!order.outstandingId) throw new Error(`order ${orderId} has active vouchers but no outstanding account`);
    const faceValueCents = Number(order.faceValueCents);
    const restitution = await this.ledger.openAccount(tx, { kind: 'restitution_payable' });
    // Named after the vouchers expired before: a later batch of the same order (not expected) gets its own transfer.
    await this.ledger.transfer(tx, {
      id: uuidFromName(`expiry:${orderId}:${order.expiredBefore}`),
      debitAccountId: order.outstandingId,
      creditAccountId: restitution.id,
      amount: n * faceValueCents,
      reference: { type: 'order', id: orderId },
      userData: { step: 'expiry', vouchers: n },
    });
    await this.audit.append(tx, {
      action: 'settlement.vouchers_expired',
      actor: { type: 'system' },
      subject: { type: 'order', id: orderId },
      facts: { orderId, vouchers: n, faceValueCents: n * faceValueCents },
    });
    const note = await this.creditNotes.issue(tx, {
      id: orderId,
      funderId: order.funderId,
      faceValueCents,
      expiredVouchers: n,
      restitutionAccountId: restitution.id,
    });
    return { vouchers: n, creditNote: note !== undefined };
  }
}
