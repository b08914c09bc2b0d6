import { Check, Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export const NOTICE_KINDS = ['validity_30', 'validity_15', 'validity_7', 'distribution_stop'] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];

/**
 * A dashboard alert for an organisation about one order: its validity ends in 30, 15 or 7 days, or its
 * distribution stops today; with what is left. One per (organisation, order, kind); an email goes out
 * through the outbox when it is created.
 */
@Entity({ name: 'notice' })
@Index('notice_once_key', ['organisationId', 'orderId', 'kind'], { unique: true })
@Index('notice_organisation_idx', ['organisationId', 'createdAt', 'id'])
@Check('notice_kind_check', `kind IN ('validity_30', 'validity_15', 'validity_7', 'distribution_stop')`)
export class NoticeEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  organisationId: string;

  @Column({ type: 'uuid' })
  orderId: string;

  @Column({ type: 'text' })
  kind: NoticeKind;

  @Column({ type: 'date' })
  dueOn: string;

  /** Booklets not yet handed over (funder: of the whole order; distributor: of its stock). */
  @Column({ type: 'integer' })
  remainingBooklets: number;

  @Column({ type: 'date' })
  distributionEndsOn: string;

  @Column({ type: 'date' })
  validityEndDate: string;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  readAt: Date | null;
}
