import { Injectable } from '@nestjs/common';
import { JobContext, PermanentJobError } from './job-handler';
import { JobHandlerRegistry } from './job-handler.registry';
import { isJobName, JOB_PAYLOAD_VALIDATORS, JobName, JobPayloads } from './jobs';
import { PayloadInvalid } from './payload-validation';

/**
 * Validates a job as it is consumed and calls its handler. Used by the BullMQ processor and by the
 * in-process relay alike. Unknown jobs, missing handlers and invalid payloads are permanent failures.
 */
@Injectable()
export class JobRunner {
  constructor(private readonly registry: JobHandlerRegistry) {}

  async run(name: string, payload: unknown, ctx: JobContext): Promise<void> {
    if (!isJobName(name)) throw new PermanentJobError(`unknown job "${name}"`);
    const handler = this.registry.get(name);
    if (!handler) throw new PermanentJobError(`no handler is registered for job "${name}" in this process`);
    await handler.handle(this.validate(name, payload), ctx);
  }

  /**
   * Runs jobs of one name together (INLINE_JOBS): through the handler's `handleBatch`, or one by one.
   * Returns each job's failure (undefined when it succeeded), in order.
   */
  async runBatch(name: JobName, jobs: { payload: unknown; ctx: JobContext }[]): Promise<unknown[]> {
    const handler = this.registry.get(name);
    if (handler?.handleBatch) {
      const valid: { index: number; payload: unknown }[] = [];
      const outcomes: unknown[] = jobs.map((j, index) => {
        try {
          valid.push({ index, payload: this.validate(name, j.payload) });
          return undefined;
        } catch (e) {
          return e;
        }
      });
      if (valid.length === 0) return outcomes;
      let failures: unknown[];
      try {
        failures = await (handler.handleBatch as (p: unknown[]) => Promise<unknown[]>).call(
          handler,
          valid.map((v) => v.payload),
        );
      } catch (e) {
        failures = valid.map(() => e);
      }
      valid.forEach((v, i) => (outcomes[v.index] = failures[i]));
      return outcomes;
    }
    const outcomes: unknown[] = [];
    for (const j of jobs) {
      outcomes.push(
        await this.run(name, j.payload, j.ctx).then(
          () => undefined,
          (e: unknown) => e,
        ),
      );
    }
    return outcomes;
  }

  validate<N extends JobName>(name: N, payload: unknown): JobPayloads[N] {
    try {
      return JOB_PAYLOAD_VALIDATORS[name](payload);
    } catch (e) {
      if (e instanceof PayloadInvalid) throw new PermanentJobError(`invalid payload for job "${name}": ${e.message}`);
      throw e;
    }
  }
}
