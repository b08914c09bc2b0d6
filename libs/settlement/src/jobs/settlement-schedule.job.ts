import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@sillage/config';
import { TransactionRunner } from '@sillage/db';
import { JobHandler, JobHandlerRegistry, JobPayloads } from '@sillage/queue';
import { SettlementRunsService } from '../runs/settlement-runs.service';

/** Whether a Paris calendar day (YYYY-MM-DD) is a settlement day of the schedule. */
export function isSettlementDay(schedule: AppConfig['settlement']['schedule'], day: string): boolean {
  if (schedule === 'monthly') return day.endsWith('-01');
  if (schedule === 'weekly') return new Date(`${day}T12:00:00Z`).getUTCDay() === 1;
  return false;
}

/**
 * The daily `settlement.schedule` job: on a settlement day (the 1st of the month by default), starts
 * the run whose cutoff is that day at 00:00 Paris, as the schedule (no user). Idempotent with the
 * run itself: the same cutoff is one run. While another run is still running the job fails and is
 * retried with backoff, so the scheduled run starts once that one completes.
 */
@Injectable()
export class SettlementScheduleJob implements JobHandler<'settlement.schedule'>, OnModuleInit {
  readonly name = 'settlement.schedule' as const;
  private readonly log = new Logger('SettlementSchedule');

  constructor(
    private readonly registry: JobHandlerRegistry,
    private readonly tx: TransactionRunner,
    private readonly runs: SettlementRunsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  async handle({ day }: JobPayloads['settlement.schedule']): Promise<void> {
    if (!isSettlementDay(this.config.settlement.schedule, day)) return;
    const [{ cutoff }] = await this.tx.manager.query<{ cutoff: Date }[]>(
      `SELECT (($1::date)::timestamp AT TIME ZONE 'Europe/Paris') AS cutoff`,
      [day],
    );
    const { run, created } = await this.runs.start(undefined, cutoff.toISOString());
    if (created) this.log.log({ msg: 'scheduled settlement run started', runId: run.id, cutoff: run.cutoff });
  }
}
