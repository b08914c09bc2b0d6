import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppConfig } from '../../config/src/config';
import { createApiApp } from '../../../apps/api/src/create-app';
import { testConfig } from './test-config';
import { createTestDatabase, TestDatabase } from './test-database';

export interface TestApp {
  app: NestFastifyApplication;
  db: TestDatabase;
  config: AppConfig;
  /** Fastify's in-process injection: the full HTTP stack without a socket. */
  inject: NestFastifyApplication['inject'];
  close(): Promise<void>;
}

/**
 * Boots the real API (same factory as production) on a private database copy and the real Redis.
 * `env` overrides configuration variables, e.g. `{ REDIS_URL: undefined }` for in-process jobs.
 */
export async function createTestApp(env: Record<string, string | undefined> = {}): Promise<TestApp> {
  const db = await createTestDatabase();
  const config = testConfig(db.appUrl, env);
  const app = await createApiApp(config);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return {
    app,
    db,
    config,
    inject: app.inject.bind(app),
    async close() {
      await app.close();
      await db.drop();
    },
  };
}
