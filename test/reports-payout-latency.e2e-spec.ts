import { AuditSealer } from '@sillage/audit';
import { addDays, parisDate, parisMidnight } from '@sillage/common';
import { ReportConsumer } from '@sillage/reporting';
import { pdfText, sql } from '@sillage/testing';
import { daysBetween, wholeMonths } from './calendar-support';
import { handedOrder, HandedOrder, redeemedAt } from './history-support';
import { api } from './order-support';
import { createRedemptionWorld, RedemptionWorld } from './redemption-support';
import { runUntilDone, verifiedBankAccount } from './settlement-support';

type Spread = {
  redemptions: number;
  medianDays: number | null;
  p90Days: number | null;
  medianMonths: number | null;
  p90Months: number | null;
};

/**
 * Redemption recorded → payout paid (issue 8), hand-computed. T is today (Paris). At one site, with
 * a verified bank account, vouchers of order OP (programme P) are redeemed and recorded on T−100
 * (R1), T−35 (R2), T−31 at 12:00 (R5) and T−3 (R3); one of order OQ (programme Q) on T−50 (R4).
 * Run A, cutoff T−30 00:00, takes what was recorded 24 h before it: R1, R2, R4 (not R5, 12 hours
 * short); the bank books its payout on T−20. Run B, cutoff T 00:00, takes R5 and R3; its payout is
 * booked on T−1 and given back by the bank on T.
 */
describe('reports: redemption recorded → payout paid, per programme', () => {
  let w: RedemptionWorld;
  const T = parisDate(new Date());
  const programmes: Record<'P' | 'Q', string> = { P: '', Q: '' };
  const recorded = { R1: addDays(T, -100), R2: addDays(T, -35), R3: addDays(T, -3), R4: addDays(T, -50), R5: addDays(T, -31) };
  const ids: Record<string, string> = {};

  const post = async <R = { id: string }>(url: string, body: object, token = w.tokens.op) => {
    const r = await api<R>(w.t, 'POST', url, token, body);
    if (r.status !== 201 && r.status !== 200) throw new Error(`${url}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  };

  /** An order of the programme's grant (1 booklet × 4 × 10.00 €), paid long ago, its booklet handed over. */
  async function orderOf(programmeId: string): Promise<HandedOrder> {
    const grant = await post(`/v1/programmes/${programmeId}/grants`, {
      funderId: w.funderId,
      amountCents: 1_000_000,
      cofinancingRateBp: 5000,
      awardedOn: addDays(T, -200),
      endDate: addDays(T, 400),
    });
    return handedOrder(w, { grantId: grant.id, vouchers: 4, orderedOn: addDays(T, -130), paidOn: addDays(T, -125) });
  }

  /** Voucher `idx` redeemed and recorded at the site on `day` at `hour` (Paris). */
  const redeemedOn = (order: HandedOrder, idx: number, day: string, hour = 10) =>
    redeemedAt(w, order, idx, new Date(parisMidnight(day).getTime() + hour * 3_600_000));

  /** Starts the run for `cutoff`, then the bank's CSV export: its payout booked on `bookedOn`, and given back on `returnedOn`. */
  async function runAndBook(cutoff: Date, bookedOn: string, returnedOn?: string): Promise<string> {
    const { run } = await runUntilDone(w, cutoff.toISOString());
    const [payout] = await sql<{ reference: string; amount: string }>(
      w.t,
      `SELECT p.reference, p.amount_cents::text AS amount FROM payout p JOIN payout_batch b ON b.id = p.batch_id WHERE b.run_id = $1`,
      [run.id],
    );
    const euros = (Number(payout.amount) / 100).toFixed(2).replace('.', ',');
    const csv = [
      'date;end_to_end_id;amount;currency;direction;return_reason',
      `${bookedOn};${payout.reference};${euros};EUR;debit;`,
      ...(returnedOn ? [`${returnedOn};${payout.reference};${euros};EUR;credit;AC04`] : []),
    ].join('\r\n');
    const res = await w.t.inject({
      method: 'POST',
      url: '/v1/bank-statements',
      headers: { authorization: `Bearer ${w.tokens.opFinance}`, 'content-type': 'text/csv; charset=utf-8' },
      payload: csv,
    });
    expect(res.statusCode).toBe(201);
    expect(res.json<{ entries: { outcome: string }[] }>().entries.map((e) => e.outcome)).toEqual(
      returnedOn ? ['paid', 'returned'] : ['paid'],
    );
    return run.id;
  }

  const latency = async (programme: 'P' | 'Q', asOf: string): Promise<Spread> => {
    const r = await api<{ latencies: { recordedToPayoutPaid: Spread } }>(
      w.t,
      'GET',
      `/v1/reports/programmes/${programmes[programme]}/transparency?asOf=${asOf}`,
      w.tokens.op,
    );
    expect(r.status).toBe(200);
    return r.body.latencies.recordedToPayoutPaid;
  };

  beforeAll(async () => {
    w = await createRedemptionWorld();
    await verifiedBankAccount(w.t, w.site.id);
    const policyId = (await post('/v1/policies', { name: 'Pass numérique' })).id;
    for (const p of ['P', 'Q'] as const) {
      programmes[p] = (await post('/v1/programmes', { policyId, name: `AAP ${p}`, maxCofinancingRateBp: 8000 })).id;
    }
    const op = await orderOf(programmes.P);
    const oq = await orderOf(programmes.Q);
    ids.R1 = await redeemedOn(op, 1, recorded.R1);
    ids.R2 = await redeemedOn(op, 2, recorded.R2);
    ids.R4 = await redeemedOn(oq, 1, recorded.R4);
    ids.R5 = await redeemedOn(op, 4, recorded.R5, 12);
    ids.R3 = await redeemedOn(op, 3, recorded.R3);
    ids.runA = await runAndBook(parisMidnight(addDays(T, -30)), addDays(T, -20));
    ids.runB = await runAndBook(parisMidnight(T), addDays(T, -1), T);
    await w.t.app.get(AuditSealer).sealPending();
    await w.t.app.get(ReportConsumer).consume();
  }, 240_000);
  afterAll(() => w?.close());

  it('the world is as the scenario says: each run settled what was recorded 24 h before its cutoff', async () => {
    const rows = await sql<{ id: string; run: string }>(
      w.t,
      `SELECT r.id, s.run_id AS run FROM redemption r JOIN settlement_statement s ON s.id = r.statement_id WHERE r.id = ANY($1::uuid[])`,
      [[ids.R1, ids.R2, ids.R3, ids.R4, ids.R5]],
    );
    const runOf = Object.fromEntries(rows.map((r) => [r.id, r.run]));
    expect([ids.R1, ids.R2, ids.R4].map((id) => runOf[id])).toEqual([ids.runA, ids.runA, ids.runA]);
    expect([ids.R5, ids.R3].map((id) => runOf[id])).toEqual([ids.runB, ids.runB]); // R5: 12 hours short of run A's 24 h
  });

  it('nothing is paid before the first booking', async () => {
    expect(await latency('P', addDays(T, -21))).toEqual({
      redemptions: 0,
      medianDays: null,
      p90Days: null,
      medianMonths: null,
      p90Months: null,
    });
  });

  it('once run A is booked: R2 (15 days) and R1 (80 days), percentile_disc in days and whole months', async () => {
    const paid = addDays(T, -20);
    expect(await latency('P', paid)).toEqual({
      redemptions: 2,
      medianDays: 15, // of [15, 80], position ceil(0.5 × 2) = 1
      p90Days: 80, // position ceil(0.9 × 2) = 2
      medianMonths: 0,
      p90Months: wholeMonths(recorded.R1, paid), // 80 days: 2 whole months whatever the month lengths
    });
    expect(wholeMonths(recorded.R1, paid)).toBe(2);
    // Programme Q counts only its own order's redemption: R4, recorded 30 days before the booking.
    expect(await latency('Q', paid)).toEqual({
      redemptions: 1,
      medianDays: 30,
      p90Days: 30,
      medianMonths: wholeMonths(recorded.R4, paid),
      p90Months: wholeMonths(recorded.R4, paid),
    });
  });

  it('once run B is booked too: four redemptions, R5 paid by run B (30 days), R3 (2 days)', async () => {
    const paid = addDays(T, -1);
    const months = [
      wholeMonths(recorded.R3, paid),
      wholeMonths(recorded.R2, addDays(T, -20)),
      wholeMonths(recorded.R5, paid),
      wholeMonths(recorded.R1, addDays(T, -20)),
    ].sort((a, b) => a - b);
    expect([daysBetween(recorded.R3, paid), daysBetween(recorded.R5, paid)]).toEqual([2, 30]);
    expect(await latency('P', paid)).toEqual({
      redemptions: 4,
      medianDays: 15, // of [2, 15, 30, 80], position ceil(0.5 × 4) = 2
      p90Days: 80, // position ceil(0.9 × 4) = 4
      medianMonths: months[1],
      p90Months: months[3],
    });
  });

  it('the bank gave run B’s payout back on T: its redemptions are no longer paid from that day', async () => {
    expect(await latency('P', T)).toMatchObject({ redemptions: 2, medianDays: 15, p90Days: 80 });
    expect(await latency('Q', T)).toMatchObject({ redemptions: 1, medianDays: 30 });
  });

  it('the programme PDF lists the latencies, this one with its median and p90', async () => {
    const pdf = await w.t.inject({
      method: 'GET',
      url: `/v1/reports/programmes/${programmes.P}/transparency?asOf=${addDays(T, -1)}&format=pdf`,
      headers: { authorization: `Bearer ${w.tokens.op}` },
    });
    expect(pdf.statusCode).toBe(200);
    const text = pdfText(pdf.rawPayload).replace(/\s+/g, ' ');
    expect(text).toContain('Délais');
    expect(text).toMatch(/De l’utilisation enregistrée au paiement du lieu \(4 utilisations ; médiane \/ 9 sur 10\) 15 \/ 80/);
  });

  it('a rebuild from the log gives the same figures', async () => {
    const before = await latency('P', addDays(T, -1));
    await w.t.app.get(ReportConsumer).rebuild();
    expect(await latency('P', addDays(T, -1))).toEqual(before);
  });
});
