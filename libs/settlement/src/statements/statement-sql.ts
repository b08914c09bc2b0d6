import { BARRIER_LOCK_CLASS } from '@sillage/ledger';

/** The site's redemptions a run with cutoff $2 takes: live, in no statement, past their 24 h undo window. */
export const CLAIM_REDEMPTIONS_SQL = `WITH claimed AS (
  UPDATE redemption SET statement_id = $3
   WHERE site_id = $1 AND statement_id IS NULL AND undone_at IS NULL AND recorded_at <= $2::timestamptz - interval '24 hours'
  RETURNING 1)
SELECT count(*)::int AS n FROM claimed`;

/** Rounds a non-negative bigint product `x / 10,000` half-up to the cent (integer arithmetic only). */
const bpOf = (x: string, bp: string) => `((${x} * ${bp} + 5000) / 10000)`;

/**
 * The statement's service lines, set-based: its redemptions grouped by order, service category and
 * the pricing rule in force on the Paris day of the service (the order's contract rule, else the
 * default rule; the highest version among those valid that day). Each line is priced once:
 * reimbursed = face × rate (half-up) or the fixed amount per voucher (at most its face value);
 * commission = reimbursed × commission rate (half-up); amount = reimbursed − commission.
 */
export const INSERT_LINES_SQL = `WITH days AS (
  SELECT r.order_id, r.service_category_code AS category, (r.occurred_at AT TIME ZONE 'Europe/Paris')::date AS day,
         count(*)::int AS redemptions, sum(r.voucher_count)::int AS vouchers, sum(r.amount_cents)::bigint AS face
    FROM redemption r WHERE r.statement_id = $1
   GROUP BY 1, 2, 3),
priced AS (
  SELECT d.order_id, d.category, rule.id AS rule_id, rule.rate_bp, rule.fixed_amount_cents, rule.commission_bp, o.face_value_cents,
         sum(d.redemptions)::int AS redemptions, sum(d.vouchers)::int AS vouchers, sum(d.face)::bigint AS face
    FROM days d JOIN purchase_order o ON o.id = d.order_id
   CROSS JOIN LATERAL (
     SELECT p.id, p.rate_bp, p.fixed_amount_cents, p.commission_bp FROM pricing_rule p
      WHERE (p.contract_id = o.contract_id OR p.contract_id IS NULL) AND p.valid_from <= d.day AND (p.valid_until IS NULL OR p.valid_until >= d.day)
      ORDER BY (p.contract_id IS NULL), p.version DESC LIMIT 1) rule
   GROUP BY 1, 2, 3, 4, 5, 6, 7),
reimbursed AS (
  SELECT p.*, CASE WHEN p.rate_bp IS NOT NULL THEN ${bpOf('p.face', 'p.rate_bp')}
                   ELSE least(p.fixed_amount_cents, p.face_value_cents) * p.vouchers END AS reimbursed
    FROM priced p)
INSERT INTO settlement_statement_line (statement_id, kind, order_id, service_category_code, pricing_rule_id, redemption_count, voucher_count,
                                       face_value_cents, commission_cents, amount_cents)
SELECT $1, 'service', x.order_id, x.category, x.rule_id, x.redemptions, x.vouchers, x.face,
       ${bpOf('x.reimbursed', 'x.commission_bp')}, x.reimbursed - ${bpOf('x.reimbursed', 'x.commission_bp')}
  FROM reimbursed x
 ORDER BY x.order_id, x.category, x.rule_id`;

/** The statement row, its totals summed from its lines (the check before commit compares them again). */
export const INSERT_STATEMENT_SQL = `INSERT INTO settlement_statement (id, number, run_id, site_id, cutoff, voucher_count, face_value_cents, commission_cents, total_cents)
SELECT $1, 'REL-' || to_char($4::timestamptz AT TIME ZONE 'Europe/Paris', 'YYYY') || '-' || lpad(nextval('settlement_statement_number_seq')::text, 6, '0'),
       $2, $3, $4, coalesce(sum(l.voucher_count), 0), coalesce(sum(l.face_value_cents), 0), coalesce(sum(l.commission_cents), 0), coalesce(sum(l.amount_cents), 0)
  FROM settlement_statement_line l WHERE l.statement_id = $1`;

/*
 * A statement's redemptions are read through its site (`redemption_site_idx`): every redemption a
 * statement takes is of the statement's site, and `redemption.statement_id` has no index of its own.
 */

/**
 * Lines and totals disagree, or the lines do not cover the statement's redemptions (a service day no
 * pricing rule covers): a bug or a gap in the rules, never data to keep — the transaction is rolled back.
 */
export const TOTALS_MISMATCH_SQL = `SELECT s.total_cents::text AS total, coalesce(l.amount, 0)::text AS lines, s.face_value_cents::text AS face,
       coalesce(r.face, 0)::text AS redeemed
  FROM settlement_statement s
  LEFT JOIN (SELECT sum(amount_cents) AS amount FROM settlement_statement_line WHERE statement_id = $1) l ON true
  LEFT JOIN LATERAL (SELECT sum(amount_cents) AS face FROM redemption WHERE site_id = s.site_id AND statement_id = $1) r ON true
 WHERE s.id = $1 AND (s.total_cents <> coalesce(l.amount, 0) OR s.face_value_cents <> coalesce(r.face, 0))`;

/**
 * Ledger, set-based: each settled redemption's pending transfer (order outstanding → site payable) is
 * posted, then per line the part the site is not paid leaves the site payable: the commission to
 * the platform's fees, the rest of the face value (a rate below 100 %, a lower fixed amount) to
 * restitution (returned to the funder). Deterministic ids (md5 of a name), so a retried statement
 * writes nothing twice (ON CONFLICT).
 */
export const POST_PENDING_SQL = `WITH barrier AS (SELECT pg_advisory_xact_lock_shared(${BARRIER_LOCK_CLASS}, 0))
INSERT INTO ledger_transfer (id, kind, debit_account_id, credit_account_id, amount, currency, pending_id, pending_amount, event_at, reference_type, reference_id)
SELECT md5('settlement-post:' || p.id::text)::uuid, 'post_pending', p.debit_account_id, p.credit_account_id, p.amount, p.currency, p.id, p.amount,
       $2::timestamptz, 'statement', $1::text
  FROM settlement_statement s
  JOIN redemption r ON r.site_id = s.site_id AND r.statement_id = s.id
  JOIN ledger_transfer p ON p.id = r.id AND p.kind = 'pending', barrier
 WHERE s.id = $1::uuid
ON CONFLICT DO NOTHING`;

export const LINE_ADJUSTMENTS_SQL = `WITH barrier AS (SELECT pg_advisory_xact_lock_shared(${BARRIER_LOCK_CLASS}, 0)),
payable AS (SELECT a.id FROM ledger_account a WHERE a.kind = 'site_payable' AND a.owner_organisation_id = $3 AND a.order_id IS NULL AND a.currency = 'EUR'),
moves AS (
  SELECT l.id AS line_id, 'commission' AS part, l.commission_cents AS amount, (SELECT id FROM ledger_account WHERE kind = 'fees' AND owner_organisation_id IS NULL AND order_id IS NULL AND currency = 'EUR') AS credit
    FROM settlement_statement_line l WHERE l.statement_id = $1::uuid AND l.kind = 'service' AND l.commission_cents > 0
  UNION ALL
  SELECT l.id, 'restitution', l.face_value_cents - l.amount_cents - l.commission_cents,
         (SELECT id FROM ledger_account WHERE kind = 'restitution_payable' AND owner_organisation_id IS NULL AND order_id IS NULL AND currency = 'EUR')
    FROM settlement_statement_line l WHERE l.statement_id = $1::uuid AND l.kind = 'service' AND l.face_value_cents - l.amount_cents - l.commission_cents > 0)
INSERT INTO ledger_transfer (id, kind, debit_account_id, credit_account_id, amount, currency, event_at, reference_type, reference_id)
SELECT md5('settlement-' || m.part || ':' || m.line_id::text)::uuid, 'single', (SELECT id FROM payable), m.credit, m.amount, 'EUR', $2::timestamptz, 'statement', $1::text
  FROM moves m, barrier
ON CONFLICT DO NOTHING`;
