import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { parisDate } from '@sillage/common';
import { APP_CONFIG, AppConfig } from '@sillage/config';
import { TransactionRunner } from '@sillage/db';
import { JobName, JobPayloads } from './jobs';
import { Outbox } from './outbox';
import { OutboxRelay } from './outbox-relay';
import { errorSummary } from './timing';

interface DailyJob<N extends JobName = JobName> {
  name: N;
  payload: (day: string) => JobPayloads[N];
}

/** Jobs that run once per Europe/Paris calendar day. */
export const DAILY_JOBS: DailyJob[] = [
  { name: 'ledger.daily-check', payload: (day) => ({ day }) },
  { name: 'privacy.retention', payload: (day) => ({ day }) },
  { name: 'distribution.notices', payload: (day) => ({ day }) },
  { name: 'settlement.schedule', payload: (day) => ({ day }) },
  { name: 'settlement.expire', payload: (day) => ({ day }) },
  { name: 'queue.outbox-retention', payload: (day) => ({ day }) },
];

/** How often each process looks whether today's jobs are queued. */
export const DAILY_TICK_MS = 10 * 60_000;

/** The Europe/Paris calendar day of an instant (kept under this name for the scheduler's callers). */
export const parisDay = parisDate;

/**
 * Queues each daily job through the outbox under the id `<job>:<Paris date>`. The outbox ignores a
 * second row with the same id, so however many processes tick, and however often, each daily job
 * exists once per day; a process that was down at midnight queues it when it comes back.
 * Runs where the relay runs (the worker, or the API in in-process mode); off under NODE_ENV=test,
 * where tests call `tick()` themselves.
 */
@Injectable()
export class DailyJobScheduler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('DailyJobScheduler');
  private timer: NodeJS.Timeout | undefined;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly relay: OutboxRelay,
    private readonly outbox: Outbox,
    private readonly db: TransactionRunner,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.env === 'test' || !this.relay.runsInThisProcess) return;
    const run = () => void this.tick().catch((e: unknown) => this.logger.warn(`could not queue daily jobs: ${errorSummary(e)}`));
    run();
    this.timer = setInterval(run, DAILY_TICK_MS).unref();
  }

  beforeApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** Queues today's daily jobs (no-op for those already queued); returns the job ids. */
  async tick(now = new Date()): Promise<string[]> {
    const day = parisDay(now);
    const ids = DAILY_JOBS.map((job) => `${job.name}:${day}`);
    await this.db.run(async (tx) => {
      for (const [i, job] of DAILY_JOBS.entries()) await this.outbox.enqueue(tx, job.name, job.payload(day), ids[i]);
    });
    this.relay.wake();
    return ids;
  }
}
