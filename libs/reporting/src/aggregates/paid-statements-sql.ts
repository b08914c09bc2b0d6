/**
 * Statements paid by the report date $1, with the day they count as paid: a payout of theirs was
 * booked by the bank on or before $1 and not given back since (a rejected one never was); the day is
 * the earliest such payout's first booking. Columns: statement_id, paid_on. Used by the funnel's paid
 * step and the recorded → payout paid latency.
 */
export const PAID_STATEMENTS_SQL = `SELECT ps.statement_id, min(pp.paid_on) AS paid_on
  FROM report_payout_statement ps
  JOIN (SELECT m.payout_id, min(m.on_date) AS paid_on FROM report_money_movement m
         WHERE m.kind = 'payout' AND m.on_date <= $1::date GROUP BY 1 HAVING sum(m.amount_cents) > 0) pp ON pp.payout_id = ps.payout_id
 GROUP BY 1`;
