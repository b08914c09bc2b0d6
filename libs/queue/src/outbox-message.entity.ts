import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * Work a business transaction asked for, written in that same transaction. The relay publishes
 * unpublished rows to BullMQ (or runs them in-process in embedded mode); Redis being down only
 * delays them. `jobId` is deterministic, so a row published twice is still one job.
 */
@Entity({ name: 'outbox_message' })
@Index('outbox_message_unpublished_idx', ['nextAttemptAt'], { where: 'published_at IS NULL' })
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

  @Column({ type: 'integer', default: 0 })
  attempts: number;

  @Column({ type: 'text', nullable: true })
  lastError: string | null;
}
