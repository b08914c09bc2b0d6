import { BARRIER_LOCK_CLASS } from '@sillage/ledger';

/*
 * A chunk of sites priced set-based in one transaction: one statement per step for the whole chunk
 * (docs/benchmarks.md, settlement: one transaction per site cost a round trip per step per site).
 * Parameters: $1 statement ids (uuid[]), $2 their sites (uuid[], same order), then as named below.
 * A statement's redemptions are found through its site (`redemption_site_idx`) when they are claimed,
 * and priced from what the claim returns: `redemption.statement_id` has no index of its own (one would
 * make every claim a non-HOT update; `redemption` keeps free space on its pages so claims are HOT, ADR 15).
 */
const CHUNK = `unnest($2::uuid[], $1::uuid[]) WITH ORDINALITY AS s(site_id, statement_id, ord)`;

/**
 * The pricing rule in force for order `o` on Paris day `day`: the order's contract rule, else the
 * default rule; the highest version among those valid that day (a LATERAL subquery yielding one row).
 */
export const ruleInForceSql = (o: string, day: string) => `SELECT p.id, p.rate_bp, p.fixed_amount_cents, p.commission_bp FROM pricing_rule p
      WHERE (p.contract_id = ${o}.contract_id OR p.contract_id IS NULL) AND p.valid_from <= ${day} AND (p.valid_until IS NULL OR p.valid_until >= ${day})
      ORDER BY (p.contract_id IS NULL), p.version DESC LIMIT 1`;

/** Rounds a non-negative bigint product `x / 10,000` half-up to the cent (integer arithmetic only). */
const bpOf = (x: string, bp: string) => `((${x} * ${bp} + 5000) / 10000)`;

/**
 * $3 cutoff. Claim and price in one statement. Each site's redemptions the run takes — live, in no
 * statement, past their 24 h undo window — are claimed by its statement, and the rows the claim
 * returns are priced into the statements' service lines: grouped by order, service category and the
 * pricing rule in force on the Paris day of the service (the order's contract rule, else the default
 * rule; the highest version among those valid that day). Each line is priced once:
 * reimbursed = face × rate (half-up) or the fixed amount per voucher (at most its face value);
 * commission = reimbursed × commission rate (half-up); amount = reimbursed − commission.
 * Pricing what the claim returned reads each redemption once, and never through `statement_id`,
 * whose statistics are stale inside the claiming transaction (the planner would expect no row). The
 * rule is looked up once per order and Paris day (`rules`, a few hundred per chunk), then joined.
 * A claimed redemption with no rule in force finds no line: the totals check then rolls back.
 * Returns, per statement and order it took redemptions of, their count, vouchers and face value.
 */
export const CLAIM_AND_PRICE_SQL = `WITH claimed AS (
  UPDATE redemption r SET statement_id = s.statement_id FROM ${CHUNK}
   WHERE r.site_id = s.site_id AND r.statement_id IS NULL AND r.undone_at IS NULL AND r.recorded_at <= $3::timestamptz - interval '24 hours'
  RETURNING r.statement_id, r.order_id, r.service_category_code, r.occurred_at, r.voucher_count, r.amount_cents),
days AS MATERIALIZED (
  SELECT DISTINCT c.order_id, (c.occurred_at AT TIME ZONE 'Europe/Paris')::date AS day FROM claimed c),
rules AS MATERIALIZED (
  SELECT d.order_id, d.day, rule.id, rule.rate_bp, rule.fixed_amount_cents, rule.commission_bp, o.face_value_cents
    FROM days d JOIN purchase_order o ON o.id = d.order_id
   CROSS JOIN LATERAL (${ruleInForceSql('o', 'd.day')}) rule),
priced AS (
  SELECT c.statement_id, c.order_id, c.service_category_code AS category, rule.id AS rule_id, rule.rate_bp, rule.fixed_amount_cents,
         rule.commission_bp, rule.face_value_cents, count(*)::int AS redemptions, sum(c.voucher_count)::int AS vouchers, sum(c.amount_cents)::bigint AS face
    FROM claimed c JOIN rules rule ON rule.order_id = c.order_id AND rule.day = (c.occurred_at AT TIME ZONE 'Europe/Paris')::date
   GROUP BY 1, 2, 3, 4, 5, 6, 7, 8),
reimbursed AS (
  SELECT p.*, CASE WHEN p.rate_bp IS NOT NULL THEN ${bpOf('p.face', 'p.rate_bp')}
                   ELSE least(p.fixed_amount_cents, p.face_value_cents) * p.vouchers END AS reimbursed
    FROM priced p),
lines AS (
  INSERT INTO settlement_statement_line (statement_id, kind, order_id, service_category_code, pricing_rule_id, redemption_count, voucher_count,
                                         face_value_cents, commission_cents, amount_cents)
  SELECT x.statement_id, 'service', x.order_id, x.category, x.rule_id, x.redemptions, x.vouchers, x.face,
         ${bpOf('x.reimbursed', 'x.commission_bp')}, x.reimbursed - ${bpOf('x.reimbursed', 'x.commission_bp')}
    FROM reimbursed x
   ORDER BY x.statement_id, x.order_id, x.category, x.rule_id)
SELECT statement_id AS "statementId", order_id AS "orderId", count(*)::int AS n, sum(voucher_count)::int AS vouchers,
       sum(amount_cents)::text AS face
  FROM claimed GROUP BY 1, 2 ORDER BY 1, 2`;

/**
 * $3 run id, $4 cutoff. The statement rows, numbered in the chunk's site order, their totals summed
 * from their lines (the check before commit compares them again).
 */
export const INSERT_STATEMENTS_SQL = `INSERT INTO settlement_statement (id, number, run_id, site_id, cutoff, voucher_count, face_value_cents, commission_cents, total_cents)
SELECT t.statement_id, 'REL-' || to_char($4::timestamptz AT TIME ZONE 'Europe/Paris', 'YYYY') || '-' || lpad(nextval('settlement_statement_number_seq')::text, 6, '0'),
       $3, t.site_id, $4, t.vouchers, t.face, t.commission, t.total
  FROM (SELECT s.statement_id, s.site_id, s.ord, coalesce(sum(l.voucher_count), 0) AS vouchers, coalesce(sum(l.face_value_cents), 0) AS face,
               coalesce(sum(l.commission_cents), 0) AS commission, coalesce(sum(l.amount_cents), 0) AS total
          FROM ${CHUNK} LEFT JOIN settlement_statement_line l ON l.statement_id = s.statement_id
         GROUP BY 1, 2, 3) t
 ORDER BY t.ord`;

/**
 * $1 the statements, $2 those that claimed redemptions (uuid[]), $3 the face value they claimed
 * (bigint[], same order). A statement whose total disagrees with its lines, or whose face value with the redemptions
 * it claimed (a service day no pricing rule covers): a bug or a gap in the rules, never data to keep —
 * the transaction is rolled back.
 */
export const TOTALS_MISMATCH_SQL = `SELECT s.site_id AS "siteId", s.total_cents::text AS total, coalesce(l.amount, 0)::text AS lines,
       s.face_value_cents::text AS face, coalesce(c.face, 0)::text AS redeemed
  FROM settlement_statement s
  LEFT JOIN (SELECT statement_id, sum(amount_cents) AS amount FROM settlement_statement_line WHERE statement_id = ANY($1::uuid[]) GROUP BY 1) l
    ON l.statement_id = s.id
  LEFT JOIN unnest($2::uuid[], $3::bigint[]) AS c(statement_id, face) ON c.statement_id = s.id
 WHERE s.id = ANY($1::uuid[]) AND (s.total_cents <> coalesce(l.amount, 0) OR s.face_value_cents <> coalesce(c.face, 0))
 LIMIT 1`;

/**
 * $3 cutoff. The only ledger writes of a statement's service lines: each redemption already credited
 * its face value to the site payable when it was recorded (ADR 15), so what the site is not paid
 * leaves the site payable — the lines' commission to the platform's fees, the rest of their face value
 * (a rate below 100 %, a lower fixed amount) to restitution (returned to the funder). At most two
 * transfers per statement (the lines say how each amount was computed). Correction lines have their
 * own transfers (correction-sql.ts).
 */
export const LINE_ADJUSTMENTS_SQL = `WITH barrier AS (SELECT pg_advisory_xact_lock_shared(${BARRIER_LOCK_CLASS}, 0)),
platform AS (SELECT (SELECT id FROM ledger_account WHERE kind = 'fees' AND owner_organisation_id IS NULL AND order_id IS NULL AND currency = 'EUR') AS fees,
                    (SELECT id FROM ledger_account WHERE kind = 'restitution_payable' AND owner_organisation_id IS NULL AND order_id IS NULL AND currency = 'EUR') AS restitution),
statements AS (
  SELECT s.statement_id, a.id AS payable, sum(l.commission_cents) AS commission, sum(l.face_value_cents - l.amount_cents - l.commission_cents) AS restitution
    FROM ${CHUNK}
    JOIN settlement_statement_line l ON l.statement_id = s.statement_id AND l.kind = 'service'
    JOIN ledger_account a ON a.kind = 'site_payable' AND a.owner_organisation_id = s.site_id AND a.order_id IS NULL AND a.currency = 'EUR'
   GROUP BY 1, 2),
moves AS (
  SELECT x.statement_id, x.payable, 'commission' AS part, x.commission AS amount, platform.fees AS credit FROM statements x, platform WHERE x.commission > 0
  UNION ALL
  SELECT x.statement_id, x.payable, 'restitution', x.restitution, platform.restitution FROM statements x, platform WHERE x.restitution > 0)
INSERT INTO ledger_transfer (id, kind, debit_account_id, credit_account_id, amount, currency, event_at, reference_type, reference_id)
SELECT md5('settlement-' || m.part || ':' || m.statement_id::text)::uuid, 'single', m.payable, m.credit, m.amount, 'EUR', $3::timestamptz, 'statement', m.statement_id::text
  FROM moves m, barrier
ON CONFLICT DO NOTHING`;
