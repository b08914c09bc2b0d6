import { AuditSealer } from '@sillage/audit';
import { addDays, parisDate } from '@sillage/common';
import { ReportConsumer } from '@sillage/reporting';
import { sql } from '@sillage/testing';
import { daysBetween, wholeMonths } from './calendar-support';
import { api, draftOrder, payInFull } from './order-support';
import { createRedemptionWorld, handOver, redeem, RedemptionWorld, voucherCodes } from './redemption-support';

/**
 * Transparency latencies of a programme (issue 8), hand-computed. Laureates published 2026-01-31.
 * Funder F (grant awarded 2026-02-01): contracts published 2026-02-28 (notified 2026-03-31) and
 * 2026-05-31 (notified 2026-06-15); orders O1 ordered 2026-04-30, paid 2026-05-15, first redeemed
 * three days ago, and O2 ordered 2026-08-31, paid 2026-09-10, redeemed four days ago (undone) then two
 * days ago. Funder G (grant awarded 2026-02-02): contract published 2026-03-15, notified 2026-04-30;
 * order O3 ordered 2026-07-01, paid 2026-07-20, never redeemed.
 */
describe('reports: transparency latencies, in days and whole calendar months', () => {
  let w: RedemptionWorld;
  const T = parisDate(new Date());
  let programmeId: string;

  const post = async <R = { id: string }>(url: string, body: object, token = w.tokens.op) => {
    const r = await api<R>(w.t, 'POST', url, token, body);
    if (r.status !== 201 && r.status !== 200) throw new Error(`${url}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  };

  /** A live order of the grant, ordered and paid on past dates, its booklets issued. */
  async function pastOrder(grantId: string, orderedOn: string, paidOn: string, token: string): Promise<string> {
    const order = await draftOrder(w, { grantId, bookletCount: 1, vouchersPerBooklet: 4, faceValueCents: 1000, orderedOn }, token);
    await payInFull(w, order.id, paidOn, token);
    return order.id;
  }

  /** Hands the order's booklet over and redeems voucher `idx` as served `daysAgo` days ago (an offline scan). */
  async function redeemedDaysAgo(orderId: string, idx: number, daysAgo: number): Promise<string> {
    const [{ serial }] = await sql<{ serial: string }>(w.t, `SELECT serial FROM booklet WHERE order_id = $1`, [orderId]);
    const state = await sql<{ state: string }>(w.t, `SELECT state FROM booklet WHERE serial = $1`, [serial]);
    if (state[0].state !== 'DISTRIBUTED') {
      expect(
        (await api(w.t, 'POST', '/v1/allocations', w.tokens.funder, { toDistributorId: w.distributorId, orderId, count: 1 })).status,
      ).toBe(201);
      await handOver(w, serial);
    }
    const { code } = await voucherCodes(w.t, serial, idx);
    const r = await redeem<{ id: string }>(w.t, w.site.agent, {
      vouchers: [{ code }],
      occurredAt: new Date(Date.now() - daysAgo * 86_400_000).toISOString(),
    });
    expect(r.status).toBe(201);
    return r.body.id;
  }

  beforeAll(async () => {
    w = await createRedemptionWorld();
    const policyId = (await post('/v1/policies', { name: 'Pass numérique' })).id;
    programmeId = (await post('/v1/programmes', { policyId, name: 'AAP', maxCofinancingRateBp: 8000, laureatesPublishedOn: '2026-01-31' }))
      .id;
    const grant = (funderId: string, awardedOn: string) =>
      post(`/v1/programmes/${programmeId}/grants`, {
        funderId,
        amountCents: 1_000_000,
        cofinancingRateBp: 5000,
        awardedOn,
        endDate: '2027-12-31',
      });
    const f = (await grant(w.funderId, '2026-02-01')).id;
    const g = (await grant(w.otherFunderId, '2026-02-02')).id;
    const contract = (funderId: string, reference: string, publishedOn: string, notifiedOn: string) =>
      post('/v1/contracts', { funderId, reference, publishedOn, notifiedOn, endDate: '2028-12-31', upstreamFeeRateBp: 400 });
    await contract(w.funderId, 'MP-F-1', '2026-02-28', '2026-03-31');
    await contract(w.funderId, 'MP-F-2', '2026-05-31', '2026-06-15');
    await contract(w.otherFunderId, 'MP-G-1', '2026-03-15', '2026-04-30');

    const o1 = await pastOrder(f, '2026-04-30', '2026-05-15', w.tokens.funder);
    const o2 = await pastOrder(f, '2026-08-31', '2026-09-10', w.tokens.funder);
    await pastOrder(g, '2026-07-01', '2026-07-20', w.tokens.otherFunder);
    await redeemedDaysAgo(o1, 1, 3);
    const undone = await redeemedDaysAgo(o2, 1, 4);
    expect((await api(w.t, 'POST', `/v1/redemptions/${undone}/undo`, w.site.agent, { reasonCode: 'scan_error' })).status).toBe(200);
    await redeemedDaysAgo(o2, 2, 2);
    await w.t.app.get(AuditSealer).sealPending();
    await w.t.app.get(ReportConsumer).consume();
  }, 240_000);
  afterAll(() => w?.close());

  it('spans from the laureates to the contracts, from the first contract to the orders, and between orders', async () => {
    const r = await api<{ latencies: Record<string, unknown> }>(
      w.t,
      'GET',
      `/v1/reports/programmes/${programmeId}/transparency?asOf=${T}`,
      w.tokens.op,
    );
    expect(r.status).toBe(200);
    expect(r.body.latencies).toMatchObject({
      laureatesToFirstContract: { days: 28, months: 0 }, // 31 Jan → 28 Feb: not a whole month
      laureatesToLastContract: { days: 120, months: 4 }, // 31 Jan → 31 May
      firstContractToFirstOrder: { days: 30, months: 0 }, // notified 31 Mar → ordered 30 Apr: not a whole month
      meanFunderContractToOrderDays: 46, // F: 31 Mar → 30 Apr = 30; G: 30 Apr → 1 Jul = 62
      firstToLastOrder: { days: 123, months: 4 }, // 30 Apr → 31 Aug
    });
  });

  it('order paid → first live redemption: median and p90 (percentile_disc), the undone one left out', async () => {
    const r = await api<{ latencies: { paidToFirstRedemption: Record<string, number> } }>(
      w.t,
      'GET',
      `/v1/reports/programmes/${programmeId}/transparency?asOf=${T}`,
      w.tokens.op,
    );
    const o1 = { paid: '2026-05-15', used: addDays(T, -3) };
    const o2 = { paid: '2026-09-10', used: addDays(T, -2) }; // not four days ago: that one was undone
    const [short, long] = [o2, o1].sort((a, b) => daysBetween(a.paid, a.used) - daysBetween(b.paid, b.used));
    expect(r.body.latencies.paidToFirstRedemption).toEqual({
      orders: 2, // O3 was never redeemed
      medianDays: daysBetween(short.paid, short.used), // of two values, percentile_disc(0.5) is the lower
      p90Days: daysBetween(long.paid, long.used),
      medianMonths: Math.min(wholeMonths(o1.paid, o1.used), wholeMonths(o2.paid, o2.used)),
      p90Months: Math.max(wholeMonths(o1.paid, o1.used), wholeMonths(o2.paid, o2.used)),
    });
    // As of the day before the first redemption: no order used yet.
    const before = await api<{ latencies: { paidToFirstRedemption: Record<string, unknown>; firstToLastOrder: unknown } }>(
      w.t,
      'GET',
      `/v1/reports/programmes/${programmeId}/transparency?asOf=${addDays(T, -4)}`,
      w.tokens.op,
    );
    expect(before.body.latencies.paidToFirstRedemption).toMatchObject({ orders: 1, medianDays: daysBetween('2026-09-10', addDays(T, -4)) });
    // As of 2026-06-01: only O1 was ordered, and the second contract was published.
    const early = await api<{ latencies: Record<string, unknown> }>(
      w.t,
      'GET',
      `/v1/reports/programmes/${programmeId}/transparency?asOf=2026-06-01`,
      w.tokens.op,
    );
    expect(early.body.latencies).toMatchObject({
      laureatesToLastContract: { days: 120, months: 4 },
      firstToLastOrder: { days: 0, months: 0 },
      meanFunderContractToOrderDays: 30, // G had no order yet
      paidToFirstRedemption: { orders: 0, medianDays: null, p90Days: null },
    });
  });
});
