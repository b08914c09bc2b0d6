import { Module } from '@nestjs/common';
import { LedgerDailyCheckJob } from './jobs/ledger-daily-check.job';
import { LedgerController } from './ledger.controller';
import { LedgerQueryService } from './ledger-query.service';
import { LedgerSnapshotRepository } from './ledger-snapshot.repository';
import { LedgerSnapshotter } from './ledger-snapshotter';
import { Ledger } from './ledger';
import { LedgerRepository } from './ledger.repository';

/** The ledger: `Ledger` (write path, used by domain modules), snapshots, the check, and the read API. */
@Module({
  controllers: [LedgerController],
  providers: [Ledger, LedgerRepository, LedgerSnapshotRepository, LedgerSnapshotter, LedgerQueryService, LedgerDailyCheckJob],
  exports: [Ledger, LedgerSnapshotter],
})
export class LedgerModule {}
