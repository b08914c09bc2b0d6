import { Client } from 'pg';
import { formatLedgerReport, LedgerChecker } from '../libs/ledger/src/ledger-checker';

/**
 * `npm run ledger:check`: runs the ledger invariant check (libs/ledger/src/ledger-checker.ts) against
 * DATABASE_URL (or DATABASE_OWNER_URL), read-only, prints one line per check and per problem, and
 * exits 1 when anything is off (2 when it cannot run).
 */
export async function runLedgerCheck(url: string, write: (text: string) => void): Promise<number> {
  const client = new Client({ connectionString: url, application_name: 'sillage-ledger-check' });
  await client.connect();
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const report = await new LedgerChecker({
      query: async <R>(sql: string, params?: unknown[]) => (await client.query(sql, params)).rows as R[],
    }).run();
    await client.query('COMMIT');
    write(formatLedgerReport(report));
    return report.ok ? 0 : 1;
  } finally {
    await client.end();
  }
}

if (require.main === module) {
  const url = process.env.DATABASE_URL ?? process.env.DATABASE_OWNER_URL;
  if (!url) {
    process.stderr.write('ledger:check needs DATABASE_URL (or DATABASE_OWNER_URL)\n');
    process.exit(2);
  }
  runLedgerCheck(url, (s) => process.stdout.write(s)).then(
    (code) => process.exit(code),
    (e: unknown) => {
      process.stderr.write(`ledger:check could not run: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exit(2);
    },
  );
}
