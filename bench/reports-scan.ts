/*
 * Report figures computed straight from the base tables with plain SQL GROUP BY, never from the
 * report aggregates nor the log: the benchmark's reference (`npm run bench -- reports`) and what the
 * seed test checks the reports against. $1 is the report date D.
 */

/**
 * The figures of the funnel by commune straight from the base tables: per commune of the site, the
 * vouchers and value redeemed (not undone), settled (in a statement) and paid (its statement paid);
 * and the time from hand-over to first use (median, p90). What the aggregates spare a report.
 */
export const FUNNEL_SCAN_SQL = `
WITH steps AS (
  SELECT 'redeemed' AS step, s.commune_code AS commune, sum(r.voucher_count) AS vouchers, sum(r.amount_cents) AS value
    FROM redemption r JOIN organisation s ON s.id = r.site_id
   WHERE r.undone_at IS NULL AND (r.occurred_at AT TIME ZONE 'Europe/Paris')::date <= $1::date GROUP BY 1, 2
  UNION ALL
  SELECT 'settled', s.commune_code, sum(st.voucher_count), sum(st.face_value_cents)
    FROM settlement_statement st JOIN organisation s ON s.id = st.site_id GROUP BY 1, 2
  UNION ALL
  SELECT 'paid', s.commune_code, sum(st.voucher_count), sum(st.face_value_cents)
    FROM settlement_statement st JOIN organisation s ON s.id = st.site_id WHERE st.status = 'paid' GROUP BY 1, 2),
first_use AS (
  SELECT min((r.occurred_at AT TIME ZONE 'Europe/Paris')::date) - h.handed_on AS days
    FROM handover h JOIN redemption r ON r.booklet_id = h.booklet_id AND r.undone_at IS NULL
   WHERE h.returned_at IS NULL AND h.handed_on <= $1::date GROUP BY h.booklet_id, h.handed_on)
SELECT step, commune, vouchers::text, value::text FROM steps
UNION ALL
SELECT 'first_use', NULL, percentile_disc(0.5) WITHIN GROUP (ORDER BY days)::text, percentile_disc(0.9) WITHIN GROUP (ORDER BY days)::text FROM first_use`;

/** The funnel's totals of the steps that are not a site's, as of today's state (the seed test, groupBy funder). */
export const FUNNEL_TOTALS_SCAN_SQL = `
WITH o AS (SELECT id, face_value_cents AS face FROM purchase_order WHERE NOT historical)
SELECT 'issued' AS step, count(*)::text AS vouchers FROM voucher v JOIN o ON o.id = v.order_id
UNION ALL SELECT 'active', count(*)::text FROM voucher v JOIN o ON o.id = v.order_id WHERE v.status <> 'ISSUED'
UNION ALL SELECT 'allocated', coalesce(sum(b.voucher_count), 0)::text FROM booklet b JOIN o ON o.id = b.order_id WHERE b.state <> 'CREATED'
UNION ALL SELECT 'distributed', coalesce(sum(b.voucher_count), 0)::text
  FROM handover h JOIN booklet b ON b.id = h.booklet_id WHERE h.returned_at IS NULL AND h.handed_on <= $1::date
UNION ALL SELECT 'expired', count(*)::text FROM voucher v JOIN o ON o.id = v.order_id WHERE v.status IN ('EXPIRED', 'RESTITUTED')
UNION ALL SELECT 'restituted', coalesce(sum(c.expired_voucher_count), 0)::text FROM credit_note c WHERE c.issued_on <= $1::date`;
