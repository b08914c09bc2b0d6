import { AccessTokenService, AUDIENCES } from '@sillage/identity';
import { RedisConnection } from '@sillage/queue';
import { createTestApp, TestApp, withAdminClient } from '@sillage/testing';
import { randomBytes } from 'node:crypto';
import { EXPECTED_QUEUES, People, seedPeople } from './queue-support';

/** Bull Board at /admin/queues: operator admins only (cookie from queues-session, or bearer); 404 for anyone else. */
describe('queue board (Bull Board)', () => {
  let t: TestApp;
  let people: People;
  const prefix = `t${randomBytes(4).toString('hex')}`;

  beforeAll(async () => {
    t = await createTestApp({ QUEUE_PREFIX: prefix });
    people = await seedPeople(t);
  });

  afterAll(async () => {
    // The shared Redis keeps nothing of this file.
    if (t) {
      const redis = t.app.get(RedisConnection).client;
      const keys = await redis.keys(`${prefix}:*`);
      if (keys.length > 0) await redis.del(...keys);
    }
    await t?.close();
  });

  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  async function expectHidden(headers: Record<string, string>, url = '/admin/queues'): Promise<void> {
    const res = await t.inject({ method: 'GET', url, headers });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({ status: 404, code: 'ROUTE_NOT_FOUND' });
  }

  it('answers 404 without credentials, and to a funder admin or an operator agent', async () => {
    await expectHidden({});
    await expectHidden({}, '/admin/queues/api/queues');
    await expectHidden(bearer(people.funderAdmin.token));
    await expectHidden(bearer(people.operatorAgent.token));
    await expectHidden(bearer(people.operatorAgent.token), '/admin/queues/api/queues');
    await expectHidden({ cookie: 'sillage_queues=not-a-token' });
  });

  it('opens for an operator admin with the cookie from queues-session', async () => {
    const session = await t.inject({ method: 'POST', url: '/v1/admin/queues-session', headers: bearer(people.operatorAdmin.token) });
    expect(session.statusCode).toBe(200);
    expect(session.json()).toEqual({ boardPath: '/admin/queues', expiresAt: expect.any(String) });
    const expiresIn = Date.parse(session.json().expiresAt) - Date.now();
    expect(expiresIn).toBeGreaterThan(14 * 60_000);
    expect(expiresIn).toBeLessThanOrEqual(15 * 60_000);
    const setCookie = String(session.headers['set-cookie']);
    expect(setCookie).toMatch(/^sillage_queues=[^;]+;/);
    expect(setCookie).toContain('Max-Age=900');
    expect(setCookie).toContain('Path=/admin/queues');
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('Secure');
    expect(setCookie).toContain('SameSite=Strict');
    const cookie = setCookie.split(';')[0];

    const page = await t.inject({ method: 'GET', url: '/admin/queues', headers: { cookie } });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain('<base href="/admin/queues/"');
    const api = await t.inject({ method: 'GET', url: '/admin/queues/api/queues', headers: { cookie } });
    expect(api.statusCode).toBe(200);
    expect(api.json().queues.map((q: { name: string }) => q.name)).toEqual(EXPECTED_QUEUES);

    // Opening the board is recorded.
    const audit = await withAdminClient(t.db, (c) =>
      c.query(`SELECT actor_id FROM audit_event WHERE action = 'admin.queues_board_opened'`),
    );
    expect(audit.rows).toEqual([{ actor_id: people.operatorAdmin.userId }]);
  });

  it('opens for an operator admin with a bearer token', async () => {
    const page = await t.inject({ method: 'GET', url: '/admin/queues', headers: bearer(people.operatorAdmin.token) });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
  });

  it('refuses a board cookie of a non-admin, an access token passed as the cookie, and an expired cookie', async () => {
    const tokens = t.app.get(AccessTokenService);
    const agentClaims = { sub: people.operatorAgent.userId, org: people.operatorAgent.organisationId, kinds: ['operator'], role: 'agent' };
    await expectHidden({ cookie: `sillage_queues=${tokens.sign(agentClaims, AUDIENCES.queuesBoard, 900)}` });
    await expectHidden({ cookie: `sillage_queues=${people.operatorAdmin.token}` });
    const adminClaims = { sub: people.operatorAdmin.userId, org: people.operatorAdmin.organisationId, kinds: ['operator'], role: 'admin' };
    await expectHidden({ cookie: `sillage_queues=${tokens.sign(adminClaims, AUDIENCES.queuesBoard, -10)}` });
    // …and a board cookie is no access token for the API.
    const asBearer = await t.inject({
      method: 'GET',
      url: '/v1/admin/jobs/failed',
      headers: bearer(tokens.sign(adminClaims, AUDIENCES.queuesBoard, 900)),
    });
    expect(asBearer.statusCode).toBe(401);
  });

  it('lets only operator admins open a board session', async () => {
    const url = '/v1/admin/queues-session';
    expect((await t.inject({ method: 'POST', url })).statusCode).toBe(401);
    const funder = await t.inject({ method: 'POST', url, headers: bearer(people.funderAdmin.token) });
    expect(funder.statusCode).toBe(404);
    expect(funder.headers['set-cookie']).toBeUndefined();
    const agent = await t.inject({ method: 'POST', url, headers: bearer(people.operatorAgent.token) });
    expect(agent.statusCode).toBe(403);
    expect(agent.headers['set-cookie']).toBeUndefined();
  });

  it('lists no failures on a fresh deployment, reading the queues', async () => {
    const res = await t.inject({ method: 'GET', url: '/v1/admin/jobs/failed', headers: bearer(people.operatorAdmin.token) });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ items: [], hasMore: false, queues: { status: 'ok' } });
  });
});
