import { Check, Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * One account of the chart (see docs/ledger.md). Append-only: an account is opened once and never
 * changed; its balance is derived from transfers (and snapshots), never stored on this row.
 * Identity: (kind, currency) for platform accounts, (kind, owner, currency) per organisation,
 * (kind, order, currency) per order — three partial unique indexes.
 */
@Entity({ name: 'ledger_account' })
@Check(
  'ledger_account_kind_check',
  `kind IN ('funder_received','funder_available','order_outstanding','order_receivable','site_payable','bank_in_flight','fees','restitution_payable')`,
)
@Check('ledger_account_currency_check', `currency ~ '^[A-Z]{3}$'`)
@Check('ledger_account_flags_check', `NOT (debits_must_not_exceed_credits AND credits_must_not_exceed_debits)`)
@Index('ledger_account_platform_key', ['kind', 'currency'], { unique: true, where: 'owner_organisation_id IS NULL AND order_id IS NULL' })
@Index('ledger_account_owner_key', ['kind', 'ownerOrganisationId', 'currency'], {
  unique: true,
  where: 'owner_organisation_id IS NOT NULL AND order_id IS NULL',
})
@Index('ledger_account_order_key', ['kind', 'orderId', 'currency'], { unique: true, where: 'order_id IS NOT NULL' })
@Index('ledger_account_list_idx', ['createdAt', 'id'])
export class LedgerAccountEntity {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  /** Chart code (e.g. 411 for a site payable), derived from the kind. */
  @Column({ type: 'integer' })
  code: number;

  @Column({ type: 'text' })
  kind: string;

  /** Null for platform accounts (bank in flight, fees, restitution payable). */
  @Column({ type: 'uuid', nullable: true })
  ownerOrganisationId: string | null;

  /** Set for per-order accounts (outstanding vouchers). */
  @Column({ type: 'uuid', nullable: true })
  orderId: string | null;

  @Column({ type: 'character', length: 3, default: 'EUR' })
  currency: string;

  @Column({ type: 'boolean', default: false })
  debitsMustNotExceedCredits: boolean;

  @Column({ type: 'boolean', default: false })
  creditsMustNotExceedDebits: boolean;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;
}
