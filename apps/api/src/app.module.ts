import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { AuditModule } from '@sillage/audit';
import { MailModule } from '@sillage/common';
import { AppConfig, ConfigModule } from '@sillage/config';
import { DbModule } from '@sillage/db';
import { AccessGuard, IdentityModule } from '@sillage/identity';
import { QueueModule } from '@sillage/queue';
import { LedgerModule } from '@sillage/ledger';
import { FundingModule } from '@sillage/funding';
import { DistributionModule } from '@sillage/distribution';
import { SitesModule } from '@sillage/sites';
import { RedemptionModule, RedemptionWriter } from '@sillage/redemption';
import { SettlementModule } from '@sillage/settlement';
import { ReportingModule } from '@sillage/reporting';
import { AuditApiModule } from './audit/audit-api.module';
import { HealthController } from './health/health.controller';
import { ReadinessService } from './health/readiness.service';
import { FastifyErrorHandler } from './http/fastify-error-handler';
import { ProblemFilter } from './http/problem.filter';
import { createValidationPipe } from './http/validation.pipe';
import { createMetrics, METRICS } from './metrics/metrics';
import { MetricsController } from './metrics/metrics.controller';
import { QueuesAdminModule } from './queues/queues-admin.module';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        DbModule.forRoot(),
        QueueModule.forRoot(),
        AuditModule,
        IdentityModule,
        MailModule,
        QueuesAdminModule,
        AuditApiModule,
        LedgerModule,
        FundingModule,
        DistributionModule,
        SitesModule,
        RedemptionModule,
        SettlementModule,
        ReportingModule,
      ],
      controllers: [HealthController, MetricsController],
      providers: [
        ReadinessService,
        FastifyErrorHandler,
        { provide: METRICS, useFactory: createMetrics, inject: [RedemptionWriter] },
        { provide: APP_FILTER, useClass: ProblemFilter },
        { provide: APP_PIPE, useFactory: createValidationPipe },
        { provide: APP_GUARD, useClass: AccessGuard },
      ],
    };
  }
}
