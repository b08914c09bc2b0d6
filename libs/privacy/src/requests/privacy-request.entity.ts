import { Check, Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export const PRIVACY_REQUEST_KINDS = ['access', 'erasure', 'rectification', 'objection', 'withdraw_consent'] as const;
export type PrivacyRequestKind = (typeof PRIVACY_REQUEST_KINDS)[number];

/**
 * A data-subject request (GDPR art. 15-21) opened from the pass page by a beneficiary without an
 * account, identified by the booklet whose pass token they hold. Handled by the operator's DPO. The
 * optional message is free text: it is deleted when the request is closed.
 */
@Entity({ name: 'privacy_request' })
@Index('privacy_request_open_idx', ['status', 'createdAt'])
@Check('privacy_request_kind_check', `kind IN ('access', 'erasure', 'rectification', 'objection', 'withdraw_consent')`)
@Check('privacy_request_status_check', `status IN ('open', 'done', 'refused')`)
export class PrivacyRequestEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** Short reference given to the person, e.g. DPO-7KQ4M0XE. */
  @Column({ type: 'text', unique: true })
  reference: string;

  @Column({ type: 'uuid' })
  bookletId: string;

  @Column({ type: 'text' })
  kind: PrivacyRequestKind;

  @Column({ type: 'text', nullable: true })
  message: string | null;

  @Column({ type: 'text', default: 'open' })
  status: string;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  closedAt: Date | null;
}
