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
