import { Injectable } from '@nestjs/common';
import type { Tx } from '@sillage/db';
import { BARRIER_LOCK_CLASS, PENDING_SQL, POSTED_SQL } from './ledger-sql';

/** SQL of `LedgerSnapshotter`: the watermark barrier and the set-based snapshot insert. */
@Injectable()
export class LedgerSnapshotRepository {
  /** The highest `seq` handed out so far (committed or not); 0 before the first transfer. */
  async lastSeq(tx: Tx): Promise<number> {
    const rows: { seq: string }[] = await tx.query(
      `SELECT (CASE WHEN is_called THEN last_value ELSE 0 END)::text AS seq FROM ledger_transfer_seq_seq`,
    );
    return Number(rows[0]?.seq ?? 0);
  }

  /** Virtual transaction ids currently holding the transfer barrier (i.e. transactions that may insert transfers). */
  async barrierHolders(tx: Tx): Promise<string[]> {
    const rows: { vxid: string }[] = await tx.query(
      `SELECT virtualtransaction AS vxid FROM pg_locks WHERE locktype = 'advisory' AND classid = $1 AND objid = 0 AND objsubid = 2 AND granted`,
      [BARRIER_LOCK_CLASS],
    );
    return rows.map((r) => r.vxid);
  }

  async stillRunning(tx: Tx, vxids: string[]): Promise<number> {
    if (vxids.length === 0) return 0;
    const rows: { n: string }[] = await tx.query(
      `SELECT count(DISTINCT virtualtransaction)::text AS n FROM pg_locks WHERE locktype = 'advisory' AND classid = $1 AND objid = 0 AND objsubid = 2 AND virtualtransaction = ANY($2::text[])`,
      [BARRIER_LOCK_CLASS, vxids],
    );
    return Number(rows[0]?.n ?? 0);
  }

  /**
   * For every account with transfers after its latest snapshot and up to `watermark`, appends a new
   * snapshot = previous snapshot + those transfers. Returns the number of snapshots written.
   */
  async appendSnapshots(tx: Tx, watermark: number): Promise<number> {
    const rows: { account_id: string }[] = await tx.query(
      `WITH prev AS (
         SELECT DISTINCT ON (account_id) account_id, as_of_seq, debits_posted, credits_posted, debits_pending, credits_pending
         FROM ledger_balance_snapshot ORDER BY account_id, as_of_seq DESC
       ),
       floor AS (SELECT coalesce(min(as_of_seq), 0) AS seq FROM prev),
       recent AS (SELECT * FROM ledger_transfer t WHERE t.seq > (SELECT seq FROM floor) AND t.seq <= $1),
       moves AS (
         SELECT t.debit_account_id AS account_id, ${POSTED_SQL} AS dp, 0::bigint AS cp, ${PENDING_SQL} AS dq, 0::bigint AS cq, t.seq
         FROM recent t
         UNION ALL
         SELECT t.credit_account_id, 0::bigint, ${POSTED_SQL}, 0::bigint, ${PENDING_SQL}, t.seq
         FROM recent t
       ),
       delta AS (
         SELECT m.account_id, sum(m.dp) AS dp, sum(m.cp) AS cp, sum(m.dq) AS dq, sum(m.cq) AS cq
         FROM moves m LEFT JOIN prev p ON p.account_id = m.account_id
         WHERE m.seq > coalesce(p.as_of_seq, 0)
         GROUP BY m.account_id
       )
       INSERT INTO ledger_balance_snapshot (id, account_id, as_of_seq, debits_posted, credits_posted, debits_pending, credits_pending)
       SELECT gen_random_uuid(), d.account_id, $1,
              coalesce(p.debits_posted, 0) + d.dp, coalesce(p.credits_posted, 0) + d.cp,
              coalesce(p.debits_pending, 0) + d.dq, coalesce(p.credits_pending, 0) + d.cq
       FROM delta d LEFT JOIN prev p ON p.account_id = d.account_id
       ON CONFLICT DO NOTHING
       RETURNING account_id`,
      [watermark],
    );
    return rows.length;
  }
}
