import 'reflect-metadata';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { runMigrations } from '../../db/src/migrate';
import { quoteIdent, setupRolesAndDatabase } from '../../db/src/roles';
import { DEFAULT_ADMIN_URL, DEFAULT_REDIS_URL, TEST_ENV } from './test-env';

/**
 * Runs once per `jest` run: makes sure the roles exist, migrates a fresh template database as the
 * owner role (as production does), and leaves its name in the environment. Each test file then
 * gets its own `CREATE DATABASE … TEMPLATE` copy, so files run in parallel without sharing rows.
 */
export default async function globalSetup(): Promise<void> {
  process.env.TZ = 'UTC';
  const adminUrl = process.env.TEST_DATABASE_ADMIN_URL ?? DEFAULT_ADMIN_URL;
  const runId = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
  const template = `sillage_tpl_${runId}`;
  await dropStaleDatabases(adminUrl);
  const { ownerUrl } = await setupRolesAndDatabase({ adminUrl, database: template });
  await runMigrations(ownerUrl, { useLock: true });

  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  Object.assign(process.env, {
    [TEST_ENV.adminUrl]: adminUrl,
    [TEST_ENV.template]: template,
    [TEST_ENV.runId]: runId,
    [TEST_ENV.redisUrl]: process.env.TEST_REDIS_URL ?? DEFAULT_REDIS_URL,
    [TEST_ENV.jwtPrivateKey]: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    [TEST_ENV.jwtPublicKey]: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  });
}

/** Databases left by runs that were killed more than an hour ago. */
async function dropStaleDatabases(adminUrl: string): Promise<void> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname ~ '^sillage_(tpl|t)_'`);
    const hourAgo = Date.now() - 3600_000;
    for (const { datname } of rows) {
      const id = /^sillage_(?:tpl|t)_([0-9a-z]+?)[0-9a-f]{4}(?:_|$)/.exec(datname)?.[1];
      const started = id ? parseInt(id, 36) : NaN;
      if (Number.isFinite(started) && started < hourAgo) {
        await client.query(`DROP DATABASE IF EXISTS ${quoteIdent(datname)} WITH (FORCE)`);
      }
    }
  } finally {
    await client.end();
  }
}
