import { emptyProjection, project, SealedEvent } from '../consumer/event-projector';

/** What an order executed by a date: the figures a funder can recompute from its evidence bundle. */
export interface OrderFigures {
  orderId: string;
  grantId: string | null;
  historical: boolean;
  /** Booklets × vouchers per booklet × face value (fees excluded). */
  faceValueCents: number;
  /** The day it was paid in full, if on or before the report date; else null. */
  paidOn: string | null;
  /** Σ its credit notes issued on or before the report date (counted once it is paid). */
  creditedCents: number;
  /** face value − credited, once paid by the date; else 0. */
  executedCents: number;
}

/**
 * The order-level figures as of `asOf` from the events themselves, with the same projection as the
 * report aggregates (event-projector.ts) and the same definitions as GRANTS_AS_OF_SQL. Used offline by
 * `audit:verify-bundle` to recompute a report from its evidence; the API computes the same from the
 * aggregates (ORDERS_AS_OF_SQL), and the tests hold the two equal.
 */
export function orderFiguresFromEvents(events: SealedEvent[], asOf: string): OrderFigures[] {
  const p = emptyProjection();
  for (const e of [...events].sort((a, b) => a.leafIndex - b.leafIndex)) project(e, p);
  const paid = new Map<string, string>();
  for (const r of p.report_order_paid) if (!paid.has(r.order_id)) paid.set(r.order_id, r.paid_on);
  return p.report_order
    .map((o) => {
      const paidOn = paid.get(o.order_id);
      const isPaid = paidOn !== undefined && paidOn <= asOf;
      const credited = isPaid
        ? p.report_credit_note.filter((c) => c.order_id === o.order_id && c.issued_on <= asOf).reduce((n, c) => n + c.amount_cents, 0)
        : 0;
      return {
        orderId: o.order_id,
        grantId: o.grant_id,
        historical: o.historical,
        faceValueCents: o.face_value_cents,
        paidOn: isPaid ? paidOn : null,
        creditedCents: credited,
        executedCents: isPaid ? o.face_value_cents - credited : 0,
      };
    })
    .sort((a, b) => (a.orderId < b.orderId ? -1 : a.orderId > b.orderId ? 1 : 0));
}

/** The order-level figures of one funder, as of $1, from the aggregates; $2 the funder. Same order as above. */
export const ORDERS_AS_OF_SQL = `SELECT o.order_id AS "orderId", o.grant_id AS "grantId", o.historical, o.face_value_cents::text AS face,
       CASE WHEN p.paid_on <= $1::date THEN to_char(p.paid_on, 'YYYY-MM-DD') END AS "paidOn",
       CASE WHEN p.paid_on <= $1::date THEN coalesce(c.amount, 0) ELSE 0 END::text AS credited
  FROM report_order o
  LEFT JOIN LATERAL (SELECT paid_on FROM report_order_paid x WHERE x.order_id = o.order_id ORDER BY x.leaf_index LIMIT 1) p ON true
  LEFT JOIN LATERAL (SELECT sum(amount_cents) AS amount FROM report_credit_note c WHERE c.order_id = o.order_id AND c.issued_on <= $1::date) c ON true
 WHERE o.funder_id = $2
 ORDER BY o.order_id::text`;

/** The events an order-level figure is computed from: their subjects and actions. */
export const ORDER_EVIDENCE_ACTIONS = ['order.created', 'order.paid', 'settlement.credit_note_issued'];
