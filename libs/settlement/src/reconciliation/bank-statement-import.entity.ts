import { Check, Column, Entity, Index, PrimaryColumn } from 'typeorm';

export const BANK_STATEMENT_FORMATS = ['camt053', 'csv'] as const;
export type BankStatementFormat = (typeof BANK_STATEMENT_FORMATS)[number];

/**
 * What an imported transaction did. `paid`, `rejected`, `returned`: the payout it names changed;
 * `amount_mismatch`, `unmatched`, `conflict`: nothing changed, listed for review; `already_applied`:
 * an earlier file (or an earlier entry of this one) already did it; `not_booked`: a pending or
 * information entry (`PDNG`, `INFO`), never applied.
 */
export const ENTRY_OUTCOMES = [
  'paid',
  'rejected',
  'returned',
  'amount_mismatch',
  'unmatched',
  'conflict',
  'already_applied',
  'not_booked',
] as const;
export type EntryOutcome = (typeof ENTRY_OUTCOMES)[number];

/** The outcomes finance must look at (`GET /v1/bank-statements/entries` by default). */
export const REVIEW_OUTCOMES: readonly EntryOutcome[] = ['unmatched', 'amount_mismatch', 'conflict'];

/**
 * One imported bank statement file, written once with its outcome counts (append-only). The
 * fingerprint (SHA-256 of the raw bytes) is unique: the same file imported again returns this row and
 * changes nothing.
 */
@Entity({ name: 'bank_statement_import' })
@Index('bank_statement_import_imported_idx', ['importedAt', 'id'])
@Check('bank_statement_import_format_check', `format IN ('camt053', 'csv')`)
export class BankStatementImportEntity {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'text', unique: true })
  fingerprint: string;

  @Column({ type: 'text' })
  format: BankStatementFormat;

  /** camt `Stmt/Id`; for a CSV export `csv:` + the SHA-256 of its text. */
  @Column({ type: 'text' })
  bankStatementId: string;

  @Column({ type: 'text', nullable: true })
  accountIban: string | null;

  @Column({ type: 'uuid' })
  importedBy: string;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  importedAt: Date;

  @Column({ type: 'int' })
  entryCount: number;

  @Column({ type: 'int' })
  transactionCount: number;

  /** Transactions per outcome, every outcome present (0 when none). */
  @Column({ type: 'jsonb' })
  outcomeCounts: Record<EntryOutcome, number>;
}

/**
 * One transaction of one entry of an import (an entry without transaction details is one row), in
 * file order (`position`), with what it did (append-only).
 */
@Entity({ name: 'bank_statement_entry' })
@Index('bank_statement_entry_outcome_idx', ['outcome', 'importId'])
@Index('bank_statement_entry_payout_idx', ['payoutId'])
@Check(
  'bank_statement_entry_outcome_check',
  `outcome IN ('paid', 'rejected', 'returned', 'amount_mismatch', 'unmatched', 'conflict', 'already_applied', 'not_booked')`,
)
@Check('bank_statement_entry_direction_check', `direction IN ('debit', 'credit')`)
export class BankStatementEntryEntity {
  @PrimaryColumn({ type: 'uuid' })
  importId: string;

  /** 1-based, over the transactions of the whole file. */
  @PrimaryColumn({ type: 'int' })
  position: number;

  /** 1-based index of the entry (`Ntry`, or CSV line) in the file. */
  @Column({ type: 'int' })
  entryIndex: number;

  @Column({ type: 'text', nullable: true })
  entryRef: string | null;

  @Column({ type: 'date', nullable: true })
  bookingDate: string | null;

  /** The transaction's amount (the entry's when the bank gave none and the entry has one transaction). */
  @Column({ type: 'bigint', nullable: true })
  amountCents: string | null;

  @Column({ type: 'bigint' })
  entryAmountCents: string;

  @Column({ type: 'text' })
  direction: string;

  /** `BOOK`, `PDNG`, `INFO` (or the bank's proprietary status). */
  @Column({ type: 'text' })
  status: string;

  @Column({ type: 'boolean' })
  reversal: boolean;

  @Column({ type: 'text', nullable: true })
  endToEndId: string | null;

  /** `RtrInf` was present (or a CSV return reason given). */
  @Column({ type: 'boolean' })
  returned: boolean;

  @Column({ type: 'text', nullable: true })
  returnReason: string | null;

  @Column({ type: 'text' })
  outcome: EntryOutcome;

  /** The payout whose reference is the end-to-end id, when there is one (whatever the outcome). */
  @Column({ type: 'uuid', nullable: true })
  payoutId: string | null;

  /** Why, in a sentence, for the review list. */
  @Column({ type: 'text', nullable: true })
  note: string | null;
}
