import { Check, Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

export const BOOKLET_STATES = ['CREATED', 'ALLOCATED', 'DISTRIBUTED'] as const;
export type BookletState = (typeof BOOKLET_STATES)[number];

export const VOUCHER_STATUSES = [
  'ISSUED',
  'ACTIVE',
  'BLOCKED',
  'REDEEMED',
  'SETTLED',
  'PAID',
  'VOID',
  'EXPIRED',
  'RESTITUTED',
  'REPLACED',
] as const;
export type VoucherStatus = (typeof VOUCHER_STATUSES)[number];

/**
 * A booklet (carnet): where it is (CREATED → ALLOCATED → DISTRIBUTED) is the booklet's state; what
 * happened to each voucher's value is the voucher's status. The pass token (cover QR) is stored as a
 * SHA-256 for lookup and an AES-GCM copy for re-printing, never in clear.
 */
@Entity({ name: 'booklet' })
@Index('booklet_serial_key', ['serial'], { unique: true })
@Index('booklet_order_number_key', ['orderId', 'number'], { unique: true })
@Index('booklet_pass_token_key', ['passTokenHash'], { unique: true })
@Index('booklet_replaces_key', ['replacesBookletId'], { unique: true, where: 'replaces_booklet_id IS NOT NULL' })
@Index('booklet_holder_idx', ['holderDistributorId'], { where: 'holder_distributor_id IS NOT NULL' })
@Check('booklet_holder_check', `(state = 'CREATED') = (holder_distributor_id IS NULL)`)
@Check('booklet_state_check', `state IN ('CREATED', 'ALLOCATED', 'DISTRIBUTED')`)
@Check('booklet_voucher_count_check', `voucher_count BETWEEN 1 AND 20`)
@Check('booklet_block_check', `(blocked_at IS NULL) = (block_reason IS NULL)`)
export class BookletEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** No foreign key: issuance writes 100,000 booklets per order set-based; `ledger:check` verifies the links. */
  @Column({ type: 'uuid' })
  orderId: string;

  /** e.g. SLG-2026-000123. */
  @Column({ type: 'text' })
  serial: string;

  /** 1..n within the order; replacement booklets follow the order's last number. */
  @Column({ type: 'integer' })
  number: number;

  @Column({ type: 'smallint' })
  voucherCount: number;

  @Column({ type: 'text', default: 'CREATED' })
  state: BookletState;

  @Column({ type: 'bytea' })
  passTokenHash: Buffer;

  @Column({ type: 'bytea' })
  passTokenEncrypted: Buffer;

  @Column({ type: 'uuid', nullable: true })
  replacesBookletId: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  blockedAt: Date | null;

  @Column({ type: 'text', nullable: true })
  blockReason: string | null;

  /** The distributor holding the booklet (ALLOCATED) or that handed it over (DISTRIBUTED); libs/distribution. */
  @Column({ type: 'uuid', nullable: true })
  holderDistributorId: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  allocatedAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  distributedAt: Date | null;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;
}

/**
 * A voucher (chèque). The biggest table: a bigint identity key, no foreign keys (checked by
 * `ledger:check`), only the indexes lookups need, and a fill factor that leaves room for the status
 * updates (activation, redemption) to stay HOT: `status` is deliberately in no index.
 * The serial is derived: booklet serial + '-' + two-digit index.
 */
@Entity({ name: 'voucher' })
@Index('voucher_booklet_idx_key', ['bookletId', 'idx'], { unique: true })
@Index('voucher_code_hash_key', ['codeHash'], { unique: true })
@Index('voucher_order_idx', ['orderId'])
@Check(
  'voucher_status_check',
  `status IN ('ISSUED', 'ACTIVE', 'BLOCKED', 'REDEEMED', 'SETTLED', 'PAID', 'VOID', 'EXPIRED', 'RESTITUTED', 'REPLACED')`,
)
@Check('voucher_idx_check', `idx BETWEEN 1 AND 20`)
export class VoucherEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: string;

  @Column({ type: 'uuid' })
  bookletId: string;

  @Column({ type: 'uuid' })
  orderId: string;

  @Column({ type: 'smallint' })
  idx: number;

  @Column({ type: 'text' })
  status: VoucherStatus;

  /** HMAC-SHA-256 of the human code under the lookup key (not in the database). */
  @Column({ type: 'bytea' })
  codeHash: Buffer;

  /** AES-256-GCM copy of the human code under the print key, bound to the voucher serial. */
  @Column({ type: 'bytea' })
  codeEncrypted: Buffer;

  @Column({ type: 'timestamptz', nullable: true })
  statusChangedAt: Date | null;
}

/**
 * Issuance progress of a confirmed order (one row per order): the job writes booklets in chunks and
 * records how far it got, so a crash resumes where it stopped. Activation happens once the order is
 * paid and every booklet is issued, whichever comes last, under this row's lock.
 */
@Entity({ name: 'order_issuance' })
@Check('order_issuance_progress_check', `booklets_issued BETWEEN 0 AND booklet_count`)
export class OrderIssuanceEntity {
  @PrimaryColumn({ type: 'uuid' })
  orderId: string;

  @Column({ type: 'integer' })
  bookletCount: number;

  @Column({ type: 'smallint' })
  vouchersPerBooklet: number;

  @Column({ type: 'integer', default: 0 })
  bookletsIssued: number;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  startedAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  completedAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  paidAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  activatedAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  voidedAt: Date | null;
}
