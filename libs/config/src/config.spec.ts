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

  it('runs jobs in-process with embedded PostgreSQL, even when Redis is configured', () => {
    expect(loadConfig({ REDIS_URL: 'redis://r:6379' }).redis).toEqual({ mode: 'in-process', url: 'redis://r:6379' });
    const launched = loadConfig({ DATABASE_URL: 'postgres://x@127.0.0.1:5999/db', SILLAGE_EMBEDDED: '1', REDIS_URL: 'redis://r:6379' });
    expect(launched.redis.mode).toBe('in-process');
  });

  it('has job and mail defaults: file transport under DATA_DIR, BullMQ retry semantics', () => {
    const c = loadConfig({ DATA_DIR: '/srv/sillage' });
    expect(c.queue).toEqual({ prefix: 'sillage', pollMs: 250, publishRetryMaxMs: 30_000, attempts: 5, backoffMs: 1000, retentionDays: 30 });
    expect(c.mail).toEqual({ transport: 'file', smtpUrl: undefined, from: 'Sillage <no-reply@localhost>', fileDir: '/srv/sillage/mail' });
  });

  it('sends through SMTP when SMTP_URL is set, and refuses inconsistent job and mail settings', () => {
    expect(loadConfig({ SMTP_URL: 'smtps://u:p@mail.example.org' }).mail.transport).toBe('smtp');
    expect(loadConfig({ SMTP_URL: 'smtps://u:p@mail.example.org', MAIL_TRANSPORT: 'file' }).mail.transport).toBe('file');
    let error: unknown;
    try {
      loadConfig({
        MAIL_TRANSPORT: 'smtp',
        MAIL_FROM: 'nobody',
        QUEUE_PREFIX: 'bad:prefix',
        OUTBOX_POLL_MS: '0',
        JOB_ATTEMPTS: 'many',
        OUTBOX_RETENTION_DAYS: '1',
      });
    } catch (e) {
      error = e;
    }
    expect((error as ConfigError).problems).toEqual(
      expect.arrayContaining([
        expect.stringContaining('MAIL_TRANSPORT=smtp needs SMTP_URL'),
        expect.stringContaining('MAIL_FROM must be one address'),
        expect.stringContaining('QUEUE_PREFIX must be'),
        'OUTBOX_POLL_MS must be between 10 and 60000 (got 0)',
        expect.stringContaining('JOB_ATTEMPTS must be an integer'),
        'OUTBOX_RETENTION_DAYS must be between 2 and 3650 (got 1)',
      ]),
    );
    expect(() => loadConfig({ SMTP_URL: 'http://mail.example.org' })).toThrow(/SMTP_URL must use smtp: or smtps:/);
  });

  it('lowers the worker, flushes writes in small steps and writes redemptions on 4 connections by default, and refuses values out of range', () => {
    const c = loadConfig({});
    expect(c.worker.niceness).toBe(10);
    expect(c.database.backendFlushAfter).toBe('256kB');
    expect(c.database.redemptionConnections).toBe(4);
    expect(loadConfig({ WORKER_NICENESS: '0', DATABASE_BACKEND_FLUSH_AFTER_KB: '0', DATABASE_REDEMPTION_CONNECTIONS: '1' })).toMatchObject({
      worker: { niceness: 0 },
      database: { backendFlushAfter: undefined, redemptionConnections: 1 },
    });
    const outOfRange = () =>
      loadConfig({ WORKER_NICENESS: '20', DATABASE_BACKEND_FLUSH_AFTER_KB: '4096', DATABASE_REDEMPTION_CONNECTIONS: '0' });
    expect(outOfRange).toThrow('WORKER_NICENESS must be between 0 and 19 (got 20)');
    expect(outOfRange).toThrow('DATABASE_BACKEND_FLUSH_AFTER_KB must be between 0 and 2048 (got 4096)');
    expect(outOfRange).toThrow('DATABASE_REDEMPTION_CONNECTIONS must be between 1 and 64 (got 0)');
    expect(() => loadConfig({ WORKER_NICENESS: 'low' })).toThrow(/WORKER_NICENESS must be an integer between 0 and 19/);
  });
});
