import { parisDate } from '@sillage/common';
import { sql } from '@sillage/testing';
import { api, createOrderWorld, draftOrder, issued, OrderJson, OrderWorld, paidOrder } from './order-support';

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
      paidOn: parisDate(new Date()),
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

  interface BookletJson {
    id: string;
    serial: string;
    voucherCount: number;
    blockedAt: string | null;
    replacesBookletId: string | null;
    replacedByBookletId: string | null;
    vouchers?: { serial: string; status: string }[];
  }
  const ledgerOk = async () => {
    const check = await api<{ ok: boolean; checks: { name: string; ok: boolean; problems: string[] }[] }>(
      w.t,
      'GET',
      '/v1/ledger/check',
      w.tokens.op,
    );
    expect(check.body.checks.filter((c) => !c.ok)).toEqual([]);
    expect(check.body.checks.map((c) => c.name)).toContain('vouchers');
  };

  it('blocks a booklet and replaces it: REPLACED vouchers, a new booklet with exactly their value, ledger check passes', async () => {
    const order = await paidOrder(w, { bookletCount: 2, vouchersPerBooklet: 6, faceValueCents: 1500 });
    const page = await api<{ items: BookletJson[] }>(w.t, 'GET', `/v1/purchase-orders/${order.id}/booklets`, w.tokens.funder);
    expect(page.body.items).toHaveLength(2);
    const [b1] = page.body.items;
    // one voucher blocked alone first, then the whole booklet
    const one = await api<BookletJson>(w.t, 'POST', `/v1/vouchers/${b1.serial}-03/block`, w.tokens.funder, { reasonCode: 'lost' });
    expect(one.status).toBe(200);
    expect(one.body.vouchers!.filter((v) => v.status === 'BLOCKED').map((v) => v.serial)).toEqual([`${b1.serial}-03`]);
    const blocked = await api<BookletJson>(w.t, 'POST', `/v1/booklets/${b1.id}/block`, w.tokens.funder, {
      reasonCode: 'stolen',
      note: 'volé au guichet',
    });
    expect(blocked.status).toBe(200);
    expect(blocked.body.vouchers!.every((v) => v.status === 'BLOCKED')).toBe(true);
    // a funder cannot unblock; the operator can, then it is blocked again
    expect((await api(w.t, 'POST', `/v1/booklets/${b1.id}/unblock`, w.tokens.funder)).status).toBe(404);
    expect((await api(w.t, 'POST', `/v1/booklets/${b1.id}/block`, w.tokens.funder, { reasonCode: 'stolen' })).status).toBe(409);
    await ledgerOk();

    // simulate one voucher already redeemed before the loss (redemption arrives with issue 6)
    await sql(w.t, `UPDATE voucher SET status = 'REDEEMED' WHERE booklet_id = $1 AND idx = 1`, [b1.id]);
    const activatedBefore = await sql<{ cp: string }>(
      w.t,
      `SELECT coalesce(sum(t.amount), 0)::text AS cp FROM ledger_transfer t JOIN ledger_account a ON a.id = t.credit_account_id WHERE a.order_id = $1`,
      [order.id],
    );
    // the ledger must see that redemption too, or the check flags it: that proves the check can fail
    const bad = await api<{ ok: boolean; checks: { name: string; ok: boolean }[] }>(w.t, 'GET', '/v1/ledger/check', w.tokens.op);
    expect(bad.body.checks.find((c) => c.name === 'vouchers')!.ok).toBe(false);
    await sql(w.t, `UPDATE voucher SET status = 'BLOCKED' WHERE booklet_id = $1 AND idx = 1`, [b1.id]);

    const replaced = await api<{ replaced: BookletJson; replacement: BookletJson; vouchers: number; valueCents: number }>(
      w.t,
      'POST',
      `/v1/booklets/${b1.id}/replace`,
      w.tokens.funder,
    );
    expect(replaced.status).toBe(200);
    expect(replaced.body).toMatchObject({ vouchers: 6, valueCents: 9000 });
    expect(replaced.body.replacement).toMatchObject({ voucherCount: 6, replacesBookletId: b1.id });
    expect(replaced.body.replaced.replacedByBookletId).toBe(replaced.body.replacement.id);
    expect(replaced.body.replacement.serial).not.toBe(b1.serial);
    const oldVouchers = await api<BookletJson>(w.t, 'GET', `/v1/booklets/${b1.id}`, w.tokens.funder);
    expect(oldVouchers.body.vouchers!.map((v) => v.status)).toEqual(Array(6).fill('REPLACED'));
    const newVouchers = await api<BookletJson>(w.t, 'GET', `/v1/booklets/${replaced.body.replacement.id}`, w.tokens.funder);
    expect(newVouchers.body.vouchers!.map((v) => v.status)).toEqual(Array(6).fill('ACTIVE'));
    // REPLACED is final: never unblocked, never replaced twice
    expect((await api(w.t, 'POST', `/v1/booklets/${b1.id}/unblock`, w.tokens.op)).status).toBe(409);
    expect((await api(w.t, 'POST', `/v1/booklets/${b1.id}/replace`, w.tokens.op)).status).toBe(409);
    // no money moved: the value stays in the order's outstanding account
    const activatedAfter = await sql<{ cp: string }>(
      w.t,
      `SELECT coalesce(sum(t.amount), 0)::text AS cp FROM ledger_transfer t JOIN ledger_account a ON a.id = t.credit_account_id WHERE a.order_id = $1`,
      [order.id],
    );
    expect(activatedAfter).toEqual(activatedBefore);
    expect(activatedAfter[0].cp).toBe(String(12 * 1500));
    await ledgerOk();
  });

  it('replacing before payment gives ISSUED vouchers, activated with the rest on payment', async () => {
    const order = await draftOrder(w, { bookletCount: 2, vouchersPerBooklet: 3 });
    const confirmed = await api<OrderJson>(w.t, 'POST', `/v1/purchase-orders/${order.id}/confirm`, w.tokens.funder);
    await issued(w, order.id);
    const page = await api<{ items: BookletJson[] }>(w.t, 'GET', `/v1/purchase-orders/${order.id}/booklets`, w.tokens.op);
    const b = page.body.items[1];
    expect((await api(w.t, 'POST', `/v1/booklets/${b.id}/block`, w.tokens.op, { reasonCode: 'lost' })).status).toBe(200);
    const r = await api<{ replacement: BookletJson }>(w.t, 'POST', `/v1/booklets/${b.id}/replace`, w.tokens.op);
    expect(r.status).toBe(200);
    await ledgerOk();
    await api(w.t, 'POST', `/v1/purchase-orders/${order.id}/payments`, w.tokens.opFinance, {
      reference: 'VIR-R',
      paidOn: parisDate(new Date()),
      amountCents: confirmed.body.amountDueCents,
    });
    expect(
      await sql(w.t, `SELECT status, count(*)::int AS n FROM voucher WHERE order_id = $1 GROUP BY status ORDER BY status`, [order.id]),
    ).toEqual([
      { status: 'ACTIVE', n: 6 },
      { status: 'REPLACED', n: 3 },
    ]);
    await ledgerOk();
  });
});
