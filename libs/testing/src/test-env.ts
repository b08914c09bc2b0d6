/**
 * Names shared by the global setup (parent process) and the test files (workers). The global
 * setup writes them to process.env, which Jest workers inherit.
 */
export const TEST_ENV = {
  adminUrl: 'SILLAGE_TEST_ADMIN_URL',
  template: 'SILLAGE_TEST_TEMPLATE',
  runId: 'SILLAGE_TEST_RUN_ID',
  redisUrl: 'SILLAGE_TEST_REDIS_URL',
  jwtPrivateKey: 'SILLAGE_TEST_JWT_PRIVATE_KEY',
  jwtPublicKey: 'SILLAGE_TEST_JWT_PUBLIC_KEY',
} as const;

export function testEnv(name: keyof typeof TEST_ENV): string {
  const v = process.env[TEST_ENV[name]];
  if (!v) throw new Error(`${TEST_ENV[name]} is not set: run the tests through jest (global setup)`);
  return v;
}

export const DEFAULT_ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';
