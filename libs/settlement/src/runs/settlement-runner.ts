import { Inject, Injectable, Logger } from '@nestjs/common';
import { AuditLog } from '@sillage/audit';
import { uuidFromName } from '@sillage/common';
import { APP_CONFIG, AppConfig } from '@sillage/config';
import { TransactionRunner, Tx } from '@sillage/db';
import { Ledger } from '@sillage/ledger';
import { SettlementError } from '../settlement.errors';
import { CLAIM_AND_PRICE_SQL, INSERT_STATEMENTS_SQL, LINE_ADJUSTMENTS_SQL, TOTALS_MISMATCH_SQL } from '../statements/statement-sql';
import { PayoutBatchFileWriter } from '../payouts/payout-batch-file';
import { PayoutPlanner } from '../payouts/payout-planner';
import { crashPoint } from './crash-points';
import {
  CARRY_RECEIVABLE_SQL,
  CLAIM_INCIDENTS_SQL,
  CORRECTION_TRANSFERS_SQL,
  DEDUCTION_LINES_SQL,
  INCIDENT_LINES_SQL,
  SITES_OWING_SQL,
} from '../statements/correction-sql';
import { SITE_LOCK_CLASS } from './site-lock';

export interface RunRow {
  id: string;
  cutoff: Date;
  status: 'running' | 'completed';
  trigger: 'operator' | 'schedule';
  startedBy: string | null;
  startedAt: Date;
  completedAt: Date | null;
  batchId: string | null;
  statements: number;
  amountCents: string;
}

export const RUN_COLUMNS = `id, cutoff, status, trigger, started_by AS "startedBy", started_at AS "startedAt", completed_at AS "completedAt",
  (SELECT b.id FROM payout_batch b WHERE b.run_id = settlement_run.id) AS "batchId",
  statements, amount_cents::text AS "amountCents"`;

/**
 * Executes a settlement run, in phases that each resume where a crash left them:
 * 1. statements: one transaction per chunk of sites, writing their statements, lines, ledger transfers
 *    and audit events together (a site already priced has nothing left to claim);
 * 2. payouts: one transaction per chunk of sites that may be paid, into the run's batch (a site already paid
 *    has no unpaid statement left);
 * 3. the batch file, written once (a closed batch takes no payout and is not rewritten).
 * Executing the run again after a crash at any point therefore gives the same statements and payouts
 * as an uninterrupted run, and never pays anything twice.
 */
@Injectable()
export class SettlementRunner {
  private readonly log = new Logger('SettlementRun');

  constructor(
    private readonly tx: TransactionRunner,
    private readonly ledger: Ledger,
    private readonly audit: AuditLog,
    private readonly payouts: PayoutPlanner,
    private readonly files: PayoutBatchFileWriter,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute(runId: string): Promise<RunRow> {
    const run = await this.find(this.tx.manager, runId);
    if (!run) throw new SettlementError('NOT_FOUND', 'settlement run not found');
    if (run.status === 'completed') return run;
    // Sites owed something: redemptions past their undo window, or accepted incidents (what a site owes
    // back waits for a statement that owes it something).
    const sites: { site_id: string }[] = await this.tx.manager.query(
      `SELECT site_id FROM redemption
        WHERE statement_id IS NULL AND undone_at IS NULL AND recorded_at <= $1::timestamptz - interval '24 hours'
       UNION
       SELECT site_id FROM redemption_incident
        WHERE status = 'accepted' AND statement_id IS NULL AND resolved_at <= $1::timestamptz AND order_id IS NOT NULL AND amount_cents > 0
       ORDER BY site_id`,
      [run.cutoff],
    );
    // Chunks of sites per transaction (`SETTLEMENT_CHUNK_SITES`, 300): one transaction per site cost a
    // round trip per step per site; all sites in one transaction would hold every lock for the whole run.
    const size = this.config.settlement.chunkSites;
    for (let i = 0; i < sites.length; i += size) {
      await this.priceChunk(
        run,
        sites.slice(i, i + size).map((x) => x.site_id),
      );
    }
    crashPoint(this.config, 'after_statements');
    // Payouts for every site that may be paid now (this run's statements and any still waiting), in the run's batch.
    await this.files.finishInterrupted();
    const origin = { runId: run.id, preparedBy: run.startedBy };
    const batchId = this.payouts.batchIdFor(origin, run.id);
    await this.payouts.addPayouts(batchId, origin, () => crashPoint(this.config, 'mid_batch'));
    crashPoint(this.config, 'after_payouts');
    await this.files.write(batchId);
    crashPoint(this.config, 'after_file');
    return this.tx.run(async (tx) => {
      const [totals] = await tx.query<{ n: number; amount: string }[]>(
        `SELECT count(*)::int AS n, coalesce(sum(total_cents), 0)::text AS amount FROM settlement_statement WHERE run_id = $1`,
        [runId],
      );
      const done = await tx.query<{ n: number }[]>(
        `WITH d AS (UPDATE settlement_run SET status = 'completed', completed_at = now(), statements = $2, amount_cents = $3
                     WHERE id = $1 AND status = 'running' RETURNING 1) SELECT count(*)::int AS n FROM d`,
        [runId, totals.n, totals.amount],
      );
      if (done[0].n === 1) {
        await this.audit.append(tx, {
          action: 'settlement.run_completed',
          actor: { type: 'system' },
          subject: { type: 'settlement_run', id: runId },
          facts: { cutoff: run.cutoff.toISOString(), statements: totals.n, amountCents: Number(totals.amount) },
        });
        this.log.log({ msg: 'settlement run completed', runId, statements: totals.n });
      }
      return (await this.find(tx, runId))!;
    });
  }

  /**
   * The statements of a chunk of sites, all or nothing, set-based (one SQL statement per step for the
   * whole chunk), under each site's lock (taken in a fixed order). A site another run (or an earlier
   * attempt) already priced has nothing left to claim and gets no statement.
   */
  private async priceChunk(run: RunRow, chunk: string[]): Promise<void> {
    await this.tx.run(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1, hashtext(s)) FROM unnest($2::text[]) s ORDER BY s', [SITE_LOCK_CLASS, chunk]);
      // A site this run already priced (an earlier attempt committed its chunk) keeps its statement as it is.
      const priced = new Set(
        (
          await tx.query<{ siteId: string }[]>(
            `SELECT site_id AS "siteId" FROM settlement_statement WHERE run_id = $1 AND site_id = ANY($2::uuid[])`,
            [run.id, chunk],
          )
        ).map((p) => p.siteId),
      );
      const siteIds = chunk.filter((id) => !priced.has(id));
      if (siteIds.length === 0) return;
      const ids = siteIds.map((siteId) => uuidFromName(`settlement-statement:${run.id}:${siteId}`));
      // Sorts and hashes of ~100,000 claimed redemptions per chunk stay in memory rather than spilling.
      await tx.query(`SET LOCAL work_mem = '64MB'`);
      const perOrder = await tx.query<{ statementId: string; orderId: string; n: number; vouchers: number; face: string }[]>(
        CLAIM_AND_PRICE_SQL,
        [ids, siteIds, run.cutoff],
      );
      // Per statement: what it claimed, and what it settles per order (its audit event says so, for the reports).
      const byStatement = new Map<string, typeof perOrder>();
      for (const o of perOrder) {
        const list = byStatement.get(o.statementId);
        if (list) list.push(o);
        else byStatement.set(o.statementId, [o]);
      }
      const claimed = [...byStatement].map(([statementId, orders]) => ({
        statementId,
        n: orders.reduce((k, o) => k + o.n, 0),
        face: String(orders.reduce((k, o) => k + BigInt(o.face), 0n)),
        orders: orders.map((o) => `${o.orderId}:${o.vouchers}:${o.face}`).join(';'),
      }));
      const incidents = await tx.query<{ statementId: string; n: number }[]>(CLAIM_INCIDENTS_SQL, [ids, siteIds, run.cutoff]);
      const redemptions = new Map(claimed.map((c) => [c.statementId, c.n]));
      const settles = new Map(claimed.map((c) => [c.statementId, c.orders]));
      const withIncidents = new Set(incidents.map((c) => c.statementId));
      const kept = ids.flatMap((id, i) => (redemptions.has(id) || withIncidents.has(id) ? [{ id, siteId: siteIds[i] }] : []));
      if (kept.length === 0) return;
      const [keptIds, keptSites] = [kept.map((k) => k.id), kept.map((k) => k.siteId)];
      await this.ledger.openAccount(tx, { kind: 'fees' });
      await this.ledger.openAccount(tx, { kind: 'restitution_payable' });
      const owing = new Set((await tx.query<{ siteId: string }[]>(SITES_OWING_SQL, [keptSites, run.cutoff])).map((o) => o.siteId));
      const corrected = kept.filter((k) => withIncidents.has(k.id) || owing.has(k.siteId));
      for (const k of corrected) await this.correctionLines(tx, k.id, k.siteId, run.cutoff);
      await tx.query(INSERT_STATEMENTS_SQL, [keptIds, keptSites, run.id, run.cutoff]);
      const [mismatch] = await tx.query<{ siteId: string; total: string; lines: string; face: string; redeemed: string }[]>(
        TOTALS_MISMATCH_SQL,
        [keptIds, claimed.map((c) => c.statementId), claimed.map((c) => c.face)],
      );
      if (mismatch) {
        throw new Error(
          `statement of site ${mismatch.siteId}: total ${mismatch.total} vs lines ${mismatch.lines}, face value ${mismatch.face} vs redeemed ${mismatch.redeemed} ` +
            '(is every service day covered by a pricing rule?)',
        );
      }
      await tx.query(LINE_ADJUSTMENTS_SQL, [keptIds, keptSites, run.cutoff]);
      for (const k of corrected) await tx.query(CORRECTION_TRANSFERS_SQL, [k.id, k.siteId, run.cutoff]);
      const issued = await tx.query<{ id: string; siteId: string; number: string; vouchers: number; face: string; total: string }[]>(
        `SELECT id, site_id AS "siteId", number, voucher_count AS vouchers, face_value_cents::text AS face, total_cents::text AS total
           FROM settlement_statement WHERE id = ANY($1::uuid[]) ORDER BY number`,
        [keptIds],
      );
      await this.audit.appendMany(
        tx,
        issued.map((s) => ({
          action: 'settlement.statement_issued',
          actor: { type: 'system' },
          subject: { type: 'settlement_statement', id: s.id },
          facts: {
            runId: run.id,
            siteId: s.siteId,
            number: s.number,
            redemptions: redemptions.get(s.id) ?? 0,
            vouchers: s.vouchers,
            faceValueCents: Number(s.face),
            totalCents: Number(s.total),
            orders: settles.get(s.id) ?? '',
          },
        })),
      );
    });
  }

  /**
   * Accepted incidents (paid to the site, charged to their order's receivable), then what the site owes
   * back; if that exceeds what the statement owes, the rest is carried to the next statement.
   */
  private async correctionLines(tx: Tx, statementId: string, siteId: string, cutoff: Date): Promise<void> {
    await this.ledger.openAccount(tx, { kind: 'site_payable', ownerOrganisationId: siteId });
    const orders = await tx.query<{ order_id: string; funder: string }[]>(
      `SELECT DISTINCT i.order_id, o.funder_id AS funder FROM redemption_incident i JOIN purchase_order o ON o.id = i.order_id WHERE i.statement_id = $1`,
      [statementId],
    );
    for (const o of orders)
      await this.ledger.openAccount(tx, { kind: 'order_receivable', ownerOrganisationId: o.funder, orderId: o.order_id });
    await tx.query(INCIDENT_LINES_SQL, [statementId]);
    await tx.query(DEDUCTION_LINES_SQL, [statementId, siteId, cutoff]);
    await tx.query(CARRY_RECEIVABLE_SQL, [statementId, siteId, cutoff]);
  }

  async find(m: Pick<Tx, 'query'>, runId: string): Promise<RunRow | undefined> {
    const rows = await m.query<RunRow[]>(`SELECT ${RUN_COLUMNS} FROM settlement_run WHERE id = $1`, [runId]);
    return rows[0];
  }
}
