import { Injectable, OnModuleInit } from '@nestjs/common';
import { JobHandler, JobHandlerRegistry, JobPayloads } from '@sillage/queue';
import { SettlementRunner } from '../runs/settlement-runner';

/** Executes (or resumes) a settlement run in the worker; idempotent, so a retry after a crash finishes the run. */
@Injectable()
export class SettlementRunJob implements JobHandler<'settlement.run'>, OnModuleInit {
  readonly name = 'settlement.run' as const;

  constructor(
    private readonly registry: JobHandlerRegistry,
    private readonly runner: SettlementRunner,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  async handle({ runId }: JobPayloads['settlement.run']): Promise<void> {
    await this.runner.execute(runId);
  }
}
