import { JobName, JobPayloads } from './jobs';

export interface JobContext {
  /** The deterministic job id (the outbox row's `job_id`, BullMQ's job id). */
  jobId: string;
  /** 1 on the first run, then 2, 3, … */
  attempt: number;
}

/**
 * A job handler is a plain Nest service. It registers itself with `JobHandlerRegistry` in
 * `onModuleInit`; the BullMQ processor (worker process) and the in-process relay (embedded mode) are
 * thin adapters that call `handle`, so the same code runs in both modes. Handlers must be
 * idempotent: a job may run again after a crash or a retry.
 */
export interface JobHandler<N extends JobName> {
  readonly name: N;
  handle(payload: JobPayloads[N], ctx: JobContext): Promise<void>;
  /**
   * For jobs in INLINE_JOBS: many at once (the relay's batch). Returns each job's failure (undefined
   * when it succeeded), in order, so a failure retries that job alone and never re-runs the others;
   * throwing fails the whole batch (nothing was done: each job is retried later).
   */
  handleBatch?(payloads: JobPayloads[N][]): Promise<unknown[]>;
}

/** Thrown (or wrapped) when retrying cannot help: the job fails at once, without further attempts. */
export class PermanentJobError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentJobError';
  }
}
