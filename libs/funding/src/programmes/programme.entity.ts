import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { PolicyEntity } from '../policies/policy.entity';

/** A programme under a policy (e.g. "AAP 2019"): its budget obtained and maximum co-financing rate. */
@Entity({ name: 'programme' })
@Index('programme_policy_idx', ['policyId', 'createdAt', 'id'])
@Index('programme_list_idx', ['createdAt', 'id'])
@Check('programme_max_cofinancing_rate_check', `max_cofinancing_rate_bp BETWEEN 0 AND 10000`)
export class ProgrammeEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  policyId: string;

  @ManyToOne(() => PolicyEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'policy_id' })
  policy?: PolicyEntity;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'integer' })
  maxCofinancingRateBp: number;

  @Column({ type: 'date', nullable: true })
  announcedOn: string | null;

  @Column({ type: 'date', nullable: true })
  launchedOn: string | null;

  @Column({ type: 'date', nullable: true })
  laureatesPublishedOn: string | null;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  updatedAt: Date;
}

/** Budget obtained for a programme. Append-only. */
@Entity({ name: 'programme_funding_source' })
@Index('programme_funding_source_programme_idx', ['programmeId', 'obtainedOn'])
@Check('programme_funding_source_amount_check', `amount_cents > 0`)
export class ProgrammeFundingSourceEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  programmeId: string;

  @ManyToOne(() => ProgrammeEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'programme_id' })
  programme?: ProgrammeEntity;

  @Column({ type: 'text' })
  label: string;

  @Column({ type: 'bigint' })
  amountCents: string;

  @Column({ type: 'date' })
  obtainedOn: string;

  @Column({ type: 'text' })
  reference: string;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;
}
