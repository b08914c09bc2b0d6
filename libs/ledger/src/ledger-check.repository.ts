import { PENDING_SQL, POSTED_SQL, SqlRunner } from './ledger-sql';

export interface CurrencyTotalsRow {
  currency: string | null;
  debits_posted: string;
  credits_posted: string;
  debits_pending: string;
  credits_pending: string;
}

export interface FlagViolationRow {
  account_id: string;
  kind: string;
  debits_posted: string;
  credits_posted: string;
  debits_pending: string;
  credits_pending: string;
  debits_must_not_exceed_credits: boolean;
  credits_must_not_exceed_debits: boolean;
}

export interface ProblemRow {
  id: string;
  problem: string;
}

export interface SnapshotMismatchRow {
  id: string;
  account_id: string;
  as_of_seq: string;
  stored: string;
  recomputed: string;
}

/** Per-account sums over every transfer (no snapshot): the reference the checks compare against. */
const ACCOUNT_SUMS = `
  SELECT account_id, sum(dp) AS dp, sum(cp) AS cp, sum(dq) AS dq, sum(cq) AS cq FROM (
    SELECT t.debit_account_id AS account_id, ${POSTED_SQL} AS dp, 0::bigint AS cp, ${PENDING_SQL} AS dq, 0::bigint AS cq FROM ledger_transfer t
    UNION ALL
    SELECT t.credit_account_id, 0::bigint, ${POSTED_SQL}, 0::bigint, ${PENDING_SQL} FROM ledger_transfer t
  ) m GROUP BY account_id`;

/**
 * Set-based SQL of the invariant check. Works on a TypeORM manager (the API) or a plain pg client
 * (scripts/ledger-check.ts), read-only.
 */
export class LedgerCheckRepository {
  constructor(private readonly db: SqlRunner) {}

  async counts(): Promise<{ transfers: number; accounts: number; snapshots: number }> {
    const rows = await this.db.query<{ t: string; a: string; s: string }>(
      `SELECT (SELECT count(*) FROM ledger_transfer)::text AS t, (SELECT count(*) FROM ledger_account)::text AS a, (SELECT count(*) FROM ledger_balance_snapshot)::text AS s`,
    );
    return { transfers: Number(rows[0].t), accounts: Number(rows[0].a), snapshots: Number(rows[0].s) };
  }

  /** Σ debits and Σ credits (posted, pending) per currency of the accounts they land on. */
  currencyTotals(): Promise<CurrencyTotalsRow[]> {
    return this.db.query<CurrencyTotalsRow>(
      `SELECT a.currency::text AS currency,
              coalesce(sum(s.dp), 0)::text AS debits_posted, coalesce(sum(s.cp), 0)::text AS credits_posted,
              coalesce(sum(s.dq), 0)::text AS debits_pending, coalesce(sum(s.cq), 0)::text AS credits_pending
       FROM (${ACCOUNT_SUMS}) s LEFT JOIN ledger_account a ON a.id = s.account_id
       GROUP BY a.currency ORDER BY a.currency`,
    );
  }

  /** Transfers naming a missing account, or in another currency than one of their accounts. */
  transferProblems(): Promise<ProblemRow[]> {
    return this.db.query<ProblemRow>(
      `SELECT t.id::text AS id,
              CASE WHEN d.id IS NULL THEN 'debit account ' || t.debit_account_id || ' does not exist'
                   WHEN c.id IS NULL THEN 'credit account ' || t.credit_account_id || ' does not exist'
                   ELSE 'currency ' || t.currency || ' differs from its accounts (' || d.currency || ' → ' || c.currency || ')' END AS problem
       FROM ledger_transfer t
       LEFT JOIN ledger_account d ON d.id = t.debit_account_id
       LEFT JOIN ledger_account c ON c.id = t.credit_account_id
       WHERE d.id IS NULL OR c.id IS NULL OR d.currency <> t.currency OR c.currency <> t.currency
       ORDER BY t.seq LIMIT 100`,
    );
  }

  flagViolations(): Promise<FlagViolationRow[]> {
    return this.db.query<FlagViolationRow>(
      `SELECT a.id::text AS account_id, a.kind, s.dp::text AS debits_posted, s.cp::text AS credits_posted, s.dq::text AS debits_pending, s.cq::text AS credits_pending,
              a.debits_must_not_exceed_credits, a.credits_must_not_exceed_debits
       FROM (${ACCOUNT_SUMS}) s JOIN ledger_account a ON a.id = s.account_id
       WHERE (a.debits_must_not_exceed_credits AND s.dp + s.dq > s.cp) OR (a.credits_must_not_exceed_debits AND s.cp + s.cq > s.dp)
       ORDER BY a.id LIMIT 100`,
    );
  }

  /** Resolutions that are duplicated, dangling, or disagree with their pending transfer. */
  pendingProblems(): Promise<ProblemRow[]> {
    return this.db.query<ProblemRow>(
      `SELECT pending_id::text AS id, 'resolved ' || count(*) || ' times' AS problem
       FROM ledger_transfer WHERE pending_id IS NOT NULL GROUP BY pending_id HAVING count(*) > 1
       UNION ALL
       SELECT r.id::text,
              CASE WHEN p.id IS NULL THEN 'resolves ' || r.pending_id || ', which does not exist'
                   WHEN p.kind <> 'pending' THEN 'resolves ' || r.pending_id || ', which is not a pending transfer'
                   WHEN r.pending_amount <> p.amount THEN 'records pending amount ' || r.pending_amount || ' but the pending transfer is ' || p.amount
                   WHEN r.amount > p.amount THEN 'posts ' || r.amount || ', more than the pending ' || p.amount
                   WHEN r.kind = 'void_pending' AND r.amount <> p.amount THEN 'voids ' || r.amount || ' of a pending ' || p.amount
                   ELSE 'accounts or currency differ from its pending transfer' END
       FROM ledger_transfer r LEFT JOIN ledger_transfer p ON p.id = r.pending_id
       WHERE r.pending_id IS NOT NULL
         AND (p.id IS NULL OR p.kind <> 'pending' OR r.pending_amount <> p.amount OR r.amount > p.amount
              OR (r.kind = 'void_pending' AND r.amount <> p.amount)
              OR r.debit_account_id <> p.debit_account_id OR r.credit_account_id <> p.credit_account_id OR r.currency <> p.currency)
       LIMIT 100`,
    );
  }

  /** Snapshots that differ from a recomputation over the transfers they cover. */
  snapshotMismatches(): Promise<SnapshotMismatchRow[]> {
    return this.db.query<SnapshotMismatchRow>(
      `SELECT s.id::text AS id, s.account_id::text AS account_id, s.as_of_seq::text AS as_of_seq,
              concat_ws('/', s.debits_posted, s.credits_posted, s.debits_pending, s.credits_pending) AS stored,
              concat_ws('/', r.dp, r.cp, r.dq, r.cq) AS recomputed
       FROM ledger_balance_snapshot s
       CROSS JOIN LATERAL (
         SELECT coalesce(sum(CASE WHEN t.debit_account_id = s.account_id THEN ${POSTED_SQL} END), 0) AS dp,
                coalesce(sum(CASE WHEN t.credit_account_id = s.account_id THEN ${POSTED_SQL} END), 0) AS cp,
                coalesce(sum(CASE WHEN t.debit_account_id = s.account_id THEN ${PENDING_SQL} END), 0) AS dq,
                coalesce(sum(CASE WHEN t.credit_account_id = s.account_id THEN ${PENDING_SQL} END), 0) AS cq
         FROM ledger_transfer t
         WHERE (t.debit_account_id = s.account_id OR t.credit_account_id = s.account_id) AND t.seq <= s.as_of_seq
       ) r
       WHERE (s.debits_posted, s.credits_posted, s.debits_pending, s.credits_pending) <> (r.dp, r.cp, r.dq, r.cq)
       ORDER BY s.account_id, s.as_of_seq LIMIT 100`,
    );
  }

  /**
   * Voucher-level invariants, per order with issued vouchers (historical orders have none):
   * - paid orders (every voucher is activated when the order is paid, or written ACTIVE after): the outstanding account's credits (activated value) = face value × vouchers
   *   that were activated and not replaced (outstanding + redeemed + expired; a replaced voucher's value
   *   lives on in its replacement, counted once), its balance = face × ACTIVE/BLOCKED vouchers, the
   *   value its expiry moved to `restitution_payable` = face × EXPIRED vouchers (so the rest of what
   *   left it is the redeemed value: activated = outstanding + redeemed + expired + replaced), and no
   *   voucher is still ISSUED;
   * - unpaid orders: no voucher past ISSUED/BLOCKED/VOID/REPLACED, nothing credited;
   * - every voucher's booklet exists and belongs to its order; a replacement booklet carries exactly
   *   as many vouchers as the booklet it replaced has REPLACED ones.
   */
  voucherProblems(): Promise<ProblemRow[]> {
    return this.db.query<ProblemRow>(
      `WITH v AS (
         SELECT order_id,
                count(*) FILTER (WHERE status IN ('ACTIVE', 'BLOCKED')) AS outstanding_n,
                count(*) FILTER (WHERE status = 'ISSUED') AS issued_n,
                count(*) FILTER (WHERE status NOT IN ('ISSUED', 'BLOCKED', 'VOID', 'REPLACED')) AS used_n,
                count(*) FILTER (WHERE status NOT IN ('ISSUED', 'VOID', 'REPLACED')) AS activated_n,
                count(*) FILTER (WHERE status IN ('EXPIRED', 'RESTITUTED')) AS expired_n
         FROM voucher GROUP BY order_id),
       ex AS (
         SELECT d.order_id, sum(t.amount) AS amount
         FROM ledger_transfer t
         JOIN ledger_account d ON d.id = t.debit_account_id AND d.kind = 'order_outstanding'
         JOIN ledger_account c ON c.id = t.credit_account_id AND c.kind = 'restitution_payable'
         WHERE t.kind = 'single' GROUP BY d.order_id),
       undone AS (
         SELECT t.credit_account_id AS account_id, sum(t.amount) AS amount
         FROM ledger_transfer t WHERE t.kind = 'single' AND t.reference_type = 'redemption' AND t.id::text <> t.reference_id GROUP BY 1),
       acc AS (
         -- cp: the value activated (credits less the value undone redemptions gave back, ADR 15);
         -- out_n: what left; cp − out_n is then the outstanding balance.
         SELECT a.order_id, coalesce(s.cp, 0) - coalesce(u.amount, 0) AS cp, coalesce(s.dp, 0) + coalesce(s.dq, 0) - coalesce(u.amount, 0) AS out_n
         FROM ledger_account a LEFT JOIN (${ACCOUNT_SUMS}) s ON s.account_id = a.id LEFT JOIN undone u ON u.account_id = a.id
         WHERE a.kind = 'order_outstanding')
       SELECT o.id::text AS id,
              CASE WHEN i.paid_at IS NOT NULL AND coalesce(acc.cp, 0) <> o.face_value_cents * v.activated_n
                     THEN 'activated value ' || coalesce(acc.cp, 0) || ' ≠ face value × ' || v.activated_n || ' activated vouchers (' || o.face_value_cents * v.activated_n || ')'
                   WHEN i.paid_at IS NOT NULL AND coalesce(ex.amount, 0) <> o.face_value_cents * v.expired_n
                     THEN 'expired value ' || coalesce(ex.amount, 0) || ' ≠ face value × ' || v.expired_n || ' EXPIRED vouchers (' || o.face_value_cents * v.expired_n || ')'
                   WHEN i.paid_at IS NOT NULL AND coalesce(acc.cp, 0) - coalesce(acc.out_n, 0) <> o.face_value_cents * v.outstanding_n
                     THEN 'outstanding balance ' || (coalesce(acc.cp, 0) - coalesce(acc.out_n, 0)) || ' ≠ face value × ' || v.outstanding_n || ' ACTIVE/BLOCKED vouchers'
                   WHEN i.paid_at IS NOT NULL AND v.issued_n > 0 THEN v.issued_n || ' vouchers still ISSUED in a paid order'
                   WHEN i.paid_at IS NULL AND v.used_n > 0
                     THEN v.used_n || ' vouchers used before the order was paid'
                   ELSE 'outstanding account credited ' || acc.cp || ' before the order was paid' END AS problem
       FROM v JOIN purchase_order o ON o.id = v.order_id
       LEFT JOIN order_issuance i ON i.order_id = o.id
       LEFT JOIN acc ON acc.order_id = o.id
       LEFT JOIN ex ON ex.order_id = o.id
       WHERE (i.paid_at IS NOT NULL AND (coalesce(acc.cp, 0) <> o.face_value_cents * v.activated_n
                                              OR coalesce(acc.cp, 0) - coalesce(acc.out_n, 0) <> o.face_value_cents * v.outstanding_n
                                              OR coalesce(ex.amount, 0) <> o.face_value_cents * v.expired_n
                                              OR v.issued_n > 0))
          OR (i.paid_at IS NULL AND (v.used_n > 0 OR coalesce(acc.cp, 0) > 0))
       UNION ALL
       SELECT v.id::text, 'voucher of order ' || v.order_id || ' points to ' ||
              CASE WHEN b.id IS NULL THEN 'missing booklet ' || v.booklet_id ELSE 'booklet ' || b.serial || ' of order ' || b.order_id END
       FROM voucher v LEFT JOIN booklet b ON b.id = v.booklet_id
       WHERE b.id IS NULL OR b.order_id <> v.order_id
       UNION ALL
       SELECT r.id::text, 'replacement booklet ' || r.serial || ' carries ' || r.voucher_count || ' vouchers for ' || count(v.id) || ' REPLACED in ' || old.serial
       FROM booklet r JOIN booklet old ON old.id = r.replaces_booklet_id
       LEFT JOIN voucher v ON v.booklet_id = old.id AND v.status = 'REPLACED'
       GROUP BY r.id, r.serial, r.voucher_count, old.serial HAVING r.voucher_count <> count(v.id)
       LIMIT 100`,
    );
  }

  /**
   * Payouts: every statement is unpaid, or in exactly one pending payout (`in_payout`), or in exactly
   * one paid payout (`paid`), and its `payout_id` names that payout; a payout's amount is the sum of its
   * statements; each payout's ledger transfer agrees with its status (pending: unresolved; paid:
   * posted; rejected: voided; returned: posted and given back to the site payable).
   */
  payoutProblems(): Promise<ProblemRow[]> {
    return this.db.query<ProblemRow>(
      `(SELECT s.id::text AS id,
               'statement ' || s.number || ' is ' || s.status || ' but in ' || coalesce(live.n, 0) || ' live payouts (' ||
               coalesce(live.pending, 0) || ' pending, ' || coalesce(live.paid, 0) || ' paid)' ||
               CASE WHEN live.n = 1 AND s.payout_id IS DISTINCT FROM live.payout_id THEN ', payout_id ' || coalesce(s.payout_id::text, 'null') || ' ≠ ' || live.payout_id ELSE '' END AS problem
          FROM settlement_statement s
          LEFT JOIN LATERAL (
            SELECT count(*) AS n, count(*) FILTER (WHERE p.status = 'pending') AS pending, count(*) FILTER (WHERE p.status = 'paid') AS paid,
                   min(p.id::text)::uuid AS payout_id
              FROM payout_statement ps JOIN payout p ON p.id = ps.payout_id
             WHERE ps.statement_id = s.id AND p.status IN ('pending', 'paid')) live ON true
         WHERE NOT ((s.status = 'unpaid' AND coalesce(live.n, 0) = 0 AND s.payout_id IS NULL)
                 OR (s.status = 'in_payout' AND live.n = 1 AND live.pending = 1 AND s.payout_id = live.payout_id)
                 OR (s.status = 'paid' AND live.n = 1 AND live.paid = 1 AND s.payout_id = live.payout_id))
         LIMIT 100)
       UNION ALL
       (SELECT p.id::text, 'payout ' || p.reference || ' of ' || p.amount_cents || ' ≠ its statements ' || coalesce(sum(s.total_cents), 0)
          FROM payout p LEFT JOIN payout_statement ps ON ps.payout_id = p.id LEFT JOIN settlement_statement s ON s.id = ps.statement_id
         GROUP BY p.id HAVING p.amount_cents <> coalesce(sum(s.total_cents), 0) OR p.statement_count <> count(s.id) LIMIT 100)
       UNION ALL
       (SELECT p.id::text, 'payout ' || p.reference || ' is ' || p.status || ' but its ledger transfer is ' ||
               CASE WHEN t.id IS NULL THEN 'missing' WHEN t.amount <> p.amount_cents THEN 'of ' || t.amount
                    ELSE coalesce(string_agg(r.kind, '+' ORDER BY r.kind), 'unresolved') END
          FROM payout p LEFT JOIN ledger_transfer t ON t.id = p.id AND t.kind = 'pending'
          LEFT JOIN ledger_transfer r ON r.pending_id = p.id
         GROUP BY p.id, t.id
        HAVING t.id IS NULL OR t.amount <> p.amount_cents
            OR (p.status = 'pending' AND count(r.id) <> 0)
            OR (p.status IN ('paid', 'returned') AND (count(r.id) <> 1 OR min(r.kind) <> 'post_pending'))
            OR (p.status = 'rejected' AND (count(r.id) <> 1 OR min(r.kind) <> 'void_pending'))
         LIMIT 100)
       UNION ALL
       (SELECT p.id::text, 'payout ' || p.reference || ' is returned but no transfer gives its ' || p.amount_cents || ' back to the site payable'
          FROM payout p
         WHERE p.status = 'returned'
           AND NOT EXISTS (SELECT 1 FROM ledger_transfer t JOIN ledger_account c ON c.id = t.credit_account_id
                            WHERE t.kind = 'single' AND t.reference_type = 'payout' AND t.reference_id = p.id::text
                              AND t.amount = p.amount_cents AND c.kind = 'site_payable' AND c.owner_organisation_id = p.site_id)
         LIMIT 100)`,
    );
  }

  /**
   * Settlement (issue 7): each voucher in at most one statement, never an undone redemption in one,
   * each redemption's value in the site payable (its posted transfer, less its reversal if undone;
   * before ADR 15, its pending transfer's post), and every statement's totals equal to its lines,
   * whose face value equals its redemptions'.
   */
  settlementProblems(): Promise<ProblemRow[]> {
    return this.db.query<ProblemRow>(
      `(SELECT l.voucher_id::text AS id, 'voucher in ' || count(*) || ' statements' AS problem
          FROM redemption_line l JOIN redemption r ON r.id = l.redemption_id
         WHERE r.statement_id IS NOT NULL GROUP BY l.voucher_id HAVING count(*) > 1 LIMIT 100)
       UNION ALL
       (SELECT r.id::text, 'undone redemption in statement ' || r.statement_id FROM redemption r
         WHERE r.statement_id IS NOT NULL AND r.undone_at IS NOT NULL LIMIT 100)
       UNION ALL
       (WITH moved AS (
          SELECT t.reference_id::uuid AS redemption_id, CASE WHEN c.kind = 'site_payable' THEN t.amount ELSE -t.amount END AS amount
            FROM ledger_transfer t JOIN ledger_account c ON c.id = t.credit_account_id
           WHERE t.kind = 'single' AND t.reference_type = 'redemption'
          UNION ALL
          SELECT p.id, q.amount FROM ledger_transfer p JOIN ledger_transfer q ON q.pending_id = p.id AND q.kind = 'post_pending'
           WHERE p.kind = 'pending' AND p.reference_type = 'redemption'),
        net AS (SELECT redemption_id, sum(amount) AS amount FROM moved GROUP BY 1)
        SELECT r.id::text, CASE WHEN r.undone_at IS NULL THEN 'live' ELSE 'undone' END || ' redemption of ' || r.amount_cents ||
               ' has moved ' || coalesce(n.amount, 0) || ' to the site payable (expected ' ||
               CASE WHEN r.undone_at IS NULL THEN r.amount_cents ELSE 0 END || ')'
          FROM redemption r LEFT JOIN net n ON n.redemption_id = r.id
         WHERE coalesce(n.amount, 0) <> CASE WHEN r.undone_at IS NULL THEN r.amount_cents ELSE 0 END LIMIT 100)
       UNION ALL
       (SELECT s.id::text, 'statement totals ' || s.total_cents || '/' || s.face_value_cents || ' ≠ lines ' || coalesce(l.amount, 0) || '/' || coalesce(l.face, 0)
               || ' or redemptions ' || coalesce(r.face, 0)
          FROM settlement_statement s
          LEFT JOIN (SELECT statement_id, sum(amount_cents) AS amount, sum(face_value_cents) AS face FROM settlement_statement_line GROUP BY statement_id) l
            ON l.statement_id = s.id
          LEFT JOIN (SELECT statement_id, sum(amount_cents) AS face FROM redemption WHERE statement_id IS NOT NULL GROUP BY statement_id) r
            ON r.statement_id = s.id
         WHERE s.total_cents <> coalesce(l.amount, 0) OR s.face_value_cents <> coalesce(l.face, 0) OR s.face_value_cents <> coalesce(r.face, 0)
         LIMIT 100)
       UNION ALL
       (SELECT a.order_id::text, 'order receivable ' || (coalesce(b.cp, 0) - coalesce(b.dp, 0)) || ' ≠ deducted by credit notes ' ||
               coalesce(d.amount, 0) || ' − accepted incidents paid to sites ' || coalesce(p.amount, 0)
          FROM ledger_account a
          LEFT JOIN (${ACCOUNT_SUMS}) b ON b.account_id = a.id
          LEFT JOIN (SELECT order_id, sum(amount_cents) AS amount FROM settlement_statement_line
                      WHERE kind = 'correction' AND order_id IS NOT NULL AND amount_cents > 0 GROUP BY order_id) p ON p.order_id = a.order_id
          LEFT JOIN (SELECT order_id, sum(amount_cents) AS amount FROM credit_note_incident WHERE kind = 'deducted' GROUP BY order_id) d
            ON d.order_id = a.order_id
         WHERE a.kind = 'order_receivable'
           AND coalesce(b.cp, 0) - coalesce(b.dp, 0) <> coalesce(d.amount, 0) - coalesce(p.amount, 0)
         LIMIT 100)`,
    );
  }
}
