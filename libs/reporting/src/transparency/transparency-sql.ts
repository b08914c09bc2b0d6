/*
 * Transparency figures from the report aggregates only (never the base tables: a report says what
 * the signed log says). $1 is the report date D (a Paris date); amounts are integer cents.
 */

/**
 * Per grant of the programmes in $2 (uuid[]), awarded on or before D: the amount in force on D (the
 * award, or the last amendment dated ≤ D that changed it), and what it executed by D: the face value
 * of its orders paid ≤ D (historical ones included; fees are never in it) less the credit notes
 * issued ≤ D for those orders.
 */
export const GRANTS_AS_OF_SQL = `SELECT g.grant_id AS "grantId", g.programme_id AS "programmeId", g.funder_id AS "funderId",
       g.cofinancing_rate_bp AS "cofinancingRateBp",
       (SELECT a.amount_cents FROM report_grant_amount a WHERE a.grant_id = g.grant_id AND a.effective_on <= $1::date
         ORDER BY a.effective_on DESC, a.leaf_index DESC LIMIT 1)::text AS attributed,
       (coalesce(paid.face, 0) - coalesce(credited.amount, 0))::text AS executed
  FROM report_grant g
  LEFT JOIN LATERAL (
    SELECT sum(o.face_value_cents) AS face FROM report_order o JOIN report_order_paid p ON p.order_id = o.order_id
     WHERE o.grant_id = g.grant_id AND p.paid_on <= $1::date) paid ON true
  LEFT JOIN LATERAL (
    SELECT sum(c.amount_cents) AS amount FROM report_credit_note c
      JOIN report_order o ON o.order_id = c.order_id JOIN report_order_paid p ON p.order_id = o.order_id
     WHERE o.grant_id = g.grant_id AND p.paid_on <= $1::date AND c.issued_on <= $1::date) credited ON true
 WHERE g.programme_id = ANY($2::uuid[]) AND g.awarded_on <= $1::date
 ORDER BY g.awarded_on, g.grant_id`;

/** Per programme in $2: the funding obtained on or before D. */
export const OBTAINED_AS_OF_SQL = `SELECT p.id AS "programmeId", coalesce(sum(f.amount_cents), 0)::text AS obtained
  FROM unnest($2::uuid[]) AS p(id)
  LEFT JOIN report_funding_source f ON f.programme_id = p.id AND f.obtained_on <= $1::date
 GROUP BY p.id`;

/** The programmes of policy $2 the log knows of. */
export const POLICY_PROGRAMMES_SQL = `SELECT programme_id AS id FROM report_programme WHERE policy_id = $1 ORDER BY leaf_index`;

/** The announcements of policy $2 made on or before D, in the order they were made. */
export const ANNOUNCEMENTS_AS_OF_SQL = `SELECT announcement_id AS id, amount_cents::text AS amount, min_amount_cents::text AS min, max_amount_cents::text AS max,
       to_char(announced_on, 'YYYY-MM-DD') AS "announcedOn"
  FROM report_announcement WHERE policy_id = $2 AND announced_on <= $1::date ORDER BY announced_on, leaf_index`;

/** Whole calendar months (floor) from date `a` to date `b` (SQL). */
const months = (a: string, b: string) => `(extract(year FROM age(${b}, ${a})) * 12 + extract(month FROM age(${b}, ${a})))::int`;

/** Days and whole calendar months (floor) from date `a` to date `b` (SQL), null when either is. */
const span = (a: string, b: string) =>
  `CASE WHEN ${a} IS NULL OR ${b} IS NULL THEN NULL ELSE json_build_object('days', ${b} - ${a}, 'months', ${months(a, b)}) END`;

/**
 * Latencies of programme $2 as of $1 (ADR 16): its funders are those of its grants awarded ≤ D, their
 * contracts those published ≤ D, its orders those of its grants ordered ≤ D (historical included),
 * and an order's first redemption its earliest live one served ≤ D. Spans in days and whole months.
 */
export const LATENCIES_AS_OF_SQL = `WITH grants AS (SELECT grant_id, funder_id FROM report_grant WHERE programme_id = $2 AND awarded_on <= $1::date),
laureates AS (SELECT laureates_published_on AS day FROM report_programme_dates WHERE programme_id = $2 ORDER BY leaf_index DESC LIMIT 1),
contracts AS (SELECT c.* FROM report_contract c WHERE c.funder_id IN (SELECT funder_id FROM grants) AND c.published_on <= $1::date),
orders AS (SELECT o.order_id, o.funder_id, o.ordered_on, p.paid_on FROM report_order o
             LEFT JOIN report_order_paid p ON p.order_id = o.order_id AND p.paid_on <= $1::date
            WHERE o.grant_id IN (SELECT grant_id FROM grants) AND o.ordered_on <= $1::date),
per_funder AS (SELECT f.funder_id, (SELECT min(ordered_on) FROM orders o WHERE o.funder_id = f.funder_id) -
                      (SELECT min(notified_on) FROM contracts c WHERE c.funder_id = f.funder_id AND c.notified_on <= $1::date) AS days
                 FROM (SELECT DISTINCT funder_id FROM grants) f),
first_use AS (SELECT o.paid_on, min(r.occurred_on) AS used_on FROM orders o
                JOIN report_redemption r ON r.order_id = o.order_id AND r.occurred_on <= $1::date
               WHERE o.paid_on IS NOT NULL
                 AND NOT EXISTS (SELECT 1 FROM report_redemption_undone u WHERE u.redemption_id = r.redemption_id AND u.undone_on <= $1::date)
               GROUP BY o.order_id, o.paid_on),
bounds AS (SELECT (SELECT day FROM laureates) AS laureates,
                  (SELECT min(published_on) FROM contracts) AS first_published, (SELECT max(published_on) FROM contracts) AS last_published,
                  (SELECT min(notified_on) FROM contracts WHERE notified_on <= $1::date) AS first_notified,
                  (SELECT min(ordered_on) FROM orders) AS first_order, (SELECT max(ordered_on) FROM orders) AS last_order)
SELECT ${span('b.laureates', 'b.first_published')} AS "laureatesToFirstContract",
       ${span('b.laureates', 'b.last_published')} AS "laureatesToLastContract",
       ${span('b.first_notified', 'b.first_order')} AS "firstContractToFirstOrder",
       (SELECT avg(days)::text FROM per_funder WHERE days IS NOT NULL) AS "meanFunderContractToOrderDays",
       ${span('b.first_order', 'b.last_order')} AS "firstToLastOrder",
       (SELECT count(*)::int FROM first_use) AS "ordersUsed",
       (SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY used_on - paid_on) FROM first_use) AS "paidToFirstUseMedianDays",
       (SELECT percentile_disc(0.9) WITHIN GROUP (ORDER BY used_on - paid_on) FROM first_use) AS "paidToFirstUseP90Days",
       (SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY ${months('paid_on', 'used_on')}) FROM first_use) AS "paidToFirstUseMedianMonths",
       (SELECT percentile_disc(0.9) WITHIN GROUP (ORDER BY ${months('paid_on', 'used_on')}) FROM first_use) AS "paidToFirstUseP90Months"
  FROM bounds b`;

/**
 * Redemption recorded → payout paid for programme $2 as of $1: over the redemptions of its orders
 * (those of its grants awarded and ordered ≤ D) whose statement's payout the bank booked ≤ D and had not
 * given back by D (`report_redemption_paid`), how many redemptions took each number of days, and each
 * number of whole months, from their recording (Paris day) to that booking: `kind` 'days' or 'months',
 * sorted by value, for a percentile_disc over the counts.
 */
export const RECORDED_TO_PAID_COUNTS_SQL = `WITH orders AS (
  SELECT o.order_id FROM report_order o JOIN report_grant g ON g.grant_id = o.grant_id
   WHERE g.programme_id = $2 AND g.awarded_on <= $1::date AND o.ordered_on <= $1::date),
paid AS (
  SELECT x.recorded_on, x.paid_on, sum(x.redemptions) AS n FROM report_redemption_paid x
   WHERE x.order_id IN (SELECT order_id FROM orders) AND x.on_date <= $1::date
   GROUP BY 1, 2 HAVING sum(x.redemptions) > 0)
SELECT 'days' AS kind, paid_on - recorded_on AS value, sum(n)::int AS n FROM paid GROUP BY 2
UNION ALL
SELECT 'months', ${months('recorded_on', 'paid_on')}, sum(n)::int FROM paid GROUP BY 2
ORDER BY 1, 2`;
