import 'reflect-metadata';
import { ConfigError, loadConfig } from '@sillage/config';
import { lowerCpuPriority } from './cpu-priority';
import { createWorker, WorkerConfigError } from './create-worker';

/**
 * The worker process: BullMQ consumers for every queue, the outbox relay, health on
 * WORKER_HEALTH_PORT. No HTTP API. SIGTERM/SIGINT close the consumers (running jobs finish), the
 * relay and the connections, then the process exits.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  lowerCpuPriority(config.worker.niceness);
  const worker = await createWorker(config);
  worker.context.enableShutdownHooks(['SIGTERM', 'SIGINT']);
  const queues = worker.workers.queueNames.join(', ');
  process.stdout.write(
    `Sillage worker started (database: ${config.database.mode}, jobs: Redis (BullMQ), prefix "${config.queue.prefix}", queues: ${queues}; ` +
      `outbox relay publishing every ${config.queue.pollMs} ms; CPU niceness ${config.worker.niceness}); health at http://${config.http.host}:${worker.health.port}/health/ready\n`,
  );
}

main().catch((error: unknown) => {
  const message =
    error instanceof ConfigError || error instanceof WorkerConfigError
      ? error.message
      : error instanceof Error
        ? (error.stack ?? error.message)
        : String(error);
  process.stderr.write(`Sillage worker cannot start: ${message}\n`);
  process.exit(1);
});
