import { Check, Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export const BANK_ACCOUNT_STATUSES = ['pending', 'verified', 'rejected', 'superseded'] as const;
export type BankAccountStatus = (typeof BANK_ACCOUNT_STATUSES)[number];

/**
 * A site's bank account (IBAN and BIC validated on input). A change is `pending` until an operator
 * user other than the requester verifies it (four eyes); the verified account then takes effect
 * (`validFrom`) and the previous one is `superseded` (`validUntil`), so history keeps validity ranges.
 * Payouts (issue 7) go only to the account verified and current when they are made.
 */
@Entity({ name: 'site_bank_account' })
@Index('site_bank_account_site_idx', ['siteId', 'requestedAt'])
@Index('site_bank_account_one_pending_key', ['siteId'], { unique: true, where: `status = 'pending'` })
@Index('site_bank_account_one_current_key', ['siteId'], { unique: true, where: `status = 'verified'` })
@Check('site_bank_account_status_check', `status IN ('pending', 'verified', 'rejected', 'superseded')`)
@Check('site_bank_account_iban_check', `iban ~ '^[A-Z]{2}[0-9]{2}[A-Z0-9]{10,30}$'`)
@Check('site_bank_account_bic_check', `bic ~ '^[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?$'`)
@Check('site_bank_account_four_eyes_check', `decided_by IS NULL OR decided_by <> requested_by`)
export class SiteBankAccountEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  siteId: string;

  /** Electronic format: upper case, no spaces. */
  @Column({ type: 'text' })
  iban: string;

  @Column({ type: 'text' })
  bic: string;

  @Column({ type: 'text' })
  holderName: string;

  @Column({ type: 'text', default: 'pending' })
  status: BankAccountStatus;

  @Column({ type: 'uuid' })
  requestedBy: string;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  requestedAt: Date;

  @Column({ type: 'uuid', nullable: true })
  decidedBy: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  decidedAt: Date | null;

  @Column({ type: 'text', nullable: true })
  rejectReason: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  validFrom: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  validUntil: Date | null;
}
