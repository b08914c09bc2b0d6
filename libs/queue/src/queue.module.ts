import { DynamicModule, Global, Inject, Module, OnApplicationShutdown, Optional, Provider } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@sillage/config';
import { BullQueues } from './bull-queues';
import { DailyJobScheduler } from './daily-job-scheduler';
import { FailedJobsService } from './failed-jobs.service';
import { JobHandlerRegistry } from './job-handler.registry';
import { JobRunner } from './job-runner';
import { Outbox } from './outbox';
import { OutboxRelay } from './outbox-relay';
import { OutboxRetentionJob } from './outbox-retention.job';
import { OutboxRepository } from './outbox.repository';
import { QUEUE_MODULE_OPTIONS, QueueModuleOptions } from './queue.options';
import { QueueWorkers } from './queue-workers';
import { RedisConnection } from './redis-connection';

/**
 * Jobs. `forRoot()` in the API: the outbox, the handler registry, the failed-jobs listing, and the
 * relay when jobs run in-process (no REDIS_URL). `forRoot({ role: 'worker' })` in apps/worker: the
 * same plus the relay in publish mode and one BullMQ consumer per queue.
 */
@Global()
@Module({})
export class QueueModule implements OnApplicationShutdown {
  constructor(@Optional() @Inject(RedisConnection) private readonly redis?: RedisConnection) {}

  async onApplicationShutdown(): Promise<void> {
    await this.redis?.close();
  }

  static forRoot(options: Partial<QueueModuleOptions> = {}): DynamicModule {
    const role = options.role ?? 'api';
    const redis: Provider = {
      provide: RedisConnection,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => (config.redis.url ? new RedisConnection(config.redis.url) : undefined),
    };
    const providers: Provider[] = [
      { provide: QUEUE_MODULE_OPTIONS, useValue: { role } satisfies QueueModuleOptions },
      Outbox,
      redis,
      OutboxRepository,
      JobHandlerRegistry,
      JobRunner,
      BullQueues,
      OutboxRelay,
      FailedJobsService,
      DailyJobScheduler,
      OutboxRetentionJob,
    ];
    const exports: Provider[] = [
      Outbox,
      RedisConnection,
      JobHandlerRegistry,
      JobRunner,
      BullQueues,
      OutboxRelay,
      FailedJobsService,
      DailyJobScheduler,
    ];
    if (role === 'worker') {
      providers.push(QueueWorkers);
      exports.push(QueueWorkers);
    }
    return { module: QueueModule, providers, exports: [...exports, QUEUE_MODULE_OPTIONS] };
  }
}
