import { Check, Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * The credit note (avoir) an order gets when its vouchers expire: the unused face value less the
 * accepted incidents charged to the order. Its legal document (number AV-<year>-<n>, parties, lines,
 * PDF and UBL) is the `invoice` row of kind `credit_note` with the same id, issued by the funding
 * module's issuer, so credit notes share the invoices' gapless numbering. This row keeps the
 * settlement figures behind it. Append-only; normally one per order (a second one only if more
 * vouchers of the order expire later, e.g. a replacement booklet activated after expiry).
 */
@Entity({ name: 'credit_note' })
@Index('credit_note_order_idx', ['orderId'])
@Index('credit_note_funder_idx', ['funderId', 'createdAt', 'id'])
@Index('credit_note_list_idx', ['createdAt', 'id'])
@Check(
  'credit_note_amounts_check',
  `expired_voucher_count > 0 AND unused_face_value_cents = expired_voucher_count * face_value_cents
   AND incident_deduction_cents >= 0 AND amount_cents >= 0 AND amount_cents = unused_face_value_cents - incident_deduction_cents`,
)
export class CreditNoteEntity {
  /** The id of its document in `invoice` (kind `credit_note`). */
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'text', unique: true })
  number: string;

  @Column({ type: 'uuid' })
  orderId: string;

  @Column({ type: 'uuid' })
  funderId: string;

  /** The order's face-value invoice it credits. */
  @Column({ type: 'uuid' })
  creditedInvoiceId: string;

  @Column({ type: 'int' })
  expiredVoucherCount: number;

  /** Face value of one voucher of the order, cents. */
  @Column({ type: 'bigint' })
  faceValueCents: string;

  @Column({ type: 'bigint' })
  unusedFaceValueCents: string;

  /** Accepted incidents charged to the order, deducted (never more than the unused value). */
  @Column({ type: 'bigint' })
  incidentDeductionCents: string;

  /** Credited to the funder: unused face value − deduction. */
  @Column({ type: 'bigint' })
  amountCents: string;

  @Column({ type: 'date' })
  issuedOn: string;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;
}

/**
 * What became of an accepted incident charged to an expired order, once: `deducted` from a credit
 * note, or `invoiced` to the funder (accepted after the note, or beyond the unused value) by an
 * invoice (`invoice_id`). The primary key makes an incident count once, whatever the retries.
 */
@Entity({ name: 'credit_note_incident' })
@Index('credit_note_incident_order_idx', ['orderId'])
@Check(
  'credit_note_incident_kind_check',
  `kind IN ('deducted', 'invoiced') AND (kind = 'deducted') = (credit_note_id IS NOT NULL) AND (kind = 'invoiced') = (invoice_id IS NOT NULL)
   AND amount_cents > 0`,
)
export class CreditNoteIncidentEntity {
  @PrimaryColumn({ type: 'uuid' })
  incidentId: string;

  @Column({ type: 'uuid' })
  orderId: string;

  @Column({ type: 'text' })
  kind: 'deducted' | 'invoiced';

  @Column({ type: 'bigint' })
  amountCents: string;

  @Column({ type: 'uuid', nullable: true })
  creditNoteId: string | null;

  @Column({ type: 'uuid', nullable: true })
  invoiceId: string | null;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;
}
