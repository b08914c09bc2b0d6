import { createHash } from 'node:crypto';
import { createOrganisation, createTestApp, createUser, FixtureOrganisation, FixtureUser, login, sql, TestApp } from '@sillage/testing';

const sha256 = (s: string) => createHash('sha256').update(s).digest();

describe('POST /v1/auth/refresh and /v1/auth/logout', () => {
  let t: TestApp;
  let funder: FixtureOrganisation;

  beforeAll(async () => {
    t = await createTestApp();
    funder = await createOrganisation(t, { kinds: ['funder'] });
  });
  afterAll(async () => {
    await t.close();
  });

  const agent = () => createUser(t, { organisationId: funder.id, role: 'agent', password: true });
  const refreshWithBody = (refreshToken: string) => t.inject({ method: 'POST', url: '/v1/auth/refresh', payload: { refreshToken } });
  const refreshWithCookie = (token: string) => t.inject({ method: 'POST', url: '/v1/auth/refresh', cookies: { sillage_refresh: token } });
  const me = (accessToken: string) => t.inject({ method: 'GET', url: '/v1/me', headers: { authorization: `Bearer ${accessToken}` } });
  const cookieOf = (res: { headers: Record<string, unknown> }) => /sillage_refresh=([^;]*)/.exec(String(res.headers['set-cookie']))?.[1];

  async function loginWithCookie(user: FixtureUser): Promise<string> {
    const res = await t.inject({ method: 'POST', url: '/v1/auth/login', payload: { email: user.email, password: user.password } });
    expect(res.statusCode).toBe(200);
    return cookieOf(res)!;
  }

  it('rotates a body-delivered token: new access and refresh tokens of the same family, the old one spent', async () => {
    const user = await agent();
    const first = await login(t, user.email, user.password!);
    const res = await refreshWithBody(first.refreshToken);
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const body = res.json();
    expect(body).toEqual({ accessToken: expect.any(String), tokenType: 'Bearer', expiresIn: 900, refreshToken: expect.any(String) });
    expect(body.refreshToken).not.toBe(first.refreshToken);
    expect(res.headers['set-cookie']).toBeUndefined();
    expect((await me(body.accessToken)).statusCode).toBe(200);

    const rows = await sql<{ token_hash: Buffer; family_id: string; used_at: Date | null; revoked_at: Date | null }>(
      t,
      `SELECT token_hash, family_id, used_at, revoked_at FROM refresh_token WHERE user_id = $1 ORDER BY created_at`,
      [user.id],
    );
    expect(rows).toHaveLength(2);
    expect(rows[0].token_hash.equals(sha256(first.refreshToken))).toBe(true);
    expect(rows[0].used_at).not.toBeNull();
    expect(rows[1].token_hash.equals(sha256(body.refreshToken))).toBe(true);
    expect(rows[1].used_at).toBeNull();
    expect(rows[1].family_id).toBe(rows[0].family_id);
    expect(rows.every((r) => r.revoked_at === null)).toBe(true);
  });

  it('rotates the cookie: the new token comes back in a new cookie', async () => {
    const user = await agent();
    const first = await loginWithCookie(user);
    const res = await refreshWithCookie(first);
    expect(res.statusCode).toBe(200);
    expect(res.json().refreshToken).toBeUndefined();
    const second = cookieOf(res);
    expect(second).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(second).not.toBe(first);
    expect(String(res.headers['set-cookie'])).toContain('HttpOnly');
    expect((await refreshWithCookie(second!)).statusCode).toBe(200);
  });

  it('detects reuse: a spent token revokes the whole family, the newest token included', async () => {
    const user = await agent();
    const first = await login(t, user.email, user.password!);
    const second = (await refreshWithBody(first.refreshToken)).json().refreshToken as string;
    const third = (await refreshWithBody(second)).json().refreshToken as string;

    const reuse = await refreshWithBody(first.refreshToken);
    expect(reuse.statusCode).toBe(401);
    expect(reuse.json()).toMatchObject({ code: 'REFRESH_TOKEN_REUSED' });

    const after = await refreshWithBody(third);
    expect(after.statusCode).toBe(401);
    expect(after.json()).toMatchObject({ code: 'REFRESH_TOKEN_INVALID' });
    const live = await sql(t, `SELECT 1 FROM refresh_token WHERE user_id = $1 AND revoked_at IS NULL`, [user.id]);
    expect(live).toHaveLength(0);
    const audit = await sql<{ reason_code: string; actor_type: string }>(
      t,
      `SELECT reason_code, actor_type FROM audit_event WHERE action = 'auth.refresh_reuse_detected' AND subject_id = $1`,
      [user.id],
    );
    expect(audit).toEqual([{ reason_code: 'REFRESH_TOKEN_REUSED', actor_type: 'system' }]);
  });

  it('lets exactly one of several concurrent refreshes with the same token succeed', async () => {
    const user = await agent();
    const { refreshToken } = await login(t, user.email, user.password!);
    const results = await Promise.all([1, 2, 3, 4, 5].map(() => refreshWithBody(refreshToken)));
    const codes = results.map((r) => r.statusCode).sort();
    expect(codes).toEqual([200, 401, 401, 401, 401]);
    // The first loser sees a spent token (reuse: the family is revoked), later ones a revoked one.
    const loserCodes = results.filter((r) => r.statusCode === 401).map((r) => r.json().code as string);
    expect(loserCodes).toContain('REFRESH_TOKEN_REUSED');
    expect(loserCodes.every((c) => c === 'REFRESH_TOKEN_REUSED' || c === 'REFRESH_TOKEN_INVALID')).toBe(true);
    // The token was spent once: exactly one successor was issued.
    const rows = await sql(t, `SELECT 1 FROM refresh_token WHERE user_id = $1`, [user.id]);
    expect(rows).toHaveLength(2);
  });

  it('refuses unknown, expired and missing tokens with REFRESH_TOKEN_INVALID, clearing a bad cookie', async () => {
    const unknown = await refreshWithBody('x'.repeat(43));
    expect(unknown.statusCode).toBe(401);
    expect(unknown.json()).toMatchObject({ code: 'REFRESH_TOKEN_INVALID' });

    const none = await t.inject({ method: 'POST', url: '/v1/auth/refresh' });
    expect(none.statusCode).toBe(401);
    expect(none.json()).toMatchObject({ code: 'REFRESH_TOKEN_INVALID' });

    const user = await agent();
    const cookie = await loginWithCookie(user);
    await sql(t, `UPDATE refresh_token SET expires_at = now() - interval '1 second' WHERE user_id = $1`, [user.id]);
    const expired = await refreshWithCookie(cookie);
    expect(expired.statusCode).toBe(401);
    expect(expired.json()).toMatchObject({ code: 'REFRESH_TOKEN_INVALID' });
    expect(String(expired.headers['set-cookie'])).toMatch(/sillage_refresh=;.*Path=\/v1\/auth/);
  });

  it('re-reads the user: a disabled user cannot refresh, and the family is revoked', async () => {
    const user = await agent();
    const { refreshToken } = await login(t, user.email, user.password!);
    await sql(t, `UPDATE app_user SET status = 'disabled' WHERE id = $1`, [user.id]);
    const res = await refreshWithBody(refreshToken);
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ code: 'REFRESH_TOKEN_INVALID' });
    expect(await sql(t, `SELECT 1 FROM refresh_token WHERE user_id = $1 AND revoked_at IS NULL`, [user.id])).toHaveLength(0);
  });

  it('re-reads role and organisation kinds into the new access token', async () => {
    const user = await agent();
    const { refreshToken } = await login(t, user.email, user.password!);
    await sql(t, `UPDATE app_user SET role = 'viewer' WHERE id = $1`, [user.id]);
    const res = await refreshWithBody(refreshToken);
    expect(res.statusCode).toBe(200);
    const payload = JSON.parse(Buffer.from(res.json().accessToken.split('.')[1], 'base64url').toString());
    expect(payload).toMatchObject({ sub: user.id, role: 'viewer', kinds: ['funder'] });
  });

  it('refuses a refresh once the user must enrol a second factor (promoted to admin)', async () => {
    const user = await agent();
    const { refreshToken } = await login(t, user.email, user.password!);
    await sql(t, `UPDATE app_user SET role = 'admin' WHERE id = $1`, [user.id]);
    const res = await refreshWithBody(refreshToken);
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ code: 'REFRESH_TOKEN_INVALID' });
  });

  it('logs out: revokes the family, clears the cookie, audits, and is idempotent', async () => {
    const user = await agent();
    const cookie = await loginWithCookie(user);
    const next = cookieOf(await refreshWithCookie(cookie))!;

    const res = await t.inject({ method: 'POST', url: '/v1/auth/logout', cookies: { sillage_refresh: next } });
    expect(res.statusCode).toBe(204);
    expect(res.body).toBe('');
    const cleared = String(res.headers['set-cookie']);
    expect(cleared).toMatch(/^sillage_refresh=;/);
    expect(cleared).toContain('Path=/v1/auth');
    expect(cleared).toMatch(/Expires=Thu, 01 Jan 1970/);

    expect((await refreshWithCookie(next)).json()).toMatchObject({ code: 'REFRESH_TOKEN_INVALID' });
    expect(await sql(t, `SELECT 1 FROM refresh_token WHERE user_id = $1 AND revoked_at IS NULL`, [user.id])).toHaveLength(0);
    const audit = await sql(t, `SELECT actor_id FROM audit_event WHERE action = 'auth.logout' AND subject_id = $1`, [user.id]);
    expect(audit).toEqual([{ actor_id: user.id }]);

    // Again, and with no token at all: still 204, nothing more written.
    expect((await t.inject({ method: 'POST', url: '/v1/auth/logout', cookies: { sillage_refresh: next } })).statusCode).toBe(204);
    expect((await t.inject({ method: 'POST', url: '/v1/auth/logout' })).statusCode).toBe(204);
    expect(await sql(t, `SELECT 1 FROM audit_event WHERE action = 'auth.logout' AND subject_id = $1`, [user.id])).toHaveLength(1);
  });

  it("logs out a body-delivered session, leaving the user's other sessions alive", async () => {
    const user = await agent();
    const phone = await login(t, user.email, user.password!);
    const laptop = await login(t, user.email, user.password!);
    const res = await t.inject({ method: 'POST', url: '/v1/auth/logout', payload: { refreshToken: phone.refreshToken } });
    expect(res.statusCode).toBe(204);
    expect((await refreshWithBody(phone.refreshToken)).statusCode).toBe(401);
    expect((await refreshWithBody(laptop.refreshToken)).statusCode).toBe(200);
  });
});
