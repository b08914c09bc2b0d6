import { Check, Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A site's statement (relevé de remboursement) of one settlement run: what the site is owed for the
 * services in it. Its total is the sum of its lines, checked before commit. `status` moves
 * unpaid → in_payout → paid (payouts); a rejected payout brings it back to unpaid.
 */
@Entity({ name: 'settlement_statement' })
@Index('settlement_statement_run_site_key', ['runId', 'siteId'], { unique: true })
@Index('settlement_statement_site_idx', ['siteId', 'createdAt'])
@Check('settlement_statement_status_check', `status IN ('unpaid', 'in_payout', 'paid')`)
@Check('settlement_statement_total_check', `total_cents >= 0`)
@Check('settlement_statement_payout_check', `(status = 'unpaid') = (payout_id IS NULL)`)
export class SettlementStatementEntity {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  /** Human reference printed on the statement: REL-<yyyy>-<6 digits>. */
  @Column({ type: 'text', unique: true })
  number: string;

  @Column({ type: 'uuid' })
  runId: string;

  @Column({ type: 'uuid' })
  siteId: string;

  @Column({ type: 'timestamptz' })
  cutoff: Date;

  @Column({ type: 'int' })
  voucherCount: number;

  @Column({ type: 'bigint' })
  faceValueCents: string;

  @Column({ type: 'bigint' })
  commissionCents: string;

  @Column({ type: 'bigint' })
  totalCents: string;

  @Column({ type: 'text', default: 'unpaid' })
  status: string;

  /** The payout covering it while `in_payout` or `paid` (history in `payout_statement`). */
  @Column({ type: 'uuid', nullable: true })
  payoutId: string | null;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;
}

/**
 * A statement line: the site's redemptions of one order and service category priced under one rule,
 * rounded once, half-up to the cent. Correction lines (accepted incidents, carried receivables) have
 * no order voucher count and come with payouts and incidents (issue 7, next steps).
 */
@Entity({ name: 'settlement_statement_line' })
@Index('settlement_statement_line_statement_idx', ['statementId'])
@Check('settlement_statement_line_kind_check', `kind IN ('service', 'correction')`)
@Check('settlement_statement_line_amounts_check', `amount_cents + commission_cents <= face_value_cents OR kind = 'correction'`)
export class SettlementStatementLineEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ type: 'uuid' })
  statementId: string;

  @Column({ type: 'text', default: 'service' })
  kind: string;

  @Column({ type: 'uuid', nullable: true })
  orderId: string | null;

  @Column({ type: 'text', nullable: true })
  serviceCategoryCode: string | null;

  @Column({ type: 'uuid', nullable: true })
  pricingRuleId: string | null;

  /** What a correction line is (accepted incident, fraud, overpayment, receivable carried), in French and English. */
  @Column({ type: 'text', nullable: true })
  label: string | null;

  @Column({ type: 'int' })
  redemptionCount: number;

  @Column({ type: 'int' })
  voucherCount: number;

  @Column({ type: 'bigint' })
  faceValueCents: string;

  @Column({ type: 'bigint' })
  commissionCents: string;

  @Column({ type: 'bigint' })
  amountCents: string;
}
