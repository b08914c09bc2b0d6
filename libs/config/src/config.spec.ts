import { ConfigError, loadConfig } from './config';

describe('loadConfig', () => {
  it('runs in embedded mode with in-process jobs when no URL is configured', () => {
    const c = loadConfig({});
    expect(c.database.mode).toBe('embedded');
    expect(c.redis.mode).toBe('in-process');
    expect(c.http.port).toBe(3000);
    expect(c.database.embeddedDataDir).toBe('./var/pglite');
  });

  it('uses the real services when both URLs are set, the owner URL defaulting to the app URL', () => {
    const c = loadConfig({ DATABASE_URL: 'postgres://app@db/sillage', REDIS_URL: 'redis://r:6379' });
    expect(c.database.mode).toBe('external');
    expect(c.database.ownerUrl).toBe('postgres://app@db/sillage');
    expect(c.redis).toEqual({ mode: 'redis', url: 'redis://r:6379' });
  });

  it('lists every bad variable at once', () => {
    let error: unknown;
    try {
      loadConfig({
        PORT: 'eighty',
        DATABASE_URL: 'mysql://x',
        REDIS_URL: 'not a url',
        COOKIE_SECURE: 'maybe',
        LOG_LEVEL: 'loud',
        NODE_ENV: 'production',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringContaining('PORT must be an integer'),
        expect.stringContaining('DATABASE_URL must use postgres:'),
        'REDIS_URL is not a valid URL',
        expect.stringContaining('COOKIE_SECURE must be true or false'),
        expect.stringContaining('LOG_LEVEL must be one of'),
        'JWT_PRIVATE_KEY is required in production',
      ]),
    );
    expect((error as Error).message).toContain('  - PORT');
  });

  it('refuses an owner URL without an application URL and half a key pair', () => {
    expect(() => loadConfig({ DATABASE_OWNER_URL: 'postgres://o@db/s', JWT_PRIVATE_KEY: '-----BEGIN PRIVATE KEY-----' })).toThrow(
      /DATABASE_OWNER_URL is set but DATABASE_URL is not[\s\S]*must be set together/,
    );
  });
});
