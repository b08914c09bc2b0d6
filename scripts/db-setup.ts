import { setupRolesAndDatabase } from '../libs/db/src/roles';

/**
 * `npm run db:setup`: creates the owner and application roles and the database on a real
 * PostgreSQL, connected as a superuser (DATABASE_ADMIN_URL, default the local postgres user).
 * Prints the two URLs to export.
 */
async function main(): Promise<void> {
  const adminUrl = process.env.DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const database = process.env.DATABASE_NAME ?? 'sillage';
  const { ownerUrl, appUrl } = await setupRolesAndDatabase({
    adminUrl,
    database,
    ownerPassword: process.env.DATABASE_OWNER_PASSWORD,
    appPassword: process.env.DATABASE_APP_PASSWORD,
  });
  process.stdout.write(`Database "${database}" ready.\nexport DATABASE_OWNER_URL=${ownerUrl}\nexport DATABASE_URL=${appUrl}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`db:setup failed: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
