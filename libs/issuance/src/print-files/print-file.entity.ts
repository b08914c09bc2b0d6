import { Check, Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export type PrintFormat = 'pdf' | 'csv';
export type PrintFileStatus = 'pending' | 'rendering' | 'ready' | 'failed';

/**
 * One part of an order's print file (PDF for the funder's printer, CSV for an external one), covering
 * booklets `bookletFrom..bookletTo` by number. Rendered by the worker under DATA_DIR (a volume the API
 * shares to serve downloads); the row carries status, progress, size and SHA-256 of the file.
 */
@Entity({ name: 'print_file' })
@Index('print_file_order_idx', ['orderId', 'createdAt'])
@Check('print_file_format_check', `format IN ('pdf', 'csv')`)
@Check('print_file_status_check', `status IN ('pending', 'rendering', 'ready', 'failed')`)
@Check('print_file_part_check', `part BETWEEN 1 AND parts AND booklet_from <= booklet_to`)
export class PrintFileEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  orderId: string;

  @Column({ type: 'text' })
  format: PrintFormat;

  @Column({ type: 'integer' })
  part: number;

  @Column({ type: 'integer' })
  parts: number;

  @Column({ type: 'integer' })
  bookletFrom: number;

  @Column({ type: 'integer' })
  bookletTo: number;

  @Column({ type: 'text', default: 'pending' })
  status: PrintFileStatus;

  @Column({ type: 'integer', default: 0 })
  vouchersDone: number;

  @Column({ type: 'integer' })
  vouchersTotal: number;

  @Column({ type: 'text', nullable: true })
  path: string | null;

  @Column({ type: 'bigint', nullable: true })
  sizeBytes: string | null;

  @Column({ type: 'bytea', nullable: true })
  sha256: Buffer | null;

  @Column({ type: 'text', nullable: true })
  error: string | null;

  @Column({ type: 'uuid', nullable: true })
  requestedBy: string | null;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  readyAt: Date | null;
}
