import 'reflect-metadata';
import { revertLastMigration, runMigrations } from './migrate';

/**
 * `npm run db:migrate` / `npm run db:revert`: its own process, as the owner role, before the app
 * starts. SILLAGE_EMBEDDED=1 (set by the launcher) skips the advisory lock: embedded PostgreSQL
 * serves one connection and one process.
 */
async function main(): Promise<void> {
  const url = process.env.DATABASE_OWNER_URL ?? process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_OWNER_URL (or DATABASE_URL) must be set; `npm start` sets it in embedded mode');
  const log = (m: string) => process.stdout.write(`[migrate] ${m}\n`);
  if (process.argv[2] === 'revert') {
    await revertLastMigration(url);
    log('reverted the last migration');
    return;
  }
  const { applied } = await runMigrations(url, { useLock: process.env.SILLAGE_EMBEDDED !== '1', log });
  log(applied.length === 0 ? 'schema up to date' : `${applied.length} migration(s) applied`);
}

main().catch((e: unknown) => {
  process.stderr.write(`[migrate] failed: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
