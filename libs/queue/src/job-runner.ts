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

  validate<N extends JobName>(name: N, payload: unknown): JobPayloads[N] {
    try {
      return JOB_PAYLOAD_VALIDATORS[name](payload);
    } catch (e) {
      if (e instanceof PayloadInvalid) throw new PermanentJobError(`invalid payload for job "${name}": ${e.message}`);
      throw e;
    }
  }
}
