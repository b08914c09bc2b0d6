import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * Append-only balance snapshot of one account covering every transfer with `seq <= as_of_seq`.
 * Written by `LedgerSnapshotter` only once no transaction that could still commit a lower `seq` is
 * in flight (see docs/ledger.md). Balance = latest snapshot + transfers after its watermark.
 */
@Entity({ name: 'ledger_balance_snapshot' })
@Index('ledger_balance_snapshot_account_key', ['accountId', 'asOfSeq'], { unique: true })
export class LedgerBalanceSnapshotEntity {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'uuid' })
  accountId: string;

  @Column({ type: 'bigint' })
  asOfSeq: string;

  @Column({ type: 'bigint' })
  debitsPosted: string;

  @Column({ type: 'bigint' })
  creditsPosted: string;

  @Column({ type: 'bigint' })
  debitsPending: string;

  @Column({ type: 'bigint' })
  creditsPending: string;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;
}
