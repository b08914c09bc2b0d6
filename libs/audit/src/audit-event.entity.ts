import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * One state change, append-only. `canonical` holds the exact RFC 8785 bytes serialised at append;
 * verification (and the Merkle sealing of the next step) hashes these bytes, never a re-encoding.
 * The other columns are copies of fields inside those bytes, for querying.
 */
@Entity({ name: 'audit_event' })
@Index('audit_event_subject_idx', ['subjectType', 'subjectId'])
@Index('audit_event_recorded_at_idx', ['recordedAt'])
@Index('audit_event_xid_idx', ['xid'])
export class AuditEventEntity {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'timestamptz' })
  recordedAt: Date;

  @Column({ type: 'text' })
  action: string;

  @Column({ type: 'text' })
  actorType: string;

  @Column({ type: 'uuid', nullable: true })
  actorId: string | null;

  @Column({ type: 'uuid', nullable: true })
  actorOrganisationId: string | null;

  @Column({ type: 'text' })
  subjectType: string;

  @Column({ type: 'text', nullable: true })
  subjectId: string | null;

  @Column({ type: 'text', nullable: true })
  reasonCode: string | null;

  @Column({ type: 'bytea' })
  canonical: Buffer;

  /**
   * The 64-bit id of the transaction that wrote the event (set by the database, never by the
   * application): the sealer finds events committed after its previous pass by this id instead of
   * scanning a time window (see AuditSealer). Null for events written before the column existed.
   */
  @Column({ type: 'bigint', nullable: true, default: () => 'audit_writer_xid()', insert: false, update: false, select: false })
  xid?: string | null;
}
