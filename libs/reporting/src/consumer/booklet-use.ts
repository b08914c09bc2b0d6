import type { Tx } from '@sillage/db';
import type { Projection } from './event-projector';

/**
 * Keeps `report_booklet_use` and `report_first_use` in step with the rows a page of events added
 * (ADR 16): the booklets it handed over, redeemed or had a redemption undone are summarised again from
 * their rows in `report_funnel_step` and `report_redemption` (so the result depends on the rows, not
 * on the order events arrived in, and a rebuild gives the same), and the counts move from their old
 * summary to the new one. Counts that fall to zero are deleted, as a rebuild would never write them.
 */
/** Moves `delta` (order, ready day, days, ± booklets) into both count tables; returns the per-order keys it touched. */
const COUNT_ALL = `all_orders AS (
       INSERT INTO report_first_use_all AS a (ready_on, days, booklets) SELECT ready_on, days, sum(n) FROM delta GROUP BY 1, 2
       ON CONFLICT (ready_on, days) DO UPDATE SET booklets = a.booklets + EXCLUDED.booklets)`;
const COUNT_PER_ORDER = `INSERT INTO report_first_use AS f (order_id, ready_on, days, booklets) SELECT order_id, ready_on, days, n FROM delta
     ON CONFLICT (order_id, ready_on, days) DO UPDATE SET booklets = f.booklets + EXCLUDED.booklets
     RETURNING f.order_id, to_char(f.ready_on, 'YYYY-MM-DD') AS ready_on, f.days`;

export async function refreshBookletUse(tx: Tx, page: Projection): Promise<void> {
  const booklets = new Set<string>();
  for (const s of page.report_funnel_step) if (s.step === 'distributed' && s.booklet_id) booklets.add(s.booklet_id);
  for (const r of page.report_redemption) if (r.booklet_id) booklets.add(r.booklet_id);
  const undone = page.report_redemption_undone.map((u) => u.redemption_id);
  if (booklets.size === 0 && undone.length === 0) return;
  const ids = await tx.query<{ id: string }[]>(
    `SELECT DISTINCT b AS id FROM (SELECT unnest($1::uuid[]) AS b
       UNION ALL SELECT r.booklet_id FROM report_redemption r WHERE r.redemption_id = ANY($2::uuid[]) AND r.booklet_id IS NOT NULL) x`,
    [[...booklets], undone],
  );
  const params = [ids.map((r) => r.id)];
  const key = (r: { order_id: string; ready_on: string; days: number }) => `${r.order_id}|${r.ready_on}|${r.days}`;
  const touched = new Map<string, { order_id: string; ready_on: string; days: number }>();
  const removed = await tx.query<{ order_id: string; ready_on: string; days: number }[]>(
    `WITH old AS (DELETE FROM report_booklet_use u WHERE u.booklet_id = ANY($1::uuid[]) RETURNING u.*),
     delta AS (SELECT order_id, greatest(handed_on, first_used_on) AS ready_on, first_used_on - handed_on AS days, -count(*) AS n
                 FROM old WHERE simple AND first_used_on IS NOT NULL GROUP BY 1, 2, 3),
     ${COUNT_ALL}
     ${COUNT_PER_ORDER}`,
    params,
  );
  for (const r of removed) touched.set(key(r), r);
  await tx.query(
    `WITH handed AS (
       SELECT s.booklet_id, min(s.order_id::text)::uuid AS order_id, count(*) AS steps, bool_and(s.booklets > 0) AS handovers_only,
              max(s.on_date) AS handed_on
         FROM report_funnel_step s WHERE s.booklet_id = ANY($1::uuid[]) AND s.step = 'distributed' GROUP BY 1),
     used AS (
       SELECT r.booklet_id, min(r.occurred_on) AS first_used_on, bool_or(u.redemption_id IS NOT NULL) AS any_undone
         FROM report_redemption r LEFT JOIN report_redemption_undone u ON u.redemption_id = r.redemption_id
        WHERE r.booklet_id = ANY($1::uuid[]) GROUP BY 1)
     INSERT INTO report_booklet_use (booklet_id, order_id, handed_on, first_used_on, simple)
     SELECT h.booklet_id, h.order_id, h.handed_on, u.first_used_on, h.steps = 1 AND h.handovers_only AND NOT coalesce(u.any_undone, false)
       FROM handed h LEFT JOIN used u ON u.booklet_id = h.booklet_id`,
    params,
  );
  const added = await tx.query<{ order_id: string; ready_on: string; days: number }[]>(
    `WITH delta AS (SELECT order_id, greatest(handed_on, first_used_on) AS ready_on, first_used_on - handed_on AS days, count(*) AS n
                      FROM report_booklet_use WHERE booklet_id = ANY($1::uuid[]) AND simple AND first_used_on IS NOT NULL GROUP BY 1, 2, 3),
     ${COUNT_ALL}
     ${COUNT_PER_ORDER}`,
    params,
  );
  for (const r of added) touched.set(key(r), r);
  const keys = [...touched.values()];
  await tx.query(
    `WITH k AS (SELECT * FROM unnest($1::uuid[], $2::date[], $3::int[]) AS k(order_id, ready_on, days)),
     per_order AS (DELETE FROM report_first_use f USING k
                    WHERE f.order_id = k.order_id AND f.ready_on = k.ready_on AND f.days = k.days AND f.booklets = 0)
     DELETE FROM report_first_use_all a USING k WHERE a.ready_on = k.ready_on AND a.days = k.days AND a.booklets = 0`,
    [keys.map((k) => k.order_id), keys.map((k) => k.ready_on), keys.map((k) => k.days)],
  );
}
