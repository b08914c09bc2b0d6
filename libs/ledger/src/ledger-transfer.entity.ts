import { Check, Column, Entity, Generated, Index, PrimaryColumn } from 'typeorm';

/**
 * One immutable movement of `amount` cents from `debit_account_id` to `credit_account_id`
 * (TigerBeetle semantics). Append-only: triggers refuse UPDATE and DELETE; the application role may
 * only INSERT and SELECT. Pending transfers are resolved by a later `post_pending` (full or partial)
 * or `void_pending` row carrying `pending_id`; the partial unique index on `pending_id` makes a second
 * resolution impossible. `pending_amount` copies the pending transfer's amount on resolution rows, so
 * every row's effect on balances is computable from the row alone (snapshots + deltas stay exact).
 * No foreign keys on purpose: a key-share lock per insert on a hot account row would be the shared
 * row the hot path must not touch; the write path checks accounts exist and the checker re-proves it.
 */
@Entity({ name: 'ledger_transfer' })
@Check('ledger_transfer_amount_check', `amount > 0`)
@Check('ledger_transfer_accounts_check', `debit_account_id <> credit_account_id`)
@Check('ledger_transfer_kind_check', `kind IN ('single','pending','post_pending','void_pending')`)
@Check(
  'ledger_transfer_pending_check',
  `(kind IN ('post_pending','void_pending')) = (pending_id IS NOT NULL) AND (pending_id IS NULL) = (pending_amount IS NULL) AND (pending_amount IS NULL OR amount <= pending_amount) AND (kind <> 'void_pending' OR amount = pending_amount)`,
)
@Check('ledger_transfer_currency_check', `currency ~ '^[A-Z]{3}$'`)
@Index('ledger_transfer_pending_key', ['pendingId'], { unique: true, where: 'pending_id IS NOT NULL' })
@Index('ledger_transfer_seq_key', ['seq'], { unique: true })
@Index('ledger_transfer_debit_idx', ['debitAccountId', 'seq'])
@Index('ledger_transfer_credit_idx', ['creditAccountId', 'seq'])
export class LedgerTransferEntity {
  /** Client- or job-generated: the idempotency key. */
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  /** Commit-independent insertion order; snapshot watermarks are expressed in it. */
  @Column({ type: 'bigint' })
  @Generated('increment')
  seq: string;

  @Column({ type: 'uuid' })
  debitAccountId: string;

  @Column({ type: 'uuid' })
  creditAccountId: string;

  /** Cents. */
  @Column({ type: 'bigint' })
  amount: string;

  @Column({ type: 'character', length: 3 })
  currency: string;

  @Column({ type: 'text' })
  kind: string;

  @Column({ type: 'uuid', nullable: true })
  pendingId: string | null;

  @Column({ type: 'bigint', nullable: true })
  pendingAmount: string | null;

  /** Business time (balance at a date filters on it). */
  @Column({ type: 'timestamptz' })
  eventAt: Date;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;

  @Column({ type: 'text', nullable: true })
  referenceType: string | null;

  @Column({ type: 'text', nullable: true })
  referenceId: string | null;

  /** Ids and codes only, never personal data. */
  @Column({ type: 'jsonb', default: () => `'{}'` })
  userData: Record<string, unknown>;
}
