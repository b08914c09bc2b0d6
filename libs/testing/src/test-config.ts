import { AppConfig, loadConfig } from '../../config/src/config';
import { testEnv } from './test-env';

/** A configuration for one test file: its own database, the shared test Redis, fresh JWT keys. */
export function testConfig(databaseUrl: string, env: Record<string, string | undefined> = {}): AppConfig {
  return loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: databaseUrl,
    REDIS_URL: testEnv('redisUrl'),
    JWT_PRIVATE_KEY: testEnv('jwtPrivateKey'),
    JWT_PUBLIC_KEY: testEnv('jwtPublicKey'),
    LOG_LEVEL: 'silent',
    COOKIE_SECURE: 'true',
    DATABASE_POOL_SIZE: '4',
    ...env,
  });
}
