import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { createApiApp } from '../apps/api/src/create-app';
import { loadConfig } from '../libs/config/src/config';
import { parisDate } from '../libs/common/src';
import { ProgrammesService } from '../libs/funding/src/programmes/programmes.service';
import type { Principal } from '../libs/identity/src/access/principal';
import { FunnelService } from '../libs/reporting/src/funnel/funnel.service';
import { TransparencyService } from '../libs/reporting/src/transparency/transparency.service';
import { runMigrations } from '../libs/db/src/migrate';
import { ReportConsumer } from '../libs/reporting/src/consumer/report-consumer';
import { seedDataset } from '../scripts/seed/seed-dataset';
import { ADMIN_URL, freshDatabase, percentile } from './bench-support';
import { FUNNEL_SCAN_SQL } from './reports-scan';

/**
 * `npm run bench -- reports`: a `seed:scale` dataset of BENCH_VOUCHERS (10,000,000) vouchers, about a
 * fifth redeemed, then, in the same run and on the same server:
 * - `transparency_p95_ms`: the transparency report of each policy (ReportSnapshot, aggregates), 40 calls;
 * - `funnel_by_commune_p95_ms`: the operator's funnel grouped by the site's commune, 20 calls;
 * - `scan_reference_ms`: the same figures (per commune: redeemed, settled, paid; time to first use)
 *   computed from the base tables (redemptions, statements, hand-overs) with plain SQL GROUP BY, median of 3;
 *   `figures_match` says both gave the same numbers;
 * - `freshness_s`: a funding source added through the service → the transparency report shows it
 *   (the API's seal and reporting loops running as deployed without Redis).
 * Targets: transparency ≤ 0.05× and funnel ≤ 0.1× the scan reference; freshness ≤ 60 s.
 * BENCH_REUSE=1 keeps a dataset seeded by an earlier run (same BENCH_DATA_DIR: the audit key).
 */
const VOUCHERS = Number(process.env.BENCH_VOUCHERS ?? 10_000_000);
const DB = process.env.BENCH_DB ?? 'sillage_bench_reports';
const DATA_DIR = process.env.BENCH_DATA_DIR ?? '/tmp/sillage-bench-reports';

async function time<T>(work: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const t0 = performance.now();
  const result = await work();
  return { ms: performance.now() - t0, result };
}

export async function runReportsBench(): Promise<Record<string, unknown>> {
  const reuse = process.env.BENCH_REUSE === '1';
  const admin = new URL(ADMIN_URL);
  admin.pathname = `/${DB}`;
  let appUrl: string;
  if (reuse) {
    // A dataset seeded by an earlier run: bring its schema up to date (a migration may empty the aggregates).
    await runMigrations(`postgres://sillage_owner@${admin.host}/${DB}`);
    appUrl = `postgres://sillage_app@${admin.host}/${DB}`;
  } else {
    appUrl = (await freshDatabase(DB)).appUrl;
  }
  mkdirSync(DATA_DIR, { recursive: true });
  const config = loadConfig({ NODE_ENV: 'development', DATABASE_URL: appUrl, DATA_DIR, LOG_LEVEL: 'warn', OUTBOX_POLL_MS: '200' });
  const app = await createApiApp(config);
  await app.init();
  const db = new Client({ connectionString: admin.toString() });
  await db.connect();
  try {
    let seedSeconds: number | null = null;
    const seeded = await db.query<{ n: string }>(`SELECT count(*)::text AS n FROM purchase_order`);
    if (Number(seeded.rows[0].n) === 0) {
      const summary = await seedDataset(app, {
        vouchers: VOUCHERS,
        progress: (m) => process.stderr.write(`[seed] ${m}\n`),
        analyze: async () => void (await db.query('ANALYZE')),
      });
      seedSeconds = summary.seconds;
    }
    // Whatever the log holds that the aggregates do not yet (all of it after a migration emptied them).
    const consumed = await time(() => app.get(ReportConsumer).consume());
    await db.query('VACUUM ANALYZE');
    const counts = await db.query<{ vouchers: string; redeemed: string; redemptions: string; tree: string }>(
      `SELECT (SELECT count(*) FROM voucher)::text AS vouchers, (SELECT coalesce(sum(voucher_count), 0) FROM redemption WHERE undone_at IS NULL)::text AS redeemed,
              (SELECT count(*) FROM redemption)::text AS redemptions, (SELECT tree_size FROM report_progress WHERE consumer = 'aggregates')::text AS tree`,
    );
    const operator: Principal = {
      type: 'user',
      id: randomUUID(),
      organisationId: (await db.query<{ id: string }>(`SELECT id FROM organisation WHERE 'operator' = ANY(kinds) LIMIT 1`)).rows[0].id,
      organisationKinds: ['operator'],
      role: 'admin',
    };
    const today = parisDate(new Date());
    const policies = (await db.query<{ id: string }>(`SELECT id FROM policy ORDER BY created_at`)).rows.map((r) => r.id);
    const transparency = app.get(TransparencyService);
    const funnel = app.get(FunnelService);

    // Warm-up, then the measured calls.
    await transparency.policy(policies[0], today);
    await funnel.report(operator, { asOf: today, groupBy: 'commune' });
    const transparencyMs: number[] = [];
    for (let i = 0; i < 40; i++) transparencyMs.push((await time(() => transparency.policy(policies[i % policies.length], today))).ms);
    const funnelMs: number[] = [];
    let report = await funnel.report(operator, { asOf: today, groupBy: 'commune' });
    for (let i = 0; i < 20; i++) {
      const t = await time(() => funnel.report(operator, { asOf: today, groupBy: 'commune' }));
      funnelMs.push(t.ms);
      report = t.result;
    }
    const scanMs: number[] = [];
    let scan: { step: string; commune: string | null; vouchers: string; value: string }[] = [];
    for (let i = 0; i < 3; i++) {
      const t = await time(() => db.query<(typeof scan)[number]>(FUNNEL_SCAN_SQL, [today]));
      scanMs.push(t.ms);
      scan = t.result.rows;
    }
    // The reference computes the same figures: every commune's redeemed, settled and paid vouchers, and the time to first use.
    const scanned = (step: string, commune: string) => Number(scan.find((r) => r.step === step && r.commune === commune)?.vouchers ?? 0);
    const steps = ['redeemed', 'settled', 'paid'] as const;
    const mismatches = report.groups.filter((g) => steps.some((step) => g.steps[step].vouchers !== scanned(step, g.key))).length;
    const firstUse = scan.find((r) => r.step === 'first_use');
    const totalsAgree =
      steps.every(
        (step) => report.total.steps[step].vouchers === scan.filter((r) => r.step === step).reduce((t, r) => t + Number(r.vouchers), 0),
      ) &&
      String(report.timeToFirstUse.medianDays) === firstUse?.vouchers &&
      String(report.timeToFirstUse.p90Days) === firstUse?.value;

    // Freshness: a figure changed through the service, until the report (sealed, consumed) shows it.
    const programme = (await db.query<{ id: string; policy_id: string }>(`SELECT id, policy_id FROM programme ORDER BY created_at LIMIT 1`))
      .rows[0];
    const before = (await transparency.policy(programme.policy_id, today)).obtainedCents;
    const t0 = performance.now();
    await app.get(ProgrammesService).addFundingSource(operator, programme.id, {
      label: 'Bench freshness',
      amountCents: 12_345,
      obtainedOn: today,
      reference: `BENCH-${Date.now()}`,
    });
    let freshness = Number.NaN;
    while (performance.now() - t0 < 180_000) {
      if ((await transparency.policy(programme.policy_id, today)).obtainedCents === before + 12_345) {
        freshness = (performance.now() - t0) / 1000;
        break;
      }
      await new Promise((r) => setTimeout(r, 250));
    }

    const scanReference = percentile(scanMs, 0.5);
    const transparencyP95 = percentile(transparencyMs, 0.95);
    const funnelP95 = percentile(funnelMs, 0.95);
    const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;
    return {
      vouchers: Number(counts.rows[0].vouchers),
      redeemed: Number(counts.rows[0].redeemed),
      redemptions: Number(counts.rows[0].redemptions),
      tree_size: Number(counts.rows[0].tree),
      seed_s: seedSeconds,
      consumed_events: consumed.result.consumed,
      consume_s: round(consumed.ms / 1000),
      transparency_p95_ms: round(transparencyP95),
      funnel_by_commune_p95_ms: round(funnelP95),
      scan_reference_ms: round(scanReference),
      transparency_ratio: round(transparencyP95 / scanReference, 4),
      funnel_ratio: round(funnelP95 / scanReference, 4),
      freshness_s: round(freshness),
      communes: report.groups.length,
      figures_match: mismatches === 0 && totalsAgree,
    };
  } finally {
    await db.end();
    await app.close();
  }
}
