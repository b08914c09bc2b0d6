import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { PurchaseOrderEntity } from '../orders/purchase-order.entity';

export type InvoiceKind = 'invoice' | 'credit_note';

/**
 * Invoices and credit notes. Append-only: a legal document is never edited; a correction is a credit
 * note. `document` keeps the whole document as issued (parties, lines, totals, mentions), so the PDF
 * and the e-invoice rendered later are identical even after an organisation renames itself.
 * Numbers run without gaps per kind and calendar year (`invoice_counter`, in the issuing transaction).
 */
@Entity({ name: 'invoice' })
@Index('invoice_number_key', ['number'], { unique: true })
@Index('invoice_sequence_key', ['kind', 'year', 'seq'], { unique: true })
@Index('invoice_order_idx', ['orderId'])
@Index('invoice_funder_idx', ['funderId', 'createdAt', 'id'])
@Index('invoice_list_idx', ['createdAt', 'id'])
@Check('invoice_kind_check', `kind IN ('invoice', 'credit_note') AND (kind = 'credit_note') = (credited_invoice_id IS NOT NULL)`)
@Check('invoice_seq_check', `seq > 0`)
export class InvoiceEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  kind: InvoiceKind;

  @Column({ type: 'integer' })
  year: number;

  @Column({ type: 'integer' })
  seq: number;

  @Column({ type: 'text' })
  number: string;

  @Column({ type: 'uuid' })
  orderId: string;

  @ManyToOne(() => PurchaseOrderEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'order_id' })
  order?: PurchaseOrderEntity;

  @Column({ type: 'uuid' })
  funderId: string;

  @Column({ type: 'uuid', nullable: true })
  creditedInvoiceId: string | null;

  @ManyToOne(() => InvoiceEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'credited_invoice_id' })
  creditedInvoice?: InvoiceEntity;

  @Column({ type: 'date' })
  issuedOn: string;

  @Column({ type: 'bigint' })
  taxExclusiveCents: string;

  @Column({ type: 'bigint' })
  vatCents: string;

  @Column({ type: 'bigint' })
  payableCents: string;

  @Column({ type: 'jsonb' })
  document: object;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;
}

/** The last number used per document kind and year; updated under its row lock, so numbers have no gaps. */
@Entity({ name: 'invoice_counter' })
export class InvoiceCounterEntity {
  @PrimaryColumn({ type: 'text' })
  kind: InvoiceKind;

  @PrimaryColumn({ type: 'integer' })
  year: number;

  @Column({ type: 'integer' })
  lastSeq: number;
}
