import { TransactionRunner } from '@sillage/db';
import { createTestApp, TestApp } from '@sillage/testing';

describe('health and HTTP conventions', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('is live and ready on a migrated database with Redis', async () => {
    expect((await t.inject({ method: 'GET', url: '/health/live' })).json()).toEqual({ status: 'ok' });
    const ready = await t.inject({ method: 'GET', url: '/health/ready' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toMatchObject({
      status: 'ok',
      mode: { database: 'external', queue: 'redis' },
      checks: { database: { status: 'ok' }, migrations: { status: 'ok' }, redis: { status: 'ok' } },
    });
  });

  it('opens the application’s database sessions with backend_flush_after (no burst of dirty pages for the kernel to flush at once)', async () => {
    const pool = t.app.get(TransactionRunner).pool;
    expect((await pool.query<{ v: string }>("SELECT current_setting('backend_flush_after') AS v")).rows[0].v).toBe('256kB');
    const other = await createTestApp({ DATABASE_BACKEND_FLUSH_AFTER_KB: '0' });
    try {
      expect(
        (await other.app.get(TransactionRunner).pool.query<{ v: string }>("SELECT current_setting('backend_flush_after') AS v")).rows[0].v,
      ).toBe('0');
    } finally {
      await other.close();
    }
  });

  it('answers an unknown route with a problem+json 404 and echoes a request id', async () => {
    const res = await t.inject({ method: 'GET', url: '/v1/nowhere', headers: { 'x-request-id': 'req-123' } });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.headers['x-request-id']).toBe('req-123');
    expect(res.json()).toMatchObject({ status: 404, code: 'ROUTE_NOT_FOUND', requestId: 'req-123' });
  });

  it('exposes Prometheus metrics and the OpenAPI document', async () => {
    await t.inject({ method: 'GET', url: '/health/live' });
    const metrics = await t.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.body).toContain('sillage_http_request_duration_seconds_bucket');
    expect(metrics.body).toContain('route="/health/live"');
    const doc = await t.inject({ method: 'GET', url: '/docs/openapi.json' });
    expect(doc.statusCode).toBe(200);
    expect(doc.json()).toMatchObject({ openapi: expect.stringMatching(/^3\./), info: { title: 'Sillage API' } });
  });

  it('sets security headers on every answer, refusals included', async () => {
    for (const url of ['/health/live', '/v1/no-such-route']) {
      const res = await t.inject({ method: 'GET', url });
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['strict-transport-security']).toBeDefined();
      expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(res.headers['content-security-policy']).toContain("default-src 'self'");
      expect(res.headers['content-security-policy']).toContain("img-src 'self' data:");
    }
  });
});
