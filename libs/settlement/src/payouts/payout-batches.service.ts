import { newestFirstPage } from '../newest-first-page';
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AuditLog } from '@sillage/audit';
import { Page } from '@sillage/common';
import { TransactionRunner, Tx } from '@sillage/db';
import { actorOf, Principal } from '@sillage/identity';
import { buildPayoutCsv } from '../sepa/payout-csv';
import { SettlementError } from '../settlement.errors';
import { ListPayoutBatchesQueryDto, PayoutBatchDto } from './dto/payout.dto';
import { batchPayouts, PayoutBatchFileWriter } from './payout-batch-file';
import { PayoutPlanner } from './payout-planner';

interface BatchRow {
  id: string;
  number: string;
  runId: string | null;
  status: string;
  preparedBy: string | null;
  releasedBy: string | null;
  releasedAt: Date | null;
  paymentCount: number;
  totalCents: string;
  requestedExecutionDate: string | null;
  fileSha256: string | null;
  createdAt: Date;
}

const COLUMNS = `id, number, run_id AS "runId", status, prepared_by AS "preparedBy", released_by AS "releasedBy", released_at AS "releasedAt",
  payment_count AS "paymentCount", total_cents::text AS "totalCents", requested_execution_date::text AS "requestedExecutionDate",
  file_sha256 AS "fileSha256", created_at AS "createdAt"`;

const toDto = (r: BatchRow): PayoutBatchDto => ({
  ...r,
  releasedAt: r.releasedAt?.toISOString() ?? null,
  totalCents: Number(r.totalCents),
  createdAt: r.createdAt.toISOString(),
});

export interface BatchFileDownload {
  filename: string;
  contentType: string;
  body: string;
}

/**
 * Payout batches for operator finance: reading them, asking for one by hand (what waits and may be
 * paid now), releasing one (four eyes: never the user who prepared it) and downloading its files —
 * only once released, each download audited.
 */
@Injectable()
export class PayoutBatchesService {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly audit: AuditLog,
    private readonly planner: PayoutPlanner,
    private readonly files: PayoutBatchFileWriter,
  ) {}

  async list(q: ListPayoutBatchesQueryDto): Promise<Page<PayoutBatchDto>> {
    const page = await newestFirstPage<BatchRow>(this.tx.manager, q, {
      select: COLUMNS,
      from: 'payout_batch',
      where: '$1::text IS NULL OR status = $1',
      params: [q.status ?? null],
      key: 'created_at',
      id: 'id',
    });
    return { items: page.items.map(toDto), nextCursor: page.nextCursor };
  }

  async get(id: string): Promise<PayoutBatchDto> {
    return toDto(await this.row(this.tx.manager, id));
  }

  /** A batch of everything that may be paid now, outside a run (e.g. after a rejected payout was corrected). */
  async create(principal: Principal): Promise<PayoutBatchDto> {
    await this.files.finishInterrupted();
    const origin = { runId: null, preparedBy: principal.id };
    const batchId = this.planner.batchIdFor(origin, randomUUID());
    const added = await this.planner.addPayouts(batchId, origin);
    if (added === 0) {
      throw new SettlementError('NOTHING_TO_PAY', 'no site may be paid now: see GET /v1/payouts/waiting for what waits and why');
    }
    await this.files.write(batchId);
    return this.get(batchId);
  }

  /**
   * Releases a batch for download. The releasing user must differ from the one who prepared it; a batch
   * prepared by the schedule (nobody) takes a first approval, then a release by another user.
   */
  async release(principal: Principal, id: string, requestId?: string): Promise<PayoutBatchDto> {
    return this.tx.run(async (tx) => {
      const batch = await this.row(tx, id, true);
      if (batch.status === 'building') throw new SettlementError('BATCH_NOT_READY', `batch ${batch.number} is still being prepared`);
      if (batch.status === 'released') return toDto(batch);
      if (batch.preparedBy === null) {
        await tx.query(`UPDATE payout_batch SET prepared_by = $2 WHERE id = $1`, [id, principal.id]);
        await this.audit.append(tx, {
          action: 'settlement.payout_batch_approved',
          actor: actorOf(principal),
          subject: { type: 'payout_batch', id },
          facts: { number: batch.number },
          requestId,
        });
        return toDto(await this.row(tx, id));
      }
      if (batch.preparedBy === principal.id) {
        throw new SettlementError(
          'FOUR_EYES',
          `batch ${batch.number} was prepared by you: a second finance user must release it (four eyes)`,
        );
      }
      await tx.query(`UPDATE payout_batch SET status = 'released', released_by = $2, released_at = now() WHERE id = $1`, [
        id,
        principal.id,
      ]);
      await this.audit.append(tx, {
        action: 'settlement.payout_batch_released',
        actor: actorOf(principal),
        subject: { type: 'payout_batch', id },
        facts: { number: batch.number, payments: batch.paymentCount, totalCents: Number(batch.totalCents) },
        requestId,
      });
      return toDto(await this.row(tx, id));
    });
  }

  /** The released batch's pain.001 file (as stored when prepared) or its CSV; each download is audited. */
  async download(principal: Principal, id: string, format: 'sepa' | 'csv', requestId?: string): Promise<BatchFileDownload> {
    return this.tx.run(async (tx) => {
      const batch = await this.row(tx, id);
      if (batch.status !== 'released') {
        throw new SettlementError(
          'BATCH_NOT_RELEASED',
          `batch ${batch.number} is not released: a second finance user must release it before its file can be downloaded`,
        );
      }
      const [stored] = await tx.query<{ xml: string; createdAt: Date }[]>(
        `SELECT file_xml AS xml, created_at AS "createdAt" FROM payout_batch WHERE id = $1`,
        [id],
      );
      const body = format === 'sepa' ? stored.xml : buildPayoutCsv(this.files.fileOf(batch, await batchPayouts(tx, id), stored.createdAt));
      await this.audit.append(tx, {
        action: 'settlement.payout_batch_downloaded',
        actor: actorOf(principal),
        subject: { type: 'payout_batch', id },
        facts: { number: batch.number, format: format === 'sepa' ? 'pain.001.001.09' : 'csv', sha256: batch.fileSha256 ?? '' },
        requestId,
      });
      return format === 'sepa'
        ? { filename: `${batch.number}.xml`, contentType: 'application/xml; charset=utf-8', body }
        : { filename: `${batch.number}.csv`, contentType: 'text/csv; charset=utf-8', body: '\uFEFF' + body };
    });
  }

  private async row(m: Pick<Tx, 'query'>, id: string, forUpdate = false): Promise<BatchRow> {
    const [row] = await m.query<BatchRow[]>(`SELECT ${COLUMNS} FROM payout_batch WHERE id = $1${forUpdate ? ' FOR UPDATE' : ''}`, [id]);
    if (!row) throw new SettlementError('NOT_FOUND', 'payout batch not found');
    return row;
  }
}
