import { Injectable } from '@nestjs/common';
import type { KeysetCursor } from '@sillage/common';
import type { Tx } from '@sillage/db';
import { cursorKeySql } from '@sillage/identity';
import { DataSource } from 'typeorm';
import { OrderStatus } from './purchase-order.entity';

export interface OrderRecord {
  id: string;
  reference: string;
  funderId: string;
  contractId: string | null;
  contractReference: string | null;
  grantId: string | null;
  historical: boolean;
  status: OrderStatus;
  bookletCount: number;
  vouchersPerBooklet: number;
  faceValueCents: string;
  validityEndDate: string;
  toleranceDays: number;
  departmentCodes: string[];
  communeCodes: string[];
  siteOrganisationIds: string[];
  serviceCategoryCodes: string[];
  redeemableBeforeDistribution: boolean;
  selfRedemptionAllowed: boolean;
  stopDistributionDays: number;
  orderedOn: string;
  feeRateBp: number;
  vatRateBp: number | null;
  amountDueCents: string | null;
  paidCents: string;
  paidOn: string | null;
  confirmedAt: Date | null;
  cancelledAt: Date | null;
  cancelReason: string | null;
  historicalRedeemedCount: number | null;
  historicalExpiredCount: number | null;
  createdAt: Date;
  cursorKey: string;
  /** Issuance progress (confirmed orders), joined from `order_issuance`. */
  issuanceBookletCount: number | null;
  bookletsIssued: number | null;
  issuanceCompletedAt: Date | null;
  activatedAt: Date | null;
}

export type NewOrder = Omit<
  OrderRecord,
  | 'id'
  | 'reference'
  | 'contractReference'
  | 'status'
  | 'vatRateBp'
  | 'amountDueCents'
  | 'paidCents'
  | 'confirmedAt'
  | 'cancelledAt'
  | 'cancelReason'
  | 'createdAt'
  | 'cursorKey'
  | 'issuanceBookletCount'
  | 'bookletsIssued'
  | 'issuanceCompletedAt'
  | 'activatedAt'
> & { status: OrderStatus; createdBy: string | null };

export interface PaymentRecord {
  id: string;
  orderId: string;
  reference: string;
  paidOn: string;
  amountCents: string;
  createdAt: Date;
}

export interface ExtensionRecord {
  id: string;
  previousEndDate: string;
  newEndDate: string;
  reason: string;
  createdAt: Date;
}

const D = (col: string) => `to_char(o.${col}, 'YYYY-MM-DD')`;

const COLUMNS = `o.id, o.reference, o.funder_id AS "funderId", o.contract_id AS "contractId", c.reference AS "contractReference",
  o.grant_id AS "grantId", o.historical, o.status, o.booklet_count AS "bookletCount", o.vouchers_per_booklet AS "vouchersPerBooklet",
  o.face_value_cents AS "faceValueCents", ${D('validity_end_date')} AS "validityEndDate", o.tolerance_days AS "toleranceDays",
  o.department_codes AS "departmentCodes", o.commune_codes AS "communeCodes", o.site_organisation_ids AS "siteOrganisationIds",
  o.service_category_codes AS "serviceCategoryCodes", o.redeemable_before_distribution AS "redeemableBeforeDistribution",
  o.self_redemption_allowed AS "selfRedemptionAllowed", o.stop_distribution_days AS "stopDistributionDays",
  ${D('ordered_on')} AS "orderedOn", o.fee_rate_bp AS "feeRateBp", o.vat_rate_bp AS "vatRateBp", o.amount_due_cents AS "amountDueCents",
  o.paid_cents AS "paidCents", ${D('paid_on')} AS "paidOn", o.confirmed_at AS "confirmedAt", o.cancelled_at AS "cancelledAt",
  o.cancel_reason AS "cancelReason", o.historical_redeemed_count AS "historicalRedeemedCount",
  o.historical_expired_count AS "historicalExpiredCount", o.created_at AS "createdAt", ${cursorKeySql('o.created_at')} AS "cursorKey",
  i.booklet_count AS "issuanceBookletCount", i.booklets_issued AS "bookletsIssued", i.completed_at AS "issuanceCompletedAt",
  i.activated_at AS "activatedAt"`;

const FROM = `purchase_order o LEFT JOIN funding_contract c ON c.id = o.contract_id LEFT JOIN order_issuance i ON i.order_id = o.id`;

const PAYMENT_COLUMNS = `id, order_id AS "orderId", reference, to_char(paid_on, 'YYYY-MM-DD') AS "paidOn", amount_cents AS "amountCents", created_at AS "createdAt"`;

@Injectable()
export class OrderRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insert(tx: Tx, o: NewOrder): Promise<string> {
    const rows: { id: string }[] = await tx.query(
      `INSERT INTO purchase_order (reference, funder_id, contract_id, grant_id, historical, status, booklet_count, vouchers_per_booklet,
         face_value_cents, validity_end_date, tolerance_days, department_codes, commune_codes, site_organisation_ids,
         service_category_codes, redeemable_before_distribution, self_redemption_allowed, stop_distribution_days, ordered_on,
         fee_rate_bp, paid_on, historical_redeemed_count, historical_expired_count, created_by)
       VALUES ('BC-' || to_char(now() AT TIME ZONE 'Europe/Paris', 'YYYY') || '-' || lpad(nextval('purchase_order_reference_seq')::text, 6, '0'),
         $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23)
       RETURNING id`,
      [
        o.funderId,
        o.contractId,
        o.grantId,
        o.historical,
        o.status,
        o.bookletCount,
        o.vouchersPerBooklet,
        o.faceValueCents,
        o.validityEndDate,
        o.toleranceDays,
        o.departmentCodes,
        o.communeCodes,
        o.siteOrganisationIds,
        o.serviceCategoryCodes,
        o.redeemableBeforeDistribution,
        o.selfRedemptionAllowed,
        o.stopDistributionDays,
        o.orderedOn,
        o.feeRateBp,
        o.paidOn,
        o.historicalRedeemedCount,
        o.historicalExpiredCount,
        o.createdBy,
      ],
    );
    return rows[0].id;
  }

  async findById(id: string, tx: Tx = this.dataSource.manager): Promise<OrderRecord | undefined> {
    const rows: OrderRecord[] = await tx.query(`SELECT ${COLUMNS} FROM ${FROM} WHERE o.id = $1`, [id]);
    return rows[0];
  }

  /** The order under its row lock: every state change of an order goes through here. */
  async lockById(tx: Tx, id: string): Promise<OrderRecord | undefined> {
    const rows: OrderRecord[] = await tx.query(`SELECT ${COLUMNS} FROM ${FROM} WHERE o.id = $1 FOR UPDATE OF o`, [id]);
    return rows[0];
  }

  async list(q: {
    funderId?: string;
    status?: OrderStatus;
    historical?: boolean;
    after?: KeysetCursor;
    limit: number;
  }): Promise<OrderRecord[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const p = (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    };
    if (q.funderId !== undefined) where.push(`o.funder_id = ${p(q.funderId)}`);
    if (q.status !== undefined) where.push(`o.status = ${p(q.status)}`);
    if (q.historical !== undefined) where.push(`o.historical = ${p(q.historical)}`);
    if (q.after) where.push(`(o.created_at, o.id) > (${p(q.after.k)}::timestamptz, ${p(q.after.id)}::uuid)`);
    return this.dataSource.query(
      `SELECT ${COLUMNS} FROM ${FROM} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY o.created_at, o.id LIMIT ${p(q.limit + 1)}`,
      params,
    );
  }

  async setConfirmed(tx: Tx, id: string, vatRateBp: number, amountDueCents: number): Promise<void> {
    await tx.query(
      `UPDATE purchase_order SET status = 'confirmed', vat_rate_bp = $2, amount_due_cents = $3, confirmed_at = now(), updated_at = now() WHERE id = $1`,
      [id, vatRateBp, amountDueCents],
    );
  }

  async setCancelled(tx: Tx, id: string, reason: string | null): Promise<void> {
    await tx.query(
      `UPDATE purchase_order SET status = 'cancelled', cancelled_at = now(), cancel_reason = $2, updated_at = now() WHERE id = $1`,
      [id, reason],
    );
  }

  async addPayment(tx: Tx, id: string, amountCents: number, paidOnIfComplete: string | null): Promise<void> {
    await tx.query(
      `UPDATE purchase_order SET paid_cents = paid_cents + $2, updated_at = now(),
         status = CASE WHEN $3::date IS NULL THEN status ELSE 'paid' END, paid_on = COALESCE($3::date, paid_on)
       WHERE id = $1`,
      [id, amountCents, paidOnIfComplete],
    );
  }

  async setValidityEndDate(tx: Tx, id: string, newEndDate: string): Promise<void> {
    await tx.query(`UPDATE purchase_order SET validity_end_date = $2, updated_at = now() WHERE id = $1`, [id, newEndDate]);
  }

  async findPayment(tx: Tx, orderId: string, reference: string): Promise<PaymentRecord | undefined> {
    const rows: PaymentRecord[] = await tx.query(`SELECT ${PAYMENT_COLUMNS} FROM order_payment WHERE order_id = $1 AND reference = $2`, [
      orderId,
      reference,
    ]);
    return rows[0];
  }

  async insertPayment(
    tx: Tx,
    p: { orderId: string; reference: string; paidOn: string; amountCents: number; createdBy: string | null },
  ): Promise<PaymentRecord> {
    const rows: PaymentRecord[] = await tx.query(
      `INSERT INTO order_payment (order_id, reference, paid_on, amount_cents, created_by) VALUES ($1, $2, $3, $4, $5) RETURNING ${PAYMENT_COLUMNS}`,
      [p.orderId, p.reference, p.paidOn, p.amountCents, p.createdBy],
    );
    return rows[0];
  }

  async payments(orderId: string): Promise<PaymentRecord[]> {
    return this.dataSource.query(`SELECT ${PAYMENT_COLUMNS} FROM order_payment WHERE order_id = $1 ORDER BY created_at, id`, [orderId]);
  }

  async insertExtension(
    tx: Tx,
    e: { orderId: string; previousEndDate: string; newEndDate: string; reason: string; createdBy: string | null },
  ): Promise<ExtensionRecord> {
    const rows: ExtensionRecord[] = await tx.query(
      `INSERT INTO order_validity_extension (order_id, previous_end_date, new_end_date, reason, created_by) VALUES ($1, $2, $3, $4, $5)
       RETURNING id, to_char(previous_end_date, 'YYYY-MM-DD') AS "previousEndDate", to_char(new_end_date, 'YYYY-MM-DD') AS "newEndDate", reason, created_at AS "createdAt"`,
      [e.orderId, e.previousEndDate, e.newEndDate, e.reason, e.createdBy],
    );
    return rows[0];
  }

  /** Unknown or inactive service category codes among `codes`. */
  async unknownServiceCategories(tx: Tx, codes: string[]): Promise<string[]> {
    if (codes.length === 0) return [];
    const rows: { code: string }[] = await tx.query(
      `SELECT c AS code FROM unnest($1::text[]) AS c WHERE NOT EXISTS (SELECT 1 FROM service_category s WHERE s.code = c AND s.active)`,
      [codes],
    );
    return rows.map((r) => r.code);
  }

  /** Ids among `ids` that are not organisations of kind site. */
  async nonSites(tx: Tx, ids: string[]): Promise<string[]> {
    if (ids.length === 0) return [];
    const rows: { id: string }[] = await tx.query(
      `SELECT i AS id FROM unnest($1::uuid[]) AS i WHERE NOT EXISTS (SELECT 1 FROM organisation o WHERE o.id = i AND 'site' = ANY(o.kinds))`,
      [ids],
    );
    return rows.map((r) => r.id);
  }

  async organisationKinds(tx: Tx, organisationId: string): Promise<string[] | undefined> {
    const rows: { kinds: string[] }[] = await tx.query(`SELECT kinds FROM organisation WHERE id = $1`, [organisationId]);
    return rows[0]?.kinds;
  }

  async contract(tx: Tx, id: string): Promise<{ funderId: string; upstreamFeeRateBp: number } | undefined> {
    const rows: { funderId: string; upstreamFeeRateBp: number }[] = await tx.query(
      `SELECT funder_id AS "funderId", upstream_fee_rate_bp AS "upstreamFeeRateBp" FROM funding_contract WHERE id = $1`,
      [id],
    );
    return rows[0];
  }

  async grantFunder(tx: Tx, id: string): Promise<string | undefined> {
    const rows: { funderId: string }[] = await tx.query(`SELECT funder_id AS "funderId" FROM funding_grant WHERE id = $1`, [id]);
    return rows[0]?.funderId;
  }

  async invoicesOf(tx: Tx, orderId: string): Promise<{ id: string; number: string }[]> {
    return tx.query(`SELECT id, number FROM invoice WHERE order_id = $1 AND kind = 'invoice' ORDER BY seq`, [orderId]);
  }
}
