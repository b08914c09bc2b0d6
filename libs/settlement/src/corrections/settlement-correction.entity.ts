import { Check, Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export const CORRECTION_KINDS = ['overpayment', 'fraud', 'receivable_carried'] as const;
export type CorrectionKind = (typeof CORRECTION_KINDS)[number];

/**
 * An amount a site owes back, deducted from its next statements — never an edit of a statement
 * already issued: an overpayment, a redemption found fraudulent after payment (recorded by the
 * operator), or what a statement could not deduct because the site was owed less (`receivable_carried`,
 * written by the run). The statement that takes it sets `statement_id`. Accepted incidents, which the
 * site is owed, are read from `redemption_incident` directly.
 */
@Entity({ name: 'settlement_correction' })
@Index('settlement_correction_open_idx', ['siteId', 'createdAt'], { where: 'statement_id IS NULL' })
@Index('settlement_correction_fraud_key', ['redemptionId'], { unique: true, where: `kind = 'fraud'` })
@Check('settlement_correction_kind_check', `kind IN ('overpayment', 'fraud', 'receivable_carried')`)
@Check('settlement_correction_amount_check', `amount_cents < 0`)
@Check('settlement_correction_source_check', `(kind = 'receivable_carried') = (source_statement_id IS NOT NULL)`)
export class SettlementCorrectionEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  siteId: string;

  @Column({ type: 'text' })
  kind: CorrectionKind;

  /** Negative: owed by the site. */
  @Column({ type: 'bigint' })
  amountCents: string;

  @Column({ type: 'uuid', nullable: true })
  orderId: string | null;

  @Column({ type: 'uuid', nullable: true })
  redemptionId: string | null;

  @Column({ type: 'text' })
  reasonCode: string;

  @Column({ type: 'text', nullable: true })
  note: string | null;

  /** The statement that carried this receivable forward. */
  @Column({ type: 'uuid', nullable: true })
  sourceStatementId: string | null;

  /** The statement that deducted it. */
  @Column({ type: 'uuid', nullable: true })
  statementId: string | null;

  @Column({ type: 'uuid', nullable: true })
  createdBy: string | null;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;
}
