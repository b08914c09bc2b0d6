import { createHash } from 'node:crypto';
import {
  auditEventsContaining,
  auditEventsDuring,
  bearer,
  createTestApp,
  SeededOrganisation,
  SeededUser,
  seedOrganisation,
  seedUser,
  sql,
  tableCounts,
  TestApp,
  tokenFor,
  unknownId,
} from '@sillage/testing';

const SENTINEL_EMAIL = 'zz-sentinel-9271@example.test';
const SENTINEL_NAME = 'Zélie Sentinelle-9271';

/** Users: invited by admins, never visible outside their organisation, no personal data in the audit log. */
describe('users', () => {
  let t: TestApp;
  let operator: SeededOrganisation;
  let operatorAdmin: SeededUser;
  let opToken: string;
  let funder: SeededOrganisation;
  let funderAdmin: SeededUser;
  let adminToken: string;

  beforeAll(async () => {
    t = await createTestApp();
    operator = await seedOrganisation(t, { kinds: ['operator'] });
    operatorAdmin = await seedUser(t, operator, { role: 'admin' });
    opToken = tokenFor(t, operatorAdmin);
    funder = await seedOrganisation(t, { kinds: ['funder'] });
    funderAdmin = await seedUser(t, funder, { role: 'admin' });
    adminToken = tokenFor(t, funderAdmin);
  });
  afterAll(async () => {
    await t.close();
  });

  const create = (body: object, token = adminToken) =>
    t.inject({ method: 'POST', url: '/v1/users', headers: bearer(token), payload: body });
  const patch = (id: string, body: object, token = adminToken) =>
    t.inject({ method: 'PATCH', url: `/v1/users/${id}`, headers: bearer(token), payload: body });
  const get = (id: string, token = adminToken) => t.inject({ method: 'GET', url: `/v1/users/${id}`, headers: bearer(token) });
  const list = async (token: string, query = '') => {
    const res = await t.inject({ method: 'GET', url: `/v1/users${query}`, headers: bearer(token) });
    expect(res.statusCode).toBe(200);
    return res.json<{ items: { id: string; organisationId: string; role: string; status: string }[]; nextCursor: string | null }>();
  };
  const tokenHash = (url: string) =>
    createHash('sha256')
      .update(decodeURIComponent(url.split('#token=')[1]))
      .digest();

  describe('POST /v1/users', () => {
    it('invites a user: no password, a one-time link for the admin, an email job with the id only, one audit event without personal data', async () => {
      const { result: res, events } = await auditEventsDuring(t, () =>
        create({ email: SENTINEL_EMAIL.toUpperCase(), displayName: SENTINEL_NAME, role: 'agent' }),
      );
      expect(res.statusCode).toBe(201);
      const user = res.json();
      expect(user).toEqual({
        id: expect.any(String),
        organisationId: funder.id,
        email: SENTINEL_EMAIL,
        displayName: SENTINEL_NAME,
        role: 'agent',
        status: 'invited',
        totpEnabled: false,
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
        setPasswordUrl: expect.stringMatching(/#token=[A-Za-z0-9_-]{43}$/),
        setPasswordExpiresAt: expect.any(String),
      });
      expect(user.setPasswordUrl.startsWith(`${t.config.http.publicBaseUrl}/set-password#token=`)).toBe(true);

      expect(await sql(t, `SELECT email, status, password_hash FROM app_user WHERE id = $1`, [user.id])).toEqual([
        { email: SENTINEL_EMAIL, status: 'invited', password_hash: null },
      ]);
      // Only the hash of the link's token is stored, for the admin channel.
      const tokens = await sql<{ token_hash: Buffer; channel: string; used_at: Date | null }>(
        t,
        `SELECT token_hash, channel, used_at FROM set_password_token WHERE user_id = $1`,
        [user.id],
      );
      expect(tokens).toHaveLength(1);
      expect(tokens[0]).toMatchObject({ channel: 'admin', used_at: null });
      expect(tokens[0].token_hash.equals(tokenHash(user.setPasswordUrl))).toBe(true);

      const jobs = await sql<{ job_name: string; job_id: string; payload: object }>(
        t,
        `SELECT job_name, job_id, payload FROM outbox_message WHERE payload->>'userId' = $1`,
        [user.id],
      );
      expect(jobs).toEqual([
        {
          job_name: 'identity.send-set-password-email',
          job_id: expect.stringMatching(new RegExp(`^set-password-email:${user.id}:[0-9a-f-]{36}$`)),
          payload: { userId: user.id },
        },
      ]);

      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({
        action: 'user.created',
        actor: { type: 'user', id: funderAdmin.id, organisationId: funder.id },
        subject: { type: 'user', id: user.id },
        facts: { organisationId: funder.id, role: 'agent', status: 'invited' },
      });
    });

    it('returns a link the new user can really use to choose a password', async () => {
      const res = await create({ email: 'first-login@example.test', displayName: 'Premier', role: 'viewer' });
      const token = decodeURIComponent(res.json().setPasswordUrl.split('#token=')[1]);
      const set = await t.inject({ method: 'POST', url: '/v1/auth/set-password', payload: { token, password: 'Trombone-Velours-42' } });
      expect(set.statusCode).toBe(204);
      expect(await sql(t, `SELECT status, password_hash IS NOT NULL AS has_password FROM app_user WHERE id = $1`, [res.json().id])).toEqual(
        [{ status: 'active', has_password: true }],
      );
    });

    it('answers 409 EMAIL_TAKEN for an email already used, whatever its case', async () => {
      await seedUser(t, funder, { role: 'viewer', email: 'taken@example.test' });
      const res = await create({ email: 'Taken@Example.TEST', displayName: 'Autre', role: 'viewer' });
      expect(res.statusCode).toBe(409);
      expect(res.json()).toMatchObject({ code: 'EMAIL_TAKEN', field: 'email' });
      expect(await sql(t, `SELECT count(*)::int AS n FROM app_user WHERE email = 'taken@example.test'`)).toEqual([{ n: 1 }]);
    });

    it('refuses the dpo role outside the operator organisation with ROLE_NOT_ALLOWED, writing nothing', async () => {
      const counts = () => tableCounts(t, ['app_user', 'set_password_token', 'outbox_message', 'audit_event']);
      const before = await counts();
      const res = await create({ email: 'dpo-funder@example.test', displayName: 'D', role: 'dpo' });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ code: 'ROLE_NOT_ALLOWED', field: 'role' });
      expect(await counts()).toEqual(before);
    });

    it('lets the operator admin create a dpo in the operator organisation and a user in any organisation', async () => {
      const dpo = await create({ email: 'dpo@example.test', displayName: 'DPO', role: 'dpo', organisationId: operator.id }, opToken);
      expect(dpo.statusCode).toBe(201);
      expect(dpo.json()).toMatchObject({ organisationId: operator.id, role: 'dpo' });
      const other = await create({ email: 'elsewhere@example.test', displayName: 'E', role: 'admin', organisationId: funder.id }, opToken);
      expect(other.statusCode).toBe(201);
      expect(other.json()).toMatchObject({ organisationId: funder.id, role: 'admin' });
    });

    it('requires organisationId from the operator admin, and 404s an unknown organisation', async () => {
      const missing = await create({ email: 'no-org@example.test', displayName: 'N', role: 'viewer' }, opToken);
      expect(missing.statusCode).toBe(400);
      expect(missing.json()).toMatchObject({ code: 'VALIDATION_FAILED', field: 'organisationId' });
      const unknown = await create(
        { email: 'no-org@example.test', displayName: 'N', role: 'viewer', organisationId: unknownId() },
        opToken,
      );
      expect(unknown.statusCode).toBe(404);
      expect(unknown.json()).toMatchObject({ code: 'NOT_FOUND', field: 'organisationId' });
    });

    it("answers 404 to an admin creating a user in another organisation, and accepts its own organisation's id", async () => {
      const other = await seedOrganisation(t, { kinds: ['distributor'] });
      const res = await create({ email: 'intrus@example.test', displayName: 'I', role: 'viewer', organisationId: other.id });
      expect(res.statusCode).toBe(404);
      expect(await sql(t, `SELECT count(*)::int AS n FROM app_user WHERE organisation_id = $1`, [other.id])).toEqual([{ n: 0 }]);
      const own = await create({ email: 'own@example.test', displayName: 'O', role: 'viewer', organisationId: funder.id });
      expect(own.statusCode).toBe(201);
    });

    it('refuses non-admin roles with 403', async () => {
      const agent = await seedUser(t, funder, { role: 'agent' });
      const res = await create({ email: 'by-agent@example.test', displayName: 'A', role: 'viewer' }, tokenFor(t, agent));
      expect(res.statusCode).toBe(403);
    });
  });

  describe('reads', () => {
    it('lists only the caller’s organisation, with role and status filters; the operator lists any', async () => {
      const org = await seedOrganisation(t, { kinds: ['site'] });
      const admin = await seedUser(t, org, { role: 'admin' });
      const agent = await seedUser(t, org, { role: 'agent' });
      const invited = await seedUser(t, org, { role: 'agent', status: 'invited' });
      const token = tokenFor(t, admin);
      expect((await list(token)).items.map((u) => u.id)).toEqual([admin.id, agent.id, invited.id]);
      expect((await list(token, '?role=agent')).items.map((u) => u.id)).toEqual([agent.id, invited.id]);
      expect((await list(token, '?role=agent&status=invited')).items.map((u) => u.id)).toEqual([invited.id]);
      // Asking for another organisation's users gives nothing.
      expect((await list(token, `?organisationId=${funder.id}`)).items).toEqual([]);
      expect((await list(opToken, `?organisationId=${org.id}`)).items.map((u) => u.id)).toEqual([admin.id, agent.id, invited.id]);
      const everyone = await list(opToken, '?limit=100');
      expect(everyone.items.map((u) => u.organisationId)).toEqual(expect.arrayContaining([operator.id, funder.id, org.id]));
    });

    it('pages through users with a cursor', async () => {
      const org = await seedOrganisation(t, { kinds: ['site'] });
      const admin = await seedUser(t, org, { role: 'admin' });
      const ids = [admin.id];
      for (let i = 0; i < 4; i++) ids.push((await seedUser(t, org, { role: 'viewer' })).id);
      const token = tokenFor(t, admin);
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page = await list(token, `?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
        seen.push(...page.items.map((u) => u.id));
        cursor = page.nextCursor;
      } while (cursor && seen.length < 20);
      expect(seen).toEqual(ids);
    });

    it('answers GET /v1/users/{id} in the same organisation, 404 elsewhere (partners included)', async () => {
      const colleague = await seedUser(t, funder, { role: 'viewer' });
      expect((await get(colleague.id)).json()).toMatchObject({ id: colleague.id, email: colleague.email });
      const other = await seedOrganisation(t, { kinds: ['distributor'] });
      const stranger = await seedUser(t, other, { role: 'viewer' });
      await sql(t, `INSERT INTO partnership (funder_id, distributor_id) VALUES ($1, $2)`, [funder.id, other.id]);
      expect((await get(stranger.id)).statusCode).toBe(404);
      expect((await get(stranger.id, opToken)).statusCode).toBe(200);
    });
  });

  describe('PATCH /v1/users/{id}', () => {
    it('changes role and display name with one audit event carrying no display name', async () => {
      const u = await seedUser(t, funder, { role: 'viewer', displayName: 'Ancien Nom' });
      const { result: res, events } = await auditEventsDuring(t, () =>
        patch(u.id, { role: 'finance', displayName: `${SENTINEL_NAME} bis` }),
      );
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ role: 'finance', displayName: `${SENTINEL_NAME} bis` });
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({
        action: 'user.updated',
        actor: { type: 'user', id: funderAdmin.id },
        subject: { type: 'user', id: u.id },
        facts: { changed: 'displayName,role', roleFrom: 'viewer', roleTo: 'finance' },
      });
      expect(events[0].canonical).not.toContain('Sentinelle');
    });

    it('disables a user, revoking their refresh tokens, and re-enables them', async () => {
      const u = await seedUser(t, funder, { role: 'agent' });
      await sql(
        t,
        `INSERT INTO refresh_token (family_id, user_id, token_hash, expires_at) VALUES (gen_random_uuid(), $1, $2, now() + interval '1 day')`,
        [u.id, Buffer.from('a'.repeat(32))],
      );
      await sql(
        t,
        `INSERT INTO refresh_token (family_id, user_id, token_hash, expires_at) VALUES (gen_random_uuid(), $1, $2, now() + interval '1 day')`,
        [u.id, Buffer.from('b'.repeat(32))],
      );
      const { result: res, events } = await auditEventsDuring(t, () => patch(u.id, { status: 'disabled' }));
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ status: 'disabled' });
      expect(await sql(t, `SELECT count(*)::int AS n FROM refresh_token WHERE user_id = $1 AND revoked_at IS NULL`, [u.id])).toEqual([
        { n: 0 },
      ]);
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({
        action: 'user.updated',
        reason: 'DISABLED_BY_ADMIN',
        facts: { statusFrom: 'active', statusTo: 'disabled', revokedRefreshTokens: 2 },
      });

      const enabled = await patch(u.id, { status: 'active' });
      expect(enabled.json()).toMatchObject({ status: 'active' });
    });

    it('re-enables a disabled user who never set a password as invited, and refuses to activate an invited user', async () => {
      const u = await seedUser(t, funder, { role: 'agent', status: 'disabled', passwordHash: null });
      expect((await patch(u.id, { status: 'active' })).json()).toMatchObject({ status: 'invited' });
      const res = await patch(u.id, { status: 'active' });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ code: 'VALIDATION_FAILED', field: 'status' });
    });

    it('refuses to change one’s own role or to disable oneself (403 naming the field)', async () => {
      const role = await patch(funderAdmin.id, { role: 'viewer' });
      expect(role.statusCode).toBe(403);
      expect(role.json()).toMatchObject({ code: 'FORBIDDEN', field: 'role' });
      const status = await patch(funderAdmin.id, { status: 'disabled' });
      expect(status.statusCode).toBe(403);
      expect(status.json()).toMatchObject({ code: 'FORBIDDEN', field: 'status' });
      expect(await sql(t, `SELECT role, status FROM app_user WHERE id = $1`, [funderAdmin.id])).toEqual([
        { role: 'admin', status: 'active' },
      ]);
      // One's own display name is fine.
      expect((await patch(funderAdmin.id, { displayName: 'Moi' })).statusCode).toBe(200);
    });

    it('refuses dpo outside the operator, and answers 404 for another organisation’s user', async () => {
      const u = await seedUser(t, funder, { role: 'viewer' });
      expect((await patch(u.id, { role: 'dpo' })).json()).toMatchObject({ code: 'ROLE_NOT_ALLOWED', field: 'role' });
      const other = await seedOrganisation(t, { kinds: ['funder'] });
      const stranger = await seedUser(t, other, { role: 'viewer' });
      expect((await patch(stranger.id, { role: 'admin' })).statusCode).toBe(404);
      expect(await sql(t, `SELECT role FROM app_user WHERE id = $1`, [stranger.id])).toEqual([{ role: 'viewer' }]);
      // The operator admin may.
      expect((await patch(stranger.id, { role: 'admin' }, opToken)).json()).toMatchObject({ role: 'admin' });
    });

    it('refuses an empty patch', async () => {
      const u = await seedUser(t, funder, { role: 'viewer' });
      const res = await patch(u.id, {});
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ code: 'VALIDATION_FAILED', field: 'body' });
    });
  });

  describe('POST /v1/users/{id}/set-password-link', () => {
    it('issues a new one-time link for the admin, audited without personal data', async () => {
      const u = await seedUser(t, funder, { role: 'viewer', status: 'invited' });
      const { result: res, events } = await auditEventsDuring(t, () =>
        t.inject({ method: 'POST', url: `/v1/users/${u.id}/set-password-link`, headers: bearer(adminToken) }),
      );
      expect(res.statusCode).toBe(201);
      const { setPasswordUrl } = res.json();
      const rows = await sql<{ token_hash: Buffer }>(
        t,
        `SELECT token_hash FROM set_password_token WHERE user_id = $1 AND channel = 'admin'`,
        [u.id],
      );
      expect(rows.some((r) => r.token_hash.equals(tokenHash(setPasswordUrl)))).toBe(true);
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({
        action: 'user.set_password_link_issued',
        subject: { type: 'user', id: u.id },
        facts: { channel: 'admin' },
      });
    });

    it('refuses a disabled user (409) and another organisation’s user (404)', async () => {
      const disabled = await seedUser(t, funder, { role: 'viewer', status: 'disabled' });
      const res = await t.inject({ method: 'POST', url: `/v1/users/${disabled.id}/set-password-link`, headers: bearer(adminToken) });
      expect(res.statusCode).toBe(409);
      const other = await seedOrganisation(t, { kinds: ['site'] });
      const stranger = await seedUser(t, other, { role: 'viewer' });
      const res404 = await t.inject({ method: 'POST', url: `/v1/users/${stranger.id}/set-password-link`, headers: bearer(adminToken) });
      expect(res404.statusCode).toBe(404);
      expect(
        await sql(t, `SELECT count(*)::int AS n FROM set_password_token WHERE user_id = ANY($1::uuid[])`, [[disabled.id, stranger.id]]),
      ).toEqual([{ n: 0 }]);
    });
  });

  it('never puts the sentinel email or display name in the audit log or the outbox', async () => {
    // Earlier tests created, renamed and re-linked users carrying the sentinels.
    expect(await sql(t, `SELECT count(*)::int AS n FROM app_user WHERE email = $1`, [SENTINEL_EMAIL])).toEqual([{ n: 1 }]);
    expect(Number((await sql<{ n: number }>(t, `SELECT count(*)::int AS n FROM audit_event`))[0].n)).toBeGreaterThan(5);
    expect(await auditEventsContaining(t, SENTINEL_EMAIL)).toBe(0);
    expect(await auditEventsContaining(t, 'zz-sentinel-9271')).toBe(0);
    expect(await auditEventsContaining(t, 'Sentinelle-9271')).toBe(0);
    expect(await sql(t, `SELECT count(*)::int AS n FROM outbox_message WHERE payload::text LIKE '%sentinel%'`)).toEqual([{ n: 0 }]);
  });
});
