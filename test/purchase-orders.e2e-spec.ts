import { sql } from '@sillage/testing';
import { api, createOrderWorld, draftOrder, issued, OrderJson, OrderWorld } from './order-support';

describe('purchase orders: lifecycle', () => {
  let w: OrderWorld;
  beforeAll(async () => {
    w = await createOrderWorld({ LOG_LEVEL: 'warn' });
  });
  afterAll(async () => {
    await w.close();
  });

  it('draft → confirmed (invoice, vouchers ISSUED) → paid (vouchers ACTIVE, ledger moves)', async () => {
    const order = await draftOrder(w, { bookletCount: 5, vouchersPerBooklet: 10 });
    expect(order).toMatchObject({ status: 'draft', voucherCount: 50, faceValueCents: 1000, totalFaceValueCents: 50_000, issuance: null });
    const confirmed = await api<OrderJson>(w.t, 'POST', `/v1/purchase-orders/${order.id}/confirm`, w.tokens.funder);
    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toMatchObject({ status: 'confirmed', amountDueCents: 50_000, vatRateBp: 2000 });
    const done = await issued(w, order.id);
    expect(done.issuance).toMatchObject({ bookletCount: 5, bookletsIssued: 5, vouchersIssued: 50, activatedAt: null });
    const statuses = await sql(w.t, `SELECT status, count(*)::int AS n FROM voucher WHERE order_id = $1 GROUP BY status`, [order.id]);
    expect(statuses).toEqual([{ status: 'ISSUED', n: 50 }]);

    const pay = await api(w.t, 'POST', `/v1/purchase-orders/${order.id}/payments`, w.tokens.opFinance, {
      reference: 'VIR-1',
      paidOn: new Date().toISOString().slice(0, 10),
      amountCents: 50_000,
    });
    expect(pay.status).toBe(200);
    expect(pay.body).toMatchObject({ recorded: true, order: { status: 'paid', paidCents: 50_000 } });
    expect(await sql(w.t, `SELECT status, count(*)::int AS n FROM voucher WHERE order_id = $1 GROUP BY status`, [order.id])).toEqual([
      { status: 'ACTIVE', n: 50 },
    ]);
    const check = await api<{ ok: boolean }>(w.t, 'GET', '/v1/ledger/check', w.tokens.op);
    expect(check.body.ok).toBe(true);
  });
});
