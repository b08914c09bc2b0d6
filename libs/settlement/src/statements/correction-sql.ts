import { BARRIER_LOCK_CLASS } from '@sillage/ledger';

/**
 * Correction lines of a statement (ADR 14). Parameters: $1 statement id, $2 site, $3 cutoff (the claim
 * takes a chunk: $1 statement ids, $2 their sites).
 *
 * Accepted incidents the site is owed, decided before the cutoff and on no statement yet: each becomes
 * a line paid at the face value of its vouchers (the amount the order's credit note deducts), with no
 * voucher and no face value of its own, so the statement's face value stays that of its redemptions.
 */
export const CLAIM_INCIDENTS_SQL = `WITH claimed AS (
  UPDATE redemption_incident i SET statement_id = s.statement_id FROM unnest($2::uuid[], $1::uuid[]) AS s(site_id, statement_id)
   WHERE i.site_id = s.site_id AND i.status = 'accepted' AND i.statement_id IS NULL AND i.resolved_at <= $3::timestamptz
     AND i.order_id IS NOT NULL AND i.amount_cents > 0
  RETURNING i.statement_id)
SELECT statement_id AS "statementId", count(*)::int AS n FROM claimed GROUP BY statement_id`;

/** Sites among $1 that owe something back recorded before the cutoff $2 (their statements deduct it). */
export const SITES_OWING_SQL = `SELECT DISTINCT site_id AS "siteId" FROM settlement_correction
 WHERE site_id = ANY($1::uuid[]) AND statement_id IS NULL AND created_at <= $2::timestamptz`;

export const INCIDENT_LINES_SQL = `INSERT INTO settlement_statement_line (statement_id, kind, label, order_id, service_category_code, redemption_count, voucher_count,
                                       face_value_cents, commission_cents, amount_cents)
SELECT $1, 'correction', 'Incident accepté / Accepted incident: ' || array_to_string(i.voucher_serials, ', '), i.order_id, i.service_category_code, 0, 0, 0, 0,
       i.amount_cents
  FROM redemption_incident i WHERE i.statement_id = $1 ORDER BY i.resolved_at, i.id`;

/** What the site owes back (overpayments, fraud, receivables carried), recorded before the cutoff: deducted here. */
export const DEDUCTION_LINES_SQL = `WITH claimed AS (
  UPDATE settlement_correction SET statement_id = $1
   WHERE site_id = $2 AND statement_id IS NULL AND created_at <= $3::timestamptz
  RETURNING id, kind, amount_cents, order_id, reason_code, created_at)
INSERT INTO settlement_statement_line (statement_id, kind, label, order_id, redemption_count, voucher_count, face_value_cents, commission_cents, amount_cents)
SELECT $1, 'correction',
       CASE c.kind WHEN 'fraud' THEN 'Service frauduleux déduit / Fraudulent service deducted'
                   WHEN 'overpayment' THEN 'Trop-perçu déduit / Overpayment deducted'
                   ELSE 'Créance reportée déduite / Carried receivable deducted' END || ' (' || c.reason_code || ')',
       c.order_id, 0, 0, 0, 0, c.amount_cents
  FROM claimed c ORDER BY c.created_at, c.id`;

/**
 * When the deductions exceed what the statement owes, the statement is brought to zero by a line
 * carrying the rest forward, and the rest becomes a receivable deducted from the next statement.
 */
export const CARRY_RECEIVABLE_SQL = `WITH total AS (SELECT coalesce(sum(amount_cents), 0) AS amount FROM settlement_statement_line WHERE statement_id = $1),
line AS (
  INSERT INTO settlement_statement_line (statement_id, kind, label, redemption_count, voucher_count, face_value_cents, commission_cents, amount_cents)
  SELECT $1, 'correction', 'Reste dû reporté au relevé suivant / Balance carried to the next statement', 0, 0, 0, 0, -t.amount FROM total t WHERE t.amount < 0
  RETURNING amount_cents)
INSERT INTO settlement_correction (site_id, kind, amount_cents, reason_code, source_statement_id, created_at)
SELECT $2, 'receivable_carried', -l.amount_cents, 'carried_forward', $1, $3::timestamptz FROM line l
RETURNING amount_cents::text AS amount`;

/**
 * Ledger of the correction lines: each accepted incident moves its amount from the order's receivable
 * to the site payable; the deductions actually taken (all of them, less what was carried forward) move
 * from the site payable back to restitution (owed to the funders). Deterministic ids, as for the lines.
 */
export const CORRECTION_TRANSFERS_SQL = `WITH barrier AS (SELECT pg_advisory_xact_lock_shared(${BARRIER_LOCK_CLASS}, 0)),
payable AS (SELECT a.id FROM ledger_account a WHERE a.kind = 'site_payable' AND a.owner_organisation_id = $2 AND a.order_id IS NULL AND a.currency = 'EUR'),
restitution AS (SELECT a.id FROM ledger_account a WHERE a.kind = 'restitution_payable' AND a.owner_organisation_id IS NULL AND a.order_id IS NULL AND a.currency = 'EUR'),
lines AS (SELECT l.id, l.order_id, l.amount_cents, l.label FROM settlement_statement_line l WHERE l.statement_id = $1 AND l.kind = 'correction'),
deducted AS (
  SELECT -coalesce(sum(amount_cents) FILTER (WHERE amount_cents < 0), 0) - coalesce(sum(amount_cents) FILTER (WHERE amount_cents > 0 AND order_id IS NULL), 0) AS amount
    FROM lines),
moves AS (
  SELECT md5('settlement-incident:' || l.id::text)::uuid AS id, r.id AS debit, (SELECT id FROM payable) AS credit, l.amount_cents AS amount
    FROM lines l JOIN ledger_account r ON r.kind = 'order_receivable' AND r.order_id = l.order_id AND r.currency = 'EUR'
   WHERE l.amount_cents > 0 AND l.order_id IS NOT NULL
  UNION ALL
  SELECT md5('settlement-deduction:' || $1::text)::uuid, (SELECT id FROM payable), (SELECT id FROM restitution), d.amount FROM deducted d WHERE d.amount > 0)
INSERT INTO ledger_transfer (id, kind, debit_account_id, credit_account_id, amount, currency, event_at, reference_type, reference_id)
SELECT m.id, 'single', m.debit, m.credit, m.amount, 'EUR', $3::timestamptz, 'statement', $1::text FROM moves m, barrier
ON CONFLICT DO NOTHING`;
