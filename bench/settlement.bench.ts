import { AuditLog } from '../libs/audit/src/audit-log';
import { uuidFromName } from '../libs/common/src/secrets';
import { TransactionRunner } from '../libs/db/src/transaction';
import { SettlementRunner } from '../libs/settlement/src/runs/settlement-runner';
import { buildPain001, type PayoutBatchFile } from '../libs/settlement/src/sepa';
import { benchApp } from './app-support';
import { benchSiteParty, seedSettlement } from './settlement-seed';

/**
 * `npm run bench -- settlement`: BENCH_SETTLEMENT_REDEEMED (1,000,000) redemptions of one voucher at
 * BENCH_SETTLEMENT_SITES (3,000) sites, seeded set-based (bench/settlement-seed.ts) and vacuumed, then:
 * - reference: a plain `INSERT … SELECT` of one statement-line row per redemption the run takes, into a
 *   scratch copy of `settlement_statement_line` (same columns, indexes and constraints);
 * - run_s: `SettlementRunner.execute` of a run created as `SettlementRunsService.start` creates it,
 *   through the real application (the production code path, minus the outbox job that would start it):
 *   statements, then a payout per site (every site has a verified bank account) and the batch's file;
 * - sepa_s: building the pain.001 file alone (`buildPain001`), one payout per statement, amounts from the statements.
 * Target run_ratio = run_s / insert_select_reference_s ≤ 5.
 */
const REDEEMED = Number(process.env.BENCH_SETTLEMENT_REDEEMED ?? 1_000_000);
const SITES = Number(process.env.BENCH_SETTLEMENT_SITES ?? 3000);

const seconds = (since: bigint) => Number(process.hrtime.bigint() - since) / 1e9;

export async function runSettlementBench(): Promise<Record<string, unknown>> {
  const b = await benchApp('sillage_bench_settlement');
  try {
    const cutoff = new Date();
    let started = process.hrtime.bigint();
    await seedSettlement(b.admin, { redeemed: REDEEMED, sites: SITES, cutoff });
    // Autovacuum is off on these machines: give the planner the statistics a live database has.
    await b.admin.query('VACUUM ANALYZE');
    await b.admin.query('CHECKPOINT');
    const seedSeconds = seconds(started);

    // Reference: one line row per redemption the run will take, nothing else.
    await b.admin.query(`CREATE TABLE settlement_line_reference (LIKE settlement_statement_line INCLUDING ALL)`);
    await b.admin.query(`CREATE SEQUENCE settlement_line_reference_id_seq OWNED BY settlement_line_reference.id`);
    await b.admin.query(`ALTER TABLE settlement_line_reference ALTER id SET DEFAULT nextval('settlement_line_reference_id_seq')`);
    started = process.hrtime.bigint();
    const ref = await b.admin.query(
      `INSERT INTO settlement_line_reference (statement_id, kind, order_id, service_category_code, pricing_rule_id, redemption_count, voucher_count,
                                              face_value_cents, commission_cents, amount_cents)
       SELECT r.site_id, 'service', r.order_id, r.service_category_code, '6c3f1f5e-3c55-4c35-9a57-0d7c1e6a0001', 1, r.voucher_count,
              r.amount_cents, 0, r.amount_cents
         FROM redemption r
        WHERE r.statement_id IS NULL AND r.undone_at IS NULL AND r.recorded_at <= $1::timestamptz - interval '24 hours'`,
      [cutoff],
    );
    const referenceSeconds = seconds(started);
    if (ref.rowCount !== REDEEMED) throw new Error(`reference inserted ${ref.rowCount} rows, expected ${REDEEMED}`);
    await b.admin.query(`DROP TABLE settlement_line_reference`);
    await b.admin.query('CHECKPOINT');

    // The run row, as SettlementRunsService.start writes it (without the outbox job: the bench executes it).
    const runId = uuidFromName(`settlement-run:${cutoff.toISOString()}`);
    await b.app.get(TransactionRunner).run(async (tx) => {
      await tx.query(`INSERT INTO settlement_run (id, cutoff, trigger, started_by) VALUES ($1, $2, 'schedule', NULL)`, [runId, cutoff]);
      await b.app.get(AuditLog).append(tx, {
        action: 'settlement.run_started',
        actor: { type: 'system' },
        subject: { type: 'settlement_run', id: runId },
        facts: { cutoff: cutoff.toISOString() },
      });
    });
    started = process.hrtime.bigint();
    const run = await b.app.get(SettlementRunner).execute(runId);
    const runSeconds = seconds(started);

    const check = await b.admin.query<{ settled: string; face: string; statements_face: string; lines: string; payouts: number | null }>(
      `SELECT (SELECT count(*) FROM redemption WHERE statement_id IS NOT NULL) AS settled,
              (SELECT sum(amount_cents) FROM redemption) AS face,
              (SELECT sum(face_value_cents) FROM settlement_statement WHERE run_id = $1) AS statements_face,
              (SELECT count(*) FROM settlement_statement_line l JOIN settlement_statement s ON s.id = l.statement_id WHERE s.run_id = $1) AS lines,
              (SELECT payment_count FROM payout_batch WHERE run_id = $1 AND file_xml IS NOT NULL) AS payouts`,
      [runId],
    );
    const c = check.rows[0];
    if (
      run.status !== 'completed' ||
      run.statements !== SITES ||
      Number(c.settled) !== REDEEMED ||
      c.face !== c.statements_face ||
      c.payouts !== SITES
    ) {
      throw new Error(`run incomplete: ${JSON.stringify({ run, check: c })}`);
    }

    // SEPA: one payout per statement, the operator's account as debtor.
    const statements = await b.admin.query<{ number: string; total: string; name: string }>(
      `SELECT s.number, s.total_cents AS total, o.legal_name AS name FROM settlement_statement s JOIN organisation o ON o.id = s.site_id
        WHERE s.run_id = $1 ORDER BY s.number`,
      [runId],
    );
    const batch: PayoutBatchFile = {
      messageId: 'SILLAGE-BENCH-0001',
      createdAt: new Date(),
      requestedExecutionDate: new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10),
      debtor: { ...benchSiteParty(0, 'Sillage Opérations SAS'), bic: 'AGRIFRPP882' },
      paymentInformationId: 'BENCH-RUN-0001',
      payments: statements.rows.map((s, i) => ({
        endToEndId: `PO-BENCH-${String(i + 1).padStart(6, '0')}`,
        amountCents: Number(s.total),
        creditor: benchSiteParty(i + 1, s.name),
        remittance: `Sillage ${s.number}`,
      })),
    };
    started = process.hrtime.bigint();
    const xml = buildPain001(batch);
    const sepaSeconds = seconds(started);

    return {
      redeemed: REDEEMED,
      sites: SITES,
      run_s: round(runSeconds, 2),
      insert_select_reference_s: round(referenceSeconds, 2),
      run_ratio: round(runSeconds / referenceSeconds, 3),
      sepa_s: round(sepaSeconds, 3),
      statements: run.statements,
      lines: Number(c.lines),
      payouts: c.payouts,
      sepa_kb: Math.round(Buffer.byteLength(xml) / 1024),
      seed_s: round(seedSeconds, 1),
    };
  } finally {
    await b.close();
  }
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
