import { Check, Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * Who read a person's data, when and why. Outside the audit tree on purpose: it names people
 * (by pseudonym) and is purged after 12 months. Visible to the operator's DPO.
 *
 * The reader is a user or an API key of an organisation, or the platform itself (`system`: a job,
 * e.g. the satisfaction survey), which has neither an id nor an organisation.
 */
@Entity({ name: 'personal_data_access' })
@Index('personal_data_access_person_idx', ['personPseudonym', 'accessedAt'])
@Index('personal_data_access_time_idx', ['accessedAt'])
@Check('personal_data_access_actor_type_check', `actor_type IN ('user', 'api_key', 'system')`)
@Check(
  'personal_data_access_actor_check',
  `(actor_type = 'system') = (actor_id IS NULL) AND (actor_id IS NULL) = (organisation_id IS NULL)`,
)
export class PersonalDataAccessEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: string;

  @Column({ type: 'text' })
  personPseudonym: string;

  /** 'user', 'api_key' or 'system'. */
  @Column({ type: 'text' })
  actorType: string;

  /** The user or API key; null for a system read. */
  @Column({ type: 'uuid', nullable: true })
  actorId: string | null;

  /** The reader's organisation; null for a system read. */
  @Column({ type: 'uuid', nullable: true })
  organisationId: string | null;

  /** What was read: 'profile', 'contact', 'export'. */
  @Column({ type: 'text' })
  what: string;

  @Column({ type: 'text' })
  purpose: string;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  accessedAt: Date;
}
