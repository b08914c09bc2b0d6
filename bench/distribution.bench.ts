import { parisDate } from '../libs/common/src/clock';
import { performance } from 'node:perf_hooks';
import { AllocationsService } from '../libs/distribution/src/allocations/allocations.service';
import { HandoversService } from '../libs/distribution/src/handovers/handovers.service';
import { benchApp, benchSiren } from './app-support';
import { percentile, pgbenchTps } from './bench-support';

/**
 * `npm run bench -- distribution`:
 * - allocate_100k_s: `AllocationsService.create` allocating 100,000 booklets by count (select, one
 *   UPDATE, the movement row with its ranges, one audit event per range); reference, same run: a plain
 *   SQL UPDATE of the same 100,000 booklet rows (same columns), each after a VACUUM of the table.
 *   Target allocate_ratio ≤ 3.
 * - handovers_per_s: 16 agents (16 distributors) recording hand-overs through `HandoversService`
 *   (vault person, profile, hand-over, booklet UPDATE, audit event) for BENCH_SECONDS (20), with p99
 *   latency; reference: pgbench TPC-B at 16 clients on the same server (scale BENCH_PGBENCH_SCALE 16,
 *   BENCH_PGBENCH_SECONDS 30). Target handover_ratio ≥ 0.4. The booklet table is vacuumed between the
 *   (untimed) stock transfers and the hand-overs, as autovacuum does in service.
 */
const BOOKLETS = Number(process.env.BENCH_ALLOCATE_BOOKLETS ?? 100_000);
const AGENTS = 16;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const PGBENCH_SECONDS = Number(process.env.BENCH_PGBENCH_SECONDS ?? 30);
const PGBENCH_SCALE = Number(process.env.BENCH_PGBENCH_SCALE ?? 16);

export async function runDistributionBench(): Promise<Record<string, unknown>> {
  const b = await benchApp('sillage_bench_distribution', { DATABASE_POOL_SIZE: String(AGENTS + 4) });
  try {
    const operatorId = await b.organisation('operator', benchSiren(1));
    const funderId = await b.organisation('funder', benchSiren(2));
    const operator = b.principal(operatorId, ['operator']);
    const funder = b.principal(funderId, ['funder']);
    const distributors: string[] = [];
    for (let i = 0; i < AGENTS; i++) {
      const id = await b.organisation('distributor', benchSiren(10 + i));
      await b.admin.query(`INSERT INTO partnership (funder_id, distributor_id) VALUES ($1, $2)`, [funderId, id]);
      distributors.push(id);
    }
    await b.admin.query(`INSERT INTO public_category (funder_id, code, label_fr, label_en) VALUES ($1, 'senior', 'Senior', 'Senior')`, [
      funderId,
    ]);
    const orderId = await b.paidOrder(operator, funderId, BOOKLETS, 1);

    // Reference: a plain UPDATE of the same booklet rows, then put them back.
    await b.admin.query(`VACUUM ANALYZE booklet`);
    let t = performance.now();
    await b.admin.query(`UPDATE booklet SET state = 'ALLOCATED', holder_distributor_id = $2, allocated_at = now() WHERE order_id = $1`, [
      orderId,
      distributors[0],
    ]);
    const updateSeconds = (performance.now() - t) / 1000;
    await b.admin.query(`UPDATE booklet SET state = 'CREATED', holder_distributor_id = NULL, allocated_at = NULL WHERE order_id = $1`, [
      orderId,
    ]);
    await b.admin.query(`VACUUM ANALYZE booklet`);

    const allocations = b.app.get(AllocationsService);
    t = performance.now();
    const moved = await allocations.create(funder, { toDistributorId: distributors[0], count: BOOKLETS });
    const allocateSeconds = (performance.now() - t) / 1000;
    if (moved.bookletCount !== BOOKLETS) throw new Error(`allocated ${moved.bookletCount}`);

    // Spread the stock: each agent's distributor holds its share (transfers, untimed).
    const share = Math.floor(BOOKLETS / AGENTS);
    for (let i = 1; i < AGENTS; i++) {
      await allocations.create(funder, {
        kind: 'transfer',
        fromDistributorId: distributors[0],
        toDistributorId: distributors[i],
        count: share,
      });
    }
    const stock = await b.admin.query<{ holder: string; serials: string[] }>(
      `SELECT holder_distributor_id AS holder, array_agg(serial ORDER BY number) AS serials FROM booklet WHERE order_id = $1 GROUP BY 1`,
      [orderId],
    );
    const serialsOf = new Map(stock.rows.map((r) => [r.holder, r.serials]));

    // Desks hand booklets over days after they reach their stock; by then autovacuum has cleaned the
    // versions the allocation and transfers left (the booklet table is vacuumed after 2 % changed, see
    // migration BookletAutovacuum). pgbench -i likewise vacuums its tables before the reference runs.
    await b.admin.query(`VACUUM ANALYZE booklet`);
    const handovers = b.app.get(HandoversService);
    const latencies: number[] = [];
    const deadline = Date.now() + SECONDS * 1000;
    const started = performance.now();
    const counts = await Promise.all(
      distributors.map(async (d) => {
        const agent = b.principal(d, ['distributor'], 'agent');
        const serials = serialsOf.get(d) ?? [];
        let n = 0;
        while (Date.now() < deadline && n < serials.length) {
          const s = performance.now();
          await handovers.create(agent, {
            bookletSerial: serials[n],
            profile: { ageBand: '60_74', communeCode: '35238', publicCategoryCode: 'senior' },
            // one in four with contact details (consented), sealed in the vault
            ...(n % 4 === 0
              ? {
                  contact: { email: `person${n}@example.org`, phone: '+33612345678' },
                  consent: { purpose: 'reminders', givenOn: parisDate(new Date()), textVersion: 'v1' },
                }
              : {}),
          });
          latencies.push(performance.now() - s);
          n++;
        }
        return n;
      }),
    );
    const handoverSeconds = (performance.now() - started) / 1000;
    const total = counts.reduce((a, c) => a + c, 0);
    const handoversPerS = total / handoverSeconds;
    await b.close();
    const pgbench = await pgbenchTps({ clients: AGENTS, seconds: PGBENCH_SECONDS, scale: PGBENCH_SCALE });
    return {
      handovers_per_s: Math.round(handoversPerS),
      pgbench_tps: Math.round(pgbench),
      handover_ratio: Math.round((handoversPerS / pgbench) * 1000) / 1000,
      handover_p99_ms: Math.round(percentile(latencies, 99) * 10) / 10,
      allocate_100k_s: Math.round(allocateSeconds * 100) / 100,
      update_reference_s: Math.round(updateSeconds * 100) / 100,
      allocate_ratio: Math.round((allocateSeconds / updateSeconds) * 1000) / 1000,
      booklets: BOOKLETS,
      agents: AGENTS,
    };
  } catch (e) {
    await b.close().catch(() => undefined);
    throw e;
  }
}
