import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifyAuditLog } from '@sillage/audit';
import { TransactionRunner } from '@sillage/db';
import { addDays, parisDate } from '@sillage/common';
import { Principal } from '@sillage/identity';
import { FunnelService, REPORT_AGGREGATE_TABLES, ReportConsumer, TransparencyService } from '@sillage/reporting';
import { createTestApp, randomTestIp, sql, TestApp } from '@sillage/testing';
import { FUNNEL_SCAN_SQL, FUNNEL_TOTALS_SCAN_SQL } from '../bench/reports-scan';
import { createDemoAccounts } from '../scripts/seed/demo-accounts';
import { seedDataset, SeedSummary } from '../scripts/seed/seed-dataset';

jest.setTimeout(300_000);

/**
 * `seed:scale` / `seed:demo` (issue 8, ADR 17) on a small dataset: the real services and statements
 * write it, so its base tables and its audit log must tell the same story. The funnel computed from
 * the sealed log equals the same figures computed from the base tables; a rebuild of the aggregates
 * gives the same rows; the log verifies.
 */
describe('seed: a realistic dataset whose reports match its base tables', () => {
  let t: TestApp;
  let summary: SeedSummary;
  let operator: Principal;
  const dataDir = mkdtempSync(join(tmpdir(), 'sillage-seed-'));
  const today = parisDate(new Date());

  beforeAll(async () => {
    t = await createTestApp({ REDIS_URL: undefined, DATA_DIR: dataDir, OUTBOX_POLL_MS: '50', JOB_BACKOFF_MS: '50' });
    summary = await seedDataset(t.app, { vouchers: 20_000, seed: 7, concurrency: 4, analyze: async () => void (await sql(t, 'ANALYZE')) });
    const [op] = await sql<{ id: string }>(t, `SELECT id FROM organisation WHERE 'operator' = ANY(kinds)`);
    operator = { type: 'user', id: randomUUID(), organisationId: op.id, organisationKinds: ['operator'], role: 'admin' };
  });

  afterAll(async () => {
    await t?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('writes every stage: orders issued, booklets allocated and handed over, about a fifth redeemed, settled, paid, expired', async () => {
    const [c] = await sql<Record<string, number>>(
      t,
      `SELECT (SELECT count(*)::int FROM voucher) AS vouchers, (SELECT count(*)::int FROM purchase_order WHERE status = 'paid') AS paid,
              (SELECT count(*)::int FROM allocation_movement) AS movements, (SELECT count(*)::int FROM handover) AS handovers,
              (SELECT coalesce(sum(voucher_count), 0)::int FROM redemption) AS redeemed,
              (SELECT count(DISTINCT (occurred_at AT TIME ZONE 'Europe/Paris')::date)::int FROM redemption) AS days,
              (SELECT count(*)::int FROM settlement_statement) AS statements, (SELECT count(*)::int FROM payout WHERE status = 'paid') AS payouts,
              (SELECT count(*)::int FROM voucher WHERE status = 'EXPIRED') AS expired, (SELECT count(*)::int FROM credit_note) AS notes`,
    );
    expect(c.vouchers).toBeGreaterThan(15_000);
    expect(c.paid).toBe(summary.plan.orders);
    expect(c.movements).toBe(summary.history.allocations);
    expect(c.handovers).toBe(summary.history.handovers);
    expect(c.redeemed).toBe(summary.history.redeemedVouchers);
    expect(c.redeemed / c.vouchers).toBeGreaterThan(0.1);
    expect(c.redeemed / c.vouchers).toBeLessThan(0.3);
    expect(c.days).toBeGreaterThan(100); // spread over months, not one day
    expect(c.statements).toBe(summary.statements);
    expect(c.statements).toBeGreaterThan(0);
    expect(c.payouts).toBe(summary.payoutsPaid);
    expect(summary.expiredOrders).toBe(1);
    expect(c.expired).toBeGreaterThan(0);
    expect(c.notes).toBe(1);
    expect(summary.treeSize).toBeGreaterThan(summary.history.handovers + summary.history.redemptions);
  });

  it('the funnel by commune, from the sealed log, equals the same figures from the base tables', async () => {
    const report = await t.app.get(FunnelService).report(operator, { asOf: today, groupBy: 'commune' });
    const scan = await sql<{ step: string; commune: string | null; vouchers: string; value: string }>(t, FUNNEL_SCAN_SQL, [today]);
    const byCommune = (step: string) =>
      Object.fromEntries(
        scan.filter((r) => r.step === step).map((r) => [r.commune, { vouchers: Number(r.vouchers), valueCents: Number(r.value) }]),
      );
    for (const step of ['redeemed', 'settled', 'paid'] as const) {
      expect(Object.fromEntries(report.groups.filter((g) => g.steps[step].vouchers > 0).map((g) => [g.key, g.steps[step]]))).toEqual(
        byCommune(step),
      );
    }
    expect(report.groups.length).toBeGreaterThan(3);
    const firstUse = scan.find((r) => r.step === 'first_use')!;
    expect(report.timeToFirstUse.medianDays).toBe(Number(firstUse.vouchers));
    expect(report.timeToFirstUse.p90Days).toBe(Number(firstUse.value));
  });

  it('over every order, the monthly roll-ups give what the funders’ own funnels add up to, on any day', async () => {
    const funnel = t.app.get(FunnelService);
    const funders = await sql<{ id: string }>(t, `SELECT id FROM organisation WHERE 'funder' = ANY(kinds)`);
    const monthStart = `${today.slice(0, 7)}-01`;
    const days = [today, monthStart, addDays(monthStart, -1), addDays(today, -100), addDays(today, -400)];
    for (const asOf of days) {
      for (const groupBy of ['commune', 'category', 'site', 'department'] as const) {
        const all = await funnel.report(operator, { asOf, groupBy });
        const sum = new Map<string, number[]>();
        for (const f of funders) {
          const part = await funnel.report(operator, { asOf, groupBy, funderId: f.id });
          for (const g of part.groups) {
            const s = sum.get(g.key) ?? [0, 0, 0, 0];
            sum.set(g.key, [
              s[0] + g.steps.redeemed.vouchers,
              s[1] + g.steps.redeemed.valueCents,
              s[2] + g.steps.settled.vouchers,
              s[3] + g.steps.paid.vouchers,
            ]);
          }
        }
        const seen = new Map(
          all.groups.map((g) => [
            g.key,
            [g.steps.redeemed.vouchers, g.steps.redeemed.valueCents, g.steps.settled.vouchers, g.steps.paid.vouchers],
          ]),
        );
        expect([asOf, groupBy, seen]).toEqual([asOf, groupBy, sum]);
      }
    }
  });

  it('the funnel by programme, policy and distributor gives the redemptions the base tables give', async () => {
    const funnel = t.app.get(FunnelService);
    const scans: Record<'programme' | 'policy' | 'distributor', string> = {
      programme: `SELECT g.programme_id::text AS key, sum(r.voucher_count)::int AS vouchers FROM redemption r
                    JOIN purchase_order o ON o.id = r.order_id JOIN funding_grant g ON g.id = o.grant_id WHERE r.undone_at IS NULL GROUP BY 1`,
      policy: `SELECT p.policy_id::text AS key, sum(r.voucher_count)::int AS vouchers FROM redemption r JOIN purchase_order o ON o.id = r.order_id
                 JOIN funding_grant g ON g.id = o.grant_id JOIN programme p ON p.id = g.programme_id WHERE r.undone_at IS NULL GROUP BY 1`,
      // The booklet's current hand-over (none of the seed's was taken back).
      distributor: `SELECT h.distributor_id::text AS key, sum(r.voucher_count)::int AS vouchers FROM redemption r
                      JOIN handover h ON h.booklet_id = r.booklet_id AND h.returned_at IS NULL WHERE r.undone_at IS NULL GROUP BY 1`,
    };
    for (const [groupBy, scan] of Object.entries(scans) as ['programme' | 'policy' | 'distributor', string][]) {
      const report = await funnel.report(operator, { asOf: today, groupBy });
      const expected = Object.fromEntries((await sql<{ key: string; vouchers: number }>(t, scan)).map((r) => [r.key, r.vouchers]));
      const seen = Object.fromEntries(
        report.groups.filter((g) => g.steps.redeemed.vouchers > 0).map((g) => [g.key, g.steps.redeemed.vouchers]),
      );
      expect([groupBy, seen]).toEqual([groupBy, expected]);
      // Several programmes and distributors (a small seed's orders may all fall under one policy).
      expect(Object.keys(seen).length).toBeGreaterThan(groupBy === 'policy' ? 0 : 1);
      expect(report.groups.every((g) => g.label !== '')).toBe(true);
    }
  });

  it('the funnel totals of every other step equal the base tables', async () => {
    const report = await t.app.get(FunnelService).report(operator, { asOf: today, groupBy: 'funder' });
    const scan = await sql<{ step: 'issued'; vouchers: string }>(t, FUNNEL_TOTALS_SCAN_SQL, [today]);
    for (const r of scan) expect([r.step, report.total.steps[r.step].vouchers]).toEqual([r.step, Number(r.vouchers)]);
    expect(report.total.steps.distributed.vouchers).toBeGreaterThan(0);
  });

  it('redemption recorded → payout paid, per programme and on any day, equals percentile_disc over the base tables', async () => {
    // From the base tables: each live redemption, its statement, the payout paying it that the bank booked (and kept) by D.
    const scan = `WITH paid AS (
        SELECT g.programme_id, (r.recorded_at AT TIME ZONE 'Europe/Paris')::date AS recorded_on, e.booking_date AS paid_on
          FROM redemption r JOIN purchase_order o ON o.id = r.order_id JOIN funding_grant g ON g.id = o.grant_id
          JOIN payout_statement ps ON ps.statement_id = r.statement_id JOIN payout p ON p.id = ps.payout_id AND p.status = 'paid'
          JOIN bank_statement_entry e ON e.payout_id = p.id AND e.outcome = 'paid'
         WHERE r.undone_at IS NULL AND e.booking_date <= $1::date)
      SELECT programme_id AS "programmeId", count(*)::int AS redemptions,
             percentile_disc(0.5) WITHIN GROUP (ORDER BY paid_on - recorded_on) AS "medianDays",
             percentile_disc(0.9) WITHIN GROUP (ORDER BY paid_on - recorded_on) AS "p90Days",
             percentile_disc(0.5) WITHIN GROUP (ORDER BY (extract(year FROM age(paid_on, recorded_on)) * 12 + extract(month FROM age(paid_on, recorded_on)))::int) AS "medianMonths",
             percentile_disc(0.9) WITHIN GROUP (ORDER BY (extract(year FROM age(paid_on, recorded_on)) * 12 + extract(month FROM age(paid_on, recorded_on)))::int) AS "p90Months"
        FROM paid GROUP BY 1`;
    const programmes = await sql<{ id: string }>(t, `SELECT id FROM programme ORDER BY id`);
    const transparency = t.app.get(TransparencyService);
    let checked = 0;
    for (const asOf of [today, addDays(today, -1), addDays(today, -2), addDays(today, -80), addDays(today, -81)]) {
      const expected = new Map((await sql<{ programmeId: string; redemptions: number }>(t, scan, [asOf])).map((r) => [r.programmeId, r]));
      for (const { id } of programmes) {
        const report = await transparency.programme(id, asOf);
        const { programmeId: _p, ...base } = expected.get(id) ?? {
          programmeId: id,
          redemptions: 0,
          medianDays: null,
          p90Days: null,
          medianMonths: null,
          p90Months: null,
        };
        expect([asOf, id, report.latencies.recordedToPayoutPaid]).toEqual([asOf, id, base]);
        checked += base.redemptions;
      }
    }
    // Both runs paid something, and the later booking pays more than the earlier one.
    expect(checked).toBeGreaterThan(0);
    const [runs] = await sql<{ n: number }>(
      t,
      `SELECT count(DISTINCT booking_date)::int AS n FROM bank_statement_entry WHERE outcome = 'paid'`,
    );
    expect(runs.n).toBe(2);
  });

  it('a rebuild of the aggregates gives exactly the same rows, and the log verifies', async () => {
    const dump = async () => {
      const out: Record<string, unknown[]> = {};
      for (const table of REPORT_AGGREGATE_TABLES) out[table] = await sql(t, `SELECT * FROM ${table} x ORDER BY x::text`);
      return out;
    };
    const incremental = await dump();
    expect(incremental.report_first_use.length).toBeGreaterThan(0);
    await t.app.get(ReportConsumer).rebuild();
    expect(await dump()).toEqual(incremental);
    // The background loop consumes in small pages with pauses: the pages' edges change nothing.
    const paced = await t.app.get(ReportConsumer).rebuild({ paced: true });
    expect(paced.consumed).toBeGreaterThan(2_000); // pages of 500: several edges
    expect(await dump()).toEqual(incremental);
    const verified = await verifyAuditLog(t.app.get(TransactionRunner).pool);
    expect(verified.problems).toEqual([]);
    expect(verified.unsealedEvents).toBe(0);
  });

  it('gives the demo its sign-in accounts: each password works, the site agent’s site redeemed the demo funder’s cheques', async () => {
    const accounts = await createDemoAccounts(t.app.get(TransactionRunner).pool, dataDir);
    expect(accounts.map((a) => `${a.persona}:${a.role}`)).toEqual([
      'funder admin:admin',
      'funder finance:finance',
      'distributor agent:agent',
      'site agent (scanner):agent',
      'site finance:finance',
      'operator finance 1:finance',
      'operator finance 2:finance',
    ]);
    for (const a of accounts) {
      const res = await t.inject({
        method: 'POST',
        url: '/v1/auth/login',
        payload: { email: a.email, password: a.password },
        remoteAddress: randomTestIp(),
      });
      // Agents sign in at once; admins and finance must first enrol their second factor (the password was right).
      if (a.role === 'agent') expect(res.statusCode).toBe(200);
      else expect(res.json<{ code: string }>().code).toBe('TOTP_ENROLMENT_REQUIRED');
    }
    const site = accounts.find((a) => a.persona.startsWith('site agent'))!;
    const [redeemed] = await sql<{ n: number }>(
      t,
      `SELECT count(*)::int AS n FROM redemption r JOIN app_user u ON u.organisation_id = r.site_id WHERE u.email = $1`,
      [site.email],
    );
    expect(redeemed.n).toBeGreaterThan(0);
    const file = readFileSync(join(dataDir, 'demo-accounts.txt'), 'utf8');
    for (const a of accounts) expect(file).toContain(`${a.email}`);
    expect(file).toContain(accounts[0].password);
  });
});
