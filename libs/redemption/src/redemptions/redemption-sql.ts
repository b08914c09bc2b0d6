import { AUDIT_EVENT_COLUMNS } from '@sillage/audit';
import { BARRIER_LOCK_CLASS } from '@sillage/ledger';
import { siteLabelValidSql } from '@sillage/sites';

/** INSEE department of a commune code: 3 characters overseas (97x), else 2 (including 2A/2B). */
export const departmentOf = (commune: string): string =>
  `(CASE WHEN ${commune} LIKE '97%' THEN left(${commune}, 3) ELSE left(${commune}, 2) END)`;

/** The end of an order's redemption deadline: midnight (Paris) after validity end + tolerance days. */
export const deadlineOf = (o: string): string =>
  `((${o}.validity_end_date + ${o}.tolerance_days + 1)::timestamp AT TIME ZONE 'Europe/Paris')`;

/** The site `s` (id, commune_code) lies inside order `o`'s eligibility: its allow-list, else its territory, else anywhere. */
export const siteEligible = (o: string, s: string): string => `(CASE
  WHEN cardinality(${o}.site_organisation_ids) > 0 THEN ${s}.id = ANY(${o}.site_organisation_ids)
  WHEN cardinality(${o}.department_codes) + cardinality(${o}.commune_codes) > 0
    THEN ${s}.commune_code = ANY(${o}.commune_codes) OR ${departmentOf(`${s}.commune_code`)} = ANY(${o}.department_codes)
  ELSE true END)`;

/** `$category` is allowed by order `o` (an empty list allows every category). */
export const categoryAllowed = (o: string, category: string): string =>
  `(cardinality(${o}.service_category_codes) = 0 OR ${category} = ANY(${o}.service_category_codes))`;

/** The booklet `b` was handed over by site `s`'s own organisation (forbidden unless the order allows it). */
export const handedOverBySite = (b: string, s: string): string =>
  `EXISTS (SELECT 1 FROM handover h WHERE h.booklet_id = ${b}.id AND h.returned_at IS NULL AND h.distributor_id = ${s}.id)`;

/** Constraints whose violation by the write means "a condition failed": nothing was written. */
export const CONDITION_CONSTRAINTS = new Set(['redemption_voucher_count_check', 'redemption_amount_check']);
export const IDEMPOTENCY_CONSTRAINT = 'redemption_idempotency_key';

/**
 * The whole redemption as ONE statement (one implicit transaction, one round trip, prepared once per
 * connection). The vouchers move ACTIVE → REDEEMED only where every rule holds (site qualified now
 * with a label on the day of service, booklet distributed or bearer, before the deadline, eligible
 * site, allowed category, not the site's own hand-over). If fewer vouchers moved than were asked, the
 * redemption row gets voucher_count 0 and its CHECK constraint aborts the statement: all or nothing,
 * and the caller explains the refusal from fresh facts. No shared row is updated: the voucher rows,
 * then inserts only (redemption, lines, ledger transfer, audit event, outbox row).
 *
 * The ledger transfer (order outstanding → site payable, posted: an undo is its reversal, ADR 15) is
 * written here rather than through `Ledger.transfer` so the redemption
 * stays one statement; it takes the snapshot barrier like every transfer. The debit account's
 * `debits_must_not_exceed_credits` flag holds by construction: an order's outstanding credit is the
 * face value of its activated vouchers, and each voucher leaves ACTIVE once (ADR 10; `ledger:check`
 * proves both).
 *
 * Parameters: $1 redemption id, $2 site, $3 idempotency key, $4 request hash, $5 booklet id, $6 voucher
 * indexes, $7 category, $8 occurredAt, $9 recordedAt, $10 Paris day of occurredAt, $11 vouchers asked,
 * $12 channel, $13 agent user id, $14 API key id, $15 booklet serial, $16-$25 the audit event.
 */
export const REDEEM_SQL = `WITH site AS (
  SELECT org.id, org.commune_code FROM organisation org WHERE org.id = $2 AND ${siteLabelValidSql('$2::uuid', '$10::date')}),
moved AS (
  UPDATE voucher v SET status = 'REDEEMED', status_changed_at = $9
  FROM booklet b, purchase_order o, site s
  WHERE v.booklet_id = $5 AND v.idx = ANY($6::smallint[]) AND v.status = 'ACTIVE'
    AND b.id = v.booklet_id AND o.id = v.order_id
    AND (b.state = 'DISTRIBUTED' OR o.redeemable_before_distribution)
    AND $8 < ${deadlineOf('o')}
    AND ${siteEligible('o', 's')}
    AND ${categoryAllowed('o', '$7')}
    AND (o.self_redemption_allowed OR NOT ${handedOverBySite('b', 's')})
  RETURNING v.id, v.idx, o.face_value_cents AS amount, o.id AS order_id),
total AS (SELECT count(*)::int AS n, coalesce(sum(amount), 0)::bigint AS amount, (array_agg(order_id))[1] AS order_id FROM moved),
redemption AS (
  INSERT INTO redemption (id, site_id, idempotency_key, request_hash, booklet_id, order_id, service_category_code, occurred_at, recorded_at,
                          voucher_count, amount_cents, channel, agent_id, api_key_id)
  SELECT $1, $2, $3, $4, $5, coalesce(t.order_id, '00000000-0000-0000-0000-000000000000'), $7, $8, $9,
         CASE WHEN t.n = $11 THEN t.n ELSE 0 END, t.amount, $12, $13, $14
  FROM total t),
lines AS (
  INSERT INTO redemption_line (redemption_id, voucher_id, voucher_serial, amount_cents)
  SELECT $1, m.id, $15::text || '-' || lpad(m.idx::text, 2, '0'), m.amount FROM moved m),
barrier AS (SELECT pg_advisory_xact_lock_shared(${BARRIER_LOCK_CLASS}, 0)),
transfer AS (
  INSERT INTO ledger_transfer (id, kind, debit_account_id, credit_account_id, amount, currency, event_at, reference_type, reference_id)
  SELECT $1, 'single',
         (SELECT a.id FROM ledger_account a WHERE a.kind = 'order_outstanding' AND a.order_id = t.order_id AND a.currency = 'EUR'),
         (SELECT a.id FROM ledger_account a WHERE a.kind = 'site_payable' AND a.owner_organisation_id = $2 AND a.order_id IS NULL AND a.currency = 'EUR'),
         t.amount, 'EUR', $8, 'redemption', $1::text
  FROM total t, barrier WHERE t.n > 0),
audit AS (
  INSERT INTO audit_event (${AUDIT_EVENT_COLUMNS}) SELECT $16, $17, $18, $19, $20, $21, $22, $23, $24, $25 FROM total t WHERE t.n > 0),
outbox AS (
  INSERT INTO outbox_message (job_name, job_id, payload)
  SELECT 'redemption.voucher-redeemed', 'voucher-redeemed:' || $1::text, jsonb_build_object('redemptionId', $1::text) FROM total t WHERE t.n > 0)
SELECT n FROM total`;

/** Everything needed to say why vouchers of a booklet cannot be redeemed at a site now. */
export const REFUSAL_FACTS_SQL = `SELECT v.idx, v.status, b.state AS "bookletState", o.redeemable_before_distribution AS "bearer",
    $3::timestamptz < ${deadlineOf('o')} AS "beforeDeadline",
    to_char(o.validity_end_date + o.tolerance_days, 'YYYY-MM-DD') AS "lastDay",
    coalesce(${siteEligible('o', 's')}, false) AS "siteEligible",
    ($5::text IS NULL OR ${categoryAllowed('o', '$5')}) AS "categoryAllowed",
    (s.id IS NOT NULL AND NOT o.self_redemption_allowed AND ${handedOverBySite('b', 's')}) AS "selfRedemption",
    ${siteLabelValidSql('$2::uuid', '$4::date')} AS "siteQualified",
    o.face_value_cents AS "faceValueCents"
  FROM voucher v JOIN booklet b ON b.id = v.booklet_id JOIN purchase_order o ON o.id = v.order_id
  LEFT JOIN organisation s ON s.id = $2
  WHERE v.booklet_id = $1 AND v.idx = ANY($6::smallint[])`;
