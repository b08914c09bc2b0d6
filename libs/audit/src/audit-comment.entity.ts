import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Free text that goes with an audit event (a comment typed by a user), outside the Merkle tree so it
 * can be purged: the event's facts reference it by `commentId`, and deleting the row leaves the
 * sealed event, and every proof, intact. The app role may INSERT, SELECT and DELETE (purge), never UPDATE.
 */
@Entity({ name: 'audit_comment' })
export class AuditCommentEntity {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'text' })
  text: string;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;
}
