import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { OrganisationEntity } from '../../../identity/src/organisations/organisation.entity';
import { ContractEntity } from '../contracts/contract.entity';
import { GrantEntity } from '../grants/grant.entity';

export const ORDER_STATUSES = ['draft', 'confirmed', 'paid', 'closed', 'cancelled'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/**
 * A funder's purchase order of booklets (bon de commande). A working table: its status moves
 * draft → confirmed → paid → closed, or to cancelled; every move is audited. Payments and validity
 * extensions are append-only rows of their own; `paid_cents` is their running sum, kept on the order
 * so that "pay more than due" is refused under the order's row lock.
 */
@Entity({ name: 'purchase_order' })
@Index('purchase_order_reference_key', ['reference'], { unique: true })
@Index('purchase_order_funder_idx', ['funderId', 'createdAt', 'id'])
@Index('purchase_order_list_idx', ['createdAt', 'id'])
@Check('purchase_order_status_check', `status IN ('draft', 'confirmed', 'paid', 'closed', 'cancelled')`)
@Check('purchase_order_counts_check', `booklet_count > 0 AND vouchers_per_booklet BETWEEN 1 AND 20 AND face_value_cents > 0`)
@Check('purchase_order_days_check', `tolerance_days BETWEEN 0 AND 366 AND stop_distribution_days BETWEEN 0 AND 366`)
@Check('purchase_order_rates_check', `fee_rate_bp BETWEEN 0 AND 10000 AND (vat_rate_bp IS NULL OR vat_rate_bp BETWEEN 0 AND 10000)`)
@Check('purchase_order_paid_check', `paid_cents >= 0 AND (amount_due_cents IS NULL OR paid_cents <= amount_due_cents)`)
@Check('purchase_order_historical_check', `historical OR (historical_redeemed_count IS NULL AND historical_expired_count IS NULL)`)
export class PurchaseOrderEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** Human reference, e.g. BC-2026-000042 (a sequence: gaps are allowed for orders). */
  @Column({ type: 'text' })
  reference: string;

  @Column({ type: 'uuid' })
  funderId: string;

  @ManyToOne(() => OrganisationEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'funder_id' })
  funder?: OrganisationEntity;

  @Column({ type: 'uuid', nullable: true })
  contractId: string | null;

  @ManyToOne(() => ContractEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'contract_id' })
  contract?: ContractEntity;

  @Column({ type: 'uuid', nullable: true })
  grantId: string | null;

  @ManyToOne(() => GrantEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'grant_id' })
  grant?: GrantEntity;

  /** Recorded from a previous operator: figures only, no vouchers, no invoice. */
  @Column({ type: 'boolean', default: false })
  historical: boolean;

  @Column({ type: 'text', default: 'draft' })
  status: OrderStatus;

  @Column({ type: 'integer' })
  bookletCount: number;

  @Column({ type: 'smallint' })
  vouchersPerBooklet: number;

  @Column({ type: 'bigint' })
  faceValueCents: string;

  @Column({ type: 'date' })
  validityEndDate: string;

  @Column({ type: 'smallint', default: 31 })
  toleranceDays: number;

  /** Eligibility: INSEE department codes (e.g. '35', '2A', '974'). Empty with no communes and no sites: anywhere. */
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  departmentCodes: string[];

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  communeCodes: string[];

  /** An allow-list of site organisations; when not empty it replaces the territory. */
  @Column({ type: 'uuid', array: true, default: () => "'{}'" })
  siteOrganisationIds: string[];

  /** Allowed service categories (codes from the operator's list); empty: every category. */
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  serviceCategoryCodes: string[];

  @Column({ type: 'boolean', default: false })
  redeemableBeforeDistribution: boolean;

  @Column({ type: 'boolean', default: false })
  selfRedemptionAllowed: boolean;

  @Column({ type: 'smallint', default: 15 })
  stopDistributionDays: number;

  @Column({ type: 'date' })
  orderedOn: string;

  /** Upstream fee rate, copied from the contract when the order is created (0 without a contract). */
  @Column({ type: 'integer', default: 0 })
  feeRateBp: number;

  /** VAT rate on the fee, fixed when the order is confirmed (invoiced). */
  @Column({ type: 'integer', nullable: true })
  vatRateBp: number | null;

  /** Face value + fee + VAT, fixed when the order is confirmed. */
  @Column({ type: 'bigint', nullable: true })
  amountDueCents: string | null;

  @Column({ type: 'bigint', default: 0 })
  paidCents: string;

  @Column({ type: 'date', nullable: true })
  paidOn: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  confirmedAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  cancelledAt: Date | null;

  @Column({ type: 'text', nullable: true })
  cancelReason: string | null;

  @Column({ type: 'integer', nullable: true })
  historicalRedeemedCount: number | null;

  @Column({ type: 'integer', nullable: true })
  historicalExpiredCount: number | null;

  @Column({ type: 'uuid', nullable: true })
  createdBy: string | null;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  updatedAt: Date;
}

/** A payment received for an order (bank receipt). Append-only; a reference is recorded once per order. */
@Entity({ name: 'order_payment' })
@Index('order_payment_reference_key', ['orderId', 'reference'], { unique: true })
@Check('order_payment_amount_check', `amount_cents > 0`)
export class OrderPaymentEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  orderId: string;

  @ManyToOne(() => PurchaseOrderEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'order_id' })
  order?: PurchaseOrderEntity;

  @Column({ type: 'text' })
  reference: string;

  @Column({ type: 'date' })
  paidOn: string;

  @Column({ type: 'bigint' })
  amountCents: string;

  @Column({ type: 'uuid', nullable: true })
  createdBy: string | null;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;
}

/** An extension of an order's validity end date (append-only history). */
@Entity({ name: 'order_validity_extension' })
@Index('order_validity_extension_order_idx', ['orderId', 'createdAt'])
@Check('order_validity_extension_later_check', `new_end_date > previous_end_date`)
export class OrderValidityExtensionEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  orderId: string;

  @ManyToOne(() => PurchaseOrderEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'order_id' })
  order?: PurchaseOrderEntity;

  @Column({ type: 'date' })
  previousEndDate: string;

  @Column({ type: 'date' })
  newEndDate: string;

  @Column({ type: 'text' })
  reason: string;

  @Column({ type: 'uuid', nullable: true })
  createdBy: string | null;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;
}
