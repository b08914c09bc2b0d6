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
    ...testVoucherEnv(),
    LOG_LEVEL: 'silent',
    COOKIE_SECURE: 'true',
    DATABASE_POOL_SIZE: '4',
    // A browser test may serve its own build of the web app (WEB_DIR), e.g. while another is built.
    ...(process.env.WEB_DIR ? { WEB_DIR: process.env.WEB_DIR } : {}),
    ...env,
  });
}

/**
 * Fixed test-only voucher secrets (the QR signing key reuses the test JWT key): every API of a test
 * run, in-process or spawned, finds the same codes and accepts the same QR tokens.
 */
/** The operator's account for payout files, which production mode requires (a spawned API or worker runs in production mode). */
export function testSepaDebtorEnv(): Record<string, string> {
  return {
    SEPA_DEBTOR_NAME: 'Opérateur Sillage (test)',
    SEPA_DEBTOR_IBAN: 'FR7630006000011234567890189',
    SEPA_DEBTOR_BIC: 'AGRIFRPPXXX',
    SEPA_DEBTOR_POSTCODE: '75002',
    SEPA_DEBTOR_TOWN: 'Paris',
  };
}

export function testVoucherEnv(): Record<string, string> {
  return {
    VOUCHER_LOOKUP_KEY: Buffer.alloc(32, 7).toString('base64'),
    VOUCHER_PRINT_KEYS: `1:${Buffer.alloc(32, 9).toString('base64')}`,
    VOUCHER_SIGNING_KEY: testEnv('jwtPrivateKey'),
    VOUCHER_SIGNING_KEY_ID: 'voucher-test',
  };
}
