import { Injectable, Logger } from '@nestjs/common';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { TransactionRunner, Tx } from '@sillage/db';
import { REPORT_AGGREGATE_TABLES } from '../entities';
import { refreshBookletUse } from './booklet-use';
import { emptyProjection, project, Projection, SealedEvent } from './event-projector';
import { recordSettledRedemptions } from './settled-redemptions';

/** Adds the redemptions `ins` wrote to the monthly roll-ups per site and per service category. */
const REDEEMED_ROLLUPS = `, per_site AS (
    INSERT INTO report_redeemed_site_month AS t (site_id, month, vouchers, value_cents)
    SELECT site_id, date_trunc('month', occurred_on)::date, sum(vouchers), sum(amount_cents) FROM ins GROUP BY 1, 2
    ON CONFLICT (site_id, month) DO UPDATE SET vouchers = t.vouchers + EXCLUDED.vouchers, value_cents = t.value_cents + EXCLUDED.value_cents)
  INSERT INTO report_redeemed_category_month AS t (category, month, vouchers, value_cents)
  SELECT coalesce(service_category_code, ''), date_trunc('month', occurred_on)::date, sum(vouchers), sum(amount_cents) FROM ins GROUP BY 1, 2
  ON CONFLICT (category, month) DO UPDATE SET vouchers = t.vouchers + EXCLUDED.vouchers, value_cents = t.value_cents + EXCLUDED.value_cents`;

/** Advisory lock class of the consumer: one consumer (or rebuild) at a time, whichever process runs it. */
const REPORT_LOCK_CLASS = 1380274256;
const CONSUMER = 'aggregates';
/** Leaves read per page, and the most one transaction consumes before it commits (at a checkpoint). */
const PAGE = 5_000;
const MAX_LEAVES_PER_TRANSACTION = 50_000;
/**
 * Paced consumption (the background loop): smaller pages, and after each page a pause as long as the
 * page took. The loop shares two cores with the scanners' requests; a 5,000-leaf page held a core for
 * ~100 ms at once, and every request due meanwhile waited (docs/benchmarks.md, redemption).
 */
const PACED_PAGE = 500;

export interface ConsumeResult {
  /** Tree size the aggregates cover after this call (a signed checkpoint's size, or 0). */
  treeSize: number;
  /** Events read by this call. */
  consumed: number;
}

/**
 * Builds the report aggregates from the sealed log, in leaf order (ADR 16). Each transaction takes
 * the leaves from the aggregates' tree size up to a later checkpoint's size and moves the progress
 * there, so the aggregates always cover exactly the first N leaves of a signed checkpoint: a report
 * is "as of checkpoint N". Idempotent (rows are keyed by what produced them) and safe to run from
 * several processes (an advisory lock; the loser does nothing).
 */
@Injectable()
export class ReportConsumer {
  private readonly logger = new Logger('ReportConsumer');

  constructor(private readonly tx: TransactionRunner) {}

  /** `paced`: in small pages with pauses between them, for the background loop (see PACED_PAGE). */
  async consume(options: { paced?: boolean } = {}): Promise<ConsumeResult> {
    let consumed = 0;
    for (;;) {
      const step = await this.tx.run((tx) => this.step(tx, options.paced === true));
      if (step === 'busy') return { treeSize: await this.treeSize(), consumed };
      consumed += step.consumed;
      if (step.consumed === 0) return { treeSize: step.treeSize, consumed };
    }
  }

  /** Empties the aggregates and consumes the whole log again: must give the same rows. */
  async rebuild(options: { paced?: boolean } = {}): Promise<ConsumeResult> {
    await this.tx.run(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1, 0)', [REPORT_LOCK_CLASS]);
      for (const table of REPORT_AGGREGATE_TABLES) await tx.query(`DELETE FROM ${table}`);
      await tx.query(`DELETE FROM report_progress WHERE consumer = $1`, [CONSUMER]);
    });
    return this.consume(options);
  }

  async treeSize(m: Pick<Tx, 'query'> = this.tx.manager): Promise<number> {
    const [row] = await m.query<{ size: string }[]>(`SELECT tree_size::text AS size FROM report_progress WHERE consumer = $1`, [CONSUMER]);
    return row ? Number(row.size) : 0;
  }

  private async step(tx: Tx, paced: boolean): Promise<{ treeSize: number; consumed: number } | 'busy'> {
    const [lock] = await tx.query<{ ok: boolean }[]>('SELECT pg_try_advisory_xact_lock($1, 0) AS ok', [REPORT_LOCK_CLASS]);
    if (!lock.ok) return 'busy';
    const from = await this.treeSize(tx);
    // The furthest checkpoint within the per-transaction budget, else the next one whatever its size.
    const [target] = await tx.query<{ size: string | null }[]>(
      `SELECT coalesce(
         (SELECT max(tree_size) FROM audit_checkpoint WHERE tree_size > $1 AND tree_size <= $1 + $2),
         (SELECT min(tree_size) FROM audit_checkpoint WHERE tree_size > $1))::text AS size`,
      [from, MAX_LEAVES_PER_TRANSACTION],
    );
    if (target.size === null) return { treeSize: from, consumed: 0 };
    const to = Number(target.size);
    const page = paced ? PACED_PAGE : PAGE;
    for (let start = from; start < to; start += page) {
      const began = performance.now();
      const rows = await tx.query<{ leaf: string; canonical: Buffer }[]>(
        `SELECT l.leaf_index::text AS leaf, e.canonical FROM audit_leaf l JOIN audit_event e ON e.id = l.event_id
          WHERE l.leaf_index >= $1 AND l.leaf_index < $2 ORDER BY l.leaf_index`,
        [start, Math.min(start + page, to)],
      );
      const projection = emptyProjection();
      for (const r of rows) {
        const doc = JSON.parse(r.canonical.toString('utf8')) as Omit<SealedEvent, 'leafIndex'>;
        project({ ...doc, leafIndex: Number(r.leaf), facts: doc.facts ?? {} }, projection);
      }
      await this.insert(tx, projection);
      await refreshBookletUse(tx, projection);
      await recordSettledRedemptions(tx, projection);
      if (paced && start + page < to) await sleep(performance.now() - began);
    }
    await tx.query(
      `INSERT INTO report_progress (consumer, tree_size, updated_at) VALUES ($1, $2, now())
       ON CONFLICT (consumer) DO UPDATE SET tree_size = EXCLUDED.tree_size, updated_at = now()`,
      [CONSUMER, to],
    );
    this.logger.debug?.({ msg: 'report aggregates consumed', from, to });
    return { treeSize: to, consumed: to - from };
  }

  /** Set-based, table by table; a row already there (a replayed leaf) is left as it is. */
  private async insert(tx: Tx, projection: Projection): Promise<void> {
    for (const [table, rows] of Object.entries(projection) as [keyof Projection, Record<string, unknown>[]][]) {
      if (rows.length === 0) continue;
      const columns = Object.keys(rows[0]).join(', ');
      const insert = `INSERT INTO ${table} (${columns}) SELECT ${columns} FROM json_populate_recordset(NULL::${table}, $1::json) ON CONFLICT DO NOTHING`;
      // Redemptions also count in the monthly roll-ups, once: only the rows this insert wrote.
      await tx.query(table === 'report_redemption' ? `WITH ins AS (${insert} RETURNING *) ${REDEEMED_ROLLUPS}` : insert, [
        JSON.stringify(rows),
      ]);
    }
  }
}
