import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@sillage/config';
import { JobHandler } from './job-handler';
import { JobHandlerRegistry } from './job-handler.registry';
import { JobPayloads } from './jobs';
import { OutboxRepository } from './outbox.repository';

type Name = 'queue.outbox-retention';

/**
 * Once a Paris day (DailyJobScheduler): deletes the outbox rows published more than
 * OUTBOX_RETENTION_DAYS ago. Without it the table keeps a row per redemption forever. Failed rows
 * stay for the failed-jobs listing; pending rows are still to run. Idempotent: a second run finds
 * nothing more to delete.
 */
@Injectable()
export class OutboxRetentionJob implements JobHandler<Name>, OnModuleInit {
  readonly name = 'queue.outbox-retention' as const;
  private readonly logger = new Logger('OutboxRetention');

  constructor(
    private readonly registry: JobHandlerRegistry,
    private readonly outbox: OutboxRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  async handle({ day }: JobPayloads[Name]): Promise<void> {
    const retentionDays = this.config.queue.retentionDays;
    const deleted = await this.outbox.purgePublished(retentionDays);
    this.logger.log({ msg: 'published outbox rows deleted', day, deleted, retentionDays });
  }
}
