import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * A public key checkpoints are signed with, append-only. Rotation adds a row (the newest
 * `activated_at` signs from then on); old keys stay so old checkpoints keep verifying.
 */
@Entity({ name: 'audit_signing_key' })
export class AuditSigningKeyEntity {
  @PrimaryColumn({ type: 'text' })
  keyId: string;

  /** SPKI PEM of the ES256 (P-256) public key. */
  @Column({ type: 'text' })
  publicKeyPem: string;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  activatedAt: Date;
}
