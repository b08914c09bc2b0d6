import { Injectable } from '@nestjs/common';
import type { Tx } from '@sillage/db';
import { OutboxMessageEntity } from './outbox-message.entity';
import { JobName, JobPayloads } from './jobs';

@Injectable()
export class Outbox {
  /**
   * Records a job in the caller's transaction. `jobId` must be deterministic for the business fact
   * (e.g. `set-password:<userId>:<requestId>`): enqueueing the same fact twice is a no-op.
   */
  async enqueue<N extends JobName>(tx: Tx, name: N, payload: JobPayloads[N], jobId: string): Promise<void> {
    const table = tx.connection.getMetadata(OutboxMessageEntity).tableName;
    await tx.query(`INSERT INTO ${table} (job_name, job_id, payload) VALUES ($1, $2, $3) ON CONFLICT (job_id) DO NOTHING`, [
      name,
      jobId,
      JSON.stringify(payload),
    ]);
  }
}
