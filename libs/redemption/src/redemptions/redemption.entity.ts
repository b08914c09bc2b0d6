import { Check, Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

/**
 * One redemption: one or several vouchers of one booklet, at one site, for one service. Written in
 * one statement with its lines, the voucher updates, the pending ledger transfer (id = redemption
 * id), the audit event and the outbox row. `(site_id, idempotency_key)` is unique: a retry returns
 * the original response, rebuilt from this row and its lines. `requestHash` is the SHA-256 of the
 * request's canonical content, to refuse the same key with another body.
 */
@Entity({ name: 'redemption' })
@Index('redemption_idempotency_key', ['siteId', 'idempotencyKey'], { unique: true })
@Index('redemption_site_idx', ['siteId', 'recordedAt', 'id'])
@Index('redemption_order_idx', ['orderId', 'recordedAt'])
@Check('redemption_voucher_count_check', `voucher_count > 0`)
@Check('redemption_amount_check', `amount_cents > 0`)
@Check('redemption_channel_check', `channel IN ('online', 'batch')`)
@Check('redemption_undo_check', `(undone_at IS NULL) = (undo_reason IS NULL)`)
export class RedemptionEntity {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'uuid' })
  siteId: string;

  @Column({ type: 'text' })
  idempotencyKey: string;

  @Column({ type: 'bytea' })
  requestHash: Buffer;

  @Column({ type: 'uuid' })
  bookletId: string;

  @Column({ type: 'uuid' })
  orderId: string;

  @Column({ type: 'text' })
  serviceCategoryCode: string;

  @Column({ type: 'timestamptz' })
  occurredAt: Date;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  recordedAt: Date;

  @Column({ type: 'smallint' })
  voucherCount: number;

  @Column({ type: 'bigint' })
  amountCents: string;

  @Column({ type: 'text', default: 'online' })
  channel: 'online' | 'batch';

  /** The user who scanned, or null with a device API key. */
  @Column({ type: 'uuid', nullable: true })
  agentId: string | null;

  @Column({ type: 'uuid', nullable: true })
  apiKeyId: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  undoneAt: Date | null;

  @Column({ type: 'text', nullable: true })
  undoReason: string | null;

  @Column({ type: 'uuid', nullable: true })
  undoneBy: string | null;

  /** The settlement statement that took it (issue 7); an undo is refused once set. */
  @Column({ type: 'uuid', nullable: true })
  statementId: string | null;
}

/** A voucher of a redemption. A voucher has at most one live line (undone lines are not live). */
@Entity({ name: 'redemption_line' })
@Index('redemption_line_live_voucher_key', ['voucherId'], { unique: true, where: 'live' })
export class RedemptionLineEntity {
  @PrimaryColumn({ type: 'uuid' })
  redemptionId: string;

  @PrimaryColumn({ type: 'bigint' })
  voucherId: string;

  @Column({ type: 'text' })
  voucherSerial: string;

  @Column({ type: 'bigint' })
  amountCents: string;

  @Column({ type: 'boolean', default: true })
  live: boolean;
}

export const INCIDENT_STATUSES = ['open', 'accepted', 'rejected'] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

/**
 * A scan that could not become a redemption although the service may have been delivered: it lost
 * to an earlier redemption elsewhere, was synced after the offline window, or after the voucher
 * expired. The operator accepts it (a correction line on the site's next statement, charged to the
 * order) or rejects it, with a reason code. Never a redemption, never a voucher state change.
 */
@Entity({ name: 'redemption_incident' })
@Index('redemption_incident_idempotency_key', ['siteId', 'idempotencyKey'], { unique: true })
@Index('redemption_incident_site_idx', ['siteId', 'recordedAt', 'id'])
@Index('redemption_incident_open_idx', ['recordedAt', 'id'], { where: `status = 'open'` })
@Check('redemption_incident_status_check', `status IN ('open', 'accepted', 'rejected')`)
@Check('redemption_incident_resolution_check', `(status = 'open') = (resolved_at IS NULL)`)
export class RedemptionIncidentEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  siteId: string;

  @Column({ type: 'text' })
  idempotencyKey: string;

  @Column({ type: 'bytea' })
  requestHash: Buffer;

  /** The refusal's reason code, e.g. ALREADY_REDEEMED, OFFLINE_WINDOW_EXCEEDED, EXPIRED. */
  @Column({ type: 'text' })
  reasonCode: string;

  @Column({ type: 'uuid', nullable: true })
  bookletId: string | null;

  @Column({ type: 'uuid', nullable: true })
  orderId: string | null;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  voucherSerials: string[];

  /** Face value the site claims (what an accepted incident pays). */
  @Column({ type: 'bigint', default: 0 })
  amountCents: string;

  @Column({ type: 'text' })
  serviceCategoryCode: string;

  @Column({ type: 'timestamptz' })
  occurredAt: Date;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  recordedAt: Date;

  @Column({ type: 'uuid', nullable: true })
  agentId: string | null;

  @Column({ type: 'uuid', nullable: true })
  apiKeyId: string | null;

  @Column({ type: 'text', default: 'open' })
  status: IncidentStatus;

  @Column({ type: 'text', nullable: true })
  resolutionReason: string | null;

  @Column({ type: 'uuid', nullable: true })
  resolvedBy: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  resolvedAt: Date | null;

  /** The statement whose correction line paid an accepted incident (issue 7). */
  @Column({ type: 'uuid', nullable: true })
  statementId: string | null;
}
