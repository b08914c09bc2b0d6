import { DynamicModule, Module } from '@nestjs/common';
import { AuditModule } from '@sillage/audit';
import { MailModule } from '@sillage/common';
import { AppConfig, ConfigModule } from '@sillage/config';
import { DbModule } from '@sillage/db';
import { IdentityModule } from '@sillage/identity';
import { DistributionModule } from '@sillage/distribution';
import { IssuanceModule } from '@sillage/issuance';
import { LedgerModule } from '@sillage/ledger';
import { QueueModule } from '@sillage/queue';
import { RedemptionModule } from '@sillage/redemption';
import { SettlementModule } from '@sillage/settlement';
import { ReportingModule } from '@sillage/reporting';
import { WorkerHealthServer } from './health/worker-health.server';

/**
 * The worker process: no HTTP API. The domain modules register their job handlers; the queue
 * module in `worker` role runs the outbox relay (publishing to BullMQ) and one BullMQ consumer per
 * queue; health is served on a side port.
 */
@Module({})
export class WorkerModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        ConfigModule.forRoot(config),
        DbModule.forRoot('sillage-worker'),
        QueueModule.forRoot({ role: 'worker' }),
        AuditModule,
        IdentityModule,
        MailModule,
        LedgerModule,
        IssuanceModule,
        DistributionModule,
        RedemptionModule,
        SettlementModule,
        ReportingModule,
      ],
      providers: [WorkerHealthServer],
    };
  }
}
