import { Injectable } from '@nestjs/common';
import { JobHandler } from './job-handler';
import { JobName } from './jobs';

/** Every job handler of this process, one per job name. Handlers call `register(this)` in onModuleInit. */
@Injectable()
export class JobHandlerRegistry {
  private readonly handlers = new Map<JobName, JobHandler<JobName>>();

  register<N extends JobName>(handler: JobHandler<N>): void {
    if (this.handlers.has(handler.name)) throw new Error(`two handlers registered for job "${handler.name}"`);
    this.handlers.set(handler.name, handler);
  }

  get<N extends JobName>(name: N): JobHandler<N> | undefined {
    return this.handlers.get(name) as JobHandler<N> | undefined;
  }

  names(): JobName[] {
    return [...this.handlers.keys()];
  }
}
