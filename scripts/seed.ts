import 'reflect-metadata';
import { Client } from 'pg';
import { createApiApp } from '../apps/api/src/create-app';
import { ConfigError, loadConfig } from '../libs/config/src/config';
import { TransactionRunner } from '../libs/db/src/transaction';
import { join } from 'node:path';
import { createDemoAccounts, describeAccount } from './seed/demo-accounts';
import { seedDataset } from './seed/seed-dataset';

/**
 * `npm run seed:scale -- --vouchers N [--seed S]` and `npm run seed:demo`: a realistic dataset (ADR 17)
 * in the database of DATABASE_URL, with this deployment's keys (the same environment as the API).
 * Jobs run in this process whatever REDIS_URL says: the seed waits for the issuance it starts.
 * `seed:demo` (10,000 vouchers) is what `npm start` loads into an empty embedded database; both refuse a
 * database that already holds orders, so a seed never mixes with real data.
 */
const DEMO_VOUCHERS = 10_000;

/** ANALYZE as the tables' owner when its URL is given (a seed grows tables from nothing to millions of rows). */
async function analyze(ownerUrl: string | undefined): Promise<void> {
  if (!ownerUrl) return;
  const owner = new Client({ connectionString: ownerUrl });
  await owner.connect();
  try {
    await owner.query('ANALYZE');
  } finally {
    await owner.end();
  }
}

function argument(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<number> {
  const mode = process.argv[2];
  if (mode !== 'scale' && mode !== 'demo') {
    process.stderr.write('usage: seed.js scale --vouchers N [--seed S] | seed.js demo\n');
    return 2;
  }
  const vouchers = mode === 'demo' ? DEMO_VOUCHERS : Number(argument('vouchers') ?? 100_000);
  if (!Number.isSafeInteger(vouchers) || vouchers < 1_000 || vouchers > 50_000_000) {
    process.stderr.write('--vouchers must be a whole number from 1000 to 50000000\n');
    return 2;
  }
  const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' };
  delete env.REDIS_URL;
  const config = loadConfig(env);
  if (config.database.mode === 'embedded' && !process.env.SILLAGE_EMBEDDED) {
    process.stderr.write('seed: set DATABASE_URL (npm start loads the demo dataset into its embedded database by itself)\n');
    return 2;
  }
  const app = await createApiApp(config);
  await app.init();
  try {
    const existing = await app.get(TransactionRunner).pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM purchase_order`);
    if (existing.rows[0].n > 0) {
      process.stdout.write(`seed: the database already holds ${existing.rows[0].n} orders; nothing seeded\n`);
      return mode === 'demo' ? 0 : 1;
    }
    const embedded = config.database.mode === 'embedded' || process.env.SILLAGE_EMBEDDED === '1';
    const summary = await seedDataset(app, {
      vouchers,
      seed: argument('seed') ? Number(argument('seed')) : undefined,
      concurrency: embedded ? 1 : 6,
      progress: (m) => process.stdout.write(`[seed] ${m}\n`),
      // The embedded database is one session: a second connection would wait for this one forever.
      analyze: embedded ? undefined : () => analyze(process.env.DATABASE_OWNER_URL),
    });
    process.stdout.write(`${JSON.stringify({ seed: mode, ...summary })}\n`);
    if (mode === 'demo') {
      const accounts = await createDemoAccounts(app.get(TransactionRunner).pool, config.dataDir);
      process.stdout.write(`[seed] demo accounts (also in ${join(config.dataDir, 'demo-accounts.txt')}):\n`);
      for (const a of accounts) process.stdout.write(`[seed]   ${describeAccount(a)}\n`);
    }
    return 0;
  } finally {
    await app.close();
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(
      `seed failed: ${e instanceof ConfigError ? e.message : e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`,
    );
    process.exit(1);
  },
);
