import { Check, Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * How a site is paid for a voucher, versioned per contract (`contract_id` null = the default rule).
 * Append-only: a rule is never edited (statements refer to it, so its description and terms never
 * change once used); a new version with its own validity range replaces it. A reimbursement rate in
 * basis points of the face value (10,000 = 100 %) or a fixed amount per voucher (never more than
 * the face value: that is all the funder paid), less an optional site commission in basis points.
 */
@Entity({ name: 'pricing_rule' })
@Index('pricing_rule_version_key', ['contractKey', 'version'], { unique: true })
@Check('pricing_rule_terms_check', `(rate_bp IS NULL) <> (fixed_amount_cents IS NULL)`)
@Check('pricing_rule_rate_check', `rate_bp IS NULL OR rate_bp BETWEEN 0 AND 10000`)
@Check('pricing_rule_fixed_check', `fixed_amount_cents IS NULL OR fixed_amount_cents > 0`)
@Check('pricing_rule_commission_check', `commission_bp BETWEEN 0 AND 10000`)
@Check('pricing_rule_range_check', `valid_until IS NULL OR valid_until >= valid_from`)
export class PricingRuleEntity {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'uuid', nullable: true })
  contractId: string | null;

  /** The contract id, or the nil uuid for the default rule: one version sequence per key. */
  @Column({ type: 'uuid' })
  contractKey: string;

  @Column({ type: 'int' })
  version: number;

  @Column({ type: 'int', nullable: true })
  rateBp: number | null;

  @Column({ type: 'bigint', nullable: true })
  fixedAmountCents: string | null;

  @Column({ type: 'int', default: 0 })
  commissionBp: number;

  @Column({ type: 'date' })
  validFrom: string;

  @Column({ type: 'date', nullable: true })
  validUntil: string | null;

  @Column({ type: 'text' })
  description: string;

  @Column({ type: 'uuid', nullable: true })
  createdBy: string | null;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;
}
