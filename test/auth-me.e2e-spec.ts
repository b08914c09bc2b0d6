import { createHash, randomBytes } from 'node:crypto';
import { generateTotpSecret } from '@sillage/identity';
import { createOrganisation, createTestApp, createUser, FixtureOrganisation, login, sql, TestApp } from '@sillage/testing';

describe('GET /v1/me', () => {
  let t: TestApp;
  let site: FixtureOrganisation;

  beforeAll(async () => {
    t = await createTestApp();
    site = await createOrganisation(t, { kinds: ['distributor', 'site'], legalName: 'Médiathèque du Rhône' });
  });
  afterAll(async () => {
    await t.close();
  });

  const me = (token?: string) => t.inject({ method: 'GET', url: '/v1/me', headers: token ? { authorization: `Bearer ${token}` } : {} });

  async function insertApiKey(opts: { role: string; revoked?: boolean }): Promise<{ id: string; secret: string }> {
    const secret = `slg_${randomBytes(32).toString('base64url')}`;
    const rows = await sql<{ id: string }>(
      t,
      `INSERT INTO api_key (organisation_id, name, role, prefix, secret_hash, revoked_at) VALUES ($1, 'Front-desk tablet', $2, $3, $4, $5) RETURNING id`,
      [site.id, opts.role, secret.slice(0, 10), createHash('sha256').update(secret).digest(), opts.revoked ? new Date() : null],
    );
    return { id: rows[0].id, secret };
  }

  it('describes a logged-in user with their organisation, in one answer', async () => {
    const user = await createUser(t, { organisationId: site.id, role: 'agent', password: true, displayName: 'Camille Agent' });
    const { accessToken } = await login(t, user.email, user.password!);
    const res = await me(accessToken);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      type: 'user',
      id: user.id,
      email: user.email,
      displayName: 'Camille Agent',
      role: 'agent',
      organisation: { id: site.id, legalName: 'Médiathèque du Rhône', kinds: ['distributor', 'site'] },
      totpEnabled: false,
    });
  });

  it('shows totpEnabled for an enrolled user', async () => {
    const secret = generateTotpSecret();
    const user = await createUser(t, { organisationId: site.id, role: 'admin', password: true, totpSecret: secret });
    const { accessToken } = await login(t, user.email, user.password!, secret);
    expect((await me(accessToken)).json()).toMatchObject({ role: 'admin', totpEnabled: true });
  });

  it('describes an API key: its name, role and organisation, no email', async () => {
    const key = await insertApiKey({ role: 'agent' });
    const res = await me(key.secret);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      type: 'api_key',
      id: key.id,
      displayName: 'Front-desk tablet',
      role: 'agent',
      organisation: { id: site.id, legalName: 'Médiathèque du Rhône', kinds: ['distributor', 'site'] },
    });
  });

  it('refuses a revoked API key, an unknown one, a disabled user and no credentials', async () => {
    const revoked = await insertApiKey({ role: 'agent', revoked: true });
    expect((await me(revoked.secret)).json()).toMatchObject({ status: 401, code: 'API_KEY_REVOKED' });
    expect((await me(`slg_${randomBytes(32).toString('base64url')}`)).json()).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
    expect((await me()).json()).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
    expect((await me('garbage.not.jwt')).json()).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });

    const user = await createUser(t, { organisationId: site.id, role: 'viewer', password: true });
    const { accessToken } = await login(t, user.email, user.password!);
    await sql(t, `UPDATE app_user SET status = 'disabled' WHERE id = $1`, [user.id]);
    expect((await me(accessToken)).json()).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
  });
});
