import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppConfig, nestLogger } from '@sillage/config';
import { OutboxRelay, QueueWorkers } from '@sillage/queue';
import { WorkerHealthServer } from './health/worker-health.server';
import { WorkerModule } from './worker.module';

export interface WorkerApp {
  context: INestApplicationContext;
  health: WorkerHealthServer;
  relay: OutboxRelay;
  workers: QueueWorkers;
  /** Closes consumers (letting running jobs finish), the relay, the health server, then connections. */
  close(): Promise<void>;
}

export class WorkerConfigError extends Error {}

/**
 * Builds and starts the worker (a Nest application context, no HTTP server): used by `main.ts` and
 * the end-to-end tests, so both run the same thing. Needs Redis and a real PostgreSQL server.
 */
export async function createWorker(config: AppConfig): Promise<WorkerApp> {
  if (config.redis.mode !== 'redis') {
    throw new WorkerConfigError('the worker needs REDIS_URL: without Redis, jobs run inside the API process and no worker is needed');
  }
  if (config.database.mode === 'embedded') {
    throw new WorkerConfigError(
      'the worker needs DATABASE_URL: embedded PostgreSQL serves one connection, held by the API (which then runs jobs itself)',
    );
  }
  const context = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), {
    logger: nestLogger(config),
    abortOnError: false,
  });
  await context.init();
  return {
    context,
    health: context.get(WorkerHealthServer),
    relay: context.get(OutboxRelay),
    workers: context.get(QueueWorkers),
    close: () => context.close(),
  };
}
