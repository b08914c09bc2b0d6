import { Injectable } from '@nestjs/common';
import { BullQueues } from './bull-queues';
import { OutboxRepository } from './outbox.repository';
import { errorSummary } from './timing';

export interface FailedJob {
  /** `outbox`: failed in-process (or could not be published at all); `bullmq`: failed in a worker. */
  source: 'outbox' | 'bullmq';
  /** BullMQ queue; null for outbox rows. */
  queue: string | null;
  name: string;
  jobId: string;
  attempts: number;
  failedReason: string | null;
  createdAt: Date;
  failedAt: Date | null;
}

export interface FailedJobList {
  items: FailedJob[];
  /** More failures exist than `limit`. */
  hasMore: boolean;
  /** BullMQ could not be read (Redis down); outbox failures are still listed. */
  queues: { status: 'ok' | 'unavailable' | 'not-configured'; detail?: string };
}

/** What operators need to see when work did not happen: failed outbox rows and failed BullMQ jobs. */
@Injectable()
export class FailedJobsService {
  constructor(
    private readonly outbox: OutboxRepository,
    private readonly queues: BullQueues,
  ) {}

  async list(limit: number): Promise<FailedJobList> {
    const fromOutbox: FailedJob[] = (await this.outbox.listFailed(limit + 1)).map((r) => ({
      source: 'outbox',
      queue: null,
      name: r.jobName,
      jobId: r.jobId,
      attempts: r.attempts,
      failedReason: r.lastError,
      createdAt: r.createdAt,
      failedAt: r.failedAt,
    }));
    let fromQueues: FailedJob[] = [];
    let queues: FailedJobList['queues'] = { status: 'not-configured' };
    if (this.queues.enabled) {
      try {
        fromQueues = (await this.queues.failed(limit + 1)).map((j) => ({
          source: 'bullmq',
          queue: j.queue,
          name: j.name,
          jobId: j.jobId,
          attempts: j.attemptsMade,
          failedReason: j.failedReason,
          createdAt: j.createdAt,
          failedAt: j.failedAt,
        }));
        queues = { status: 'ok' };
      } catch (e) {
        queues = { status: 'unavailable', detail: errorSummary(e, 200) };
      }
    }
    const all = [...fromOutbox, ...fromQueues].sort((a, b) => (b.failedAt?.getTime() ?? 0) - (a.failedAt?.getTime() ?? 0));
    return { items: all.slice(0, limit), hasMore: all.length > limit, queues };
  }
}
