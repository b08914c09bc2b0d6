import { Injectable } from '@nestjs/common';
import { TransactionRunner } from '@sillage/db';
import { LedgerSnapshotRepository } from './ledger-snapshot.repository';

export interface SnapshotResult {
  /** Snapshots cover every transfer with `seq <= watermark`. */
  watermark: number;
  written: number;
  /** True when in-flight writers did not finish within the wait: nothing was written. */
  skipped: boolean;
}

/**
 * Appends balance snapshots (the read-side speed-up: balance = snapshot + later transfers).
 *
 * Sequences hand out numbers out of commit order, so a watermark W is only safe once no transaction
 * that drew a `seq <= W` can still commit. Every transfer insert first takes a shared advisory lock
 * (the barrier) and only then draws its `seq`. The snapshotter reads W = the sequence's last value,
 * then the transactions holding the barrier at that moment — a superset of those holding a
 * `seq <= W` uncommitted — and waits (polling pg_locks, never blocking writers) until all of them
 * have ended. Then every row with `seq <= W` is committed or rolled back for good.
 */
@Injectable()
export class LedgerSnapshotter {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly repo: LedgerSnapshotRepository,
  ) {}

  async snapshot(options: { maxWaitMs?: number; pollMs?: number } = {}): Promise<SnapshotResult> {
    const maxWaitMs = options.maxWaitMs ?? 30_000;
    const pollMs = options.pollMs ?? 50;
    const em = this.transactions.manager;
    const watermark = await this.repo.lastSeq(em);
    const holders = await this.repo.barrierHolders(em);
    const deadline = Date.now() + maxWaitMs;
    while ((await this.repo.stillRunning(em, holders)) > 0) {
      if (Date.now() > deadline) return { watermark, written: 0, skipped: true };
      await new Promise((r) => setTimeout(r, pollMs));
    }
    const written = await this.transactions.run((tx) => this.repo.appendSnapshots(tx, watermark));
    return { watermark, written, skipped: false };
  }
}
