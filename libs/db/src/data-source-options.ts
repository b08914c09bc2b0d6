import { DataSourceOptions } from 'typeorm';
import { SnakeNamingStrategy } from './snake-naming.strategy';
import { allEntities } from './registry/entities';
import { allMigrations } from './registry/migrations';

/**
 * The one description of the database used by the application, the migration runner and the
 * TypeORM CLI. `synchronize` is off everywhere: the schema only changes through reviewed migrations.
 */
export function dataSourceOptions(
  url: string,
  opts: { poolSize?: number; applicationName?: string; backendFlushAfter?: string } = {},
): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: allEntities,
    migrations: allMigrations,
    migrationsTableName: 'schema_migrations',
    migrationsTransactionMode: 'each',
    namingStrategy: new SnakeNamingStrategy(),
    synchronize: false,
    // gen_random_uuid() is built into PostgreSQL 13+ and PGlite; no extension to install.
    uuidExtension: 'pgcrypto',
    installExtensions: false,
    migrationsRun: false,
    logging: false,
    poolSize: opts.poolSize ?? 10,
    applicationName: opts.applicationName ?? 'sillage',
    // Keep bigint cents as strings from the driver; repositories convert to safe integers explicitly.
    parseInt8: false,
    // Idle connections are kept five minutes (node-postgres closes them after 10 s by default): a new
    // connection re-prepares the hot statements (parse and plan of the redemption statement: 20–50 ms
    // under load), which made every lull followed by a burst a latency spike.
    extra: {
      max: opts.poolSize ?? 10,
      connectionTimeoutMillis: 10_000,
      idleTimeoutMillis: 300_000,
      // A backend that wrote this much asks the kernel to write it to disk now: the server's page cache
      // then never holds ~100 MB of the application's dirty pages that the kernel flushes at once,
      // 30 s after they were written, while every commit's WAL flush waits behind them (a 250 ms
      // stall of all redemptions in the benchmark; ADR 19). A PostgreSQL session setting.
      ...(opts.backendFlushAfter ? { options: `-c backend_flush_after=${opts.backendFlushAfter}` } : {}),
    },
  };
}
