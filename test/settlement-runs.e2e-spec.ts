import { SettlementScheduleJob } from '@sillage/settlement';
import { sql } from '@sillage/testing';
import { api } from './order-support';
import { createRedemptionWorld, handOver, qualifiedSite, redeem, RedemptionWorld, stockedOrder, voucherCodes } from './redemption-support';

interface Run {
  id: string;
  cutoff: string;
  status: string;
  statements: number;
  amountCents: number;
}
interface Line {
  kind: string;
  orderId: string;
  serviceCategoryCode: string;
  pricingRule: string;
  redemptionCount: number;
  voucherCount: number;
  faceValueCents: number;
  commissionCents: number;
  amountCents: number;
}
interface Statement {
  id: string;
  number: string;
  siteId: string;
  totalCents: number;
  voucherCount: number;
  faceValueCents: number;
  commissionCents: number;
  status: string;
  lines?: Line[];
}

describe('settlement runs and statements', () => {
  let w: RedemptionWorld;
  let orderId: string;
  let faceValueCents: number;
  let serials: string[];

  beforeAll(async () => {
    w = await createRedemptionWorld();
    const stocked = await stockedOrder(w, { bookletCount: 5 });
    orderId = stocked.order.id;
    faceValueCents = stocked.order.faceValueCents;
    serials = stocked.serials;
    for (const serial of serials.slice(0, 4)) await handOver(w, serial);
  }, 120_000);
  afterAll(() => w.close());

  /** Redeems vouchers of a booklet at a site and moves the redemption `hoursAgo` into the past (recorded and occurred). */
  async function redeemed(site: { agent: string }, serial: string, idxs: number[], hoursAgo: number, category = 'atelier-collectif') {
    const codes = await Promise.all(idxs.map((i) => voucherCodes(w.t, serial, i)));
    const r = await redeem<{ id: string }>(w.t, site.agent, {
      vouchers: codes.map((c) => ({ qrToken: c.qrToken })),
      serviceCategoryCode: category,
    });
    expect(r.status).toBe(201);
    await sql(
      w.t,
      `UPDATE redemption SET recorded_at = now() - make_interval(hours => $2), occurred_at = now() - make_interval(hours => $2) WHERE id = $1`,
      [r.body.id, hoursAgo],
    );
    return r.body.id;
  }

  /** `ledger:check`: debits = credits, balances = transfers, every order's value accounted for. */
  async function expectLedgerBalanced(): Promise<void> {
    const check = await api<{ ok: boolean }>(w.t, 'GET', '/v1/ledger/check', w.tokens.op);
    expect(check.status).toBe(200);
    expect(check.body.ok).toBe(true);
  }

  async function runUntilDone(cutoff: string): Promise<{ status: number; run: Run }> {
    const started = await api<Run>(w.t, 'POST', '/v1/settlement-runs', w.tokens.opFinance, { cutoff });
    if (started.status !== 201 && started.status !== 200) throw new Error(`run refused: ${started.status} ${JSON.stringify(started.body)}`);
    for (let i = 0; i < 200; i++) {
      const r = await api<Run>(w.t, 'GET', `/v1/settlement-runs/${started.body.id}`, w.tokens.opFinance);
      if (r.body.status === 'completed') return { status: started.status, run: r.body };
      await new Promise((res) => setTimeout(res, 50));
    }
    const jobs = await sql(
      w.t,
      `SELECT published_at, failed_at, attempts, last_error FROM outbox_message WHERE job_name = 'settlement.run'`,
    );
    throw new Error(`the run did not complete: ${JSON.stringify(jobs)}`);
  }

  it('settles exactly the live redemptions past their undo window: one statement per site, lines per order and category, totals = lines', async () => {
    const other = await qualifiedSite(w.t);
    const a = await redeemed(w.site, serials[0], [1, 2], 30); // 2 vouchers, 30 h ago
    const b = await redeemed(w.site, serials[0], [3], 26, 'accompagnement-individuel'); // another category
    const undone = await redeemed(w.site, serials[1], [1], 2); // undone within its window: never settled
    const undo = await api(w.t, 'POST', `/v1/redemptions/${undone}/undo`, w.site.agent, { reasonCode: 'scan_error' });
    expect(undo.status).toBe(200);
    const tooRecent = await redeemed(w.site, serials[1], [2], 10); // still undoable at the cutoff
    const elsewhere = await redeemed(other, serials[2], [1], 48);

    const { status, run } = await runUntilDone(new Date().toISOString());
    expect(status).toBe(201);
    expect(run).toMatchObject({ status: 'completed', statements: 2, amountCents: 4 * faceValueCents });

    const mine = await api<{ items: Statement[] }>(w.t, 'GET', `/v1/statements?runId=${run.id}`, w.site.admin);
    expect(mine.status).toBe(200);
    expect(mine.body.items).toHaveLength(1); // a site sees its own statement only
    const statement = await api<Statement>(w.t, 'GET', `/v1/statements/${mine.body.items[0].id}`, w.site.admin);
    expect(statement.body).toMatchObject({ siteId: w.site.id, voucherCount: 3, totalCents: 3 * faceValueCents, status: 'unpaid' });
    expect(statement.body.number).toMatch(/^REL-\d{4}-\d{6}$/);
    const lines = statement.body.lines!;
    expect(lines.map((l) => [l.serviceCategoryCode, l.redemptionCount, l.voucherCount, l.amountCents]).sort()).toEqual(
      [
        ['accompagnement-individuel', 1, 1, faceValueCents],
        ['atelier-collectif', 1, 2, 2 * faceValueCents],
      ].sort(),
    );
    expect(lines.every((l) => l.orderId === orderId && /100 %/.test(l.pricingRule))).toBe(true);
    expect(lines.reduce((n, l) => n + l.amountCents, 0)).toBe(statement.body.totalCents);

    const rows = await sql<{ id: string; statement_id: string | null }>(
      w.t,
      `SELECT id, statement_id FROM redemption WHERE id = ANY($1::uuid[])`,
      [[a, b, undone, tooRecent, elsewhere]],
    );
    const byId = new Map(rows.map((r) => [r.id, r.statement_id]));
    expect(byId.get(a)).toBe(statement.body.id);
    expect(byId.get(b)).toBe(statement.body.id);
    expect(byId.get(undone)).toBeNull();
    expect(byId.get(tooRecent)).toBeNull();
    expect(byId.get(elsewhere)).not.toBeNull();

    // The CSV download: one row per line, euros with a decimal comma, named after the statement.
    const csv = await api<string>(w.t, 'GET', `/v1/statements/${statement.body.id}/csv`, w.site.admin);
    expect(csv.status).toBe(200);
    expect(csv.res.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.res.headers['content-disposition']).toBe(`attachment; filename="${statement.body.number}.csv"`);
    const csvRows = csv.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(csvRows[0]).toBe(
      'statement;site;cutoff;kind;order_id;service_category;pricing_rule;redemptions;vouchers;face_value_eur;commission_eur;amount_eur',
    );
    expect(csvRows).toHaveLength(3);
    expect(csvRows.find((r) => r.includes(';atelier-collectif;'))).toMatch(/;1;2;20,00;0,00;20,00$/);

    // The other site cannot read this site's statement; the operator can.
    expect((await api(w.t, 'GET', `/v1/statements/${statement.body.id}`, other.admin)).status).toBe(404);
    expect((await api(w.t, 'GET', `/v1/statements/${statement.body.id}`, w.tokens.opFinance)).status).toBe(200);

    // Each redemption credited the site payable with its face value when it was recorded, the undone
    // one was reversed (ADR 15); at 100 % the statement moves nothing more: no transfer of its own.
    const moved = await sql<{ id: string; amount: number; net: number }>(
      w.t,
      `SELECT r.id, r.amount_cents::int AS amount,
              coalesce(sum(CASE WHEN c.kind = 'site_payable' THEN t.amount ELSE -t.amount END), 0)::int AS net
         FROM redemption r
         LEFT JOIN ledger_transfer t ON t.reference_type = 'redemption' AND t.reference_id = r.id::text
         LEFT JOIN ledger_account c ON c.id = t.credit_account_id
        WHERE r.id = ANY($1::uuid[]) GROUP BY r.id, r.amount_cents`,
      [[a, b, undone]],
    );
    expect(Object.fromEntries(moved.map((m) => [m.id, m.net]))).toEqual({
      [a]: moved.find((m) => m.id === a)!.amount,
      [b]: moved.find((m) => m.id === b)!.amount,
      [undone]: 0,
    });
    expect(moved.find((m) => m.id === a)!.amount).toBeGreaterThan(0);
    const ofStatement = await sql<{ n: number }>(
      w.t,
      `SELECT count(*)::int AS n FROM ledger_transfer WHERE reference_type = 'statement' AND reference_id = $1`,
      [statement.body.id],
    );
    expect(ofStatement[0].n).toBe(0);
    await expectLedgerBalanced();

    // A settled redemption cannot be undone (even by the operator); the next run does not take it again.
    const late = await api<{ code: string }>(w.t, 'POST', `/v1/redemptions/${a}/undo`, w.tokens.op, { reasonCode: 'scan_error' });
    expect(late.status).toBe(409);
    expect(late.body.code).toBe('ALREADY_SETTLED');
  });

  it('answers the same run for the same cutoff, and nothing more is settled by running it again', async () => {
    const [{ cutoff }] = await sql<{ cutoff: Date }>(w.t, `SELECT cutoff FROM settlement_run ORDER BY started_at LIMIT 1`);
    const before = await sql<{ n: number }>(w.t, `SELECT count(*)::int AS n FROM settlement_statement`);
    const again = await runUntilDone(cutoff.toISOString());
    expect(again.status).toBe(200);
    const after = await sql<{ n: number }>(w.t, `SELECT count(*)::int AS n FROM settlement_statement`);
    expect(after[0].n).toBe(before[0].n);
  });

  it('prices with the rule in force on the service day: a rate and a commission, each rounded once per line, half-up', async () => {
    // A new default version from two days ago: 95.5 % reimbursed, 2.5 % commission.
    const from = new Date(Date.now() - 2 * 86_400_000).toISOString().slice(0, 10);
    const rule = await api<{ version: number }>(w.t, 'POST', '/v1/pricing-rules', w.tokens.opFinance, {
      rateBp: 9550,
      commissionBp: 250,
      validFrom: from,
      description: 'Taux 95,5 %, commission 2,5 %',
    });
    expect(rule.status).toBe(201);
    expect(rule.body.version).toBe(2);
    await redeemed(w.site, serials[3], [1, 2, 3], 25);
    const { run } = await runUntilDone(new Date().toISOString());
    const list = await api<{ items: Statement[] }>(w.t, 'GET', `/v1/statements?runId=${run.id}&siteId=${w.site.id}`, w.tokens.op);
    const s = await api<Statement>(w.t, 'GET', `/v1/statements/${list.body.items[0].id}`, w.tokens.op);
    // By hand, for three €10 vouchers: 3,000 × 95.5 % = 2,865.00; 2,865 × 2.5 % = 71.625 → 72 (half-up); 2,865 − 72 = 2,793.
    expect(faceValueCents).toBe(1000);
    const [face, reimbursed, commission] = [3000, 2865, 72];
    expect(s.body.lines).toEqual([
      expect.objectContaining({ voucherCount: 3, faceValueCents: face, commissionCents: commission, amountCents: reimbursed - commission }),
    ]);
    expect(s.body).toMatchObject({ totalCents: reimbursed - commission, commissionCents: commission, faceValueCents: face });
    await expectLedgerBalanced();
  });

  it('ledger:check names a statement whose total disagrees with its lines, and a settled redemption that was undone', async () => {
    await expectLedgerBalanced();
    const [s] = await sql<{ id: string; total: string }>(w.t, `SELECT id, total_cents::text AS total FROM settlement_statement LIMIT 1`);
    const [r] = await sql<{ id: string }>(w.t, `SELECT id FROM redemption WHERE statement_id IS NOT NULL LIMIT 1`);
    await sql(w.t, `UPDATE settlement_statement SET total_cents = total_cents + 1 WHERE id = $1`, [s.id]);
    await sql(w.t, `UPDATE redemption SET undone_at = now(), undo_reason = 'other' WHERE id = $1`, [r.id]);
    try {
      const check = await api<{ ok: boolean; checks: { name: string; ok: boolean; problems: string[] }[] }>(
        w.t,
        'GET',
        '/v1/ledger/check',
        w.tokens.op,
      );
      expect(check.body.ok).toBe(false);
      const problems = check.body.checks.find((c) => c.name === 'settlement')!.problems.join('\n');
      expect(problems).toContain(`settlement ${s.id}: statement totals`);
      expect(problems).toContain(`settlement ${r.id}: undone redemption in statement`);
      // Undone without its reversal: its value is still in the site payable.
      expect(problems).toMatch(
        new RegExp(`settlement ${r.id}: undone redemption of (\\d+) has moved \\1 to the site payable \\(expected 0\\)`),
      );
    } finally {
      await sql(w.t, `UPDATE settlement_statement SET total_cents = $2 WHERE id = $1`, [s.id, s.total]);
      await sql(w.t, `UPDATE redemption SET undone_at = NULL, undo_reason = NULL WHERE id = $1`, [r.id]);
    }
    await expectLedgerBalanced();
  });

  it('starts the scheduled run on a settlement day, with the cutoff at 00:00 Paris, and nothing on other days', async () => {
    const job = w.t.app.get(SettlementScheduleJob);
    const before = await sql<{ n: number }>(w.t, `SELECT count(*)::int AS n FROM settlement_run`);
    await job.handle({ day: '2026-11-27' }); // a Friday, not the 1st: nothing
    expect((await sql<{ n: number }>(w.t, `SELECT count(*)::int AS n FROM settlement_run`))[0].n).toBe(before[0].n);
    await job.handle({ day: '2026-11-01' }); // winter time: 00:00 Paris = 23:00 UTC the day before
    await job.handle({ day: '2026-11-01' }); // the same day twice: one run
    const runs = await sql<{ cutoff: Date; trigger: string; started_by: string | null }>(
      w.t,
      `SELECT cutoff, trigger, started_by FROM settlement_run WHERE trigger = 'schedule'`,
    );
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ trigger: 'schedule', started_by: null });
    expect(runs[0].cutoff.toISOString()).toBe('2026-10-31T23:00:00.000Z');
    const done = await runUntilDone(runs[0].cutoff.toISOString());
    expect(done.run.status).toBe('completed');
  });

  it('refuses a pricing rule with both or neither terms, an inverted range, an unknown contract or bad values — writing nothing', async () => {
    const count = async () => (await sql<{ n: number }>(w.t, `SELECT count(*)::int AS n FROM pricing_rule`))[0].n;
    const before = await count();
    const base = { validFrom: '2027-01-01', description: 'Essai' };
    const cases: [object, number, string][] = [
      [{ ...base, rateBp: 9000, fixedAmountCents: 800 }, 422, 'PRICING_RULE_INVALID'],
      [{ ...base }, 422, 'PRICING_RULE_INVALID'],
      [{ ...base, rateBp: 9000, validUntil: '2026-12-31' }, 422, 'PRICING_RULE_INVALID'],
      [{ ...base, rateBp: 9000, contractId: '00000000-0000-4000-8000-000000000001' }, 404, 'CONTRACT_NOT_FOUND'],
      [{ ...base, rateBp: 10001 }, 400, 'VALIDATION_FAILED'],
      [{ ...base, rateBp: 9000, commissionBp: -1 }, 400, 'VALIDATION_FAILED'],
      [{ ...base, rateBp: 9000, validFrom: '2027-02-30' }, 400, 'VALIDATION_FAILED'],
      [{ ...base, rateBp: 9000, description: '' }, 400, 'VALIDATION_FAILED'],
    ];
    for (const [body, status, code] of cases) {
      const r = await api<{ code: string }>(w.t, 'POST', '/v1/pricing-rules', w.tokens.opFinance, body);
      expect({ body, status: r.status, code: r.body.code }).toEqual({ body, status, code });
      expect(r.res.headers['content-type']).toMatch(/application\/problem\+json/);
    }
    expect(await count()).toBe(before);
  });

  it('refuses a cutoff in the future, another cutoff while a run is running, and bad input — writing nothing', async () => {
    const runs = await sql<{ n: number }>(w.t, `SELECT count(*)::int AS n FROM settlement_run`);
    const future = await api<{ code: string }>(w.t, 'POST', '/v1/settlement-runs', w.tokens.opFinance, {
      cutoff: new Date(Date.now() + 3_600_000).toISOString(),
    });
    expect(future.status).toBe(422);
    expect(future.body.code).toBe('CUTOFF_IN_FUTURE');
    for (const body of [{}, { cutoff: 'yesterday' }, { cutoff: '2026-11-28T10:00:00' }, { cutoff: '2026-11-28T10:00:00Z', extra: 1 }]) {
      const bad = await api<{ code: string }>(w.t, 'POST', '/v1/settlement-runs', w.tokens.opFinance, body);
      expect(bad.status).toBe(400);
      expect(bad.res.headers['content-type']).toMatch(/application\/problem\+json/);
    }
    // A site is not the operator (404: not its route to know), an operator agent lacks the role (403).
    expect((await api(w.t, 'POST', '/v1/settlement-runs', w.site.admin, { cutoff: new Date().toISOString() })).status).toBe(404);
    expect((await sql<{ n: number }>(w.t, `SELECT count(*)::int AS n FROM settlement_run`))[0].n).toBe(runs[0].n);

    // A run left running (a crash before the worker resumed it) blocks other cutoffs until it is resumed.
    await sql(
      w.t,
      `INSERT INTO settlement_run (id, cutoff, trigger, status) VALUES (gen_random_uuid(), date_trunc('milliseconds', now() - interval '1 hour'), 'schedule', 'running')`,
    );
    const blocked = await api<{ code: string }>(w.t, 'POST', '/v1/settlement-runs', w.tokens.opFinance, {
      cutoff: new Date().toISOString(),
    });
    expect(blocked.status).toBe(409);
    expect(blocked.body.code).toBe('RUN_IN_PROGRESS');
    // Starting the stuck run's cutoff again resumes it: it completes, and other cutoffs are accepted again.
    const [stuck] = await sql<{ cutoff: Date }>(w.t, `SELECT cutoff FROM settlement_run WHERE status = 'running'`);
    const resumed = await runUntilDone(stuck.cutoff.toISOString());
    expect(resumed).toMatchObject({ status: 200, run: { status: 'completed' } });
    expect((await runUntilDone(new Date().toISOString())).status).toBe(201);
  });
});
