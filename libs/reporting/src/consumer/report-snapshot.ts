import { Injectable } from '@nestjs/common';
import { AuditProofsService } from '@sillage/audit';
import { TransactionRunner, Tx } from '@sillage/db';
import { ReportCheckpointDto } from '../transparency/dto/transparency.dto';
import { ReportConsumer } from './report-consumer';

/**
 * Every report reads the aggregates in one REPEATABLE READ transaction together with the tree size
 * they cover, and names that signed checkpoint (null before anything was consumed): its figures are
 * then exactly "as of checkpoint N" even while the consumer moves on (ADR 16).
 */
@Injectable()
export class ReportSnapshot {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly consumer: ReportConsumer,
    private readonly proofs: AuditProofsService,
  ) {}

  run<T>(work: (tx: Tx, checkpoint: ReportCheckpointDto | null) => Promise<T>): Promise<T> {
    return this.tx.run(async (tx) => {
      await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ');
      // Report queries run in milliseconds; compiling them (JIT, on for costly plans) took longer than that.
      await tx.query('SET LOCAL jit = off');
      const size = await this.consumer.treeSize(tx);
      const c = size > 0 ? await this.proofs.checkpointIn(tx, size) : null;
      return work(tx, c && { treeSize: c.treeSize, root: c.root, issuedAt: c.issuedAt, keyId: c.keyId, signature: c.signature });
    });
  }
}
