import { Injectable } from '@nestjs/common';
import { TransactionRunner, Tx } from '@sillage/db';

/** An outbox row as the relay sees it. */
export interface OutboxRow {
  id: string;
  jobName: string;
  jobId: string;
  payload: unknown;
  attempts: number;
}

export interface FailedOutboxRow {
  id: string;
  jobName: string;
  jobId: string;
  attempts: number;
  lastError: string | null;
  createdAt: Date;
  failedAt: Date;
}

interface RawRow {
  id: string;
  job_name: string;
  job_id: string;
  payload: unknown;
  attempts: number;
}

const DUE = `published_at IS NULL AND failed_at IS NULL AND next_attempt_at <= now()`;

function toRow(r: RawRow): OutboxRow {
  return { id: r.id, jobName: r.job_name, jobId: r.job_id, payload: r.payload, attempts: r.attempts };
}

/** The only code touching `outbox_message` (besides `Outbox.enqueue`, the one INSERT). */
@Injectable()
export class OutboxRepository {
  constructor(private readonly db: TransactionRunner) {}

  /** Due rows, oldest first, locked for the caller's transaction; rows another relay holds are skipped. */
  async lockDue(tx: Tx, limit: number): Promise<OutboxRow[]> {
    const rows: RawRow[] = await tx.query(
      `SELECT id, job_name, job_id, payload, attempts FROM outbox_message
        WHERE ${DUE} ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
      [limit],
    );
    return rows.map(toRow);
  }

  async markPublished(tx: Tx, ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await tx.query(`UPDATE outbox_message SET published_at = now() WHERE id = ANY($1::bigint[])`, [ids]);
  }

  /** Redis did not take the row: count the attempt and try again later. */
  async deferPublish(tx: Tx, id: string, error: string, delayMs: number): Promise<void> {
    await tx.query(
      `UPDATE outbox_message
          SET attempts = attempts + 1, last_error = $2, next_attempt_at = now() + make_interval(secs => $3::double precision / 1000)
        WHERE id = $1`,
      [id, error, delayMs],
    );
  }

  /**
   * In-process mode: takes the oldest due row and leases it (its next attempt is pushed `leaseMs`
   * ahead and its attempt counted) in a short transaction of its own, so the handler runs without
   * holding a lock or a connection. A process that dies mid-job leaves the row to be retried when
   * the lease ends.
   */
  async leaseNextDue(leaseMs: number): Promise<OutboxRow | undefined> {
    return this.db.run(async (tx) => {
      const rows: RawRow[] = await tx.query(
        // A top-level SELECT: TypeORM returns [rows, count] for a top-level UPDATE … RETURNING.
        `WITH due AS (SELECT id FROM outbox_message WHERE ${DUE} ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED),
              leased AS (
                UPDATE outbox_message o
                   SET attempts = o.attempts + 1, next_attempt_at = now() + make_interval(secs => $1::double precision / 1000)
                  FROM due WHERE o.id = due.id
                RETURNING o.id, o.job_name, o.job_id, o.payload, o.attempts)
         SELECT * FROM leased`,
        [leaseMs],
      );
      return rows[0] ? toRow(rows[0]) : undefined;
    });
  }

  /** In-process mode: the job ran. */
  async markDone(id: string): Promise<void> {
    await this.db.manager.query(
      `UPDATE outbox_message SET published_at = now() WHERE id = $1 AND published_at IS NULL AND failed_at IS NULL`,
      [id],
    );
  }

  /** In-process mode: the attempt failed; the next one is due after `delayMs`. */
  async scheduleRetry(id: string, error: string, delayMs: number): Promise<void> {
    await this.db.manager.query(
      `UPDATE outbox_message SET last_error = $2, next_attempt_at = now() + make_interval(secs => $3::double precision / 1000)
        WHERE id = $1 AND published_at IS NULL AND failed_at IS NULL`,
      [id, error, delayMs],
    );
  }

  /** Terminal failure, visible to operators. */
  async markFailed(id: string, error: string, tx?: Tx): Promise<void> {
    await (tx ?? this.db.manager).query(
      `UPDATE outbox_message SET failed_at = now(), last_error = $2 WHERE id = $1 AND published_at IS NULL AND failed_at IS NULL`,
      [id, error],
    );
  }

  /**
   * Deletes rows published more than `days` days ago, walking the table in id order, `page` rows per
   * statement (each its own short transaction). Pending and failed rows stay. It stops at the first
   * page holding a row created within the period: rows are created in id order (nearly), and a row is
   * published after it is created, so the rest is too recent. Returns the number of rows deleted.
   *
   * Safe for the enqueue-once guarantee (the unique `job_id`): every job id names a fact recorded in
   * the enqueueing transaction (a new row's id, or a Paris day the scheduler only queues on that day),
   * so no producer enqueues the id of a row this old again (ADR 7, addendum).
   */
  async purgePublished(days: number, page = 5_000): Promise<number> {
    let after = '0';
    let deleted = 0;
    for (;;) {
      const [r]: { deleted: number; last: string | null; seen: number; reachedRecent: boolean | null }[] = await this.db.manager.query(
        `WITH page AS (SELECT id, published_at, created_at FROM outbox_message WHERE id > $1::bigint ORDER BY id LIMIT $2),
              gone AS (
                DELETE FROM outbox_message o USING page p
                 WHERE o.id = p.id AND p.published_at < now() - make_interval(days => $3::int)
                RETURNING o.id)
         SELECT (SELECT count(*)::int FROM gone) AS deleted, (SELECT max(id)::text FROM page) AS last,
                (SELECT count(*)::int FROM page) AS seen,
                (SELECT bool_or(created_at >= now() - make_interval(days => $3::int)) FROM page) AS "reachedRecent"`,
        [after, page, days],
      );
      deleted += r.deleted;
      if (r.seen < page || r.reachedRecent || r.last === null) return deleted;
      after = r.last;
    }
  }

  /** Most recent failures first. */
  async listFailed(limit: number): Promise<FailedOutboxRow[]> {
    const rows: {
      id: string;
      job_name: string;
      job_id: string;
      attempts: number;
      last_error: string | null;
      created_at: Date;
      failed_at: Date;
    }[] = await this.db.manager.query(
      `SELECT id, job_name, job_id, attempts, last_error, created_at, failed_at FROM outbox_message
        WHERE failed_at IS NOT NULL ORDER BY failed_at DESC, id DESC LIMIT $1`,
      [limit],
    );
    return rows.map((r) => ({
      id: r.id,
      jobName: r.job_name,
      jobId: r.job_id,
      attempts: r.attempts,
      lastError: r.last_error,
      createdAt: r.created_at,
      failedAt: r.failed_at,
    }));
  }
}
