import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { TransactionRunner } from '@sillage/db';
import { JobHandler, JobHandlerRegistry, JobPayloads } from '@sillage/queue';
import { LedgerChecker } from '../ledger-checker';
import { LedgerSnapshotter } from '../ledger-snapshotter';

type Name = 'ledger.daily-check';

/**
 * Appends balance snapshots, then runs the invariant check and logs its outcome (failed checks and
 * their problems at error level: ids and amounts only). Idempotent: snapshots already written for a
 * watermark are skipped, the check only reads. Queued once per Paris day by DailyJobScheduler.
 */
@Injectable()
export class LedgerDailyCheckJob implements JobHandler<Name>, OnModuleInit {
  readonly name = 'ledger.daily-check' as const;
  private readonly logger = new Logger('LedgerDailyCheckJob');

  constructor(
    private readonly registry: JobHandlerRegistry,
    private readonly snapshotter: LedgerSnapshotter,
    private readonly transactions: TransactionRunner,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  async handle({ day }: JobPayloads[Name]): Promise<void> {
    const snap = await this.snapshotter.snapshot();
    const report = await new LedgerChecker(this.transactions.manager).run();
    const summary = `ledger daily check ${day}: snapshots ${snap.skipped ? 'skipped (writers still in flight)' : `${snap.written} at seq ${snap.watermark}`}`;
    if (report.ok) {
      this.logger.log(`${summary}; invariants OK (${report.transfers} transfers)`);
      return;
    }
    for (const c of report.checks.filter((x) => !x.ok)) this.logger.error(`${summary}; check ${c.name} FAILED: ${c.problems.join('; ')}`);
  }
}
