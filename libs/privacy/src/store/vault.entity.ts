import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * One person in the vault: a random id and their data key, wrapped by the master key (never stored
 * in clear). Erasure deletes the wrapped key (crypto-shredding): every record sealed under it becomes
 * unreadable, and the row stays as proof of erasure with `erased_at`.
 */
@Entity({ name: 'vault_person' })
@Index('vault_person_pseudonym_key', ['pseudonym'], { unique: true })
export class VaultPersonEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'vault_person_pkey' })
  vaultId: string;

  /** HMAC of the vault id: the only way the rest of the database names this person. */
  @Column({ type: 'text' })
  pseudonym: string;

  @Column({ type: 'bytea', nullable: true })
  wrappedKey: Buffer | null;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  erasedAt: Date | null;

  @Column({ type: 'text', nullable: true })
  erasureReason: string | null;
}

/**
 * A sealed record of a person (e.g. their contact details), AES-GCM under their data key, with the
 * consent it was given under. Deleted at erasure, consent withdrawal or retention.
 */
@Entity({ name: 'vault_record' })
export class VaultRecordEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'vault_record_pkey' })
  vaultId: string;

  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'vault_record_pkey' })
  field: string;

  @Column({ type: 'bytea' })
  sealed: Buffer;

  @Column({ type: 'text' })
  consentPurpose: string;

  @Column({ type: 'date' })
  consentGivenOn: string;

  @Column({ type: 'text' })
  consentTextVersion: string;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;
}
