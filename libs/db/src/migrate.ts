import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from './data-source-options';

/**
 * Runs pending migrations as the owner role, under a session advisory lock so that two processes
 * starting at once (api and worker, or two replicas) never run the same migration twice: the second
 * waits, then finds nothing pending. Exported for the test harness; `migrate-cli.ts` is the process.
 */
export const MIGRATION_LOCK_KEY = 0x5111a6e; // "sillage", any constant shared by all processes

export interface MigrateResult {
  applied: string[];
}

export async function runMigrations(ownerUrl: string, opts: { useLock?: boolean; log?: (m: string) => void } = {}): Promise<MigrateResult> {
  const log = opts.log ?? (() => undefined);
  // The lock lives on its own connection. Embedded PostgreSQL serves one connection only, so there
  // (a single process by construction) the lock is skipped.
  const lockClient = opts.useLock === false ? undefined : new Client({ connectionString: ownerUrl });
  if (lockClient) {
    await lockClient.connect();
    log('waiting for the migration lock');
    await lockClient.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
  }
  const ds = new DataSource({ ...dataSourceOptions(ownerUrl, { poolSize: 1, applicationName: 'sillage-migrate' }) });
  try {
    await ds.initialize();
    const applied = await ds.runMigrations({ transaction: 'each' });
    for (const m of applied) log(`applied ${m.name}`);
    return { applied: applied.map((m) => m.name) };
  } finally {
    if (ds.isInitialized) await ds.destroy();
    if (lockClient) {
      await lockClient.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
      await lockClient.end();
    }
  }
}

export async function revertLastMigration(ownerUrl: string): Promise<void> {
  const ds = new DataSource(dataSourceOptions(ownerUrl, { poolSize: 1, applicationName: 'sillage-migrate' }));
  await ds.initialize();
  try {
    await ds.undoLastMigration({ transaction: 'each' });
  } finally {
    await ds.destroy();
  }
}

/** True when every known migration is recorded in the database (readiness check). */
export async function pendingMigrationCount(ds: DataSource): Promise<number> {
  const rows: { name: string }[] = await ds.query(`SELECT name FROM schema_migrations`);
  const done = new Set(rows.map((r) => r.name));
  return ds.migrations.filter((m) => !done.has(m.name ?? m.constructor.name)).length;
}
