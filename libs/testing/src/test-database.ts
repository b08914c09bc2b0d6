import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { APP_ROLE } from '../../db/src/grants';
import { quoteIdent } from '../../db/src/roles';
import { testEnv } from './test-env';

export interface TestDatabase {
  name: string;
  /** The application role: what the app connects as, in tests as in production. */
  appUrl: string;
  /** The owner role, for tests that check what only migrations may do. */
  ownerUrl: string;
  /** Superuser, for fixtures that must bypass the app's privileges. */
  adminUrl: string;
  drop(): Promise<void>;
}

/** A private, migrated copy of the template database for one test file. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = testEnv('adminUrl');
  const name = `sillage_t_${testEnv('runId')}_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${quoteIdent(name)} TEMPLATE ${quoteIdent(testEnv('template'))} OWNER sillage_owner`);
  } finally {
    await admin.end();
  }
  const url = (role: string) => {
    const u = new URL(adminUrl);
    u.username = role;
    u.password = '';
    u.pathname = `/${name}`;
    return u.toString();
  };
  const dbAdminUrl = (() => {
    const u = new URL(adminUrl);
    u.pathname = `/${name}`;
    return u.toString();
  })();
  return {
    name,
    appUrl: url(APP_ROLE),
    ownerUrl: url('sillage_owner'),
    adminUrl: dbAdminUrl,
    async drop() {
      const c = new Client({ connectionString: adminUrl });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

/** Runs SQL as superuser on the test database (fixtures, inspection). */
export async function withAdminClient<T>(db: TestDatabase, work: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ connectionString: db.adminUrl });
  await c.connect();
  try {
    return await work(c);
  } finally {
    await c.end();
  }
}
