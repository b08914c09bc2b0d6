import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * Who read a person's data, when and why. Outside the audit tree on purpose: it names people
 * (by pseudonym) and is purged after 12 months. Visible to the operator's DPO.
 */
@Entity({ name: 'personal_data_access' })
@Index('personal_data_access_person_idx', ['personPseudonym', 'accessedAt'])
@Index('personal_data_access_time_idx', ['accessedAt'])
export class PersonalDataAccessEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: string;

  @Column({ type: 'text' })
  personPseudonym: string;

  @Column({ type: 'text' })
  actorType: string;

  @Column({ type: 'uuid' })
  actorId: string;

  @Column({ type: 'uuid' })
  organisationId: string;

  /** What was read: 'profile', 'contact', 'export'. */
  @Column({ type: 'text' })
  what: string;

  @Column({ type: 'text' })
  purpose: string;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  accessedAt: Date;
}
