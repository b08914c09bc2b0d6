import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { AuditSigningKeyEntity } from './audit-signing-key.entity';

/**
 * A signed tree head, append-only: the root of the first `tree_size` leaves. `frontier` holds the
 * roots of the tree's complete subtrees (one per set bit of the size, largest first) so the next seal
 * continues from here in O(batch); verifiers never trust it, they rebuild the tree from the leaves.
 */
@Entity({ name: 'audit_checkpoint' })
export class AuditCheckpointEntity {
  @PrimaryColumn({ type: 'bigint' })
  treeSize: string;

  @Column({ type: 'bytea' })
  root: Buffer;

  @Column({ type: 'bigint', nullable: true })
  previousTreeSize: string | null;

  @Column({ type: 'timestamptz' })
  issuedAt: Date;

  @Column({ type: 'text' })
  keyId: string;

  @ManyToOne(() => AuditSigningKeyEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'key_id' })
  key?: AuditSigningKeyEntity;

  /** ES256 (IEEE P1363, r ‖ s) over the canonical checkpoint body. */
  @Column({ type: 'bytea' })
  signature: Buffer;

  @Column({ type: 'bytea' })
  frontier: Buffer;

  /**
   * Sealer bookkeeping, outside the signed body: every event written by a transaction whose id is
   * below this one is sealed by this checkpoint or an earlier one. The next pass looks for late
   * commits only among events of transactions from this id on. Null on checkpoints written before
   * the column existed, or by a pass that stopped at its batch limit.
   */
  @Column({ type: 'bigint', nullable: true })
  sealedBelowXid: string | null;
}
