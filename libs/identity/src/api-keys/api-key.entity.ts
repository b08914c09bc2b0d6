import { JoinColumn, ManyToOne, Check, Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { OrganisationEntity } from '../organisations/organisation.entity';

/** A device or integration credential: a 256-bit secret shown once, stored as SHA-256. */
@Entity({ name: 'api_key' })
@Check('api_key_role_check', `role IN ('admin','agent','finance','viewer','dpo')`)
@Index('api_key_hash_key', ['secretHash'], { unique: true })
@Index('api_key_organisation_idx', ['organisationId', 'createdAt', 'id'])
export class ApiKeyEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  organisationId: string;

  @ManyToOne(() => OrganisationEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'organisation_id' })
  organisation?: OrganisationEntity;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text' })
  role: string;

  /** First characters of the secret, to recognise a key in a list without revealing it. */
  @Column({ type: 'text' })
  prefix: string;

  @Column({ type: 'bytea' })
  secretHash: Buffer;

  @Column({ type: 'uuid', nullable: true })
  createdByUserId: string | null;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  revokedAt: Date | null;

  /** Written at most once a minute, outside request transactions. */
  @Column({ type: 'timestamptz', nullable: true })
  lastUsedAt: Date | null;
}
