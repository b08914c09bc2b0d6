import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { OrganisationEntity } from '../organisations/organisation.entity';

/** A person with one organisation and one role. */
@Entity({ name: 'app_user' })
@Check('app_user_role_check', `role IN ('admin','agent','finance','viewer','dpo')`)
@Check('app_user_status_check', `status IN ('invited','active','disabled')`)
@Check('app_user_email_check', `email = lower(email) AND position('@' in email) > 1`)
@Index('app_user_email_key', ['email'], { unique: true })
@Index('app_user_organisation_idx', ['organisationId', 'createdAt', 'id'])
export class UserEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  organisationId: string;

  @ManyToOne(() => OrganisationEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'organisation_id' })
  organisation?: OrganisationEntity;

  /** Stored lower-cased; the login compares lower-cased input. */
  @Column({ type: 'text' })
  email: string;

  @Column({ type: 'text' })
  displayName: string;

  @Column({ type: 'text' })
  role: string;

  @Column({ type: 'text', default: 'invited' })
  status: string;

  /** argon2id; null until the user sets a password. */
  @Column({ type: 'text', nullable: true })
  passwordHash: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  passwordChangedAt: Date | null;

  /** Base32 TOTP secret; pending until confirmed with a first code. */
  @Column({ type: 'text', nullable: true })
  totpSecret: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  totpEnabledAt: Date | null;

  /** Last accepted TOTP time step: a code is never accepted twice. */
  @Column({ type: 'bigint', nullable: true })
  totpLastStep: string | null;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  updatedAt: Date;
}
