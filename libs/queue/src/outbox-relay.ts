import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@sillage/config';
import { TransactionRunner } from '@sillage/db';
import { BullQueues } from './bull-queues';
import { PermanentJobError } from './job-handler';
import { JobRunner } from './job-runner';
import { INLINE_JOBS, isJobName, JobName } from './jobs';
import { OutboxRepository, OutboxRow } from './outbox.repository';
import { QUEUE_MODULE_OPTIONS, QueueModuleOptions } from './queue.options';
import { errorSummary, exponentialBackoffMs, publishRetryDelayMs } from './timing';

export type RelayMode = 'publish' | 'in-process';

/** Rows published per transaction (Redis mode). */
export const PUBLISH_BATCH = 100;
/** How long an in-process job may run before another relay may take it again (crash recovery). */
export const IN_PROCESS_LEASE_MS = 10 * 60_000;

/**
 * Moves outbox rows on. Two modes, chosen by configuration:
 *
 * - `publish` (REDIS_URL set; runs in the worker process): locks due rows with
 *   `FOR UPDATE SKIP LOCKED` in a short transaction, adds each to BullMQ under its deterministic id
 *   (bounded by a timeout, since BullMQ waits for Redis while it is away) and marks it published.
 *   A row Redis did not take stays unpublished with `attempts`, `last_error` and a later
 *   `next_attempt_at` (capped backoff). Several relays may run at once: SKIP LOCKED splits the rows.
 * - `in-process` (no REDIS_URL; runs in the API process): leases one due row at a time and runs its
 *   handler directly, with BullMQ's retry semantics recorded on the row (JOB_ATTEMPTS attempts,
 *   exponential backoff from JOB_BACKOFF_MS), ending in `failed_at` when attempts run out or the
 *   error is permanent.
 *
 * The loop never throws: a database or Redis failure is logged once and retried on the next pass.
 * Business transactions only INSERT a row; nothing here ever blocks them.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('OutboxRelay');
  private stopped = true;
  private loopDone: Promise<void> = Promise.resolve();
  private wakeUp: (() => void) | undefined;
  private woken = false;
  private lastProblem: string | undefined;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(QUEUE_MODULE_OPTIONS) private readonly options: QueueModuleOptions,
    private readonly db: TransactionRunner,
    private readonly outbox: OutboxRepository,
    private readonly runner: JobRunner,
    private readonly queues: BullQueues,
  ) {}

  get mode(): RelayMode {
    return this.config.redis.mode === 'redis' ? 'publish' : 'in-process';
  }

  /** The worker always relays; the API relays only when jobs run in-process (no Redis). */
  get runsInThisProcess(): boolean {
    return this.options.role === 'worker' || this.mode === 'in-process';
  }

  get running(): boolean {
    return !this.stopped;
  }

  onApplicationBootstrap(): void {
    if (this.runsInThisProcess) this.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.stop();
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.loopDone = this.loop();
  }

  /** Stops polling and waits for the pass in progress (an in-process job finishes first). */
  async stop(): Promise<void> {
    this.stopped = true;
    this.wakeUp?.();
    await this.loopDone;
  }

  /** Ends the current pause early (e.g. right after a commit that enqueued work). */
  wake(): void {
    this.woken = true;
    this.wakeUp?.();
  }

  /** One pass; returns the number of rows handled. The loop calls it; tests may too. */
  async tick(): Promise<number> {
    return this.mode === 'publish' ? this.publishDue() : this.runNextDue();
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      let handled = 0;
      try {
        handled = await this.tick();
        this.recovered('database');
      } catch (e) {
        this.problem('database', `outbox relay pass failed, retrying: ${errorSummary(e)}`);
      }
      if (this.stopped) break;
      // A full pass means more may be waiting: go on at once. Otherwise pause, unless woken.
      const full = this.mode === 'publish' ? handled >= PUBLISH_BATCH : handled > 0;
      if (!full) await this.pause(this.config.queue.pollMs);
    }
  }

  private async pause(ms: number): Promise<void> {
    if (this.woken) {
      this.woken = false;
      return;
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wakeUp = done;
    });
    this.wakeUp = undefined;
    this.woken = false;
  }

  // ---- Redis mode -------------------------------------------------------------------------------

  private async publishDue(): Promise<number> {
    return this.db.run(async (tx) => {
      const rows = await this.outbox.lockDue(tx, PUBLISH_BATCH);
      if (rows.length === 0) return 0;
      const isInline = (row: OutboxRow) => INLINE_JOBS.has(row.jobName as JobName);
      const toPublish = rows.filter((row) => !isInline(row));
      const [publishFailures, inlineFailures] = await Promise.all([
        Promise.all(
          toPublish.map((row) =>
            this.publishOne(row).then(
              () => undefined,
              (e: unknown) => e,
            ),
          ),
        ),
        this.runInline(rows.filter(isInline)),
      ]);
      const failureOf = new Map<string, unknown>(inlineFailures);
      toPublish.forEach((row, i) => {
        if (publishFailures[i] !== undefined) failureOf.set(row.id, publishFailures[i]);
      });
      await this.outbox.markPublished(
        tx,
        rows.filter((r) => !failureOf.has(r.id)).map((r) => r.id),
      );
      let unreachable: unknown;
      for (const row of rows) {
        const error = failureOf.get(row.id);
        if (error === undefined) continue;
        if (isInline(row)) {
          // An inline job that failed: retried with backoff like any job, failed for good when permanent or out of attempts.
          if (error instanceof PermanentJobError || row.attempts + 1 >= this.config.queue.attempts) {
            await this.outbox.markFailed(row.id, errorSummary(error), tx);
            this.logger.error(`job ${row.jobName} ${row.jobId} failed for good: ${errorSummary(error)}`);
          } else {
            const delay = exponentialBackoffMs(this.config.queue.backoffMs, row.attempts + 1);
            await this.outbox.deferPublish(tx, row.id, errorSummary(error), delay);
            this.logger.warn(`job ${row.jobName} ${row.jobId} failed, retrying in ${delay} ms: ${errorSummary(error)}`);
          }
        } else if (error instanceof PermanentJobError) {
          await this.outbox.markFailed(row.id, errorSummary(error), tx);
          this.logger.error(`outbox row ${row.id} (${row.jobName}) cannot be published: ${errorSummary(error)}`);
        } else {
          unreachable ??= error;
          await this.outbox.deferPublish(
            tx,
            row.id,
            errorSummary(error),
            publishRetryDelayMs(row.attempts + 1, this.config.queue.publishRetryMaxMs),
          );
        }
      }
      if (unreachable === undefined) this.recovered('redis');
      else this.problem('redis', `Redis is unreachable; jobs wait in the outbox: ${errorSummary(unreachable)}`);
      return rows.length;
    });
  }

  /** Runs the inline jobs of a pass (INLINE_JOBS), grouped by name; each row's failure by row id. */
  private async runInline(rows: OutboxRow[]): Promise<Map<string, unknown>> {
    const failures = new Map<string, unknown>();
    const byName = new Map<JobName, OutboxRow[]>();
    for (const row of rows) byName.set(row.jobName as JobName, [...(byName.get(row.jobName as JobName) ?? []), row]);
    for (const [name, group] of byName) {
      const outcomes = await this.runner.runBatch(
        name,
        group.map((row) => ({ payload: row.payload, ctx: { jobId: row.jobId, attempt: row.attempts + 1 } })),
      );
      group.forEach((row, i) => {
        if (outcomes[i] !== undefined) failures.set(row.id, outcomes[i]);
      });
    }
    return failures;
  }

  private async publishOne(row: OutboxRow): Promise<void> {
    if (!isJobName(row.jobName)) throw new PermanentJobError(`unknown job "${row.jobName}"`);
    await this.queues.publish(row.jobName, row.payload, row.jobId);
  }

  // ---- in-process mode --------------------------------------------------------------------------

  private async runNextDue(): Promise<number> {
    const row = await this.outbox.leaseNextDue(IN_PROCESS_LEASE_MS);
    if (!row) return 0;
    const ctx = { jobId: row.jobId, attempt: row.attempts };
    try {
      await this.runner.run(row.jobName, row.payload, ctx);
    } catch (e) {
      const error = errorSummary(e);
      if (e instanceof PermanentJobError || row.attempts >= this.config.queue.attempts) {
        await this.outbox.markFailed(row.id, error);
        this.logger.error(`job ${row.jobName} ${row.jobId} failed for good after ${row.attempts} attempt(s): ${error}`);
      } else {
        const delay = exponentialBackoffMs(this.config.queue.backoffMs, row.attempts);
        await this.outbox.scheduleRetry(row.id, error, delay);
        this.logger.warn(`job ${row.jobName} ${row.jobId} attempt ${row.attempts} failed, retrying in ${delay} ms: ${error}`);
      }
      return 1;
    }
    await this.outbox.markDone(row.id);
    return 1;
  }

  // ---- logging: once per outage, not once per pass ----------------------------------------------

  private problem(kind: 'database' | 'redis', message: string): void {
    if (this.lastProblem === kind) return;
    this.lastProblem = kind;
    this.logger.warn(message);
  }

  private recovered(kind: 'database' | 'redis'): void {
    if (this.lastProblem !== kind) return;
    this.lastProblem = undefined;
    this.logger.log(kind === 'redis' ? 'Redis is reachable again; publishing the outbox' : 'outbox relay recovered');
  }
}
