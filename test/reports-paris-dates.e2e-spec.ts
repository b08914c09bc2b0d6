import { AuditSealer } from '@sillage/audit';
import { ReportConsumer } from '@sillage/reporting';
import { handedOrder, redeemedAt } from './history-support';
import { api } from './order-support';
import { createRedemptionWorld, RedemptionWorld } from './redemption-support';

type Steps = Record<string, { vouchers: number; valueCents: number }>;

/**
 * Reports date each event by its Paris day (issue 8), hand-computed around month boundaries and both
 * 2026 clock changes (29 March: UTC+1 → UTC+2; 25 October: UTC+2 → UTC+1). One order of 8 × 10.00 €
 * vouchers, paid on 28 March, its booklet handed over; vouchers redeemed at these instants (UTC):
 * - 29 Mar 22:30 → 30 Mar 00:30 in Paris (already summer time): its first use, 2 days after payment;
 * - 31 Mar 21:30 → 31 Mar 23:30 (March), and 31 Mar 22:30 → 1 Apr 00:30 (April);
 * - 24 Oct 22:30 → 25 Oct 00:30 (still summer time), 31 Oct 22:30 → 31 Oct 23:30 (winter time: October),
 *   and 31 Oct 23:30 → 1 Nov 00:30 (November).
 * Reading any of them as a UTC date would put it a day (and for four of them a month) early.
 */
describe('reports: Paris days across month boundaries and clock changes', () => {
  let w: RedemptionWorld;
  let programmeId: string;
  const instants = [
    '2026-03-29T22:30:00Z',
    '2026-03-31T21:30:00Z',
    '2026-03-31T22:30:00Z',
    '2026-10-24T22:30:00Z',
    '2026-10-31T22:30:00Z',
    '2026-10-31T23:30:00Z',
  ];

  const post = async (url: string, body: object) => {
    const r = await api<{ id: string }>(w.t, 'POST', url, w.tokens.op, body);
    if (r.status !== 201) throw new Error(`${url}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  };
  const funnel = async (query: string) => {
    const r = await api<{ total: { steps: Steps }; groups: { key: string; steps: Steps }[] }>(
      w.t,
      'GET',
      `/v1/reports/funnel?${query}`,
      w.tokens.funder,
    );
    expect(r.status).toBe(200);
    return r.body;
  };

  beforeAll(async () => {
    w = await createRedemptionWorld();
    const policyId = (await post('/v1/policies', { name: 'Pass numérique' })).id;
    programmeId = (await post('/v1/programmes', { policyId, name: 'AAP', maxCofinancingRateBp: 8000 })).id;
    const grant = await post(`/v1/programmes/${programmeId}/grants`, {
      funderId: w.funderId,
      amountCents: 1_000_000,
      cofinancingRateBp: 5000,
      awardedOn: '2026-01-15',
      endDate: '2027-12-31',
    });
    const order = await handedOrder(w, { grantId: grant.id, vouchers: 8, orderedOn: '2026-03-01', paidOn: '2026-03-28' });
    for (const [i, instant] of instants.entries()) await redeemedAt(w, order, i + 1, new Date(instant));
    await w.t.app.get(AuditSealer).sealPending();
    await w.t.app.get(ReportConsumer).consume();
  }, 240_000);
  afterAll(() => w?.close());

  it('buckets each redemption in the month of its Paris day', async () => {
    const byMonth = await funnel('asOf=2026-12-31&groupBy=month');
    const redeemed = Object.fromEntries(
      byMonth.groups.filter((g) => g.steps.redeemed.vouchers > 0).map((g) => [g.key, g.steps.redeemed.vouchers]),
    );
    expect(redeemed).toEqual({ '2026-03': 2, '2026-04': 1, '2026-10': 2, '2026-11': 1 });
    const byQuarter = await funnel('asOf=2026-12-31&groupBy=quarter');
    expect(
      Object.fromEntries(byQuarter.groups.filter((g) => g.steps.redeemed.vouchers > 0).map((g) => [g.key, g.steps.redeemed.vouchers])),
    ).toEqual({
      '2026-Q1': 2,
      '2026-Q2': 1,
      '2026-Q4': 3,
    });
  });

  it('counts, as of a day, what happened by the end of that Paris day', async () => {
    const cases: [string, number][] = [
      ['2026-03-29', 0], // 22:30 UTC on the 29th is the 30th in Paris
      ['2026-03-30', 1],
      ['2026-03-31', 2],
      ['2026-04-01', 3],
      ['2026-10-24', 3], // 22:30 UTC on the 24th is the 25th in Paris
      ['2026-10-25', 4],
      ['2026-10-31', 5], // 22:30 UTC is still the 31st once the clocks went back
      ['2026-11-01', 6],
    ];
    for (const [asOf, vouchers] of cases) {
      expect([asOf, (await funnel(`asOf=${asOf}`)).total.steps.redeemed]).toEqual([asOf, { vouchers, valueCents: vouchers * 1000 }]);
    }
  });

  it('counts days between Paris dates: paid 28 March, first used 30 March (Paris) = 2 days', async () => {
    const r = await api<{ latencies: { paidToFirstRedemption: Record<string, number> } }>(
      w.t,
      'GET',
      `/v1/reports/programmes/${programmeId}/transparency?asOf=2026-04-30`,
      w.tokens.op,
    );
    expect(r.status).toBe(200);
    expect(r.body.latencies.paidToFirstRedemption).toEqual({ orders: 1, medianDays: 2, p90Days: 2, medianMonths: 0, p90Months: 0 });
  });
});
