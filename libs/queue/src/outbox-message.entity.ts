import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * Work a business transaction asked for, written in that same transaction. The relay publishes
 * unpublished rows to BullMQ (or runs them in-process in embedded mode); Redis being down only
 * delays them. `jobId` is deterministic, so a row published twice is still one job.
 *
 * States: pending (`published_at` and `failed_at` null), published (handed to BullMQ, or done when
 * jobs run in-process), failed (in-process only: attempts exhausted or a permanent error).
 */
@Entity({ name: 'outbox_message' })
@Index('outbox_message_pending_idx', ['nextAttemptAt'], { where: 'published_at IS NULL AND failed_at IS NULL' })
@Index('outbox_message_failed_idx', ['failedAt', 'id'], { where: 'failed_at IS NOT NULL' })
export class OutboxMessageEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ type: 'text' })
  jobName: string;

  @Column({ type: 'text', unique: true })
  jobId: string;

  /** Ids only, never secrets or personal data. */
  @Column({ type: 'jsonb' })
  payload: Record<string, unknown>;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  nextAttemptAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  publishedAt: Date | null;

  /** Publish attempts (Redis mode) or execution attempts (in-process mode). */
  @Column({ type: 'integer', default: 0 })
  attempts: number;

  @Column({ type: 'text', nullable: true })
  lastError: string | null;

  /** In-process mode only: the job failed for good (attempts exhausted or a permanent error). */
  @Column({ type: 'timestamptz', nullable: true })
  failedAt: Date | null;
}
