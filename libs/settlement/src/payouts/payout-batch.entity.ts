import { Check, Column, Entity, PrimaryColumn } from 'typeorm';

export const PAYOUT_BATCH_STATUSES = ['building', 'awaiting_release', 'released'] as const;
export type PayoutBatchStatus = (typeof PAYOUT_BATCH_STATUSES)[number];

/**
 * A payout batch: the payouts of one settlement run (or of one manual request) sent to the bank as one
 * pain.001.001.09 file. `building` while payouts are added, `awaiting_release` once the file is written
 * (it never changes afterwards: downloads are byte-identical), `released` when a second finance user
 * (not `prepared_by`) releases it; only then can the file be downloaded.
 */
@Entity({ name: 'payout_batch' })
@Check('payout_batch_status_check', `status IN ('building', 'awaiting_release', 'released')`)
@Check('payout_batch_four_eyes_check', `released_by IS NULL OR (prepared_by IS NOT NULL AND released_by <> prepared_by)`)
@Check('payout_batch_file_check', `(status = 'building') = (file_xml IS NULL)`)
export class PayoutBatchEntity {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  /** VIR-<yyyy>-<6 digits>; its compact form is the file's `MsgId`. */
  @Column({ type: 'text', unique: true })
  number: string;

  @Column({ type: 'uuid', nullable: true, unique: true })
  runId: string | null;

  @Column({ type: 'text', default: 'building' })
  status: PayoutBatchStatus;

  /** The first pair of eyes: the finance user who started the run or asked for the batch (or approved it first, for a scheduled run). */
  @Column({ type: 'uuid', nullable: true })
  preparedBy: string | null;

  @Column({ type: 'uuid', nullable: true })
  releasedBy: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  releasedAt: Date | null;

  @Column({ type: 'int', default: 0 })
  paymentCount: number;

  @Column({ type: 'bigint', default: 0 })
  totalCents: string;

  @Column({ type: 'date', nullable: true })
  requestedExecutionDate: string | null;

  @Column({ type: 'text', nullable: true })
  fileXml: string | null;

  @Column({ type: 'text', nullable: true })
  fileSha256: string | null;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;
}
