import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../libs/db/src/data-source-options';
import { TransactionRunner } from '../libs/db/src/transaction';
import { LedgerChecker } from '../libs/ledger/src/ledger-checker';
import { LedgerRepository } from '../libs/ledger/src/ledger.repository';
import { Ledger } from '../libs/ledger/src/ledger';
import { LedgerAccount } from '../libs/ledger/src/ledger.types';
import { freshDatabase, pgbenchTps } from './bench-support';

/**
 * `npm run bench -- ledger`: 32 writers, each on its own pair of accounts, calling `Ledger.transfer`
 * in their own transactions (as the application role) for BENCH_SECONDS (20) → transfers_per_s; the
 * same with all 32 debiting one hot account → hot_account_per_s; and, in the same run, pgbench TPC-B
 * on the same server (scale BENCH_PGBENCH_SCALE = 50, `-c 32 -j 2 -T` BENCH_PGBENCH_SECONDS = 60) in
 * its own scratch database → pgbench_tps. Target: ratio = transfers_per_s / pgbench_tps ≥ 0.5.
 */
const WRITERS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const HOT_SECONDS = Number(process.env.BENCH_HOT_SECONDS ?? Math.max(5, Math.round(SECONDS / 2)));
const PGBENCH_SECONDS = Number(process.env.BENCH_PGBENCH_SECONDS ?? 60);
const PGBENCH_SCALE = Number(process.env.BENCH_PGBENCH_SCALE ?? 50);

async function writeFor(
  tx: TransactionRunner,
  ledger: Ledger,
  pairs: [LedgerAccount, LedgerAccount][],
  seconds: number,
): Promise<{ count: number; seconds: number }> {
  const deadline = Date.now() + seconds * 1000;
  const started = process.hrtime.bigint();
  const counts = await Promise.all(
    pairs.map(async ([debit, credit]) => {
      let n = 0;
      while (Date.now() < deadline) {
        await tx.run((t) =>
          ledger.transfer(t, { id: randomUUID(), debitAccountId: debit.id, creditAccountId: credit.id, amount: 1 + (n % 997) }),
        );
        n++;
      }
      return n;
    }),
  );
  const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
  return { count: counts.reduce((a, b) => a + b, 0), seconds: elapsed };
}

export async function runLedgerBench(): Promise<Record<string, unknown>> {
  const db = await freshDatabase('sillage_bench_ledger');
  const ds = new DataSource(dataSourceOptions(db.appUrl, { poolSize: WRITERS, applicationName: 'sillage-bench-ledger' }));
  await ds.initialize();
  try {
    const tx = new TransactionRunner(ds);
    const ledger = new Ledger(new LedgerRepository());
    // Each writer: its own funder (received → available). The hot run: every writer debits one account.
    const pairs = await tx.run(async (t) => {
      const out: [LedgerAccount, LedgerAccount][] = [];
      for (let i = 0; i < WRITERS; i++) {
        const org = randomUUID();
        out.push([
          await ledger.openAccount(t, { kind: 'funder_received', ownerOrganisationId: org }),
          await ledger.openAccount(t, { kind: 'funder_available', ownerOrganisationId: org }),
        ]);
      }
      return out;
    });
    const hot = pairs[0][0];
    await writeFor(tx, ledger, pairs, 2); // warm-up (JIT, pool)
    const distinct = await writeFor(tx, ledger, pairs, SECONDS);
    const hotRun = await writeFor(
      tx,
      ledger,
      pairs.map(([, credit]) => [hot, credit]),
      HOT_SECONDS,
    );
    const report = await new LedgerChecker(ds.manager).run();
    if (!report.ok) throw new Error(`ledger check failed after the benchmark: ${JSON.stringify(report.checks.filter((c) => !c.ok))}`);

    const pgbench = await pgbenchTps({ clients: WRITERS, seconds: PGBENCH_SECONDS, scale: PGBENCH_SCALE });
    const transfersPerS = distinct.count / distinct.seconds;
    return {
      transfers_per_s: Math.round(transfersPerS),
      pgbench_tps: Math.round(pgbench),
      ratio: Math.round((transfersPerS / pgbench) * 1000) / 1000,
      hot_account_per_s: Math.round(hotRun.count / hotRun.seconds),
      writers: WRITERS,
      seconds: SECONDS,
      hot_seconds: HOT_SECONDS,
      pgbench_seconds: PGBENCH_SECONDS,
      pgbench_scale: PGBENCH_SCALE,
      transfers_checked: report.transfers,
      target_ratio: 0.5,
    };
  } finally {
    await ds.destroy();
  }
}
