import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { AuditEventEntity } from './audit-event.entity';

/**
 * An event's place in the Merkle tree, append-only. Indexes are dense: the sealer inserts them under
 * an advisory lock, in the same transaction as the checkpoint that covers them. `recorded_at` is the
 * event's, copied so the sealer can resume after the last sealed event without a join.
 */
@Entity({ name: 'audit_leaf' })
@Index('audit_leaf_event_key', ['eventId'], { unique: true })
@Index('audit_leaf_recorded_idx', ['recordedAt', 'eventId'])
export class AuditLeafEntity {
  @PrimaryColumn({ type: 'bigint' })
  leafIndex: string;

  @Column({ type: 'uuid' })
  eventId: string;

  @ManyToOne(() => AuditEventEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'event_id' })
  event?: AuditEventEntity;

  @Column({ type: 'timestamptz' })
  recordedAt: Date;

  /** SHA-256(0x00 ‖ canonical bytes). */
  @Column({ type: 'bytea' })
  leafHash: Buffer;
}
