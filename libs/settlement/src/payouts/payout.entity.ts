import { Check, Column, Entity, Index, PrimaryColumn } from 'typeorm';

export const PAYOUT_STATUSES = ['pending', 'paid', 'rejected', 'returned'] as const;
export type PayoutStatus = (typeof PAYOUT_STATUSES)[number];

/**
 * A payment to a site covering one or more of its statements (`payout_statement`), sent in a payout
 * batch (one SEPA credit transfer, `EndToEndId` = `reference`). The creditor is copied from the
 * site's bank account verified and current when the payout was made, so the file and the history
 * never change when the account does. `pending` until the bank statement says `paid`, or `rejected`
 * (never booked) / `returned` (booked, then given back): both release the statements, which a later
 * payout with a new reference covers.
 */
@Entity({ name: 'payout' })
@Index('payout_site_idx', ['siteId', 'createdAt'])
@Index('payout_batch_site_key', ['batchId', 'siteId'], { unique: true })
@Check('payout_status_check', `status IN ('pending', 'paid', 'rejected', 'returned')`)
@Check('payout_amount_check', `amount_cents > 0`)
export class PayoutEntity {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  /** `PAY-` + a ULID: 30 characters of the SEPA identifier set, the transfer's `EndToEndId`. */
  @Column({ type: 'text', unique: true })
  reference: string;

  @Column({ type: 'uuid' })
  siteId: string;

  @Column({ type: 'uuid' })
  batchId: string;

  @Column({ type: 'bigint' })
  amountCents: string;

  @Column({ type: 'int' })
  statementCount: number;

  @Column({ type: 'text', default: 'pending' })
  status: PayoutStatus;

  @Column({ type: 'uuid' })
  bankAccountId: string;

  @Column({ type: 'text' })
  creditorName: string;

  @Column({ type: 'text' })
  creditorIban: string;

  @Column({ type: 'text' })
  creditorBic: string;

  /** Structured postal address as sent to the bank: streetName, postCode, townName, country. */
  @Column({ type: 'jsonb' })
  creditorAddress: Record<string, string>;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;

  /** When the bank statement reported it paid, rejected or returned. */
  @Column({ type: 'timestamptz', nullable: true })
  settledAt: Date | null;

  /** The bank's reason code for a rejection or a return (e.g. AC04 closed account). */
  @Column({ type: 'text', nullable: true })
  returnReason: string | null;
}

/** Which statements a payout covers (history: a statement released by a rejected payout appears again under the next one). */
@Entity({ name: 'payout_statement' })
@Index('payout_statement_statement_idx', ['statementId'])
export class PayoutStatementEntity {
  @PrimaryColumn({ type: 'uuid' })
  payoutId: string;

  @PrimaryColumn({ type: 'uuid' })
  statementId: string;
}
