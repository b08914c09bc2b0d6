import { Client } from 'pg';
import { quoteIdent } from '../../db/src/roles';
import { TEST_ENV } from './test-env';

/** Drops the template and every copy made during this run. */
export default async function globalTeardown(): Promise<void> {
  const adminUrl = process.env[TEST_ENV.adminUrl];
  const runId = process.env[TEST_ENV.runId];
  if (!adminUrl || !runId) return;
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE $1 OR datname LIKE $2`, [
      `sillage_tpl_${runId}`,
      `sillage_t_${runId}_%`,
    ]);
    for (const { datname } of rows) await client.query(`DROP DATABASE IF EXISTS ${quoteIdent(datname)} WITH (FORCE)`);
  } finally {
    await client.end();
  }
}
