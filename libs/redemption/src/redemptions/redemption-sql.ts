import { AUDIT_EVENT_COLUMNS, auditEventColumns, AuditEventEntity, auditEventsUnnestSql } from '@sillage/audit';
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
 * Redemptions as ONE statement (one implicit transaction, one round trip, prepared once per
 * connection): one redemption, or several gathered by `RedemptionWriter` while the database is busy
 * (ADR 20). Each redemption's vouchers move ACTIVE → REDEEMED only where every rule holds (site
 * qualified now with a label on the day of service, booklet distributed or bearer, before the
 * deadline, eligible site, allowed category, not the site's own hand-over). If fewer vouchers of a
 * redemption moved than it asked for, its row gets voucher_count 0 and the CHECK constraint aborts the
 * whole statement: all or nothing, and the caller explains the refusal from fresh facts (the writer
 * first retries each redemption of an aborted group on its own). No shared row is updated: the
 * voucher rows, then inserts only (redemptions, lines, ledger transfers, audit events, outbox rows).
 *
 * Each ledger transfer (order outstanding → site payable, posted: an undo is its reversal, ADR 15) is
 * written here rather than through `Ledger.transfer` so that the redemption stays one statement; it
 * takes the snapshot barrier like every transfer. The debit account's
 * `debits_must_not_exceed_credits` flag holds by construction: an order's outstanding credit is the
 * face value of its activated vouchers, and each voucher leaves ACTIVE once (ADR 10; `ledger:check`
 * proves both).
 *
 * A voucher asked for by two redemptions of one statement moves once (an UPDATE changes a row once),
 * so the other redemption comes up short and the statement aborts. The parameters are column arrays,
 * one element per redemption (`redeemValues`), and the vouchers as (redemption number, index) pairs.
 */
export const REDEEM_SQL = `WITH item AS (
  SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::bytea[], $5::uuid[], $6::text[], $7::timestamptz[],
                       $8::timestamptz[], $9::date[], $10::int[], $11::text[], $12::uuid[], $13::uuid[], $14::text[])
    WITH ORDINALITY AS i(id, site_id, idempotency_key, request_hash, booklet_id, category, occurred_at, recorded_at,
                         occurred_day, asked, channel, agent_id, api_key_id, booklet_serial, k)),
wanted AS (SELECT * FROM unnest($15::int[], $16::smallint[]) AS w(k, idx)),
site AS (
  SELECT i.k, org.id, org.commune_code FROM item i JOIN organisation org ON org.id = i.site_id
  WHERE ${siteLabelValidSql('i.site_id', 'i.occurred_day')}),
moved AS (
  UPDATE voucher v SET status = 'REDEEMED', status_changed_at = i.recorded_at
  FROM item i, wanted w, site s, booklet b, purchase_order o
  WHERE w.k = i.k AND s.k = i.k AND v.booklet_id = i.booklet_id AND v.idx = w.idx AND v.status = 'ACTIVE'
    AND b.id = v.booklet_id AND o.id = v.order_id
    AND (b.state = 'DISTRIBUTED' OR o.redeemable_before_distribution)
    AND i.occurred_at < ${deadlineOf('o')}
    AND ${siteEligible('o', 's')}
    AND ${categoryAllowed('o', 'i.category')}
    AND (o.self_redemption_allowed OR NOT ${handedOverBySite('b', 's')})
  RETURNING i.k, v.id, v.idx, o.face_value_cents AS amount, o.id AS order_id),
tally AS (
  SELECT k, count(*)::int AS n, sum(amount)::bigint AS amount, (array_agg(order_id))[1] AS order_id FROM moved GROUP BY k),
redemption AS (
  INSERT INTO redemption (id, site_id, idempotency_key, request_hash, booklet_id, order_id, service_category_code, occurred_at, recorded_at,
                          voucher_count, amount_cents, channel, agent_id, api_key_id)
  SELECT i.id, i.site_id, i.idempotency_key, i.request_hash, i.booklet_id, coalesce(t.order_id, '00000000-0000-0000-0000-000000000000'),
         i.category, i.occurred_at, i.recorded_at, CASE WHEN t.n = i.asked THEN t.n ELSE 0 END, coalesce(t.amount, 0),
         i.channel, i.agent_id, i.api_key_id
  FROM item i LEFT JOIN tally t ON t.k = i.k),
lines AS (
  INSERT INTO redemption_line (redemption_id, voucher_id, voucher_serial, amount_cents)
  SELECT i.id, m.id, i.booklet_serial || '-' || lpad(m.idx::text, 2, '0'), m.amount FROM moved m JOIN item i ON i.k = m.k),
barrier AS (SELECT pg_advisory_xact_lock_shared(${BARRIER_LOCK_CLASS}, 0)),
transfer AS (
  INSERT INTO ledger_transfer (id, kind, debit_account_id, credit_account_id, amount, currency, event_at, reference_type, reference_id)
  SELECT i.id, 'single',
         (SELECT a.id FROM ledger_account a WHERE a.kind = 'order_outstanding' AND a.order_id = t.order_id AND a.currency = 'EUR'),
         (SELECT a.id FROM ledger_account a WHERE a.kind = 'site_payable' AND a.owner_organisation_id = i.site_id AND a.order_id IS NULL AND a.currency = 'EUR'),
         t.amount, 'EUR', i.occurred_at, 'redemption', i.id::text
  FROM item i JOIN tally t ON t.k = i.k, barrier),
audit AS (
  INSERT INTO audit_event (${AUDIT_EVENT_COLUMNS})
  SELECT ${AUDIT_EVENT_COLUMNS.split(', ')
    .map((c) => `a.${c}`)
    .join(', ')}
  FROM ${auditEventsUnnestSql(17)} WITH ORDINALITY AS a(${AUDIT_EVENT_COLUMNS}, k)
  JOIN tally t ON t.k = a.k),
outbox AS (
  INSERT INTO outbox_message (job_name, job_id, payload)
  SELECT 'redemption.voucher-redeemed', 'voucher-redeemed:' || i.id::text, jsonb_build_object('redemptionId', i.id::text)
  FROM item i JOIN tally t ON t.k = i.k)
SELECT coalesce(sum(n), 0)::int AS n FROM tally`;

/** One redemption as `REDEEM_SQL` writes it. */
export interface RedemptionRow {
  id: string;
  siteId: string;
  idempotencyKey: string;
  requestHash: Buffer;
  bookletId: string;
  bookletSerial: string;
  /** The vouchers' indexes in the booklet. */
  voucherIdx: number[];
  category: string;
  occurredAt: Date;
  recordedAt: Date;
  /** The Paris day of `occurredAt` (YYYY-MM-DD): the label must be valid on it. */
  occurredDay: string;
  channel: 'online' | 'batch';
  agentId: string | null;
  apiKeyId: string | null;
  /** Its `redemption.recorded` audit event, prepared (`AuditLog.prepareAt`). */
  event: AuditEventEntity;
}

/** `REDEEM_SQL`'s parameters for these redemptions: a column array per field, vouchers as pairs. */
export function redeemValues(rows: readonly RedemptionRow[]): unknown[] {
  const column = (field: (r: RedemptionRow) => unknown) => rows.map(field);
  return [
    column((r) => r.id),
    column((r) => r.siteId),
    column((r) => r.idempotencyKey),
    column((r) => r.requestHash),
    column((r) => r.bookletId),
    column((r) => r.category),
    column((r) => r.occurredAt),
    column((r) => r.recordedAt),
    column((r) => r.occurredDay),
    column((r) => r.voucherIdx.length),
    column((r) => r.channel),
    column((r) => r.agentId),
    column((r) => r.apiKeyId),
    column((r) => r.bookletSerial),
    // Each voucher as (the redemption's number, from 1 like WITH ORDINALITY; its index in the booklet).
    rows.flatMap((r, i) => r.voucherIdx.map(() => i + 1)),
    rows.flatMap((r) => r.voucherIdx),
    ...auditEventColumns(rows.map((r) => r.event)),
  ];
}

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
