import { randomUUID } from 'node:crypto';
import type { INestApplicationContext } from '@nestjs/common';
import { AuditLog, AuditSealer } from '@sillage/audit';
import { TransactionRunner } from '@sillage/db';
import { parisMidnight } from '@sillage/common';
import { ReportConsumer } from '@sillage/reporting';
import { PayoutBatchesService, SettlementRunner, SettlementRunsService, VoucherExpiry } from '@sillage/settlement';
import { BankStatementImporter } from '../../libs/settlement/src/reconciliation/bank-statement-importer';
import type { Principal } from '../../libs/identity/src/access/principal';
import { HistoryCounts, HistoryWriter } from './seed-history';
import { addDays, SeedPlan, seedPlan } from './seed-plan';
import { SeedRandom } from './seed-random';
import { SeedWorld, WorldSeeder } from './seed-world';

export interface SeedOptions {
  vouchers: number;
  seed?: number;
  /** Redemption statements in flight (1 on the embedded database: one connection). */
  concurrency?: number;
  progress?: (message: string) => void;
  /**
   * Refreshes the planner's statistics (ANALYZE needs the tables' owner, not the application's role):
   * called once the vouchers are issued and once the history is written, when tables grew from nothing
   * to millions of rows faster than autovacuum (if any) notices.
   */
  analyze?: () => Promise<void>;
}

export interface SeedSummary {
  plan: Omit<SeedPlan, 'shares'>;
  history: HistoryCounts;
  expiredOrders: number;
  statements: number;
  payoutsPaid: number;
  treeSize: number;
  seconds: number;
}

/**
 * A realistic dataset (ADR 17) in the application's database: the structure and the orders through
 * the real services, then two years of allocations, hand-overs and redemptions (seed-history), the
 * expiry of the orders whose validity ended, two settlement runs with their payouts released by a second
 * user and booked by imported bank statements, and finally the sealed log and the report aggregates.
 */
export async function seedDataset(app: INestApplicationContext, o: SeedOptions): Promise<SeedSummary> {
  const started = Date.now();
  const progress = o.progress ?? (() => undefined);
  const now = new Date();
  const plan = seedPlan(o.vouchers, now);
  const random = new SeedRandom(o.seed ?? 20261128);
  const pool = app.get(TransactionRunner).pool;
  progress(`plan: ${plan.vouchers.toLocaleString('en')} vouchers in ${plan.orders} orders of ${plan.funders} funders, ${plan.sites} sites`);

  const world = await new WorldSeeder(app, pool, plan, random, progress).build();
  await o.analyze?.();
  const history = new HistoryWriter(pool, app.get(AuditLog), random, { concurrency: o.concurrency ?? 6, now, progress });
  const cutShort = addDays(plan.today, -40);
  for (const [i, order] of world.orders.entries()) {
    await history.order({ ...order, until: order.expires ? cutShort : plan.today }, plan.shares);
    const w = history.written;
    progress(
      `history: ${i + 1}/${world.orders.length} orders, ${w.handovers} hand-overs, ${w.redemptions} redemptions (${w.redeemedVouchers} vouchers)`,
    );
  }
  await o.analyze?.();
  const expiredOrders = await expire(app, world, plan);
  const settled = await settle(app, world, plan);
  const sealed = await app.get(AuditSealer).sealPending();
  progress(`audit log sealed: ${sealed.treeSize} events`);
  const consumed = await app.get(ReportConsumer).consume();
  progress(`report aggregates at tree size ${consumed.treeSize}`);
  const { shares: _shares, ...shape } = plan;
  return {
    plan: shape,
    history: history.written,
    expiredOrders,
    ...settled,
    treeSize: consumed.treeSize,
    seconds: (Date.now() - started) / 1000,
  };
}

function finance(world: SeedWorld): Principal {
  return { type: 'user', id: randomUUID(), organisationId: world.operatorId, organisationKinds: ['operator'], role: 'finance' };
}

/** Orders whose validity ended (cut short 40 days ago, no tolerance): the expiry run expires what is left and credits the funder. */
async function expire(app: INestApplicationContext, world: SeedWorld, plan: SeedPlan): Promise<number> {
  const ids = world.orders.filter((o) => o.expires).map((o) => o.id);
  if (ids.length === 0) return 0;
  await app
    .get(TransactionRunner)
    .pool.query(`UPDATE purchase_order SET validity_end_date = $2, tolerance_days = 0 WHERE id = ANY($1::uuid[])`, [
      ids,
      addDays(plan.today, -39),
    ]);
  const result = await app.get(VoucherExpiry).run(plan.today);
  return result.orders;
}

/**
 * Two settlement runs, each with its payout batch released by a second finance user and booked by an
 * imported bank statement: one with its cutoff 90 days ago, booked 80 days ago, then one up to now,
 * booked yesterday (redemptions recorded more than 24 h before each cutoff; a run cannot be dated in
 * the future, so the statements of both are written now, as a late catch-up would write them).
 */
async function settle(
  app: INestApplicationContext,
  world: SeedWorld,
  plan: SeedPlan,
): Promise<{ statements: number; payoutsPaid: number }> {
  const earlier = await settleRun(app, world, parisMidnight(addDays(plan.today, -90)), addDays(plan.today, -80));
  const latest = await settleRun(app, world, new Date(), addDays(plan.today, -1));
  return { statements: earlier.statements + latest.statements, payoutsPaid: earlier.payoutsPaid + latest.payoutsPaid };
}

async function settleRun(
  app: INestApplicationContext,
  world: SeedWorld,
  cutoff: Date,
  bookedOn: string,
): Promise<{ statements: number; payoutsPaid: number }> {
  const preparer = finance(world);
  const { run } = await app.get(SettlementRunsService).start(preparer, cutoff.toISOString());
  const done = await app.get(SettlementRunner).execute(run.id);
  if (!done.batchId) return { statements: done.statements, payoutsPaid: 0 };
  await app.get(PayoutBatchesService).release(finance(world), done.batchId);
  const payouts = await app
    .get(TransactionRunner)
    .pool.query<{ reference: string; amount: string }>(
      `SELECT reference, amount_cents::text AS amount FROM payout WHERE batch_id = $1 AND status = 'pending' ORDER BY reference`,
      [done.batchId],
    );
  const csv = [
    'date;end_to_end_id;amount;currency;direction',
    ...payouts.rows.map((p) => `${bookedOn};${p.reference};${(Number(p.amount) / 100).toFixed(2)};EUR;debit`),
  ].join('\r\n');
  await app.get(BankStatementImporter).import(preparer, Buffer.from(csv, 'utf8'), 'csv');
  return { statements: done.statements, payoutsPaid: payouts.rows.length };
}
