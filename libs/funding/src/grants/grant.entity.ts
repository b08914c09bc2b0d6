import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { OrganisationEntity } from '../../../identity/src/organisations/organisation.entity';
import { ProgrammeEntity } from '../programmes/programme.entity';

/**
 * A programme's award to a funder, as first signed. Its current amount and end date are those of
 * its latest amendment (`grant_amendment`, append-only); this row keeps the original figures.
 * Named `funding_grant` because GRANT is an SQL keyword.
 */
@Entity({ name: 'funding_grant' })
@Index('funding_grant_programme_idx', ['programmeId', 'createdAt', 'id'])
@Index('funding_grant_funder_idx', ['funderId'])
@Check('funding_grant_amount_check', `amount_cents > 0`)
@Check('funding_grant_cofinancing_rate_check', `cofinancing_rate_bp BETWEEN 0 AND 10000`)
@Check('funding_grant_dates_check', `end_date >= awarded_on`)
export class GrantEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  programmeId: string;

  @ManyToOne(() => ProgrammeEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'programme_id' })
  programme?: ProgrammeEntity;

  @Column({ type: 'uuid' })
  funderId: string;

  @ManyToOne(() => OrganisationEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'funder_id' })
  funder?: OrganisationEntity;

  @Column({ type: 'bigint' })
  amountCents: string;

  @Column({ type: 'integer' })
  cofinancingRateBp: number;

  @Column({ type: 'date' })
  awardedOn: string;

  @Column({ type: 'date' })
  endDate: string;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;
}

/** An amendment (avenant): a new end date and/or amount, dated, with a reason code. Append-only. */
@Entity({ name: 'grant_amendment' })
@Index('grant_amendment_grant_idx', ['grantId', 'amendedOn', 'createdAt'])
@Check('grant_amendment_change_check', `new_end_date IS NOT NULL OR new_amount_cents IS NOT NULL`)
@Check('grant_amendment_amount_check', `new_amount_cents IS NULL OR new_amount_cents > 0`)
@Check(
  'grant_amendment_reason_check',
  `reason_code IN ('EXTENSION','BUDGET_INCREASE','BUDGET_DECREASE','EXTENSION_AND_BUDGET','CORRECTION')`,
)
export class GrantAmendmentEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  grantId: string;

  @ManyToOne(() => GrantEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'grant_id' })
  grant?: GrantEntity;

  @Column({ type: 'date' })
  amendedOn: string;

  @Column({ type: 'text' })
  reasonCode: string;

  @Column({ type: 'date', nullable: true })
  newEndDate: string | null;

  @Column({ type: 'bigint', nullable: true })
  newAmountCents: string | null;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;
}
