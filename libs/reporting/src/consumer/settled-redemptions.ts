import type { Tx } from '@sillage/db';
import type { Projection } from './event-projector';

/**
 * The statement that settled each redemption, for the page's statements in leaf order (an earlier
 * statement claims first). A run's statement for a site takes every redemption of that site in no
 * statement, not undone, recorded at least 24 h before the run's cutoff (CLAIM_AND_PRICE_SQL): the
 * same rule over the log's rows names the same redemptions. Such a redemption was recorded a day
 * before the run started, so its event (and any undo: undoing closes 24 h after recording) precedes
 * the statement in the log. $1 statements, $2 their sites, $3 their leaves.
 */
const LINK_SQL = `INSERT INTO report_redemption_statement (redemption_id, statement_id, order_id, recorded_on)
SELECT DISTINCT ON (c.redemption_id) c.redemption_id, s.statement_id, c.order_id, (c.recorded_at AT TIME ZONE 'Europe/Paris')::date
  FROM unnest($1::uuid[], $2::uuid[], $3::bigint[]) AS s(statement_id, site_id, leaf_index)
  JOIN report_statement st ON st.statement_id = s.statement_id
  JOIN report_settlement_run run ON run.run_id = st.run_id
 CROSS JOIN LATERAL (
   SELECT r.redemption_id, r.order_id, r.recorded_at FROM report_redemption r
    WHERE r.site_id = s.site_id AND r.recorded_at <= run.cutoff - interval '24 hours' AND r.leaf_index < s.leaf_index
      AND NOT EXISTS (SELECT 1 FROM report_redemption_statement x WHERE x.redemption_id = r.redemption_id)
      AND NOT EXISTS (SELECT 1 FROM report_redemption_undone u WHERE u.redemption_id = r.redemption_id AND u.leaf_index < s.leaf_index)
   OFFSET 0) c
 ORDER BY c.redemption_id, s.leaf_index
ON CONFLICT DO NOTHING`;

/**
 * Counts the redemptions of the page's booked (+) or returned (−) payouts in `report_redemption_paid`,
 * per order, Paris day recorded and day paid, from the day of the booking or return. A return counts
 * against the day its payout was booked (the last booking of that payout before it). $1 payouts,
 * $2 the day booked or returned, $3 +1 or −1, $4 the event's leaf.
 */
const PAID_SQL = `WITH p AS MATERIALIZED (
  SELECT p.payout_id, p.on_date, p.sign,
         CASE WHEN p.sign > 0 THEN p.on_date
              ELSE (SELECT m.on_date FROM report_money_movement m
                     WHERE m.payout_id = p.payout_id AND m.kind = 'payout' AND m.amount_cents > 0 AND m.leaf_index < p.leaf_index
                     ORDER BY m.leaf_index DESC LIMIT 1) END AS paid_on
    FROM unnest($1::uuid[], $2::date[], $3::int[], $4::bigint[]) AS p(payout_id, on_date, sign, leaf_index)),
statements AS MATERIALIZED (
  SELECT p.*, ps.statement_id FROM p JOIN report_payout_statement ps ON ps.payout_id = p.payout_id WHERE p.paid_on IS NOT NULL)
INSERT INTO report_redemption_paid AS t (order_id, recorded_on, paid_on, on_date, redemptions)
SELECT l.order_id, l.recorded_on, s.paid_on, s.on_date, sum(s.sign)
  FROM statements s JOIN report_redemption_statement l ON l.statement_id = s.statement_id
 GROUP BY 1, 2, 3, 4
ON CONFLICT (order_id, recorded_on, paid_on, on_date) DO UPDATE SET redemptions = t.redemptions + EXCLUDED.redemptions`;

/*
 * Both statements start from the page's statements or payouts: the link reaches each site's
 * redemptions through its index (a LATERAL subquery kept apart by OFFSET 0), and counting reads the
 * links alone (they carry the order and day recorded). The aggregates fill inside the consumer's
 * transaction, where the planner's statistics say nothing of the rows just written (after a
 * migration emptied them, `report_redemption` looked empty), and a join of a 3,000-payout page with
 * `report_redemption` was planned as a scan of all its rows per payout.
 */

/**
 * After a page of events is inserted: which statement settled each redemption, and when the bank paid
 * it (the latency "redemption recorded → payout paid", issue 8). Derived from the rows, in leaf order,
 * so a rebuild gives the same; the page's rows and the consumer's progress commit together, so a page
 * is never counted twice.
 */
export async function recordSettledRedemptions(tx: Tx, page: Projection): Promise<void> {
  const statements = page.report_statement;
  if (statements.length > 0) {
    await tx.query(LINK_SQL, [
      statements.map((s) => s.statement_id),
      statements.map((s) => s.site_id),
      statements.map((s) => s.leaf_index),
    ]);
  }
  const payouts = page.report_money_movement.filter((m) => m.kind === 'payout' && m.payout_id !== null);
  if (payouts.length > 0) {
    await tx.query(PAID_SQL, [
      payouts.map((m) => m.payout_id),
      payouts.map((m) => m.on_date),
      payouts.map((m) => Math.sign(m.amount_cents)),
      payouts.map((m) => m.leaf_index),
    ]);
  }
}
