import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@sillage/config';
import { Job, Queue } from 'bullmq';
import { fromBullJobId, toBullJobId } from './bull-job-id';
import { JOB_QUEUE, JobName, queueNames } from './jobs';
import { bullConnection } from './redis-options';
import { withTimeout } from './timing';

/** How long the relay waits for Redis to accept one job before it leaves the row for later. */
export const PUBLISH_TIMEOUT_MS = 2000;
const COMPLETED_RETENTION_SECONDS = 7 * 86_400;

export interface FailedQueueJob {
  queue: string;
  name: string;
  jobId: string;
  attemptsMade: number;
  failedReason: string | null;
  createdAt: Date;
  failedAt: Date | null;
}

/**
 * The BullMQ queues of this deployment (one per entry of JOB_QUEUE), as producers: the relay
 * publishes to them, Bull Board and the failed-jobs listing read them. Empty when Redis is not
 * configured (jobs then run in-process). Keys are namespaced with QUEUE_PREFIX.
 */
@Injectable()
export class BullQueues implements OnApplicationShutdown {
  private readonly logger = new Logger('BullQueues');
  private readonly queues = new Map<string, Queue>();

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    if (config.redis.mode !== 'redis' || !config.redis.url) return;
    for (const name of queueNames()) {
      const queue = new Queue(name, { connection: bullConnection(config.redis.url, 'producer'), prefix: config.queue.prefix });
      // Connection errors surface through the relay (last_error) and readiness; an unhandled
      // 'error' event would crash the process.
      queue.on('error', () => undefined);
      this.queues.set(name, queue);
    }
  }

  get enabled(): boolean {
    return this.queues.size > 0;
  }

  all(): Queue[] {
    return [...this.queues.values()];
  }

  /**
   * Adds the job under its deterministic id: adding the same id again is a no-op in BullMQ, so a
   * row published twice (a relay that crashed before recording the publish) is still one job.
   */
  async publish(name: JobName, payload: unknown, jobId: string, timeoutMs = PUBLISH_TIMEOUT_MS): Promise<void> {
    const queue = this.queues.get(JOB_QUEUE[name]);
    if (!queue) throw new Error(`queue "${JOB_QUEUE[name]}" is not available (Redis not configured)`);
    await withTimeout(
      queue.add(name, payload, {
        jobId: toBullJobId(jobId),
        attempts: this.config.queue.attempts,
        backoff: { type: 'exponential', delay: this.config.queue.backoffMs },
        removeOnComplete: { age: COMPLETED_RETENTION_SECONDS },
        removeOnFail: false,
      }),
      timeoutMs,
      `Redis did not accept the job within ${timeoutMs} ms`,
    );
  }

  /** Failed jobs of every queue, most recent first within each queue (`limit` per queue). */
  async failed(limit: number, timeoutMs = PUBLISH_TIMEOUT_MS): Promise<FailedQueueJob[]> {
    const perQueue = await Promise.all(
      this.all().map(async (queue) => {
        const jobs = (await withTimeout(queue.getFailed(0, limit - 1), timeoutMs, 'Redis did not answer')) as Job[];
        return jobs.filter(Boolean).map((job) => ({
          queue: queue.name,
          name: job.name,
          jobId: fromBullJobId(String(job.id)),
          attemptsMade: job.attemptsMade,
          failedReason: job.failedReason ?? null,
          createdAt: new Date(job.timestamp),
          failedAt: job.finishedOn ? new Date(job.finishedOn) : null,
        }));
      }),
    );
    return perQueue.flat();
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(
      this.all().map(async (queue) => {
        try {
          await withTimeout(queue.close(), 2000, 'queue close timed out');
        } catch {
          await queue.disconnect().catch(() => undefined);
          this.logger.debug(`queue ${queue.name} closed without Redis`);
        }
      }),
    );
  }
}
