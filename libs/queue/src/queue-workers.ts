import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@sillage/config';
import { Job, UnrecoverableError, Worker } from 'bullmq';
import { fromBullJobId } from './bull-job-id';
import { PermanentJobError } from './job-handler';
import { JobRunner } from './job-runner';
import { queueNames } from './jobs';
import { QUEUE_MODULE_OPTIONS, QueueModuleOptions } from './queue.options';
import { bullConnection } from './redis-options';
import { errorSummary, withTimeout } from './timing';

const CONCURRENCY = 4;
const CLOSE_GRACE_MS = 10_000;

/**
 * The BullMQ consumers, one per queue, in the worker process only. Each is a thin adapter around
 * `JobRunner`: a permanent error becomes BullMQ's UnrecoverableError (no retry), anything else is
 * retried with the job's backoff. Failed jobs are kept (removeOnFail: false) for operators.
 */
@Injectable()
export class QueueWorkers implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('QueueWorkers');
  private readonly workers: Worker[] = [];
  private redisDown = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(QUEUE_MODULE_OPTIONS) private readonly options: QueueModuleOptions,
    private readonly runner: JobRunner,
  ) {}

  get queueNames(): string[] {
    return this.workers.map((w) => w.name);
  }

  onApplicationBootstrap(): void {
    if (this.options.role !== 'worker' || this.config.redis.mode !== 'redis' || !this.config.redis.url) return;
    for (const name of queueNames()) {
      const worker = new Worker(name, (job: Job) => this.process(job), {
        connection: bullConnection(this.config.redis.url, 'worker'),
        prefix: this.config.queue.prefix,
        concurrency: CONCURRENCY,
      });
      worker.on('error', (e) => {
        if (this.redisDown) return;
        this.redisDown = true;
        this.logger.warn(`queue ${name}: ${errorSummary(e)}`);
      });
      worker.on('ready', () => {
        if (!this.redisDown) return;
        this.redisDown = false;
        this.logger.log(`queue ${name}: connected to Redis again`);
      });
      worker.on('failed', (job, e) => {
        if (!job) return;
        const final = e instanceof UnrecoverableError || job.attemptsMade >= (job.opts.attempts ?? 1);
        const message = `job ${job.name} ${fromBullJobId(String(job.id))} attempt ${job.attemptsMade} failed${final ? ' for good' : ''}: ${errorSummary(e)}`;
        if (final) this.logger.error(message);
        else this.logger.warn(message);
      });
      this.workers.push(worker);
    }
  }

  async process(job: Job): Promise<void> {
    try {
      await this.runner.run(job.name, job.data, { jobId: fromBullJobId(String(job.id)), attempt: job.attemptsMade + 1 });
    } catch (e) {
      if (e instanceof PermanentJobError) throw new UnrecoverableError(e.message);
      throw e;
    }
  }

  /** Lets running jobs finish (bounded), then closes the connections. */
  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all(
      this.workers.map(async (worker) => {
        try {
          await withTimeout(worker.close(), CLOSE_GRACE_MS, 'worker close timed out');
        } catch {
          await worker.close(true).catch(() => undefined);
        }
      }),
    );
    this.workers.length = 0;
  }
}
