import { randomBytes, randomUUID } from 'node:crypto';
import { sql, tableCounts } from '@sillage/testing';
import { api } from './order-support';
import { createRedemptionWorld, handOver, qualifiedSite, RedemptionWorld, stockedOrder, TestSite } from './redemption-support';
import { expectLedgerOk, redeemedAgo, runUntilDone } from './settlement-support';

interface Line {
  kind: string;
  label: string | null;
  orderId: string | null;
  amountCents: number;
}
interface Statement {
  id: string;
  totalCents: number;
  faceValueCents: number;
  lines: Line[];
}

describe('settlement corrections: accepted incidents paid, what a site owes back deducted, never an edit', () => {
  let w: RedemptionWorld;
  let serials: string[];
  let orderId: string;

  beforeAll(async () => {
    w = await createRedemptionWorld();
    const stocked = await stockedOrder(w, { bookletCount: 6 });
    serials = stocked.serials;
    orderId = stocked.order.id;
    for (const serial of serials) await handOver(w, serial);
  }, 120_000);
  afterAll(() => w.close());

  async function statementOf(site: TestSite, runId: string): Promise<Statement> {
    const list = await api<{ items: { id: string }[] }>(w.t, 'GET', `/v1/statements?runId=${runId}&siteId=${site.id}`, w.tokens.opFinance);
    expect(list.body.items).toHaveLength(1);
    return (await api<Statement>(w.t, 'GET', `/v1/statements/${list.body.items[0].id}`, w.tokens.opFinance)).body;
  }

  async function balance(kind: string, where: string, param: string): Promise<number> {
    const [row] = await sql<{ b: string }>(
      w.t,
      `SELECT coalesce(sum(CASE WHEN t.credit_account_id = a.id THEN t.amount ELSE -t.amount END), 0)::text AS b
         FROM ledger_account a JOIN ledger_transfer t ON (t.credit_account_id = a.id OR t.debit_account_id = a.id) AND t.kind IN ('single', 'post_pending')
        WHERE a.kind = $1 AND ${where} = $2`,
      [kind, param],
    );
    return Number(row?.b ?? 0);
  }

  it('pays an accepted incident on the next statement as a correction line charged to the order’s receivable', async () => {
    const site = await qualifiedSite(w.t);
    // An incident as the operator leaves it once accepted (the incident routes are tested in redemption-incidents).
    await sql(
      w.t,
      `INSERT INTO redemption_incident (site_id, idempotency_key, request_hash, reason_code, order_id, voucher_serials, amount_cents,
                                        service_category_code, occurred_at, recorded_at, status, resolution_reason, resolved_by, resolved_at)
       VALUES ($1, $2, $3, 'OFFLINE_WINDOW_EXCEEDED', $4, $5, 1000, 'atelier-collectif', now() - interval '9 days', now() - interval '2 days',
               'accepted', 'late_sync_justified', $6, now() - interval '1 day')`,
      [site.id, randomUUID(), randomBytes(32), orderId, [`${serials[0]}-05`], randomUUID()],
    );
    await redeemedAgo(w, site, serials[0], [1], 30);
    const { run } = await runUntilDone(w, new Date().toISOString());
    const s = await statementOf(site, run.id);
    expect(s.faceValueCents).toBe(1000); // the redemption's face value only: an incident carries no voucher
    expect(s.totalCents).toBe(2000);
    const correction = s.lines.find((l) => l.kind === 'correction')!;
    expect(correction).toMatchObject({ orderId, amountCents: 1000 });
    expect(correction.label).toContain(`${serials[0]}-05`);
    const [incident] = await sql<{ statement_id: string }>(w.t, `SELECT statement_id FROM redemption_incident WHERE site_id = $1`, [
      site.id,
    ]);
    expect(incident.statement_id).toBe(s.id);
    // The order owes the incident back (its credit note will deduct it).
    expect(await balance('order_receivable', 'a.order_id', orderId)).toBe(-1000);
    await expectLedgerOk(w);

    // ledger:check ties the receivable to the incidents paid and the deductions: a deduction without its transfer is named.
    const bogus = randomUUID();
    await sql(
      w.t,
      `INSERT INTO credit_note_incident (incident_id, order_id, kind, amount_cents, credit_note_id) VALUES ($1, $2, 'deducted', 500, $3)`,
      [bogus, orderId, randomUUID()],
    );
    try {
      const check = await api<{ ok: boolean; checks: { name: string; problems: string[] }[] }>(w.t, 'GET', '/v1/ledger/check', w.tokens.op);
      expect(check.body.ok).toBe(false);
      expect(check.body.checks.find((c) => c.name === 'settlement')!.problems).toContain(
        `settlement ${orderId}: order receivable -1000 ≠ deducted by credit notes 500 − accepted incidents paid to sites 1000`,
      );
    } finally {
      // The table is append-only (a trigger): the superuser lifts triggers for this one repair.
      await sql(w.t, `SET session_replication_role = replica; DELETE FROM credit_note_incident WHERE incident_id = '${bogus}'`);
    }
  });

  it('deducts a fraud found after payment from the next statements, carrying what one statement cannot absorb', async () => {
    const site = await qualifiedSite(w.t);
    const fraudulent = await redeemedAgo(w, site, serials[1], [1, 2, 3], 60);
    await runUntilDone(w, new Date(Date.now() - 20 * 3600_000).toISOString());

    const recorded = await api<{ id: string; amountCents: number; orderId: string }>(
      w.t,
      'POST',
      '/v1/settlement-corrections',
      w.tokens.opFinance,
      {
        siteId: site.id,
        kind: 'fraud',
        amountCents: 3000,
        redemptionId: fraudulent,
        reasonCode: 'service_not_delivered',
        note: 'Atelier jamais tenu',
      },
    );
    expect(recorded.status).toBe(201);
    expect(recorded.body).toMatchObject({ amountCents: -3000, orderId });
    const again = await api<{ code: string }>(w.t, 'POST', '/v1/settlement-corrections', w.tokens.opFinance, {
      siteId: site.id,
      kind: 'fraud',
      amountCents: 100,
      redemptionId: fraudulent,
      reasonCode: 'fraud_confirmed',
    });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('CORRECTION_EXISTS');

    // Next statement owes €10 and deducts €30: it comes to zero and carries €20 forward.
    await redeemedAgo(w, site, serials[2], [1], 30);
    const second = await runUntilDone(w, new Date().toISOString());
    const s2 = await statementOf(site, second.run.id);
    expect(s2.totalCents).toBe(0);
    expect(s2.lines.map((l) => [l.kind, l.amountCents]).sort()).toEqual(
      [
        ['correction', -3000],
        ['correction', 2000],
        ['service', 1000],
      ].sort(),
    );
    const open = await api<{ items: { kind: string; amountCents: number; sourceStatementId: string }[] }>(
      w.t,
      'GET',
      `/v1/settlement-corrections?state=open&siteId=${site.id}`,
      w.tokens.opFinance,
    );
    expect(open.body.items).toEqual([
      expect.objectContaining({ kind: 'receivable_carried', amountCents: -2000, sourceStatementId: s2.id }),
    ]);
    // The site sees its own corrections.
    const own = await api<{ items: unknown[] }>(w.t, 'GET', '/v1/settlement-corrections', site.admin);
    expect(own.body.items).toHaveLength(2);
    await expectLedgerOk(w);

    // The statement after deducts the €20 left from €30 owed.
    await redeemedAgo(w, site, serials[3], [1, 2, 3], 25);
    const third = await runUntilDone(w, new Date().toISOString());
    const s3 = await statementOf(site, third.run.id);
    expect(s3.totalCents).toBe(1000);
    expect(s3.lines.filter((l) => l.kind === 'correction').map((l) => l.amountCents)).toEqual([-2000]);
    expect(
      (await api<{ items: unknown[] }>(w.t, 'GET', `/v1/settlement-corrections?state=open&siteId=${site.id}`, w.tokens.opFinance)).body
        .items,
    ).toEqual([]);
    // €30 in all went back towards the funders; the site is owed exactly what its statements say.
    const totals = await sql<{ total: string }>(
      w.t,
      `SELECT coalesce(sum(total_cents), 0)::text AS total FROM settlement_statement WHERE site_id = $1`,
      [site.id],
    );
    expect(await balance('site_payable', 'a.owner_organisation_id', site.id)).toBe(Number(totals[0].total));
    await expectLedgerOk(w);
  });

  it('refuses bad corrections with problem+json and writes nothing', async () => {
    const site = await qualifiedSite(w.t);
    const other = await qualifiedSite(w.t);
    const unsettled = await redeemedAgo(w, site, serials[4], [1], 1);
    const before = await tableCounts(w.t, ['settlement_correction', 'audit_event']);
    const cases: [object, number, string][] = [
      [{ siteId: site.id, kind: 'bonus', amountCents: 100, reasonCode: 'other' }, 400, 'kind'],
      [{ siteId: site.id, kind: 'overpayment', amountCents: 0, reasonCode: 'pricing_error' }, 400, 'amountCents'],
      [{ siteId: site.id, kind: 'overpayment', amountCents: 1.5, reasonCode: 'pricing_error' }, 400, 'amountCents'],
      [{ siteId: site.id, kind: 'overpayment', amountCents: 100, reasonCode: 'fraud_confirmed' }, 400, 'reasonCode'],
      [{ siteId: site.id, kind: 'fraud', amountCents: 100, reasonCode: 'fraud_confirmed' }, 400, 'redemptionId'],
      [{ siteId: other.id, kind: 'fraud', amountCents: 100, reasonCode: 'fraud_confirmed', redemptionId: unsettled }, 404, 'redemptionId'],
      [{ siteId: site.id, kind: 'fraud', amountCents: 100, reasonCode: 'fraud_confirmed', redemptionId: unsettled }, 409, 'redemptionId'],
      [{ siteId: randomUUID(), kind: 'overpayment', amountCents: 100, reasonCode: 'pricing_error' }, 404, 'siteId'],
      [{ siteId: site.id, kind: 'overpayment', amountCents: 100, reasonCode: 'pricing_error', note: 'a\u0000b' }, 400, 'note'],
    ];
    for (const [body, status, field] of cases) {
      const r = await api<{ detail: string; errors?: { field: string }[]; field?: string }>(
        w.t,
        'POST',
        '/v1/settlement-corrections',
        w.tokens.opFinance,
        body,
      );
      expect([JSON.stringify(body), r.status]).toEqual([JSON.stringify(body), status]);
      expect(r.res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(JSON.stringify(r.body)).toContain(field);
    }
    // Sites may not record corrections.
    expect((await api(w.t, 'POST', '/v1/settlement-corrections', site.admin, { siteId: site.id })).status).toBe(404);
    expect(await tableCounts(w.t, ['settlement_correction', 'audit_event'])).toEqual(before);
  });
  it('takes back at most what the site was paid for a fraudulent redemption (rate and commission applied), not its face value', async () => {
    const from = new Date(Date.now() - 3 * 86_400_000).toISOString().slice(0, 10);
    const rule = await api(w.t, 'POST', '/v1/pricing-rules', w.tokens.opFinance, {
      rateBp: 8000,
      commissionBp: 1000,
      validFrom: from,
      description: 'Taux 80 %, commission 10 %',
    });
    expect(rule.status).toBe(201);
    const site = await qualifiedSite(w.t);
    const redemption = await redeemedAgo(w, site, serials[5], [1], 30);
    await runUntilDone(w, new Date().toISOString());
    // By hand, for one €10 voucher: 1,000 × 80 % = 800; commission 80; paid 720.
    const fraud = (amountCents: number) =>
      api<{ detail: string }>(w.t, 'POST', '/v1/settlement-corrections', w.tokens.opFinance, {
        siteId: site.id,
        kind: 'fraud',
        amountCents,
        redemptionId: redemption,
        reasonCode: 'fraud_confirmed',
      });
    const tooMuch = await fraud(721);
    expect(tooMuch.status).toBe(400);
    expect(tooMuch.body.detail).toContain('exceeds the 720 cents the site was paid for this redemption (face value 1000)');
    expect((await fraud(720)).status).toBe(201);
  });
});
