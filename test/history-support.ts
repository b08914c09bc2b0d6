/** Test worlds with a past: orders paid on past dates and redemptions recorded days ago, in the tables and in the audit log alike. */
import { AuditLog } from '@sillage/audit';
import { TransactionRunner } from '@sillage/db';
import { sql } from '@sillage/testing';
import { REDEEM_SQL, redeemValues } from '../libs/redemption/src/redemptions/redemption-sql';
import { historicRedemption } from '../scripts/seed/seed-history';
import { api, draftOrder, payInFull } from './order-support';
import { handOver, RedemptionWorld } from './redemption-support';

export interface HandedOrder {
  id: string;
  booklet: { id: string; serial: string };
}

/** An order of one booklet of `vouchers` × 10.00 € under `grantId`, ordered and paid on past dates, its booklet allocated and handed over. */
export async function handedOrder(
  w: RedemptionWorld,
  o: { grantId: string; vouchers: number; orderedOn: string; paidOn: string },
): Promise<HandedOrder> {
  const order = await draftOrder(w, {
    grantId: o.grantId,
    bookletCount: 1,
    vouchersPerBooklet: o.vouchers,
    faceValueCents: 1000,
    orderedOn: o.orderedOn,
  });
  await payInFull(w, order.id, o.paidOn);
  const allocated = await api(w.t, 'POST', '/v1/allocations', w.tokens.funder, {
    toDistributorId: w.distributorId,
    orderId: order.id,
    count: 1,
  });
  if (allocated.status !== 201) throw new Error(`allocation refused: ${allocated.status} ${JSON.stringify(allocated.body)}`);
  const [booklet] = await sql<{ id: string; serial: string }>(w.t, `SELECT id, serial FROM booklet WHERE order_id = $1`, [order.id]);
  await handOver(w, booklet.serial);
  return { id: order.id, booklet };
}

/**
 * Voucher `idx` of the order's booklet redeemed at the world's site at instant `at`, and recorded then
 * (the service's own REDEEM_SQL, its audit event recorded at that instant, as the seed writes history).
 * Returns the redemption's id.
 */
export async function redeemedAt(w: RedemptionWorld, order: HandedOrder, idx: number, at: Date): Promise<string> {
  const row = historicRedemption(w.t.app.get(AuditLog), {
    orderId: order.id,
    faceValueCents: 1000,
    booklet: order.booklet,
    siteId: w.site.id,
    category: 'atelier-collectif',
    occurredAt: at,
    recordedAt: at,
    firstIdx: idx,
    n: 1,
    offline: false,
  });
  const r = await w.t.app.get(TransactionRunner).pool.query<{ n: number }>(REDEEM_SQL, redeemValues([row]));
  if (r.rows[0].n !== 1) throw new Error(`redemption of voucher ${idx} refused`);
  return row.id;
}
