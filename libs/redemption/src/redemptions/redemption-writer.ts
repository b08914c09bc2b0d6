import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@sillage/config';
import { TransactionRunner } from '@sillage/db';
import { DatabaseError, Pool, PoolConfig } from 'pg';
import { REDEEM_SQL, RedemptionRow, redeemValues } from './redemption-sql';

/** The most redemptions one statement writes. */
export const MAX_GROUP = 32;

/** What the writer has done since the process started (exported as Prometheus counters). */
export interface RedemptionWriterStats {
  /** Statements run, alone or in groups, including those that failed. */
  statements: number;
  /** Redemptions written in a group of two or more. */
  grouped: number;
  /** Groups whose statement failed, so that each redemption was written again alone. */
  groupsRetried: number;
}

/**
 * The writer's connections: the pool's own settings (server, role, password, TLS, session options),
 * `connections` of them, with generic plans. node-postgres hides the password from its copy of the
 * options (not enumerable), so it is carried over by name.
 */
export function redemptionPoolConfig(base: PoolConfig, connections: number): PoolConfig {
  const options = [base.options, '-c plan_cache_mode=force_generic_plan'].filter(Boolean).join(' ');
  return { ...base, password: base.password, max: connections, options, application_name: 'sillage-redemptions' };
}

interface Waiting {
  row: RedemptionRow;
  resolve: () => void;
  reject: (e: unknown) => void;
}

/**
 * Writes redemptions with `REDEEM_SQL` (ADR 20). While fewer than `concurrency` of its statements are
 * running, a redemption is written at once, alone: a quiet moment adds no wait. When they are all
 * running, the redemptions that arrive meanwhile wait for the first to finish and then go together,
 * up to `MAX_GROUP` in one statement: one round trip, one commit and one WAL flush for all of them,
 * which is what lets a busy database keep up.
 *
 * A group is all or nothing like a single redemption. If its statement fails (one redemption refused,
 * a twin's idempotency key, a deadlock between two groups), nothing of it was written, and each of
 * its redemptions is written again alone: each then gets exactly the answer it would have had alone.
 *
 * The statements run on connections of their own (`DATABASE_REDEMPTION_CONNECTIONS`), set to
 * `plan_cache_mode = force_generic_plan`: the statement's one generic plan serves any number of
 * redemptions, while PostgreSQL's default would plan it again for each execution (its custom plan for
 * one redemption looks cheaper than the generic plan, sized for ten): ~12 ms of planning each time.
 * Embedded PostgreSQL serves one connection: there the writer shares it and plans each time.
 */
@Injectable()
export class RedemptionWriter implements OnApplicationShutdown {
  private running = 0;
  private readonly waiting: Waiting[] = [];
  private readonly concurrency: number;
  private own?: Pool;
  readonly stats: RedemptionWriterStats = { statements: 0, grouped: 0, groupsRetried: 0 };
  private readonly log = new Logger('RedemptionWriter');

  constructor(
    private readonly tx: TransactionRunner,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.concurrency = config.database.mode === 'embedded' ? 1 : config.database.redemptionConnections;
  }

  /** Redemptions waiting for a statement to finish. */
  get queued(): number {
    return this.waiting.length;
  }

  /**
   * Its connections close last, after the HTTP server has stopped and answered the requests it had
   * (Nest closes the server between `beforeApplicationShutdown` and `onApplicationShutdown`), as the
   * pool's do. Closed at `onModuleDestroy`, a scan that came in while the process stopped got a 500
   * ("Cannot use a pool after calling end on the pool").
   */
  async onApplicationShutdown(): Promise<void> {
    await this.own?.end();
  }

  /** Its own connections, made like the pool's (same server, role and settings), on first use. */
  private get pool(): Pool {
    if (this.config.database.mode === 'embedded') return this.tx.pool;
    if (!this.own) {
      this.own = new Pool(redemptionPoolConfig(this.tx.pool.options, this.concurrency));
      // An idle connection the server ends (a restart, an administrator, a dropped database) is an
      // 'error' on the pool: without a listener it would end the process. The pool discards that
      // connection and opens a new one for the next statement.
      this.own.on('error', (e) => this.log.warn(`an idle redemption connection ended: ${e.message}`));
    }
    return this.own;
  }

  /** Resolves once the redemption is committed; rejects with the database's error when it is not. */
  write(row: RedemptionRow): Promise<void> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ row, resolve, reject });
      this.next();
    });
  }

  private next(): void {
    while (this.running < this.concurrency && this.waiting.length > 0) {
      const group = this.waiting.splice(0, MAX_GROUP);
      this.running += 1;
      void this.run(group).finally(() => {
        this.running -= 1;
        this.next();
      });
    }
  }

  private async run(group: Waiting[]): Promise<void> {
    if (group.length > 1) {
      try {
        await this.statement(group.map((w) => w.row));
        this.stats.grouped += group.length;
        for (const w of group) w.resolve();
        return;
      } catch {
        // Nothing of the group was written: each redemption alone gets its own answer below.
        this.stats.groupsRetried += 1;
      }
    }
    await Promise.all(
      group.map(async (w) => {
        try {
          await this.statement([w.row]);
          w.resolve();
        } catch (e) {
          w.reject(e);
        }
      }),
    );
  }

  /**
   * One execution. A refusal is an error the server answered (a CHECK, a unique key, a deadlock): the
   * connection stays usable and goes back to the pool with its prepared statement. `Pool.query` would
   * close it on any error, and the next statement would pay a new connection and a new plan.
   */
  private async statement(rows: RedemptionRow[]): Promise<void> {
    this.stats.statements += 1;
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      await client.query({ name: 'redemption-write-v2', text: REDEEM_SQL, values: redeemValues(rows) });
    } catch (e) {
      if (!(e instanceof DatabaseError && e.severity === 'ERROR')) broken = e instanceof Error ? e : new Error(String(e));
      throw e;
    } finally {
      client.release(broken);
    }
  }
}
