import { newestFirstPage } from '../newest-first-page';
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AuditLog } from '@sillage/audit';
import { Page, uuidFromName } from '@sillage/common';
import { TransactionRunner } from '@sillage/db';
import { actorOf, Principal } from '@sillage/identity';
import { Outbox } from '@sillage/queue';
import { SettlementError } from '../settlement.errors';
import { RUN_COLUMNS, RunRow, SettlementRunner } from './settlement-runner';
import { SettlementRunDto } from './dto/settlement-run.dto';

export function toRunDto(r: RunRow): SettlementRunDto {
  return {
    id: r.id,
    cutoff: r.cutoff.toISOString(),
    status: r.status,
    trigger: r.trigger,
    startedBy: r.startedBy,
    startedAt: r.startedAt.toISOString(),
    completedAt: r.completedAt?.toISOString() ?? null,
    batchId: r.batchId,
    statements: r.statements,
    amountCents: Number(r.amountCents),
  };
}

/**
 * Starting settlement runs (operator finance, or the monthly schedule) and reading them. The run
 * itself is a job (`settlement.run`) queued through the outbox in the same transaction as the run
 * row: it survives a crash of the API and resumes in the worker.
 */
@Injectable()
export class SettlementRunsService {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly outbox: Outbox,
    private readonly audit: AuditLog,
    private readonly runner: SettlementRunner,
  ) {}

  /** Returns the run and whether this call created it. */
  async start(
    principal: Principal | undefined,
    cutoffInput: string,
    requestId?: string,
  ): Promise<{ run: SettlementRunDto; created: boolean }> {
    const cutoff = new Date(cutoffInput);
    // Strictly not in the future: a cutoff ahead of now would claim redemptions still undoable and
    // incidents decided after part of the run, so the run would no longer be deterministic.
    if (cutoff.getTime() > Date.now()) {
      throw new SettlementError(
        'CUTOFF_IN_FUTURE',
        `the cutoff ${cutoff.toISOString()} is in the future: a run settles what already happened`,
        {
          field: 'cutoff',
        },
      );
    }
    const id = uuidFromName(`settlement-run:${cutoff.toISOString()}`);
    return this.tx.run(async (tx) => {
      // One run at a time: a second cutoff waits until the running one completes (or is resumed).
      await tx.query('SELECT pg_advisory_xact_lock(1397050002)');
      const [existing] = await tx.query<RunRow[]>(`SELECT ${RUN_COLUMNS} FROM settlement_run WHERE cutoff = $1`, [cutoff]);
      if (existing) {
        // Starting a run that is still running resumes it (its job may have failed for good after a crash):
        // the runner is idempotent and locks each site, so a second execution never prices a site twice.
        if (existing.status === 'running')
          await this.outbox.enqueue(tx, 'settlement.run', { runId: existing.id }, `settlement-run:${existing.id}:resume:${randomUUID()}`);
        return { run: toRunDto(existing), created: false };
      }
      const running = await tx.query<
        {
          id: string;
          cutoff: Date;
        }[]
      >(`SELECT id, cutoff FROM settlement_run WHERE status = 'running' LIMIT 1`);
      if (running.length > 0) {
        throw new SettlementError(
          'RUN_IN_PROGRESS',
          `the run with cutoff ${running[0].cutoff.toISOString()} is still running: wait for it to complete (or start it again to resume it)`,
          { meta: { runId: running[0].id } },
        );
      }
      await tx.query(`INSERT INTO settlement_run (id, cutoff, trigger, started_by) VALUES ($1, $2, $3, $4)`, [
        id,
        cutoff,
        principal ? 'operator' : 'schedule',
        principal?.id ?? null,
      ]);
      await this.outbox.enqueue(tx, 'settlement.run', { runId: id }, `settlement-run:${id}`);
      await this.audit.append(tx, {
        action: 'settlement.run_started',
        actor: principal ? actorOf(principal) : { type: 'system' },
        subject: { type: 'settlement_run', id },
        facts: { cutoff: cutoff.toISOString() },
        requestId,
      });
      return { run: toRunDto((await this.runner.find(tx, id))!), created: true };
    });
  }

  async get(id: string): Promise<SettlementRunDto> {
    const run = await this.runner.find(this.tx.manager, id);
    if (!run) throw new SettlementError('NOT_FOUND', 'settlement run not found');
    return toRunDto(run);
  }

  async list(q: { limit?: number; cursor?: string }): Promise<Page<SettlementRunDto>> {
    const page = await newestFirstPage<RunRow>(this.tx.manager, q, {
      select: RUN_COLUMNS,
      from: 'settlement_run',
      where: 'true',
      params: [],
      key: 'cutoff',
      id: 'id',
    });
    return { items: page.items.map(toRunDto), nextCursor: page.nextCursor };
  }
}
