import { createHash } from 'node:crypto';
import {
  auditEventsDuring,
  bearer,
  createTestApp,
  SeededOrganisation,
  SeededUser,
  seedApiKey,
  seedOrganisation,
  seedUser,
  sql,
  TestApp,
  tokenFor,
  unknownId,
} from '@sillage/testing';

/** API keys: a secret shown once, stored as SHA-256, limited to routes that accept keys, revocable at once. */
describe('API keys', () => {
  let t: TestApp;
  let site: SeededOrganisation;
  let siteAdmin: SeededUser;
  let adminToken: string;

  beforeAll(async () => {
    t = await createTestApp();
    site = await seedOrganisation(t, { kinds: ['site'] });
    siteAdmin = await seedUser(t, site, { role: 'admin' });
    adminToken = tokenFor(t, siteAdmin);
  });
  afterAll(async () => {
    await t.close();
  });

  const create = (body: object, token = adminToken) =>
    t.inject({ method: 'POST', url: '/v1/api-keys', headers: bearer(token), payload: body });
  const revoke = (id: string, token = adminToken) => t.inject({ method: 'DELETE', url: `/v1/api-keys/${id}`, headers: bearer(token) });
  const list = async (token = adminToken, query = '') => {
    const res = await t.inject({ method: 'GET', url: `/v1/api-keys${query}`, headers: bearer(token) });
    expect(res.statusCode).toBe(200);
    return res.json<{ items: Record<string, unknown>[]; nextCursor: string | null }>();
  };

  it('creates a key: the secret once in the response, only its SHA-256 stored, one audit event without the name', async () => {
    const { result: res, events } = await auditEventsDuring(t, () => create({ name: 'Tablette Zz-Sentinelle', role: 'agent' }));
    expect(res.statusCode).toBe(201);
    const key = res.json();
    expect(key).toEqual({
      id: expect.any(String),
      organisationId: site.id,
      name: 'Tablette Zz-Sentinelle',
      role: 'agent',
      prefix: key.secret.slice(0, 10),
      createdAt: expect.any(String),
      revokedAt: null,
      lastUsedAt: null,
      secret: expect.stringMatching(/^slg_[A-Za-z0-9_-]{43}$/),
    });
    const [row] = await sql<{ secret_hash: Buffer; created_by_user_id: string }>(
      t,
      `SELECT secret_hash, created_by_user_id FROM api_key WHERE id = $1`,
      [key.id],
    );
    expect(row.secret_hash.equals(createHash('sha256').update(key.secret).digest())).toBe(true);
    expect(row.created_by_user_id).toBe(siteAdmin.id);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      action: 'api_key.created',
      actor: { type: 'user', id: siteAdmin.id, organisationId: site.id },
      subject: { type: 'api_key', id: key.id },
      facts: { organisationId: site.id, role: 'agent' },
    });
    expect(events[0].canonical).not.toContain('Sentinelle');
    expect(events[0].canonical).not.toContain(key.secret);

    const listed = (await list()).items.find((k) => k.id === key.id);
    expect(listed).toMatchObject({ id: key.id, name: 'Tablette Zz-Sentinelle', prefix: key.prefix, lastUsedAt: null });
    expect(listed).not.toHaveProperty('secret');
  });

  it('refuses the dpo role with ROLE_NOT_ALLOWED, writing nothing', async () => {
    const before = await sql(t, `SELECT count(*)::int AS n FROM api_key`);
    const res = await create({ name: 'DPO key', role: 'dpo' });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'ROLE_NOT_ALLOWED', field: 'role' });
    expect(await sql(t, `SELECT count(*)::int AS n FROM api_key`)).toEqual(before);
  });

  it('lets a key call /v1/me and routes that accept keys, never user or key management', async () => {
    const key = (await create({ name: 'Caisse', role: 'admin' })).json();
    const h = bearer(key.secret);
    const me = await t.inject({ method: 'GET', url: '/v1/me', headers: h });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ type: 'api_key' });
    const orgs = await t.inject({ method: 'GET', url: '/v1/organisations', headers: h });
    expect(orgs.statusCode).toBe(200);
    expect(orgs.json().items.map((o: { id: string }) => o.id)).toEqual([site.id]);
    for (const [method, url, payload] of [
      ['GET', '/v1/users', undefined],
      ['POST', '/v1/users', { email: 'by-key@example.test', displayName: 'K', role: 'viewer' }],
      ['GET', '/v1/api-keys', undefined],
      ['POST', '/v1/api-keys', { name: 'key by key', role: 'viewer' }],
      ['DELETE', `/v1/api-keys/${key.id}`, undefined],
    ] as const) {
      const res = await t.inject({ method, url, headers: h, ...(payload ? { payload } : {}) });
      expect({ method, url, status: res.statusCode }).toEqual({ method, url, status: 403 });
    }
    expect(await sql(t, `SELECT revoked_at FROM api_key WHERE id = $1`, [key.id])).toEqual([{ revoked_at: null }]);
    expect(await sql(t, `SELECT count(*)::int AS n FROM app_user WHERE email = 'by-key@example.test'`)).toEqual([{ n: 0 }]);
  });

  it('records when a key was last used, without a request transaction', async () => {
    const key = (await create({ name: 'Horodatage', role: 'viewer' })).json();
    expect((await t.inject({ method: 'GET', url: '/v1/me', headers: bearer(key.secret) })).statusCode).toBe(200);
    // Written right after the response (setImmediate): poll the list rather than sleeping blindly.
    let lastUsedAt: unknown = null;
    for (let i = 0; i < 50 && !lastUsedAt; i++) {
      lastUsedAt = (await list()).items.find((k) => k.id === key.id)?.lastUsedAt;
      if (!lastUsedAt) await new Promise((r) => setTimeout(r, 20));
    }
    expect(lastUsedAt).toEqual(expect.any(String));
  });

  it('revokes a key at once (401 API_KEY_REVOKED after), idempotently, with one audit event', async () => {
    const key = (await create({ name: 'Perdue', role: 'agent' })).json();
    expect((await t.inject({ method: 'GET', url: '/v1/me', headers: bearer(key.secret) })).statusCode).toBe(200);

    const { result: res, events } = await auditEventsDuring(t, () => revoke(key.id));
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: key.id, revokedAt: expect.any(String) });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      action: 'api_key.revoked',
      reason: 'REVOKED_BY_ADMIN',
      actor: { type: 'user', id: siteAdmin.id },
      subject: { type: 'api_key', id: key.id },
    });

    const denied = await t.inject({ method: 'GET', url: '/v1/me', headers: bearer(key.secret) });
    expect(denied.statusCode).toBe(401);
    expect(denied.json()).toMatchObject({ code: 'API_KEY_REVOKED' });

    const again = await auditEventsDuring(t, () => revoke(key.id));
    expect(again.result.statusCode).toBe(200);
    expect(again.result.json().revokedAt).toBe(res.json().revokedAt);
    expect(again.events).toEqual([]);

    expect((await list(adminToken, '?revoked=true')).items.map((k) => k.id)).toContain(key.id);
    expect((await list(adminToken, '?revoked=false')).items.map((k) => k.id)).not.toContain(key.id);
  });

  it('keeps keys inside their organisation: other admins (the operator’s included) get 404 and do not list them', async () => {
    const key = await seedApiKey(t, site, { role: 'viewer' });
    const other = await seedOrganisation(t, { kinds: ['site'] });
    const otherAdmin = await seedUser(t, other, { role: 'admin' });
    const operator = await seedOrganisation(t, { kinds: ['operator'] });
    const operatorAdmin = await seedUser(t, operator, { role: 'admin' });
    for (const u of [otherAdmin, operatorAdmin]) {
      expect((await revoke(key.id, tokenFor(t, u))).statusCode).toBe(404);
      expect((await list(tokenFor(t, u))).items.map((k) => k.id)).not.toContain(key.id);
    }
    expect((await revoke(unknownId())).statusCode).toBe(404);
    expect(await sql(t, `SELECT revoked_at FROM api_key WHERE id = $1`, [key.id])).toEqual([{ revoked_at: null }]);
  });

  it('refuses non-admin users with 403', async () => {
    const agent = await seedUser(t, site, { role: 'agent' });
    expect((await create({ name: 'x', role: 'viewer' }, tokenFor(t, agent))).statusCode).toBe(403);
    expect((await t.inject({ method: 'GET', url: '/v1/api-keys', headers: bearer(tokenFor(t, agent)) })).statusCode).toBe(403);
  });
});
