import { AuditSealer } from '@sillage/audit';
import { addDays, parisDate } from '@sillage/common';
import { ReportConsumer } from '@sillage/reporting';
import { SettlementExpireJob } from '@sillage/settlement';
import { sql } from '@sillage/testing';
import { api, draftOrder, payInFull } from './order-support';
import { createRedemptionWorld, handOver, redeem, RedemptionWorld, stockedOrder, voucherCodes } from './redemption-support';

interface Row {
  key: string;
  label: string;
  steps: Record<string, { vouchers: number; valueCents: number }>;
  startedBooklets: number;
  rates: Record<string, number | null>;
}
interface Funnel {
  total: Row;
  groups: Row[];
  timeToFirstUse: { booklets: number; medianDays: number | null; p90Days: number | null };
  checkpoint: { treeSize: number } | null;
}

/**
 * The voucher funnel (issue 8), hand-computed. The funder's orders: A, 3 booklets × 4 × 10.00 €, paid
 * today, 2 booklets allocated and handed over; vouchers 1–2 of the first and 1 of the second redeemed,
 * voucher 3 of the first redeemed then undone. E, 2 booklets × 3 × 12.50 €, paid 20 days ago and
 * expired today (credit note 75.00 €). The other funder's order O, 1 × 4 × 10.00 €, paid today.
 */
describe('reports: the voucher funnel, cumulative, per funder, order and period', () => {
  let w: RedemptionWorld;
  const T = parisDate(new Date());
  let orderA: string;
  let orderE: string;

  const funnel = async (query: string, token = w.tokens.funder) => api<Funnel>(w.t, 'GET', `/v1/reports/funnel?${query}`, token);

  beforeAll(async () => {
    w = await createRedemptionWorld();
    const a = await stockedOrder(w, { bookletCount: 3, vouchersPerBooklet: 4, faceValueCents: 1000 });
    orderA = a.order.id;
    // stockedOrder allocated all three booklets: take one back to the funder's stock.
    const back = await api(w.t, 'POST', '/v1/allocations', w.tokens.funder, {
      kind: 'return',
      fromDistributorId: w.distributorId,
      ranges: [{ fromSerial: a.serials[2], toSerial: a.serials[2] }],
    });
    expect(back.status).toBe(201);
    await handOver(w, a.serials[0]);
    await handOver(w, a.serials[1]);
    const code = async (serial: string, idx: number) => (await voucherCodes(w.t, serial, idx)).code;
    expect(
      (await redeem(w.t, w.site.agent, { vouchers: [{ code: await code(a.serials[0], 1) }, { code: await code(a.serials[0], 2) }] }))
        .status,
    ).toBe(201);
    expect((await redeem(w.t, w.site.agent, { vouchers: [{ code: await code(a.serials[1], 1) }] })).status).toBe(201);
    const undone = await redeem<{ id: string }>(w.t, w.site.agent, { vouchers: [{ code: await code(a.serials[0], 3) }] });
    expect((await api(w.t, 'POST', `/v1/redemptions/${undone.body.id}/undo`, w.site.agent, { reasonCode: 'scan_error' })).status).toBe(200);

    const e = await draftOrder(w, { bookletCount: 2, vouchersPerBooklet: 3, faceValueCents: 1250, orderedOn: addDays(T, -25) });
    orderE = e.id;
    await payInFull(w, e.id, addDays(T, -20));
    await sql(w.t, `UPDATE purchase_order SET validity_end_date = $2, tolerance_days = 0 WHERE id = $1`, [e.id, addDays(T, -9)]);
    await w.t.app.get(SettlementExpireJob).handle({ day: T });

    const o = await draftOrder(w, { bookletCount: 1, vouchersPerBooklet: 4, faceValueCents: 1000 }, w.tokens.otherFunder);
    await payInFull(w, o.id, T, w.tokens.otherFunder);

    await w.t.app.get(AuditSealer).sealPending();
    await w.t.app.get(ReportConsumer).consume();
  }, 240_000);
  afterAll(() => w?.close());

  it('counts each voucher at every step it reached, in vouchers and value, with the rates between steps', async () => {
    const r = await funnel(`asOf=${T}`);
    expect(r.status).toBe(200);
    expect(r.body.groups.map((g) => [g.key, g.label])).toEqual([[w.funderId, expect.any(String)]]);
    expect(r.body.total.steps).toEqual({
      issued: { vouchers: 18, valueCents: 19_500 }, // A: 12 × 10.00; E: 6 × 12.50
      active: { vouchers: 18, valueCents: 19_500 },
      allocated: { vouchers: 8, valueCents: 8_000 }, // 3 booklets allocated, 1 taken back
      distributed: { vouchers: 8, valueCents: 8_000 },
      redeemed: { vouchers: 3, valueCents: 3_000 }, // the undone one does not count
      settled: { vouchers: 0, valueCents: 0 }, // no settlement run here (see settlement-reconciliation)
      paid: { vouchers: 0, valueCents: 0 },
      expired: { vouchers: 6, valueCents: 7_500 },
      restituted: { vouchers: 6, valueCents: 7_500 },
    });
    expect(r.body.total.startedBooklets).toBe(2);
    expect(r.body.total.rates).toEqual({
      activeOfIssued: 1,
      allocatedOfActive: 0.4444, // 8 ÷ 18
      distributedOfAllocated: 1,
      redeemedOfDistributed: 0.375, // 3 ÷ 8
      settledOfRedeemed: 0,
      paidOfSettled: null, // nothing settled: no rate
      expiredOfActive: 0.3333, // 6 ÷ 18
      restitutedOfExpired: 1,
    });
    expect(r.body.timeToFirstUse).toEqual({ booklets: 2, medianDays: 0, p90Days: 0 });
    expect(r.body.groups[0]).toEqual({ ...r.body.total, key: w.funderId, label: r.body.groups[0].label });
  });

  it('groups by order and by period (each step dated by its own event), and as of yesterday nothing had happened', async () => {
    const byOrder = await funnel(`asOf=${T}&groupBy=order`);
    const rows = Object.fromEntries(byOrder.body.groups.map((g) => [g.key, g]));
    expect(Object.keys(rows).sort()).toEqual([orderA, orderE].sort());
    expect(rows[orderA].steps).toMatchObject({
      issued: { vouchers: 12 },
      allocated: { vouchers: 8 },
      redeemed: { vouchers: 3 },
      expired: { vouchers: 0 },
    });
    expect(rows[orderE].steps).toMatchObject({
      issued: { vouchers: 6 },
      allocated: { vouchers: 0 },
      expired: { vouchers: 6, valueCents: 7_500 },
    });
    expect(rows[orderE].rates.redeemedOfDistributed).toBeNull(); // nothing distributed: no rate

    const byMonth = await funnel(`asOf=${T}&groupBy=month`);
    expect(byMonth.body.groups.map((g) => g.key)).toEqual([T.slice(0, 7)]);
    const yesterday = await funnel(`asOf=${addDays(T, -1)}`);
    expect(yesterday.body.total.steps.issued.vouchers).toBe(0);
    expect(yesterday.body.groups).toEqual([]);
  });

  it('groups the steps that happen at a site by site, service category, commune and department', async () => {
    for (const [groupBy, key] of [
      ['site', w.site.id],
      ['category', 'atelier-collectif'],
      ['commune', '69123'],
      ['department', '69'],
    ]) {
      const r = await funnel(`asOf=${T}&groupBy=${groupBy}`);
      expect({ groupBy, keys: r.body.groups.map((g) => g.key) }).toEqual({ groupBy, keys: [key] });
      // Only redemptions (and their settlement) happen at a site; a booklet started is a person's.
      expect(r.body.groups[0].steps).toMatchObject({
        issued: { vouchers: 0 },
        distributed: { vouchers: 0 },
        redeemed: { vouchers: 3, valueCents: 3_000 },
      });
      expect(r.body.groups[0].startedBooklets).toBe(0);
    }
  });

  it('groups by distributor: what was allocated to it, handed over by it, and redeemed from the booklets it handed over', async () => {
    const r = await funnel(`asOf=${T}&groupBy=distributor`);
    expect(r.status).toBe(200);
    const [name] = await sql<{ name: string }>(w.t, `SELECT legal_name AS name FROM organisation WHERE id = $1`, [w.distributorId]);
    expect(r.body.groups.map((g) => [g.key, g.label])).toEqual([[w.distributorId, name.name]]);
    expect(r.body.groups[0].steps).toMatchObject({
      issued: { vouchers: 0 }, // issuing happens before any distributor
      allocated: { vouchers: 8, valueCents: 8_000 }, // 3 booklets allocated, 1 taken back
      distributed: { vouchers: 8, valueCents: 8_000 },
      redeemed: { vouchers: 3, valueCents: 3_000 }, // the undone one left out
      expired: { vouchers: 0 },
    });
    expect(r.body.groups[0].startedBooklets).toBe(2);
    expect(r.body.groups[0].rates.redeemedOfDistributed).toBe(0.375);
  });

  it('groups by programme and policy: orders without a grant count under an empty key', async () => {
    for (const groupBy of ['programme', 'policy']) {
      const r = await funnel(`asOf=${T}&groupBy=${groupBy}`);
      expect(r.status).toBe(200);
      expect(r.body.groups.map((g) => g.key)).toEqual(['']);
      expect(r.body.groups[0].steps).toMatchObject({ issued: { vouchers: 18 }, redeemed: { vouchers: 3 }, expired: { vouchers: 6 } });
    }
  });

  it('scopes a funder to its own orders; the operator sees every funder, or one', async () => {
    const op = await funnel(`asOf=${T}`, w.tokens.op);
    expect(op.body.total.steps.issued.vouchers).toBe(22);
    expect(op.body.groups.map((g) => g.key).sort()).toEqual([w.funderId, w.otherFunderId].sort());
    const one = await funnel(`asOf=${T}&funderId=${w.otherFunderId}`, w.tokens.op);
    expect(one.body.total.steps).toMatchObject({ issued: { vouchers: 4 }, redeemed: { vouchers: 0 } });
    // A funder never sees another's figures, whatever the filters.
    expect((await funnel(`funderId=${w.otherFunderId}`)).status).toBe(404);
    const filtered = await funnel(`asOf=${T}&orderId=${one.body.groups.length ? '00000000-0000-4000-8000-000000000000' : ''}`);
    expect(filtered.body.total.steps.issued.vouchers).toBe(0);
    const foreignOrder = (await sql<{ id: string }>(w.t, `SELECT id FROM purchase_order WHERE funder_id = $1`, [w.otherFunderId]))[0].id;
    expect((await funnel(`asOf=${T}&orderId=${foreignOrder}`)).body.total.steps.issued.vouchers).toBe(0);
    expect((await funnel(`asOf=${T}`, w.tokens.distributor)).status).toBe(404);
    expect((await funnel('groupBy=week')).status).toBe(400);
    const csv = await api<string>(w.t, 'GET', `/v1/reports/funnel?asOf=${T}&format=csv`, w.tokens.funder);
    expect(csv.res.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.body.replace(/^\uFEFF/, '').split('\r\n')[0]).toMatch(/^group;label;issued_vouchers;issued_eur;active_vouchers;/);
  });
});
