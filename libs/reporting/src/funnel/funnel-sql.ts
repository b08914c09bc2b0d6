/*
 * The funnel (issue 8) from the report aggregates. $1 the report date D, $2 a funder or null, $3 an
 * order or null. A voucher counts at every step it reached by D (cumulative); each step is dated by
 * its own event; a redemption undone by D does not count.
 */

export const FUNNEL_GROUPS = {
  policy: `coalesce(o.policy_id::text, '')`,
  programme: `coalesce(o.programme_id::text, '')`,
  funder: `o.funder_id::text`,
  order: `o.order_id::text`,
  // The distributor a booklet was allocated to or handed over by (distributorGrouped): `x.distributor_id`.
  distributor: `coalesce(x.distributor_id::text, '')`,
  month: `to_char(x.on_date, 'YYYY-MM')`,
  quarter: `to_char(x.on_date, 'YYYY') || '-Q' || extract(quarter FROM x.on_date)::int`,
  year: `to_char(x.on_date, 'YYYY')`,
  // Site dimensions: only the steps that happen at a site (redeemed, settled, paid) have one; they
  // group `g` (siteGrouped), `s` is the site.
  site: `g.site_id::text`,
  category: `g.category`,
  commune: `s.commune_code`,
  department: `CASE WHEN left(s.commune_code, 2) = '97' THEN left(s.commune_code, 3) ELSE left(s.commune_code, 2) END`,
} as const;
/** Groupings by where the service happened: steps without a site are left out of them. */
export const SITE_GROUPS: readonly string[] = ['site', 'category', 'commune', 'department'];
export type FunnelGroup = keyof typeof FUNNEL_GROUPS;

/** The orders in scope, with the programme and policy of their grant (null without one). */
const ORDERS = `SELECT ro.*, g.programme_id, p.policy_id FROM report_order ro
    LEFT JOIN report_grant g ON g.grant_id = ro.grant_id LEFT JOIN report_programme p ON p.programme_id = g.programme_id
   WHERE ($2::uuid IS NULL OR ro.funder_id = $2::uuid) AND ($3::uuid IS NULL OR ro.order_id = $3::uuid)`;
const LIVE = (r: string) =>
  `NOT EXISTS (SELECT 1 FROM report_redemption_undone u WHERE u.redemption_id = ${r}.redemption_id AND u.undone_on <= $1::date)`;

const REDEEMED = `SELECT 'redeemed' AS step, r.order_id, r.occurred_on AS on_date, r.site_id, r.service_category_code AS category,
         r.vouchers::bigint AS vouchers, r.amount_cents::bigint AS value
    FROM report_redemption r JOIN o ON o.order_id = r.order_id WHERE r.occurred_on <= $1::date AND ${LIVE('r')}`;
const SETTLED = `SELECT 'settled', so.order_id, so.issued_on, so.site_id, NULL, so.vouchers, so.face_value_cents
    FROM report_statement_order so JOIN o ON o.order_id = so.order_id WHERE so.issued_on <= $1::date`;
// paid: the statement's payout was booked by the bank by D and not given back (a rejected one never
// was); the day it counts from is the earliest such payout's first booking.
const PAID = `SELECT 'paid', so.order_id, pd.paid_on, so.site_id, NULL, so.vouchers, so.face_value_cents
    FROM report_statement_order so JOIN o ON o.order_id = so.order_id
    JOIN (SELECT ps.statement_id, min(pp.paid_on) AS paid_on
            FROM report_payout_statement ps
            JOIN (SELECT m.payout_id, min(m.on_date) AS paid_on FROM report_money_movement m
                   WHERE m.kind = 'payout' AND m.on_date <= $1::date GROUP BY 1 HAVING sum(m.amount_cents) > 0) pp ON pp.payout_id = ps.payout_id
           GROUP BY 1) pd ON pd.statement_id = so.statement_id
   WHERE so.issued_on <= $1::date`;

/**
 * Redeemed over every order (the operator's unfiltered funnel by site dimensions): the monthly
 * roll-up for the months before D's month and D's month read day by day, every redemption counted,
 * less those undone by D. Per site (`site`) or per service category (`category`), summed per key.
 */
const REDEEMED_ALL = (by: 'site' | 'category') => {
  const key = by === 'site' ? `site_id, NULL::text` : `NULL::uuid, nullif(category, '')`;
  const keyOf = (r: string) => (by === 'site' ? `${r}.site_id, NULL::text` : `NULL::uuid, ${r}.service_category_code`);
  return `WITH m AS (SELECT date_trunc('month', $1::date)::date AS start)
  SELECT ${key}, sum(t.vouchers), sum(t.value_cents)
    FROM ${by === 'site' ? 'report_redeemed_site_month' : 'report_redeemed_category_month'} t, m WHERE t.month < m.start GROUP BY 1, 2
  UNION ALL
  SELECT ${keyOf('r')}, sum(r.vouchers), sum(r.amount_cents)
    FROM report_redemption r, m WHERE r.occurred_on >= m.start AND r.occurred_on <= $1::date GROUP BY 1, 2
  UNION ALL
  SELECT ${keyOf('r')}, -sum(r.vouchers), -sum(r.amount_cents)
    FROM report_redemption_undone u JOIN report_redemption r ON r.redemption_id = u.redemption_id
   WHERE r.occurred_on <= $1::date AND u.undone_on <= $1::date GROUP BY 1, 2`;
};

/**
 * The site steps `x` summed per site and category, then per group with the site (`s`) joined once per
 * site. Rows without a site are left out, except redemptions summed per category by the roll-up.
 */
const siteGrouped = (
  group: FunnelGroup,
) => `g AS (SELECT x.site_id, x.category, x.step, sum(x.vouchers) AS vouchers, sum(x.value) AS value FROM x GROUP BY 1, 2, 3)
SELECT ${FUNNEL_GROUPS[group]} AS key, g.step, sum(g.vouchers)::text AS vouchers, sum(g.value)::text AS value
  FROM g LEFT JOIN organisation s ON s.id = g.site_id
 WHERE s.id IS NOT NULL OR (g.step = 'redeemed' AND g.site_id IS NULL)
 GROUP BY 1, 2`;

/** By where the service happened, over every order: the roll-ups, then the site steps grouped. */
export const funnelSiteStepsAllSql = (group: FunnelGroup) => `WITH o AS (${ORDERS}),
redeemed AS (${REDEEMED_ALL(group === 'category' ? 'category' : 'site')}),
x AS (SELECT 'redeemed' AS step, NULL::uuid AS order_id, NULL::date AS on_date, r.site_id, r.service_category_code AS category,
             r.vouchers::bigint AS vouchers, r.value_cents::bigint AS value
        FROM redeemed r(site_id, service_category_code, vouchers, value_cents)
      UNION ALL ${SETTLED} UNION ALL ${PAID}),
${siteGrouped(group)}`;

/**
 * Each booklet's distributor as of D: the one of its latest hand-over by D (a booklet handed over
 * again after a return counts for its last distributor).
 */
const HANDED_BY = `SELECT DISTINCT ON (s.booklet_id) s.booklet_id, s.distributor_id FROM report_funnel_step s JOIN o ON o.order_id = s.order_id
   WHERE s.step = 'distributed' AND s.booklets > 0 AND s.on_date <= $1::date ORDER BY s.booklet_id, s.leaf_index DESC`;

/**
 * By distributor: the steps a distributor takes part in — allocated (to it, less returns) and
 * distributed (by it, less hand-overs taken back) — and the redemptions of the booklets it handed over
 * (by their latest hand-over; a bearer booklet never handed over has no distributor: key '').
 */
const DISTRIBUTOR_STEPS = `WITH o AS (${ORDERS}),
handed AS (${HANDED_BY}),
x AS (
  SELECT s.step, s.distributor_id, (s.booklets * o.vouchers_per_booklet)::bigint AS vouchers,
         (s.booklets * o.vouchers_per_booklet)::bigint * o.unit_face_value_cents AS value
    FROM report_funnel_step s JOIN o ON o.order_id = s.order_id WHERE s.step IN ('allocated', 'distributed') AND s.on_date <= $1::date
  UNION ALL
  SELECT 'redeemed', h.distributor_id, r.vouchers::bigint, r.amount_cents::bigint
    FROM report_redemption r JOIN o ON o.order_id = r.order_id LEFT JOIN handed h ON h.booklet_id = r.booklet_id
   WHERE r.occurred_on <= $1::date AND ${LIVE('r')})
SELECT ${FUNNEL_GROUPS.distributor} AS key, x.step, sum(x.vouchers)::text AS vouchers, sum(x.value)::text AS value FROM x GROUP BY 1, 2`;

/** Vouchers and value per group and step; booklet steps become vouchers with the order's booklet size. */
export const funnelStepsSql = (group: FunnelGroup) =>
  group === 'distributor'
    ? DISTRIBUTOR_STEPS
    : SITE_GROUPS.includes(group)
      ? // By where the service happened: the site steps only, the site's commune joined once per group.
        `WITH o AS (${ORDERS}),
x AS (${REDEEMED} UNION ALL ${SETTLED} UNION ALL ${PAID}),
${siteGrouped(group)}`
      : `WITH o AS (${ORDERS}),
x AS (
  SELECT s.step, s.order_id, s.on_date, NULL::uuid AS site_id, NULL::text AS category,
         coalesce(s.vouchers, s.booklets * o.vouchers_per_booklet)::bigint AS vouchers,
         coalesce(s.value_cents, coalesce(s.vouchers, s.booklets * o.vouchers_per_booklet)::bigint * o.unit_face_value_cents)::bigint AS value
    FROM report_funnel_step s JOIN o ON o.order_id = s.order_id WHERE s.on_date <= $1::date
  UNION ALL ${REDEEMED} UNION ALL ${SETTLED} UNION ALL ${PAID})
SELECT ${FUNNEL_GROUPS[group]} AS key, x.step, sum(x.vouchers)::text AS vouchers, sum(x.value)::text AS value
  FROM x JOIN o ON o.order_id = x.order_id GROUP BY 1, 2`;

/**
 * Booklets started (at least one live redeemed voucher by D), per group, dated by their first
 * redemption. Not by site, category or territory: a booklet is a person's, whose commune is the
 * beneficiary's (people counts, with suppression: /v1/reports/people).
 */
export const funnelStartedSql = (group: FunnelGroup) => `WITH o AS (${ORDERS}),
handed AS (${group === 'distributor' ? HANDED_BY : 'SELECT NULL::uuid AS booklet_id, NULL::uuid AS distributor_id WHERE false'}),
x AS (SELECT r.order_id, r.booklet_id, min(r.occurred_on) AS on_date
        FROM report_redemption r JOIN o ON o.order_id = r.order_id
       WHERE r.occurred_on <= $1::date AND r.booklet_id IS NOT NULL AND ${LIVE('r')}
       GROUP BY 1, 2)
SELECT ${FUNNEL_GROUPS[group]} AS key, count(*)::int AS booklets
  FROM (SELECT x.*, h.distributor_id FROM x LEFT JOIN handed h ON h.booklet_id = x.booklet_id) x JOIN o ON o.order_id = x.order_id GROUP BY 1`;

/**
 * Time to first use over the scope: per booklet handed over by D (its latest hand-over not taken
 * back), days from the hand-over to its first live redemption by D, as (days, booklets) counts for a
 * percentile. Simple booklets (one hand-over, nothing undone) come counted from `report_first_use`;
 * the others are computed from their rows, as every booklet used to be.
 */
export const firstUseCountsSql = (everyOrder: boolean) => `WITH o AS (${ORDERS}),
complex AS (SELECT booklet_id FROM report_booklet_use WHERE NOT simple),
handed AS (SELECT s.booklet_id, max(s.on_date) AS handed_on FROM report_funnel_step s JOIN o ON o.order_id = s.order_id
            WHERE s.step = 'distributed' AND s.on_date <= $1::date AND s.booklet_id IN (SELECT booklet_id FROM complex)
            GROUP BY 1 HAVING sum(s.booklets) > 0),
used AS (SELECT h.booklet_id, min(r.occurred_on) - h.handed_on AS days
           FROM handed h JOIN report_redemption r ON r.booklet_id = h.booklet_id AND r.occurred_on <= $1::date AND ${LIVE('r')}
          GROUP BY h.booklet_id, h.handed_on)
SELECT days AS value, sum(n)::int AS n FROM (
  ${
    everyOrder // over every order, the counts without the order
      ? 'SELECT f.days, f.booklets AS n FROM report_first_use_all f WHERE f.ready_on <= $1::date'
      : 'SELECT f.days, f.booklets AS n FROM report_first_use f JOIN o ON o.order_id = f.order_id WHERE f.ready_on <= $1::date'
  }
  UNION ALL
  SELECT days, 1 FROM used) x
GROUP BY days ORDER BY days`;
